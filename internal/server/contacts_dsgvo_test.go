package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"rii/internal/browsertest"
	"rii/internal/store"
)

func TestContactSearch(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	for _, n := range []string{"Anna Alt", "Bruno Braun", "Clara Chemie"} {
		w.addContact(n, strings.ToLower(strings.Fields(n)[0])+"@beispiel.example", store.VisibilityEditors, w.initA)
	}
	c := w.as("editor")
	res := c.Get("/verwaltung/kontakte?q=bruno@").WantStatus(http.StatusOK)
	rows := res.Find(`[data-testid="contact-admin-table"] tbody tr`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "Bruno Braun") || res.Text(`[data-testid="result-count"]`) != "1 Ansprechperson gefunden" {
		t.Errorf("search by e-mail: %q", rows.Text())
	}
	if n := c.Get("/verwaltung/kontakte?q=%25").Find(`[data-testid="contact-admin-table"] tbody tr`).Length(); n != 0 {
		t.Errorf("%% is a wildcard: %d rows", n)
	}
	if n := c.Get("/verwaltung/kontakte").Find(`[data-testid="contact-admin-table"] tbody tr`).Length(); n != 3 {
		t.Errorf("%d rows without a query, want 3", n)
	}
}

// personWorld holds a contact with every field filled, linked to two
// initiatives, changed by a member, and seen by the Service-Stelle.
func personWorld(t *testing.T) (*contactWorld, int64) {
	t.Helper()
	w := newContactWorld(t)
	id := w.addContact("Zacharias Zeuge", "zacharias.zeuge@beispiel.example", store.VisibilityMembers, w.initA, w.initB)
	path := "/initiativen/initiative-a/kontakte/" + itoa(id)
	m := w.as("member-a")
	form := editFormAt(t, m.Get(path).WantStatus(http.StatusOK), path)
	form.Set("organisation", "Zeuge & Söhne KG")
	form.Set("einwilligung_zweck", "Nennung für Mitglieder von Zacharias Zeuge")
	m.PostForm(path, form).WantStatus(http.StatusSeeOther)
	return w, id
}

func TestContactExportHoldsEverything(t *testing.T) {
	t.Parallel()
	w, id := personWorld(t)
	res := w.as("editor").Get("/verwaltung/kontakte/" + itoa(id) + "/export").WantStatus(http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Errorf("Content-Disposition %q", cd)
	}
	var got contactExport
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	p := got.Person
	if p.ID != id || p.Name != "Zacharias Zeuge" || p.Email != "zacharias.zeuge@beispiel.example" || p.Phone != "+49 30 123" ||
		p.Function != "Geschäftsführung" || p.Organisation != "Zeuge & Söhne KG" || p.Visibility != "nur Mitglieder der Initiative" ||
		p.Consent.Date != "2026-03-01" || p.Consent.Method != "per E-Mail" || !strings.Contains(p.Consent.Purpose, "Mitglieder") ||
		p.CreatedAt == "" || p.UpdatedAt == "" {
		t.Errorf("person = %+v", p)
	}
	if len(got.Initiatives) != 2 || got.Initiatives[0].Initiative != "Initiative A" || got.Initiatives[0].Role != "Sprecherin" ||
		!strings.HasSuffix(got.Initiatives[1].Address, "/initiativen/initiative-b") {
		t.Errorf("initiatives = %+v", got.Initiatives)
	}
	if len(got.Log) != 1 || got.Log[0].Action != "geändert" || !strings.Contains(got.Log[0].Details, "Organisation") {
		t.Errorf("log = %+v", got.Log)
	}
	if strings.Contains(string(res.Body), "member-a@") {
		t.Error("the export names the staff who made the change")
	}
	if w.count(`SELECT count(*) FROM audit_log WHERE action = 'contact.exported' AND object_id = $1`, itoa(id)) != 1 {
		t.Error("the export is not audited")
	}
	// The page shows the same, for the Service-Stelle, with who did what.
	page := w.as("admin").Get("/verwaltung/kontakte/" + itoa(id)).WantStatus(http.StatusOK)
	if facts := page.Text(`[data-testid="contact-facts"]`); !strings.Contains(facts, "zacharias.zeuge@beispiel.example") || !strings.Contains(facts, "01.03.2026") {
		t.Errorf("facts %q", facts)
	}
	if page.Find(`[data-testid="contact-links"] li`).Length() != 2 || !strings.Contains(page.Text(`[data-testid="contact-audit"]`), "member-a@beispiel.example") {
		t.Error("links or audit trail missing")
	}
}

// TestContactErasure: after the erasure the person's name and e-mail are in
// no table of the database; the audit trail stays, without them.
func TestContactErasure(t *testing.T) {
	t.Parallel()
	w, id := personWorld(t)
	c := w.as("editor")
	c.Get("/verwaltung/kontakte/" + itoa(id) + "/export").WantStatus(http.StatusOK)
	erase := "/verwaltung/kontakte/" + itoa(id) + "/loeschen"
	res := c.PostForm(erase, url.Values{}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("#feld-geprueft"), "Bitte bestätigen Sie, dass Sie die Anfrage geprüft haben.") {
		t.Errorf("no message at the confirmation: %q", res.Text("#feld-geprueft"))
	}
	if w.count(`SELECT count(*) FROM contacts WHERE id = $1`, id) != 1 {
		t.Fatal("erased without confirmation")
	}
	res = c.PostForm(erase, url.Values{"geprueft": {"ja"}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/verwaltung/kontakte" {
		t.Errorf("redirect to %q", loc)
	}
	if flash := c.Get("/verwaltung/kontakte").Text(`main`); strings.Contains(flash, "Zacharias") || !strings.Contains(flash, "gelöscht") {
		t.Errorf("flash %q", flash)
	}
	for _, needle := range []string{"zacharias.zeuge@beispiel.example", "Zacharias Zeuge", "Zeuge & Söhne"} {
		for _, table := range w.tablesContaining(needle) {
			t.Errorf("%q is still in table %s", needle, table)
		}
	}
	if w.count(`SELECT count(*) FROM initiative_contacts WHERE contact_id = $1`, id) != 0 {
		t.Error("links survived")
	}
	var kept, erased int
	err := w.pool.QueryRow(t.Context(), `
		SELECT count(*) FILTER (WHERE action <> 'contact.erased'), count(*) FILTER (WHERE action = 'contact.erased' AND details->>'links' = '2')
		FROM audit_log WHERE object_type = 'contact' AND object_id = $1`, itoa(id)).Scan(&kept, &erased)
	if err != nil || kept != 2 || erased != 1 {
		t.Errorf("audit entries kept %d, erased %d (%v); want updated and exported kept, and the erasure", kept, erased, err)
	}
	c.Get("/verwaltung/kontakte/" + itoa(id)).WantStatus(http.StatusNotFound)
	c.PostForm(erase, url.Values{"geprueft": {"ja"}}).WantStatus(http.StatusNotFound)
}

// tablesContaining lists the tables of the portal with a row whose text
// form contains needle (every column, jsonb included).
func (w *contactWorld) tablesContaining(needle string) []string {
	w.t.Helper()
	rows, _ := w.pool.Query(w.t.Context(), `SELECT quote_ident(table_name) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 10 {
		w.t.Fatalf("tables %v (%v)", tables, err)
	}
	var found []string
	for _, table := range tables {
		if w.count(`SELECT count(*) FROM `+table+` t WHERE t::text ILIKE '%' || $1 || '%'`, needle) > 0 {
			found = append(found, table)
		}
	}
	return found
}

// TestContactPagesAreAccessible opens every contact page in Chromium, the
// forms also in their error state.
func TestContactPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w, id := personWorld(t)
	ctx := b.Tab(t)
	browserSignIn(t, ctx, w.ts.URL, w.world, "editor")
	edit := "/initiativen/initiative-a/kontakte/" + itoa(id)
	for _, path := range []string{"/initiativen/initiative-a/kontakte", "/initiativen/initiative-a/kontakte/neu", edit,
		"/verwaltung/kontakte", "/verwaltung/kontakte?q=zeuge", "/verwaltung/kontakte/" + itoa(id)} {
		browsertest.CheckPage(t, ctx, w.ts.URL+path)
	}
	// Error states: a contact without a name, an erasure unconfirmed.
	browsertest.Navigate(t, ctx, w.ts.URL+"/initiativen/initiative-a/kontakte/neu")
	browsertest.Submit(t, ctx, `[data-testid="contact-form"] button[type=submit]`)
	if got := browsertest.Text(t, ctx, `[data-testid="error-summary"]`); !strings.Contains(got, "Namen") {
		t.Errorf("contact form error summary %q", got)
	}
	for _, v := range browsertest.Axe(t, ctx) {
		t.Errorf("contact form error state: axe: %s", v)
	}
	browsertest.Navigate(t, ctx, w.ts.URL+"/verwaltung/kontakte/"+itoa(id))
	browsertest.Submit(t, ctx, `[data-testid="contact-erase"] button[type=submit]`)
	if got := browsertest.Text(t, ctx, `[data-testid="error-summary"]`); !strings.Contains(got, "Anfrage geprüft") {
		t.Errorf("erasure error summary %q", got)
	}
	for _, v := range browsertest.Axe(t, ctx) {
		t.Errorf("erasure error state: axe: %s", v)
	}
}

package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"rii/internal/account"
	"rii/internal/store"
	"rii/internal/webtest"
	"rii/web/pages"
)

// contactWorld is a world whose server also serves the contact routes, as
// routes.go mounts them: the initiative routes for every signed-in user
// (the handlers check the object), the DSGVO routes for editors and admins.
type contactWorld struct {
	*world
	ts *httptest.Server
}

func newContactWorld(t *testing.T) *contactWorld {
	t.Helper()
	w := newWorld(t)
	s := w.srv
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(middleware.RequestID, s.securityHeaders, s.limitBody, s.sessions.LoadAndSave, s.loadUser, s.requireUser)
		r.Get("/initiativen/{slug}/kontakte", s.handle(s.listContacts))
		r.Get("/initiativen/{slug}/kontakte/neu", s.handle(s.newContact))
		r.Post("/initiativen/{slug}/kontakte/neu", s.handle(s.createContact))
		r.Get("/initiativen/{slug}/kontakte/{id}", s.handle(s.editContact))
		r.Post("/initiativen/{slug}/kontakte/{id}", s.handle(s.updateContact))
		r.Post("/initiativen/{slug}/kontakte/{id}/entfernen", s.handle(s.deleteContact))
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Get("/verwaltung/kontakte", s.handle(s.listAdminContacts))
			r.Get("/verwaltung/kontakte/{id}", s.handle(s.showAdminContact))
			r.Get("/verwaltung/kontakte/{id}/export", s.handle(s.showContactExport))
			r.Post("/verwaltung/kontakte/{id}/loeschen", s.handle(s.deleteAdminContact))
		})
	})
	r.Mount("/", s.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	return &contactWorld{world: w, ts: ts}
}

// as returns a client signed in as key ("anonymous" stays a visitor).
func (w *contactWorld) as(key string) *webtest.Client {
	c := webtest.NewClient(w.t, w.ts.URL)
	if key != "anonymous" {
		w.signIn(c, key)
	}
	return c
}

// addContact stores a contact on the initiatives; shared visibilities get
// a consent.
func (w *contactWorld) addContact(name, email, visibility string, initiatives ...int64) int64 {
	w.t.Helper()
	ctx := context.Background()
	c := store.NewContact{Name: name, Email: email, Function: "Geschäftsführung", Phone: "+49 30 123", Visibility: visibility}
	if visibility != store.VisibilityEditors {
		at := time.Date(2026, 3, 1, 0, 0, 0, 0, berlin)
		c.ConsentAt, c.ConsentMethod, c.ConsentPurpose = &at, "per E-Mail", "Nennung im Verzeichnis"
	}
	id, err := w.st.AddInitiativeContact(ctx, initiatives[0], c, "Sprecherin", w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	for _, i := range initiatives[1:] {
		if err := w.st.LinkContact(ctx, i, id, "", 0); err != nil {
			w.t.Fatal(err)
		}
	}
	return id
}

func (w *contactWorld) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// validContact is a complete, valid form for a public contact.
func validContact() url.Values {
	return url.Values{"name": {"Erika Muster"}, "funktion": {"Geschäftsführerin"}, "organisation": {"Muster GmbH"},
		"email": {"Erika.Muster@Beispiel.example"}, "telefon": {"+49 (30) 123-456"}, "rolle": {"Sprecherin"},
		"sichtbarkeit": {"public"}, "einwilligung_datum": {"1.10.2026"}, "einwilligung_art": {"email"},
		"einwilligung_zweck": {"Nennung als Ansprechperson im Verzeichnis"}}
}

func TestContactRoutesPerRole(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	id := itoa(w.addContact("Mia Mitglied", "mia@beispiel.example", store.VisibilityMembers, w.initA))
	a := "/initiativen/initiative-a/kontakte"
	table := []struct {
		method, path string
		want         want // anonymous, member-a, member-b, editor, official, admin
	}{
		{"GET", a, want{see, ok, no, ok, no, ok}},
		{"GET", a + "/neu", want{see, ok, no, ok, no, ok}},
		{"POST", a + "/neu", want{see, bad, no, bad, no, bad}},
		{"GET", a + "/" + id, want{see, ok, no, ok, no, ok}},
		{"POST", a + "/" + id, want{see, bad, no, bad, no, bad}},
		{"POST", a + "/" + id + "/entfernen", want{see, bad, no, bad, no, bad}},
		{"GET", "/verwaltung/kontakte", staff200},
		{"GET", "/verwaltung/kontakte/" + id, staff200},
		{"GET", "/verwaltung/kontakte/" + id + "/export", staff200},
		{"POST", "/verwaltung/kontakte/" + id + "/loeschen", staff422},
	}
	for i, role := range roles {
		c := w.as(role)
		for _, r := range table {
			var res *webtest.Response
			if r.method == "GET" {
				res = c.Get(r.path)
			} else {
				res = c.PostForm(r.path, url.Values{})
			}
			if res.StatusCode != r.want[i] {
				t.Errorf("%s %s as %s: %d, want %d", r.method, r.path, role, res.StatusCode, r.want[i])
			}
			if role == "anonymous" && !strings.HasPrefix(res.Header.Get("Location"), "/anmelden") {
				t.Errorf("%s %s as visitor: redirect to %q, want the sign-in", r.method, r.path, res.Header.Get("Location"))
			}
		}
	}
	if n := w.count(`SELECT count(*) FROM contacts`); n != 1 {
		t.Errorf("%d contacts after empty posts, want 1", n)
	}
}

// TestContactsBelongToTheirInitiative: ids from another initiative are out
// of a member's reach; a contact of their own initiative for the
// Service-Stelle only is not (contacts_reach_test.go).
func TestContactsBelongToTheirInitiative(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	ofB := itoa(w.addContact("Bernd B", "bernd@beispiel.example", store.VisibilityPublic, w.initB))
	hidden := itoa(w.addContact("Vera Vertraulich", "vera@beispiel.example", store.VisibilityEditors, w.initA))
	c := w.as("member-a")
	c.Get("/initiativen/initiative-a/kontakte/" + ofB).WantStatus(http.StatusNotFound)
	c.Get("/initiativen/initiative-b/kontakte/" + ofB).WantStatus(http.StatusForbidden)
	c.PostForm("/initiativen/initiative-a/kontakte/"+ofB, validContact()).WantStatus(http.StatusNotFound)
	c.PostForm("/initiativen/initiative-b/kontakte/"+ofB+"/entfernen", url.Values{"bestaetigt": {"ja"}}).WantStatus(http.StatusForbidden)
	c.Get("/initiativen/initiative-a/kontakte/" + hidden).WantStatus(http.StatusOK)
	c.Get("/initiativen/initiative-a/kontakte/gibt-es-nicht").WantStatus(http.StatusNotFound)
	c.Get("/initiativen/%FF%00/kontakte").WantStatus(http.StatusNotFound)
	if list := c.Get("/initiativen/initiative-a/kontakte").WantStatus(http.StatusOK); !strings.Contains(list.Text(`[data-testid="contact-table"]`), "Vera Vertraulich") {
		t.Error("a member does not see their own initiative's contact for the Service-Stelle only")
	}
	if strings.Contains(w.as("member-b").Get("/initiativen/initiative-b/kontakte").Text("main"), "Vertraulich") {
		t.Error("another initiative's member sees the contact")
	}
	if n := w.count(`SELECT count(*) FROM contacts WHERE name = 'Bernd B' AND version = 1`); n != 1 {
		t.Error("the contact of B was changed")
	}
	editor := w.as("editor")
	if !strings.Contains(editor.Get("/initiativen/initiative-a/kontakte").Text(`[data-testid="contact-table"]`), "Vera Vertraulich") {
		t.Error("the editor does not see the contact for the Service-Stelle")
	}
}

func TestMemberAddsContact(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	c := w.as("member-a")
	res := c.PostForm("/initiativen/initiative-a/kontakte/neu", validContact()).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/initiativen/initiative-a/kontakte" {
		t.Errorf("redirect to %q", loc)
	}
	var got string
	err := w.pool.QueryRow(t.Context(), `
		SELECT concat_ws('|', c.name, c.email, c.phone, c.visibility, to_char(c.consent_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD HH24:MI'),
			c.consent_method, ic.role) FROM contacts c JOIN initiative_contacts ic ON ic.contact_id = c.id AND ic.initiative_id = $1`,
		w.initA).Scan(&got)
	if want := "Erika Muster|erika.muster@beispiel.example|+49 (30) 123-456|public|2026-10-01 00:00|per E-Mail|Sprecherin"; err != nil || got != want {
		t.Errorf("stored %q (%v), want %q", got, err, want)
	}
	list := c.Get("/initiativen/initiative-a/kontakte").WantStatus(http.StatusOK)
	row := list.Find(`[data-testid="contact-row"]`)
	if row.Length() != 1 || strings.TrimSpace(row.Find(`[data-testid="contact-visibility"]`).Text()) != "öffentlich" ||
		!strings.Contains(row.Find(`[data-testid="contact-consent"]`).Text(), "01.10.2026, per E-Mail") {
		t.Errorf("list row = %q", row.Text())
	}
	var details string
	err = w.pool.QueryRow(t.Context(), `SELECT details::text FROM audit_log WHERE action = 'contact.created'`).Scan(&details)
	if err != nil || strings.Contains(details, "Erika") || strings.Contains(details, "beispiel") || !strings.Contains(details, `"initiative"`) {
		t.Errorf("audit details %s (%v): want the initiative, no personal data", details, err)
	}
}

func TestContactSharedVisibilityNeedsConsent(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	c := w.as("editor")
	form := validContact()
	for _, k := range []string{"einwilligung_datum", "einwilligung_art", "einwilligung_zweck"} {
		form.Del(k)
	}
	res := c.PostForm("/initiativen/initiative-a/kontakte/neu", form).WantStatus(http.StatusUnprocessableEntity)
	for _, f := range []string{"einwilligung_datum", "einwilligung_art", "einwilligung_zweck"} {
		if msg := res.Text("#feld-" + f + "-fehler"); !strings.Contains(msg, "Für die Sichtbarkeit „öffentlich“ braucht es die Einwilligung") {
			t.Errorf("%s: message %q", f, msg)
		}
	}
	if res.Find(`[data-testid="error-summary"] li`).Length() != 3 || res.Find("#feld-name").AttrOr("value", "") != "Erika Muster" {
		t.Error("summary or typed values missing")
	}
	// Editing: a contact for the Service-Stelle only cannot be shared without consent.
	id := itoa(w.addContact("Vera Vertraulich", "vera@beispiel.example", store.VisibilityEditors, w.initA))
	form = url.Values{"name": {"Vera Vertraulich"}, "sichtbarkeit": {"members"}, "version": {"1"}}
	res = c.PostForm("/initiativen/initiative-a/kontakte/"+id, form).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("#feld-einwilligung_datum-fehler"), "„nur Mitglieder der Initiative“") {
		t.Errorf("edit message %q", res.Text("#feld-einwilligung_datum-fehler"))
	}
	if n := w.count(`SELECT count(*) FROM contacts WHERE visibility <> 'editors' OR version <> 1`); n != 0 {
		t.Errorf("%d contacts saved or shared without consent", n)
	}
}

func TestValidateContact(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change map[string]string
		bad    string // the failing field, "" for none
	}{
		{"valid", nil, ""},
		{"only Service-Stelle needs no consent", map[string]string{"sichtbarkeit": "editors", "einwilligung_datum": "", "einwilligung_art": "", "einwilligung_zweck": ""}, ""},
		{"ISO date", map[string]string{"einwilligung_datum": "2026-11-24"}, ""},
		{"empty e-mail", map[string]string{"email": ""}, ""},
		{"no name", map[string]string{"name": "  "}, "name"},
		{"e-mail", map[string]string{"email": "kein@@beispiel"}, "email"},
		{"phone letters", map[string]string{"telefon": "0800-ANRUFEN"}, "telefon"},
		{"phone without digits", map[string]string{"telefon": "+ / -"}, "telefon"},
		{"phone too long", map[string]string{"telefon": strings.Repeat("1", 51)}, "telefon"},
		{"date form", map[string]string{"einwilligung_datum": "24/11/2026"}, "einwilligung_datum"},
		{"date impossible", map[string]string{"einwilligung_datum": "31.02.2026"}, "einwilligung_datum"},
		{"date in the future", map[string]string{"einwilligung_datum": "25.11.2026"}, "einwilligung_datum"},
		{"date too old", map[string]string{"einwilligung_datum": "01.01.0024"}, "einwilligung_datum"},
		{"unknown method", map[string]string{"einwilligung_art": "fax"}, "einwilligung_art"},
		{"other method undescribed", map[string]string{"einwilligung_art": "sonstige"}, "einwilligung_art_sonstige"},
		{"unknown visibility", map[string]string{"sichtbarkeit": "alle"}, "sichtbarkeit"},
		{"no visibility", map[string]string{"sichtbarkeit": ""}, "sichtbarkeit"},
		{"purpose too long", map[string]string{"einwilligung_zweck": strings.Repeat("z", 1001)}, "einwilligung_zweck"},
		{"NUL in the role", map[string]string{"rolle": "a\x00b"}, "rolle"},
		{"invalid UTF-8", map[string]string{"organisation": "\xff"}, "organisation"},
	}
	for _, tt := range tests {
		v := map[string]string{}
		for k, vs := range validContact() {
			v[k] = vs[0]
		}
		for k, x := range tt.change {
			v[k] = x
		}
		_, errs := validateContact(v, now)
		if tt.bad == "" && len(errs) > 0 || tt.bad != "" && (errs[tt.bad] == "" || len(errs) != 1) {
			t.Errorf("%s: errors %v, want one at %q", tt.name, errs, tt.bad)
		}
	}
	in, _ := validateContact(map[string]string{"name": "A  B", "sichtbarkeit": "editors", "einwilligung_art": "sonstige",
		"einwilligung_art_sonstige": " im Gespräch am Stand "}, now)
	if in.Name != "A B" || in.ConsentMethod != "im Gespräch am Stand" {
		t.Errorf("normalised to %+v", in)
	}
}

// TestContactConflict: the second to save gets 409 with both versions and
// keeps what they typed; saving again overwrites on purpose.
func TestContactConflict(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	id := itoa(w.addContact("Mia Mitglied", "mia@beispiel.example", store.VisibilityMembers, w.initA))
	path := "/initiativen/initiative-a/kontakte/" + id
	anna, ben := w.as("member-a"), w.as("editor")
	fa := editFormAt(t, anna.Get(path).WantStatus(http.StatusOK), path)
	fb := editFormAt(t, ben.Get(path).WantStatus(http.StatusOK), path)
	if fa.Get("version") != "1" || fa.Get("einwilligung_art") != "email" || fa.Get("einwilligung_datum") != "01.03.2026" {
		t.Fatalf("form not filled: %v", fa)
	}
	fa.Set("funktion", "Fassung von Anna")
	fb.Set("funktion", "Fassung von Ben")
	fb.Set("telefon", "0761 999")
	anna.PostForm(path, fa).WantStatus(http.StatusSeeOther)
	res := ben.PostForm(path, fb).WantStatus(http.StatusConflict)
	table := res.Text(`[data-testid="conflict-table"]`)
	if !strings.Contains(table, "Fassung von Anna") || !strings.Contains(table, "Fassung von Ben") || !strings.Contains(table, "0761 999") {
		t.Errorf("conflict table %q", table)
	}
	if !strings.Contains(res.Text(`[data-testid="conflict"]`), "Person member-a") {
		t.Errorf("conflict does not say who saved: %q", res.Text(`[data-testid="conflict"]`))
	}
	kept := editFormAt(t, res, path)
	if kept.Get("funktion") != "Fassung von Ben" || kept.Get("telefon") != "0761 999" || kept.Get("version") != "2" {
		t.Errorf("typed values or version lost: %v", kept)
	}
	ben.PostForm(path, kept).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM contacts WHERE function = 'Fassung von Ben' AND version = 3`); n != 1 {
		t.Error("the deliberate overwrite was not saved")
	}
	var fields string
	err := w.pool.QueryRow(t.Context(), `SELECT details->>'fields' FROM audit_log WHERE action = 'contact.updated' ORDER BY id DESC LIMIT 1`).Scan(&fields)
	if err != nil || fields != `["function", "phone"]` {
		t.Errorf("audited fields %s (%v)", fields, err)
	}
}

// editFormAt reads the form posting to action as a browser would submit it.
func editFormAt(t *testing.T, res *webtest.Response, action string) url.Values {
	t.Helper()
	v := url.Values{}
	res.Find(`form[action="` + action + `"]`).Find("input, textarea, select").Each(func(_ int, s *goquerySel) {
		name := s.AttrOr("name", "")
		switch {
		case s.Is("textarea"):
			v.Add(name, s.Text())
		case s.Is("select"):
			v.Add(name, s.Find("option[selected]").AttrOr("value", s.Find("option").First().AttrOr("value", "")))
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

func TestRemovingAContact(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	id := w.addContact("Zoe Zwei", "zoe@beispiel.example", store.VisibilityPublic, w.initA, w.initB)
	c := w.as("editor")
	fromA := "/initiativen/initiative-a/kontakte/" + itoa(id) + "/entfernen"
	res := c.PostForm(fromA, url.Values{}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text(`[data-testid="error-summary"]`), "Bitte bestätigen Sie") {
		t.Error("no message about the missing confirmation")
	}
	c.PostForm(fromA, url.Values{"bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	if w.count(`SELECT count(*) FROM initiative_contacts WHERE contact_id = $1`, id) != 1 || w.count(`SELECT count(*) FROM contacts WHERE id = $1`, id) != 1 {
		t.Fatal("removing from A must keep the person for B")
	}
	c.PostForm("/initiativen/initiative-b/kontakte/"+itoa(id)+"/entfernen", url.Values{"bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	if w.count(`SELECT count(*) FROM contacts WHERE id = $1`, id) != 0 {
		t.Error("a contact linked nowhere was kept")
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE object_type = 'contact' AND object_id = $1 AND action IN ('contact.unlinked', 'contact.deleted')`, itoa(id)); n != 3 {
		t.Errorf("%d audit entries, want 2 unlinked and 1 deleted", n)
	}
}

func TestHostileInputInContactForms(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	id := itoa(w.addContact("Mia Mitglied", "mia@beispiel.example", store.VisibilityMembers, w.initA))
	c := w.as("editor")
	for _, v := range hostileValues {
		form := url.Values{"version": {v}, "bestaetigt": {v}, "geprueft": {v}}
		for _, f := range pages.ContactFormFields.Names() {
			form.Set(f, v)
		}
		for _, path := range []string{"/initiativen/initiative-a/kontakte/neu", "/initiativen/initiative-a/kontakte/" + id,
			"/initiativen/initiative-a/kontakte/" + id + "/entfernen", "/verwaltung/kontakte/" + id + "/loeschen"} {
			res := c.PostForm(path, form)
			if res.StatusCode >= 500 || res.StatusCode == http.StatusSeeOther {
				t.Errorf("POST %s with %.30q: %d", path, v, res.StatusCode)
			}
			if res.Doc().Find("script, img[onerror]").Length() > 0 {
				t.Errorf("POST %s with %.30q: input became markup", path, v)
			}
		}
		res := c.Get("/verwaltung/kontakte?q=" + url.QueryEscape(v) + "&seite=" + url.QueryEscape(v))
		if (res.StatusCode != http.StatusOK && res.StatusCode != http.StatusRequestHeaderFieldsTooLarge) || res.Doc().Find("script").Length() > 0 {
			t.Errorf("search with %.30q: %d", v, res.StatusCode)
		}
	}
	// Markup as a name is stored as text and shown as text.
	form := validContact()
	form.Set("name", `<script>alert(1)</script>`)
	form.Set("einwilligung_zweck", `"><img src=x onerror=alert(1)>`)
	c.PostForm("/initiativen/initiative-a/kontakte/neu", form).WantStatus(http.StatusSeeOther)
	for _, path := range []string{"/initiativen/initiative-a/kontakte", "/verwaltung/kontakte?q=script"} {
		res := c.Get(path).WantStatus(http.StatusOK)
		if res.Find("script, img[onerror]").Length() > 0 || !strings.Contains(res.Text("main"), "<script>alert(1)</script>") {
			t.Errorf("%s: markup executed or name missing", path)
		}
	}
	if n := w.count(`SELECT count(*) FROM contacts`); n != 2 {
		t.Errorf("%d contacts, want the fixture's and the one valid post", n)
	}
}

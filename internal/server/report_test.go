package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rii/internal/event"
	"rii/internal/store"
)

// referenceBody is a report body in the shape of the kick-off report:
// sections, an In-Kürze box, a quote, a Mehr-zum-Thema box.
const referenceBody = `Am 16. März 2021 fand die digitale Auftaktveranstaltung statt.

## Regionale Akteure gezielt vernetzen

> Eine gezielte Vernetzung zwischen den regionalen Akteuren ist entscheidend.
> — Dr. Joachim Lang (BDI)

::: kurz
Ziel: Die Kommunikation der Akteure untereinander zu Zukunftsthemen unterstützen.
:::

## Eine Industriedialogstruktur etablieren

Die Stimmen der Teilnehmerinnen und Teilnehmer verdeutlichen den Bedarf.

::: mehr
Für Fragen zum Projekt: [Service-RII@dihk.de](mailto:Service-RII@dihk.de)

[t1p.de/Industrieinitiativen](http://t1p.de/Industrieinitiativen)
:::
`

// addReportEvent creates another event (without report) in status.
func (w *world) addReportEvent(slug, status string) *store.Event {
	w.t.Helper()
	ctx := context.Background()
	start, _ := event.ParseLocal("2021-03-16", "09:30")
	end, _ := event.ParseLocal("2021-03-16", "16:00")
	n := 170
	id, err := w.st.CreateEvent(ctx, slug, status, store.EventFields{Title: "Auftaktveranstaltung " + slug, Kind: "auftakt",
		Format: event.FormatDigital, StartsAt: start, EndsAt: end, Invitation: "auf Einladung des BMWi",
		OnlineURL: "https://geheim.beispiel.example/raum", ParticipantCount: &n}, store.Actor{Label: "Testdaten"}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	ev, err := w.st.Event(ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return ev
}

// reportForm is a complete, valid report form.
func reportValues(title, body string) url.Values {
	return url.Values{"dachzeile": {"Regionale Initiativen stärken"}, "titel": {title},
		"untertitel": {"Auftaktveranstaltung zu Zukunftsthemen der Industrie"}, "text": {body},
		"kontakt_rolle": {"Referat: Grundsatzfragen der Industriepolitik"}, "hinweis": {""}}
}

func editorPath(id int64) string { return "/verwaltung/veranstaltungen/" + itoa(id) + "/bericht" }

func TestReportEditorPreviewsCreatesAndPublishes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ev := w.addReportEvent("auftakt-2021", event.StatusDraft)
	c := w.client()
	w.signIn(c, "editor")
	path := editorPath(ev.ID)

	form := c.Get(path).WantStatus(http.StatusOK)
	if got, _ := form.Find("#feld-titel").Attr("value"); got != ev.Title {
		t.Errorf("new report's title = %q, want the event's %q", got, ev.Title)
	}
	if form.Find(`[data-testid="report-syntax-help"] summary`).Length() != 1 {
		t.Error("no syntax help")
	}

	// Preview: rendered, marked, every value kept, nothing saved.
	vals := reportValues("Regionale Initiativen stärken", referenceBody)
	vals.Set("aktion", "vorschau")
	pre := c.PostForm(path, vals).WantStatus(http.StatusOK)
	p := pre.Find(`[data-testid="report-preview"]`)
	if got := p.Find("h2").First().Text(); got != "Vorschau – noch nicht gespeichert" {
		t.Errorf("preview heading = %q", got)
	}
	if p.Find(`[data-testid="report-box-kurz"]`).Length() != 1 || p.Find(`[data-testid="report-quote"] figcaption`).Text() != "Dr. Joachim Lang (BDI)" ||
		p.Find(`[data-testid="report-more"] a[href="mailto:Service-RII@dihk.de"]`).Length() != 1 {
		t.Errorf("preview lacks the extensions: %s", p.Text())
	}
	if got := pre.Find("#feld-text").Text(); got != referenceBody {
		t.Errorf("textarea after preview = %q", got)
	}
	if got, _ := pre.Find("#feld-kontakt_rolle").Attr("value"); got != vals.Get("kontakt_rolle") {
		t.Errorf("contact role after preview = %q", got)
	}
	if _, err := w.st.ReportOfEvent(t.Context(), ev.ID); err == nil {
		t.Fatal("the preview saved the report")
	}

	// Save: a draft, audited.
	vals.Set("aktion", "speichern")
	res := c.PostForm(path, vals)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path {
		t.Fatalf("save: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Text("main"))
	}
	rep, err := w.st.ReportOfEvent(t.Context(), ev.ID)
	if err != nil || rep.Status != event.ReportDraft || rep.Body != strings.TrimSpace(referenceBody) {
		t.Fatalf("saved report %+v, %v", rep, err)
	}
	if w.auditCountObject("report.create", "report", rep.ID) != 1 {
		t.Error("creation not audited")
	}
	anon := w.client()
	anon.Get("/berichte/auftakt-2021").WantStatus(http.StatusNotFound)

	// Publishing waits for the event.
	st := c.PostForm(path+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"}}).WantStatus(http.StatusUnprocessableEntity)
	if msg := st.Text("#feld-status-fehler"); !strings.Contains(msg, "erst veröffentlicht werden, wenn die Veranstaltung") {
		t.Errorf("message at the status = %q", msg)
	}
	if st.Find(`#fehler a[href="#feld-status"]`).Length() != 1 {
		t.Error("the error summary does not lead to the status form")
	}
	if _, err := w.st.SetEventStatus(t.Context(), ev.ID, ev.Version, event.StatusPublished, "", w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c.PostForm(path+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	if w.auditCountObject("report.status", "report", rep.ID) != 1 {
		t.Error("publishing not audited")
	}
	anon.Get("/berichte/auftakt-2021").WantStatus(http.StatusOK)
	// A stale version is a conflict, not a silent change.
	c.PostForm(path+"/status", url.Values{"aktion": {"zurueckziehen"}, "version": {"1"}}).WantStatus(http.StatusConflict)
	c.PostForm(path+"/status", url.Values{"aktion": {"zurueckziehen"}, "version": {"2"}}).WantStatus(http.StatusSeeOther)
	anon.Get("/berichte/auftakt-2021").WantStatus(http.StatusNotFound)
}

func TestReportEditorRefusesAtTheField(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.client()
	w.signIn(c, "editor")
	path := editorPath(w.event.ID)
	vals := reportValues("", "Text\n\n![](/bilder/1)\n\n::: kurz\noffen")
	vals.Set("kontakt", "999999")
	vals.Set("version", "1")
	res := c.PostForm(path, vals).WantStatus(http.StatusUnprocessableEntity)
	for field, want := range map[string]string{"titel": "Titel", "text": "Alternativtext", "kontakt": "aus der Liste"} {
		if msg := res.Text("#feld-" + field + "-fehler"); !strings.Contains(msg, want) {
			t.Errorf("message at %s = %q, want %q", field, msg, want)
		}
		if res.Find(`#fehler a[href="#feld-`+field+`"]`).Length() != 1 {
			t.Errorf("error summary has no link to %s", field)
		}
	}
	if !strings.Contains(res.Text("#feld-text-fehler"), "::: kurz") {
		t.Errorf("unclosed block not named: %q", res.Text("#feld-text-fehler"))
	}
	if got := res.Find("#feld-text").Text(); got != vals.Get("text") {
		t.Errorf("typed text lost: %q", got)
	}
	rep, _ := w.st.ReportByID(t.Context(), w.event.ReportID)
	if rep.Version != 1 || rep.Title != "Der Testdialog" {
		t.Errorf("report changed: %+v", rep)
	}
}

func TestReportConflictKeepsTheTypedText(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	path := editorPath(w.event.ID)
	editor, admin := w.client(), w.client()
	w.signIn(editor, "editor")
	w.signIn(admin, "admin")
	v1 := reportValues("Fassung der Redaktion", "## Eins")
	v1.Set("version", "1")
	editor.PostForm(path, v1).WantStatus(http.StatusSeeOther)

	v2 := reportValues("Fassung der Administration", "## Zwei")
	v2.Set("version", "1")
	res := admin.PostForm(path, v2).WantStatus(http.StatusConflict)
	if !strings.Contains(res.Text(`[data-testid="conflict"]`), "Person editor") {
		t.Errorf("conflict does not name who saved: %s", res.Text(`[data-testid="conflict"]`))
	}
	rows := res.Find(`[data-testid="conflict-table"] tbody tr`)
	if rows.Length() != 2 || !strings.Contains(rows.Text(), "Fassung der Redaktion") {
		t.Errorf("conflict rows: %s", rows.Text())
	}
	if got, _ := res.Find("#feld-titel").Attr("value"); got != "Fassung der Administration" {
		t.Errorf("typed title lost: %q", got)
	}
	if got, _ := res.Find(`input[name="version"]`).First().Attr("value"); got != "2" {
		t.Errorf("form version = %q, want the saved 2", got)
	}
	if rep, _ := w.st.ReportByID(t.Context(), w.event.ReportID); rep.Title != "Fassung der Redaktion" {
		t.Errorf("overwritten: %q", rep.Title)
	}
	// Saving again is a deliberate overwrite.
	v2.Set("version", "2")
	admin.PostForm(path, v2).WantStatus(http.StatusSeeOther)
}

func TestReportHistoryAndRestore(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	path := editorPath(w.event.ID)
	c := w.client()
	w.signIn(c, "editor")
	v := reportValues("Neuer Titel", "## Ergebnisse\n\nMehr Energie.")
	v.Set("version", "1")
	c.PostForm(path, v).WantStatus(http.StatusSeeOther)

	hist := c.Get(path + "/verlauf").WantStatus(http.StatusOK)
	revs := hist.Find(`[data-testid="revisions"] > li`)
	if revs.Length() != 2 {
		t.Fatalf("%d versions, want 2", revs.Length())
	}
	if txt := revs.First().Text(); !strings.Contains(txt, "vorher: Der Testdialog") || !strings.Contains(txt, "nachher: Neuer Titel") {
		t.Errorf("diff of version 2: %s", txt)
	}
	restore := revs.Last().Find("form").AttrOr("action", "")
	if restore != path+"/verlauf/1" {
		t.Fatalf("restore action = %q", restore)
	}
	c.PostForm(restore, nil).WantStatus(http.StatusSeeOther)
	rep, _ := w.st.ReportByID(t.Context(), w.event.ReportID)
	if rep.Title != "Der Testdialog" || rep.Version != 3 {
		t.Errorf("after restore: %q v%d", rep.Title, rep.Version)
	}
	if w.auditCountObject("report.restore", "report", rep.ID) != 1 {
		t.Error("restore not audited")
	}
	// Officials read the history but restore nothing.
	o := w.client()
	w.signIn(o, "official")
	if n := o.Get(path + "/verlauf").WantStatus(http.StatusOK).Find(`[data-testid="revisions"] form`).Length(); n != 0 {
		t.Errorf("official sees %d restore buttons", n)
	}
}

func TestReportImageNeedsAltText(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	path := editorPath(w.event.ID) + "/bilder"
	c := w.client()
	w.signIn(c, "editor")
	count := func() int {
		var n int
		if err := w.pool.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM images) + (SELECT count(*) FROM report_images)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	res := postFile(c, path, "datei", "podium.png", encodePNG(t, 80, 60), url.Values{"alt": {"   "}})
	res.WantStatus(http.StatusUnprocessableEntity)
	if msg := res.Text("#feld-alt-fehler"); !strings.Contains(msg, "Alternativtext") {
		t.Errorf("message at the alt field = %q", msg)
	}
	if count() != before {
		t.Fatal("an image without alt text was saved")
	}
	res = postFile(c, path, "datei", "podium.png", encodePNG(t, 80, 60), url.Values{"alt": {"Podium mit [vier] Personen"}})
	res.WantStatus(http.StatusSeeOther)
	page := c.Get(editorPath(w.event.ID)).WantStatus(http.StatusOK)
	snippet := page.Text(`[data-testid="image-snippet"]`)
	if !mustRegexp(`^!\[Podium mit \\\[vier\\\] Personen\]\(/bilder/[0-9]+\)$`).MatchString(snippet) {
		t.Fatalf("snippet = %q", snippet)
	}
	if !strings.Contains(page.Text(`[data-testid="flash"]`), snippet) {
		t.Errorf("flash does not hand over the snippet: %q", page.Text(`[data-testid="flash"]`))
	}
	src := snippet[strings.Index(snippet, "(")+1 : len(snippet)-1]
	if w.auditCountObject("report.image", "report", w.event.ReportID) != 1 {
		t.Error("upload not audited")
	}
	// The published report's picture is public; a draft's only for staff.
	anon := w.client()
	if res := anon.Get(src); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Errorf("public image: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	} else if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=300, must-revalidate" {
		t.Errorf("public image cached as %q, want a short max-age with revalidation", cc)
	}
	if _, err := w.st.SetReportStatus(t.Context(), w.event.ReportID, 1, event.ReportDraft, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	anon.Get(src).WantStatus(http.StatusNotFound)
	m := w.client()
	w.signIn(m, "member-a")
	m.Get(src).WantStatus(http.StatusNotFound)
	if cc := c.Get(src).WantStatus(http.StatusOK).Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("draft image cached as %q, want private, no-cache", cc)
	}
}

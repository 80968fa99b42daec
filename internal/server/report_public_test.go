package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// publishReport gives ev a published report with body and contact.
func (w *world) publishReport(ev *store.Event, title, body string, contact *int64) int64 {
	w.t.Helper()
	id, err := w.st.CreateReport(w.t.Context(), ev.ID, event.ReportPublished, store.ReportFields{Kicker: "Regionale Initiativen stärken",
		Title: title, Subtitle: "Auftaktveranstaltung zu Zukunftsthemen der Industrie", Body: body, ContactID: contact,
		ContactRole: "Referat: Grundsatzfragen der Industriepolitik", SampleNote: "Das Foto ist ein Beispiel."},
		store.Actor{Label: "Testdaten"}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func TestReportPageShowsEveryPart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ev := w.addReportEvent("auftakt", event.StatusCompleted)
	consent := w.clock.Now()
	contact, err := w.st.CreateContact(t.Context(), store.NewContact{Name: "Dirk von der Hude", Email: "schlaglichter@bmwi.bund.de",
		Visibility: store.VisibilityPublic, ConsentAt: &consent, ConsentMethod: "schriftlich", ConsentPurpose: "Bericht"}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.publishReport(ev, "Zusammenwachsen – für Stabilität und Zukunft!", referenceBody, &contact)

	res := w.client().Get("/berichte/auftakt").WantStatus(http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control = %q", cc)
	}
	want := map[string]string{
		"report-kicker":   "Regionale Initiativen stärken",
		"report-title":    "Zusammenwachsen – für Stabilität und Zukunft!",
		"report-subtitle": "Auftaktveranstaltung zu Zukunftsthemen der Industrie",
	}
	for id, text := range want {
		if got := res.Text(`[data-testid="` + id + `"]`); got != text {
			t.Errorf("%s = %q, want %q", id, got, text)
		}
	}
	if res.Find(`h1[data-testid="report-title"]`).Length() != 1 || res.Find("h1").Length() != 1 {
		t.Error("the title is not the page's one h1")
	}
	facts := res.Text(`[data-testid="report-facts"]`)
	for _, s := range []string{"16. März 2021", "Auftaktveranstaltung", "Digital", "auf Einladung des BMWi", "170"} {
		if !strings.Contains(facts, s) {
			t.Errorf("facts lack %q: %s", s, facts)
		}
	}
	if res.Find(`[data-testid="report-facts"] a[href="/veranstaltungen/auftakt"]`).Length() != 1 {
		t.Error("no link to the event page")
	}
	body := res.Find(`[data-testid="report-body"]`)
	if body.Find("h2").Length() != 2 || body.Find(`[data-testid="report-box-kurz"]`).Length() != 1 ||
		body.Find(`[data-testid="report-quote"]`).Length() != 1 || body.Find(`[data-testid="report-more"]`).Length() != 1 {
		t.Errorf("body parts missing: %s", body.Text())
	}
	cp := res.Find(`[data-testid="report-contact"]`)
	if !strings.Contains(cp.Text(), "Dirk von der Hude") || !strings.Contains(cp.Text(), "Referat: Grundsatzfragen") ||
		cp.Find(`a[href="mailto:schlaglichter@bmwi.bund.de"]`).Length() != 1 {
		t.Errorf("contact: %s", cp.Text())
	}
	if !strings.Contains(res.Text(`[data-testid="report-published"]`), "Veröffentlicht am 24. November 2026") {
		t.Errorf("published: %q", res.Text(`[data-testid="report-published"]`))
	}
	if !strings.Contains(res.Text(`[data-testid="report-sample-note"]`), "Beispiel") {
		t.Error("no sample note")
	}
	html, _ := res.Doc().Html()
	if strings.Contains(html, "geheim.beispiel.example") {
		t.Error("the online link is on the public page")
	}
	if ld := res.Find(`script[type="application/ld+json"]`).Text(); !strings.Contains(ld, `"@type":"Report"`) {
		t.Errorf("JSON-LD = %s", ld)
	}
}

func TestReportContactFollowsThePrivacyRule(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	consent := w.clock.Now()
	cases := []struct {
		visibility string
		sees       map[string]bool
	}{
		{store.VisibilityPublic, map[string]bool{"anonymous": true, "member-b": true, "official": true}},
		// A members' contact of no initiative: no member may see it.
		{store.VisibilityMembers, map[string]bool{"anonymous": false, "member-b": false, "official": true}},
		{store.VisibilityEditors, map[string]bool{"anonymous": false, "member-b": false, "official": true}},
	}
	for _, tc := range cases {
		ev := w.addReportEvent("bericht-"+tc.visibility, event.StatusPublished)
		c := store.NewContact{Name: "Person " + tc.visibility, Email: tc.visibility + "@beispiel.example", Visibility: tc.visibility}
		if tc.visibility != store.VisibilityEditors {
			c.ConsentAt, c.ConsentMethod, c.ConsentPurpose = &consent, "per E-Mail", "Bericht"
		}
		id, err := w.st.CreateContact(t.Context(), c, w.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		w.publishReport(ev, "Bericht "+tc.visibility, "Text", &id)
		for who, sees := range tc.sees {
			cl := w.client()
			if who != "anonymous" {
				w.signIn(cl, who)
			}
			page := cl.Get("/berichte/" + ev.Slug).WantStatus(http.StatusOK)
			html, _ := page.Doc().Html()
			if got := strings.Contains(html, c.Email); got != sees {
				t.Errorf("%s contact, %s sees e-mail: %v, want %v", tc.visibility, who, got, sees)
			}
			if got := page.Find(`[data-testid="report-contact"]`).Length() == 1; got != sees {
				t.Errorf("%s contact, %s sees the contact: %v, want %v", tc.visibility, who, got, sees)
			}
		}
	}
}

func TestDraftReportsAreNotPublic(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	draftEvent := w.addReportEvent("entwurf-veranstaltung", event.StatusDraft)
	w.publishReport(draftEvent, "Bericht einer Entwurfsveranstaltung", "Text", nil)
	ev := w.addReportEvent("entwurf-bericht", event.StatusPublished)
	if _, err := w.st.CreateReport(t.Context(), ev.ID, event.ReportDraft, store.ReportFields{Title: "Entwurf eines Berichts"},
		store.Actor{Label: "Test"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	admin := w.client()
	w.signIn(admin, "admin")
	for _, c := range []*struct{ name string }{{"anonymous"}, {"admin"}} {
		cl := w.client()
		if c.name == "admin" {
			cl = admin
		}
		draft := http.StatusNotFound
		if c.name == "admin" {
			draft = http.StatusOK // the Service-Stelle's preview (publishing_test.go)
		}
		cl.Get("/berichte/entwurf-veranstaltung").WantStatus(draft)
		cl.Get("/berichte/entwurf-bericht").WantStatus(draft)
		cl.Get("/berichte/gibt-es-nicht").WantStatus(http.StatusNotFound)
		cl.Get("/berichte/" + url.PathEscape("<script>")).WantStatus(http.StatusNotFound)
		list := cl.Get("/berichte").WantStatus(http.StatusOK).Text("main")
		if strings.Contains(list, "Entwurf") {
			t.Errorf("%s: drafts in the list", c.name)
		}
	}
}

func TestReportListNewestFirstWithFeedLink(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i, slug := range []string{"erster", "zweiter", "dritter"} {
		ev := w.addReportEvent(slug, event.StatusPublished)
		w.publishReport(ev, "Bericht "+slug, "Text", nil)
		w.clock.Advance(time.Duration(i+1) * time.Hour)
	}
	res := w.client().Get("/berichte").WantStatus(http.StatusOK)
	var titles []string
	res.Find(`[data-testid="report-teaser"] h2`).Each(func(_ int, s *goquerySel) { titles = append(titles, s.Text()) })
	if strings.Join(titles, ",") != "Bericht dritter,Bericht zweiter,Bericht erster" {
		t.Errorf("order = %v", titles)
	}
	if href, _ := res.Find(`head link[rel="alternate"][type="application/atom+xml"]`).Attr("href"); href != "/berichte/feed.atom" {
		t.Errorf("feed link in the head = %q", href)
	}
	if res.Find(`[aria-current="page"][href="/berichte"]`).Length() != 1 {
		t.Error("Berichte not marked in the navigation")
	}
}

// TestReportListPastTheLastPage proves that a page past the end says so
// and links back, instead of claiming there are no reports.
func TestReportListPastTheLastPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.publishReport(w.addReportEvent("einziger", event.StatusPublished), "Bericht einziger", "Text", nil)
	res := w.client().Get("/berichte?seite=7").WantStatus(http.StatusOK)
	if res.Find(`[data-testid="past-end"] a[href="/berichte"]`).Length() != 1 {
		t.Error("no link back to the first page")
	}
	if res.Find(`[data-testid="report-list-empty"]`).Length() != 0 {
		t.Error("a page past the end claims there are no reports")
	}
	if got := res.Text("title"); !strings.HasPrefix(got, "Berichte – Seite 7") {
		t.Errorf("title %q does not name the page", got)
	}
}

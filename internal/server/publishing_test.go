package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/event"
	"rii/internal/store"
	"rii/internal/webtest"
)

// publishFixture is a draft event next month with a public speaker and a
// moderator for the Service-Stelle only, and a draft report.
type publishFixture struct {
	EventID, ReportID, HiddenID int64
	Slug                        string
}

func (w *world) addDraftEvent() publishFixture {
	w.t.Helper()
	ctx := context.Background()
	now := w.clock.Now()
	consent := now.AddDate(0, -1, 0)
	must := func(err error) {
		if err != nil {
			w.t.Fatal(err)
		}
	}
	p := publishFixture{Slug: "entwurf-dialog"}
	speaker, err := w.st.CreateContact(ctx, store.NewContact{Name: "Paula Public", Function: "Referentin",
		Visibility: store.VisibilityPublic, ConsentAt: &consent, ConsentMethod: "per E-Mail", ConsentPurpose: "Programm"}, now)
	must(err)
	p.HiddenID, err = w.st.CreateContact(ctx, store.NewContact{Name: "Vera Vertraulich", Function: "Moderatorin",
		Visibility: store.VisibilityEditors}, now)
	must(err)
	start := now.AddDate(0, 1, 0)
	p.EventID = w.seedEvent(p.Slug, event.StatusDraft, store.EventFields{Title: "Entwurf eines Dialogs", StartsAt: start,
		EndsAt: start.Add(3 * time.Hour), Place: "Rathaus Beispielstadt"})
	end := start.Add(time.Hour)
	_, err = w.st.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: p.EventID, StartsAt: start, EndsAt: &end,
		Title: "Auftakt", Kind: "keynote", People: []store.StagePerson{{ContactID: speaker, Function: "Impuls"},
			{ContactID: p.HiddenID, Function: "Moderation"}}})
	must(err)
	p.ReportID, err = w.st.CreateReport(ctx, p.EventID, event.ReportDraft, store.ReportFields{Title: "Bericht im Entwurf",
		Body: "Noch geheim.", ContactID: &p.HiddenID}, store.Actor{Label: "Testdaten"}, now)
	must(err)
	return p
}

// wantPreview checks a preview answer: 200, the banner with the way back,
// never stored, never indexed.
func wantPreview(t *testing.T, res *webtest.Response, adminHref string) {
	t.Helper()
	res.WantStatus(http.StatusOK)
	banner := res.Find(`[data-testid="preview-banner"]`)
	if banner.Length() != 1 || strings.TrimSpace(banner.Find(".kern-title").Text()) != "Vorschau – nicht veröffentlicht" {
		t.Errorf("banner %q", banner.Text())
	}
	if href := banner.Find(`[data-testid="preview-admin"]`).AttrOr("href", ""); href != adminHref {
		t.Errorf("way back %q, want %q", href, adminHref)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") || strings.Contains(cc, "public") {
		t.Errorf("Cache-Control %q", cc)
	}
	if res.Header.Get("X-Robots-Tag") != "noindex" || res.Find(`meta[name="robots"][content="noindex"]`).Length() != 1 {
		t.Error("the preview may be indexed")
	}
}

func TestDraftPreviewOnlyForTheServiceStelle(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Hour)) // the page cache on, as in production
	p := w.addDraftEvent()
	watch(t, w.srv)
	eventPath, reportPath := "/veranstaltungen/"+p.Slug, "/berichte/"+p.Slug

	// Visitors and members first: a 404 like any unknown address, twice
	// (the second from whatever the cache kept).
	anon, member := w.client(), w.client()
	w.signIn(member, "member-a")
	for _, c := range []*webtest.Client{anon, anon, member} {
		for _, path := range []string{eventPath, reportPath} {
			res := c.Get(path).WantStatus(http.StatusNotFound)
			if res.Find(`[data-testid="preview-banner"]`).Length() != 0 || strings.Contains(string(res.Body), "Entwurf eines Dialogs") {
				t.Errorf("%s leaks the draft", path)
			}
		}
	}

	for _, role := range []string{"editor", "official", "admin"} {
		c := w.client()
		w.signIn(c, role)
		res := c.Get(eventPath)
		wantPreview(t, res, "/verwaltung/veranstaltungen/"+itoa(p.EventID))
		if got := res.Text("h1"); got != "Entwurf eines Dialogs" {
			t.Errorf("%s: heading %q", role, got)
		}
		// The preview shows what visitors will see: the public speaker, not
		// the moderator for the Service-Stelle only, who is named in the banner.
		stage := res.Text(`[data-testid="programme"]`)
		if !strings.Contains(stage, "Paula Public") || strings.Contains(stage, "Vera Vertraulich") {
			t.Errorf("%s: programme %q", role, stage)
		}
		if hidden := res.Text(`[data-testid="preview-hidden"]`); !strings.Contains(hidden, "Vera Vertraulich") {
			t.Errorf("%s: banner does not name the hidden person: %q", role, hidden)
		}
		if res.Find(`[data-testid="registration"], form[action$="/anmeldung"], script[type="application/ld+json"]`).Length() != 0 {
			t.Errorf("%s: the preview offers registration or structured data", role)
		}
		rep := c.Get(reportPath)
		wantPreview(t, rep, "/verwaltung/veranstaltungen/"+itoa(p.EventID)+"/bericht")
		if rep.Find(`[data-testid="report-title"]`).Text() != "Bericht im Entwurf" || strings.Contains(rep.Text("main"), "Vera Vertraulich (Moderatorin)") {
			t.Errorf("%s: report preview %q", role, rep.Text("main"))
		}
	}

	// Anonymous still 404 after the editors' previews: nothing was cached.
	anon.Get(eventPath).WantStatus(http.StatusNotFound)
	if _, err := w.st.SetEventStatus(t.Context(), p.EventID, 1, event.StatusPublished, "", w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	waitVersion(t, w.srv)
	if res := anon.Get(eventPath).WantStatus(http.StatusOK); res.Find(`[data-testid="preview-banner"]`).Length() != 0 ||
		strings.Contains(res.Text("main"), "Vera Vertraulich") {
		t.Error("the published page shows the preview or the hidden person")
	}
}

func TestEventPublishIsConfirmedAndUndone(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.addDraftEvent()
	c := w.client()
	w.signIn(c, "editor")
	base := "/verwaltung/veranstaltungen/" + itoa(p.EventID)

	admin := c.Get(base).WantStatus(http.StatusOK)
	if href := admin.Find(`[data-testid="event-preview-link"]`).AttrOr("href", ""); href != "/veranstaltungen/"+p.Slug {
		t.Errorf("preview link %q", href)
	}
	if !strings.Contains(admin.Text(`[data-testid="event-hidden"]`), "Vera Vertraulich") ||
		!strings.Contains(admin.Text(`[data-testid="programme-item"]`), "Vera Vertraulich ["+notPublicMark+"]") {
		t.Errorf("the administration does not mark the hidden person: %q", admin.Text(`[data-testid="programme"]`))
	}
	// "Veröffentlichen" without the confirmation leads to it and changes nothing.
	res := c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != base+"/veroeffentlichen" {
		t.Fatalf("redirect to %q", loc)
	}
	if e, _ := w.st.Event(t.Context(), p.EventID); e.Status != event.StatusDraft {
		t.Fatalf("published without confirmation: %s", e.Status)
	}
	confirm := c.Get(base + "/veroeffentlichen").WantStatus(http.StatusOK)
	form := confirm.Find(`[data-testid="publish-confirm-form"]`)
	if form.AttrOr("action", "") != base+"/status" || form.Find(`input[name="bestaetigt"][value="ja"]`).Length() != 1 ||
		form.Find(`input[name="vorzeitig"]`).Length() != 0 {
		t.Errorf("confirmation form %q", form.Text())
	}
	if !strings.Contains(confirm.Text(`[data-testid="publish-hidden"]`), "Vera Vertraulich") {
		t.Error("the confirmation does not name the hidden person")
	}
	c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	e, _ := w.st.Event(t.Context(), p.EventID)
	if e.Status != event.StatusPublished {
		t.Fatalf("status %s after confirming", e.Status)
	}
	if done := c.Get(base + "/veroeffentlichen").WantStatus(http.StatusOK); done.Find(`[data-testid="publish-done"]`).Length() != 1 ||
		done.Find(`[data-testid="publish-confirm-form"]`).Length() != 0 {
		t.Error("the confirmation page offers to publish a published event")
	}

	// Undo: back to draft, audited, in the history; the page is gone again.
	page := c.Get(base).WantStatus(http.StatusOK)
	if page.Find(`[data-testid="unpublish-form"] button`).Length() != 1 {
		t.Fatal("no way back to draft")
	}
	c.PostForm(base+"/status", url.Values{"aktion": {"zurueckziehen"}, "version": {itoa(int64(e.Version))}}).WantStatus(http.StatusSeeOther)
	if e, _ = w.st.Event(t.Context(), p.EventID); e.Status != event.StatusDraft || e.PublishedAt != nil {
		t.Fatalf("after unpublishing: %s", e.Status)
	}
	if n := w.auditCountObject("event.status", "event", p.EventID); n != 2 {
		t.Errorf("%d status changes audited, want 2", n)
	}
	history := c.Get(base).WantStatus(http.StatusOK).Find(`[data-testid="status-history"] li`)
	if history.Length() != 2 || !strings.Contains(history.Eq(0).Text(), "veröffentlicht → Entwurf") ||
		!strings.Contains(history.Eq(1).Text(), "Entwurf → veröffentlicht") || !strings.Contains(history.Text(), "Person editor") {
		t.Errorf("status history %q", history.Text())
	}
	w.client().Get("/veranstaltungen/" + p.Slug).WantStatus(http.StatusNotFound)
}

func TestEventWithRegistrationsStaysPublished(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.addRegistrationFixture()
	c := w.client()
	w.signIn(c, "editor")
	base := "/verwaltung/veranstaltungen/" + itoa(w.event.ID)
	e, _ := w.st.Event(t.Context(), w.event.ID)
	res := c.PostForm(base+"/status", url.Values{"aktion": {"zurueckziehen"}, "version": {itoa(int64(e.Version))}}).
		WantStatus(http.StatusUnprocessableEntity)
	if msg := res.Text(`[data-testid="status-actions"]`); !strings.Contains(msg, "schon Personen angemeldet") {
		t.Errorf("message %q", msg)
	}
	if e, _ := w.st.Event(t.Context(), w.event.ID); e.Status != event.StatusPublished {
		t.Errorf("status %s", e.Status)
	}
}

func TestReportPublishConfirmsAnEarlyReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	p := w.addDraftEvent()
	if _, err := w.st.SetEventStatus(t.Context(), p.EventID, 1, event.StatusPublished, "", w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	w.signIn(c, "editor")
	base := "/verwaltung/veranstaltungen/" + itoa(p.EventID) + "/bericht"

	edit := c.Get(base).WantStatus(http.StatusOK)
	if href := edit.Find(`[data-testid="report-preview-link"]`).AttrOr("href", ""); href != "/berichte/"+p.Slug {
		t.Errorf("preview link %q", href)
	}
	c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}}).WantStatus(http.StatusSeeOther)
	confirm := c.Get(base + "/veroeffentlichen").WantStatus(http.StatusOK)
	if !strings.Contains(confirm.Text(`[data-testid="publish-early"]`), "endet erst am") ||
		confirm.Find(`[data-testid="publish-confirm-form"] input[name="vorzeitig"][value="ja"]`).Length() != 1 {
		t.Fatalf("no early warning: %q", confirm.Text("main"))
	}
	// Confirming the publication alone is not enough before the event ended.
	res := c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"}}).
		WantStatus(http.StatusUnprocessableEntity)
	if msg := res.Text("#feld-vorzeitig"); !strings.Contains(msg, "noch nicht vorbei") {
		t.Errorf("message %q", msg)
	}
	if res.Find(`#fehler a[href="#feld-vorzeitig"]`).Length() != 1 {
		t.Error("the error summary does not lead to the question")
	}
	if rep, _ := w.st.ReportByID(t.Context(), p.ReportID); rep.Status != event.ReportDraft {
		t.Fatal("published without the explicit confirmation")
	}
	c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"},
		"vorzeitig": {"ja"}}).WantStatus(http.StatusSeeOther)
	if rep, _ := w.st.ReportByID(t.Context(), p.ReportID); rep.Status != event.ReportPublished {
		t.Fatal("not published")
	}
	var early bool
	if err := w.pool.QueryRow(t.Context(), `SELECT (details->>'before_event_end')::bool FROM audit_log
		WHERE action = 'report.status' AND object_id = $1`, itoa(p.ReportID)).Scan(&early); err != nil || !early {
		t.Errorf("the audit does not record the early publication: %v", err)
	}
	// Undo, and both steps in the report's history.
	c.PostForm(base+"/status", url.Values{"aktion": {"zurueckziehen"}, "version": {"2"}}).WantStatus(http.StatusSeeOther)
	revs := c.Get(base + "/verlauf").WantStatus(http.StatusOK).Find(`[data-testid="revisions"] li.revision`)
	if revs.Length() != 3 {
		t.Fatalf("%d versions in the history, want 3", revs.Length())
	}
	for i, want := range []string{"vorher: veröffentlicht nachher: Entwurf", "vorher: Entwurf nachher: veröffentlicht"} {
		rev := revs.Eq(i)
		if got := strings.Join(strings.Fields(rev.Find("dd").Text()), " "); rev.Find("dt").Text() != "Status" || got != want {
			t.Errorf("version %d: %q %q, want %q", 3-i, rev.Find("dt").Text(), got, want)
		}
		if rev.Find("form").Length() != 0 {
			t.Errorf("version %d offers to restore a status change", 3-i)
		}
	}
	if w.auditCountObject("report.status", "report", p.ReportID) != 2 {
		t.Error("unpublishing not audited")
	}
	w.client().Get("/berichte/" + p.Slug).WantStatus(http.StatusNotFound)
}

func TestReportOfAnEndedEventNeedsNoExtraConfirmation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ev := w.addReportEvent("auftakt-2021", event.StatusPublished)
	if _, err := w.st.CreateReport(t.Context(), ev.ID, event.ReportDraft, store.ReportFields{Title: "Rückblick", Body: "Text"},
		store.Actor{Label: "Testdaten"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	w.signIn(c, "editor")
	base := editorPath(ev.ID)
	if c.Get(base+"/veroeffentlichen").WantStatus(http.StatusOK).Find(`[data-testid="publish-early"]`).Length() != 0 {
		t.Error("an early warning for an event of 2021")
	}
	c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	w.client().Get("/berichte/auftakt-2021").WantStatus(http.StatusOK)
}

// TestHomeNeverListsAnEventTwice: an upcoming event with a published
// report is listed once, as upcoming; its report joins the latest reports
// when the event has ended.
func TestHomeNeverListsAnEventTwice(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent() // 10 December 2026, its report published
	hrefs := func() []string {
		res := w.client().Get("/").WantStatus(http.StatusOK)
		return res.Find(`[data-testid="home-event"] a, [data-testid="home-report"] a`).
			Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("href", "") })
	}
	got := hrefs()
	if len(got) != 1 || got[0] != "/veranstaltungen/testdialog" {
		t.Errorf("before the event: %q, want the event once, as upcoming", got)
	}
	w.clock.Advance(20 * 24 * time.Hour)
	got = hrefs()
	if len(got) != 1 || got[0] != "/berichte/testdialog" {
		t.Errorf("after the event: %q, want its report once", got)
	}
}

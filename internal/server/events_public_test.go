package server

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/event"
	"rii/internal/store"
	"rii/internal/webtest"
)

// seedEvent creates an event in status (a cancelled one with its notice)
// from the given facts; empty facts get defaults.
func (w *world) seedEvent(slug, status string, f store.EventFields) int64 {
	w.t.Helper()
	return seedEventOn(w.t, w.st, w.clock.Now(), slug, status, f)
}

func seedEventOn(t testing.TB, st *store.Store, now time.Time, slug, status string, f store.EventFields) int64 {
	t.Helper()
	if f.Title == "" {
		f.Title = "Veranstaltung " + slug
	}
	if f.Kind == "" {
		f.Kind = "industriedialog"
	}
	if f.Format == "" {
		f.Format = event.FormatInPerson
	}
	if f.EndsAt.IsZero() {
		f.EndsAt = f.StartsAt.Add(2 * time.Hour)
	}
	create := status
	if status == event.StatusCancelled {
		create = event.StatusPublished
	}
	ctx := context.Background()
	id, err := st.CreateEvent(ctx, slug, create, f, store.Actor{Label: "Testdaten"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if status == event.StatusCancelled {
		if _, err := st.SetEventStatus(ctx, id, 1, status, "Wegen Krankheit abgesagt; ein neuer Termin folgt.", now); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// berlinAt is a local time in Berlin ("2026-10-24", "10:00").
func berlinAt(t testing.TB, date, clock string) time.Time {
	t.Helper()
	at, err := event.ParseLocal(date, clock)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func cardTitles(res *webtest.Response, sel string) []string {
	return res.Find(sel + ` [data-testid="event-card"] h4`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
}

// TestEventListOrderAndFilters: upcoming events soonest first, then past
// ones newest first with their report; drafts never; each filter narrows
// the list and keeps the others' options; a reset link when filtered.
func TestEventListOrderAndFilters(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.seedEvent("zukunft", event.StatusPublished, store.EventFields{Title: "Zukunftskonferenz",
		StartsAt: berlinAt(t, "2027-01-15", "10:00"), StateCode: "09", Place: "München", Topics: []string{"fachkraefte"}})
	pastID := w.seedEvent("rueckblick", event.StatusCompleted, store.EventFields{Title: "Rückblick 2025", Format: event.FormatDigital,
		StartsAt: berlinAt(t, "2025-05-05", "10:00"), Topics: []string{"innovation"}})
	if _, err := w.st.CreateReport(t.Context(), pastID, event.ReportPublished, store.ReportFields{Title: "Bericht 2025"},
		store.Actor{Label: "Test"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	w.seedEvent("aelter", event.StatusCompleted, store.EventFields{Title: "Älter", StartsAt: berlinAt(t, "2024-03-01", "10:00")})
	w.seedEvent("abgesagt", event.StatusCancelled, store.EventFields{Title: "Abgesagter Dialog", StartsAt: berlinAt(t, "2026-12-01", "10:00")})
	w.seedEvent("entwurf", event.StatusDraft, store.EventFields{Title: "Geheimer Entwurf", StartsAt: berlinAt(t, "2026-12-02", "10:00")})
	c := w.client()

	res := c.Get("/veranstaltungen").WantStatus(http.StatusOK)
	if got, want := cardTitles(res, `[data-testid="events-upcoming"]`), []string{"Abgesagter Dialog", "Testdialog Industrie", "Zukunftskonferenz"}; !slices.Equal(got, want) {
		t.Errorf("upcoming %q, want %q", got, want)
	}
	if got, want := cardTitles(res, `[data-testid="events-past"]`), []string{"Rückblick 2025", "Älter"}; !slices.Equal(got, want) {
		t.Errorf("past %q, want %q", got, want)
	}
	if strings.Contains(string(res.Body), "Geheimer Entwurf") {
		t.Error("a draft is listed")
	}
	if got := res.Text(`[data-testid="result-count"]`); got != "5 Veranstaltungen" {
		t.Errorf("heading %q", got)
	}
	first := res.Find(`[data-testid="event-card"]`).Eq(1)
	if got := first.Find(".event-card__when").Text(); got != "Donnerstag, 10. Dezember 2026, 09:30–16:00 Uhr" {
		t.Errorf("when %q", got)
	}
	if got := strings.Join(strings.Fields(first.Find(`[data-testid="card-facts"]`).Text()), " "); !strings.HasPrefix(got, "Industriedialog, Hybrid, Haus der Wirtschaft") {
		t.Errorf("facts %q", got)
	}
	past := res.Find(`[data-testid="events-past"] [data-testid="event-card"]`)
	if href, _ := past.Eq(0).Find(`[data-testid="report-link"]`).Attr("href"); href != "/berichte/rueckblick" {
		t.Errorf("report link %q", href)
	}
	if past.Eq(1).Find(`[data-testid="report-link"]`).Length() != 0 {
		t.Error("report link without a report")
	}
	if facts := past.Eq(0).Find(`[data-testid="card-facts"]`).Text(); facts != "Industriedialog, Digital" {
		t.Errorf("digital event: %q", past.Eq(0).Text())
	}
	cancelled := res.Find(`[data-testid="cancelled"]`)
	if cancelled.Length() != 1 || !strings.Contains(cancelled.Text(), "abgesagt") || !strings.Contains(cancelled.Text(), "Krankheit") {
		t.Errorf("cancelled badge %q", cancelled.Text())
	}
	if typ, _ := res.Find(`head link[rel="alternate"]`).Attr("type"); typ != "text/calendar" {
		t.Errorf("alternate %q", typ)
	}
	if res.Find(`[data-testid="reset-filters"]`).Length() != 0 {
		t.Error("reset link without a filter")
	}
	years := res.Find(`select[name="jahr"] option`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if want := []string{"Alle Jahre", "2027 (1)", "2026 (2)", "2025 (1)", "2024 (1)"}; !slices.Equal(years, want) {
		t.Errorf("years %q, want %q", years, want)
	}

	for _, c2 := range []struct {
		query string
		want  []string
	}{
		{"jahr=2025", []string{"Rückblick 2025"}},
		{"thema=fachkraefte", []string{"Zukunftskonferenz"}},
		{"format=digital", []string{"Rückblick 2025"}},
		{"land=05", []string{"Testdialog Industrie"}},
		{"jahr=2026&land=09", nil},
		{"jahr=abc&format=<script>&land=99&thema=GROSS", []string{"Abgesagter Dialog", "Testdialog Industrie", "Zukunftskonferenz", "Rückblick 2025", "Älter"}},
	} {
		res := c.Get("/veranstaltungen?" + c2.query).WantStatus(http.StatusOK)
		got := res.Find(`[data-testid="event-card"] h4`).Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if !slices.Equal(got, c2.want) {
			t.Errorf("%s: %q, want %q", c2.query, got, c2.want)
		}
		filtered := !strings.Contains(c2.query, "abc")
		if (res.Find(`[data-testid="reset-filters"]`).Length() == 1) != filtered {
			t.Errorf("%s: reset link shown = %v", c2.query, !filtered)
		}
		if href, _ := res.Find(`head link[rel="alternate"]`).Attr("href"); filtered && !strings.Contains(href, "kalender.ics?") {
			t.Errorf("%s: calendar link %q keeps no filter", c2.query, href)
		}
	}
	res = c.Get("/veranstaltungen?thema=fachkraefte")
	if sel := res.Find(`select[name="thema"] option[selected]`).Text(); sel != "Fachkräfte & Nachwuchs (1)" && !strings.HasPrefix(sel, "Fachkr") {
		t.Errorf("chosen topic %q", sel)
	}
	res = c.Get("/veranstaltungen?seite=5").WantStatus(http.StatusOK)
	if res.Find(`[data-testid="past-end"]`).Length() != 1 {
		t.Error("no hint past the last page")
	}
}

// TestEventListPages pages through 25 events, 20 to a page.
func TestEventListPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i := range 25 {
		w.seedEvent("termin-"+itoa(int64(i)), event.StatusPublished, store.EventFields{StartsAt: w.clock.Now().AddDate(0, 0, i+1)})
	}
	c := w.client()
	res := c.Get("/veranstaltungen?format=praesenz").WantStatus(http.StatusOK)
	if n := res.Find(`[data-testid="event-card"]`).Length(); n != 20 {
		t.Fatalf("%d cards on page 1", n)
	}
	next, _ := res.Find(`[data-testid="pager"] a[rel="next"]`).Attr("href")
	if next != "/veranstaltungen?format=praesenz&seite=2" {
		t.Fatalf("next %q", next)
	}
	res = c.Get(next).WantStatus(http.StatusOK)
	if got := cardTitles(res, ""); len(got) != 5 || got[4] != "Veranstaltung termin-24" {
		t.Errorf("page 2: %q", got)
	}
}

// TestEventPageShowsEveryPart reads the fixture event as a visitor.
func TestEventPageShowsEveryPart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	res := w.client().Get("/veranstaltungen/testdialog").WantStatus(http.StatusOK)
	if got := res.Text("h1"); got != "Testdialog Industrie" {
		t.Errorf("h1 %q", got)
	}
	if got := res.Text(`[data-testid="event-when"]`); got != "Donnerstag, 10. Dezember 2026, 09:30–16:00 Uhr" {
		t.Errorf("when %q", got)
	}
	facts := res.Text(`[data-testid="event-facts"]`)
	for _, want := range []string{"Industriedialog", "Hybrid", "Haus der Wirtschaft", "Nordrhein-Westfalen",
		"Service- und Beratungsstelle", "auf Einladung des BMWK", "In den Kalender (iCal)"} {
		if !strings.Contains(facts+res.Text(`[data-testid="event-kind"]`), want) {
			t.Errorf("facts lack %q: %s", want, facts)
		}
	}
	topics := res.Find(`[data-testid="event-facts"] a[href^="/themen/"]`).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("href", "") })
	if !slices.Equal(topics, []string{"/themen/innovation", "/themen/energie"}) && !slices.Equal(topics, []string{"/themen/energie", "/themen/innovation"}) {
		t.Errorf("topics %q", topics)
	}
	items := res.Find(`[data-testid="programme-item"]`)
	if items.Length() != 2 || items.Eq(0).Find("h3").Text() != "Begrüßung" || !strings.Contains(items.Eq(0).Text(), "09:30–10:00 Uhr") {
		t.Fatalf("programme: %q", items.Text())
	}
	if got := strings.Join(strings.Fields(items.Eq(0).Find(`[data-testid="stage-person"]`).Text()), " "); got != "Dr. Erika Rednerin, Abteilungsleiterin im Testministerium, Testministerium" {
		t.Errorf("stage person %q", got)
	}
	if href, _ := items.Eq(1).Find(`[data-testid="presenting"] a`).Attr("href"); href != "/initiativen/initiative-a" {
		t.Errorf("presenting %q", href)
	}
	ws := res.Find(`[data-testid="workshop"]`)
	if ws.Length() != 1 || ws.Find("h4").Text() != "Werkstatt Energie" || !strings.Contains(ws.Text(), "13:00–14:30 Uhr") ||
		!strings.Contains(ws.Text(), "Dr. Erika Rednerin") || ws.Find(`[data-testid="contributing"] a`).AttrOr("href", "") != "/initiativen/initiative-b" {
		t.Errorf("workshop %q", ws.Text())
	}
	contributors := res.Find(`[data-testid="contributor"]`)
	if contributors.Length() != 1 || !strings.Contains(contributors.Text(), "Begrüßung, Workshop „Werkstatt Energie“ (Moderation)") {
		t.Errorf("contributors %q", contributors.Text())
	}
	if href, _ := res.Find(`[data-testid="report-teaser"] a`).Attr("href"); href != "/berichte/testdialog" || !strings.Contains(res.Text(`[data-testid="report-teaser"]`), "Der Testdialog") {
		t.Errorf("report teaser %q", res.Text(`[data-testid="report-teaser"]`))
	}
	ld := eventJSONLD(t, res)
	if ld["@type"] != "Event" || ld["startDate"] != "2026-12-10T09:30:00+01:00" || ld["endDate"] != "2026-12-10T16:00:00+01:00" ||
		ld["eventAttendanceMode"] != "https://schema.org/MixedEventAttendanceMode" || ld["eventStatus"] != "https://schema.org/EventScheduled" ||
		!strings.HasSuffix(ld["url"].(string), "/veranstaltungen/testdialog") {
		t.Errorf("JSON-LD %v", ld)
	}
	if locs, _ := ld["location"].([]any); len(locs) != 2 {
		t.Errorf("locations %v", ld["location"])
	}
	if perf, _ := ld["performer"].([]any); len(perf) != 1 || perf[0].(map[string]any)["name"] != "Dr. Erika Rednerin" {
		t.Errorf("performers %v", ld["performer"])
	}
	if strings.Contains(string(res.Body), "konferenz.beispiel.example") || strings.Contains(string(res.Body), "erika.rednerin@") {
		t.Error("the online link or a speaker's e-mail is on the event page")
	}
	for _, path := range []string{"/veranstaltungen/gibt-es-nicht", "/veranstaltungen/GROSS", "/veranstaltungen/%FF", "/veranstaltungen/" + strings.Repeat("a", 200)} {
		w.client().Get(path).WantStatus(http.StatusNotFound)
	}
}

// eventJSONLD parses the page's one JSON-LD block.
func eventJSONLD(t *testing.T, res *webtest.Response) map[string]any {
	t.Helper()
	blocks := res.Find(`script[type="application/ld+json"]`)
	if blocks.Length() != 1 {
		t.Fatalf("%d JSON-LD blocks", blocks.Length())
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(blocks.Text()), &ld); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	return ld
}

// TestEventDraftsAreNotPublic: a draft event is not found on its page or
// calendar file by anyone but the Service-Stelle's preview
// (TestDraftPreviewOnlyForTheServiceStelle), and is absent from the list,
// feed, start page and the profiles of initiatives presenting in it.
func TestEventDraftsAreNotPublic(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.seedEvent("entwurf", event.StatusDraft, store.EventFields{Title: "Geheimer Entwurf", StartsAt: w.clock.Now().Add(48 * time.Hour)})
	if _, err := w.st.CreateProgrammeItem(t.Context(), store.ProgrammeItem{EventID: id, StartsAt: w.clock.Now().Add(48 * time.Hour),
		Title: "Vorstellung", Kind: "presentation", Initiatives: []int64{w.initA}}); err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"anonymous", "editor"} {
		c := w.client()
		if role != "anonymous" {
			w.signIn(c, role)
		}
		if role == "anonymous" {
			c.Get("/veranstaltungen/entwurf").WantStatus(http.StatusNotFound)
		} else if c.Get("/veranstaltungen/entwurf").WantStatus(http.StatusOK).Find(`[data-testid="preview-banner"]`).Length() != 1 {
			t.Error("the editor's view of the draft is not marked as a preview")
		}
		c.Get("/veranstaltungen/entwurf/kalender.ics").WantStatus(http.StatusNotFound)
		for _, path := range []string{"/veranstaltungen", "/veranstaltungen/kalender.ics", "/", "/initiativen/initiative-a"} {
			if body := string(c.Get(path).WantStatus(http.StatusOK).Body); strings.Contains(body, "Geheimer Entwurf") || strings.Contains(body, "/veranstaltungen/entwurf") {
				t.Errorf("%s sees the draft on %s", role, path)
			}
		}
	}
}

// TestInitiativeProfileListsEvents: the profile names the events and
// workshops the initiative took part in, linked.
func TestInitiativeProfileListsEvents(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.client()
	for slug, want := range map[string]string{"initiative-a": "Vorstellung im Programm: Initiativen stellen sich vor",
		"initiative-b": "Beitrag zum Workshop „Werkstatt Energie“"} {
		res := c.Get("/initiativen/" + slug).WantStatus(http.StatusOK)
		ev := res.Find(`[data-testid="profile-event"]`)
		if ev.Length() != 1 || ev.Find("a").AttrOr("href", "") != "/veranstaltungen/testdialog" || !strings.Contains(ev.Text(), want) ||
			!strings.Contains(ev.Text(), "Donnerstag, 10. Dezember 2026") {
			t.Errorf("%s: events %q", slug, ev.Text())
		}
	}
}

// TestHomeShowsEventsAndReports: the start page keeps its content and adds
// the next events and newest reports.
func TestHomeShowsEventsAndReports(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	res := c.Get("/").WantStatus(http.StatusOK)
	if !strings.Contains(res.Text(`[data-testid="home-events"]`), "keine Veranstaltungen angekündigt") {
		t.Errorf("empty events: %q", res.Text(`[data-testid="home-events"]`))
	}
	w.addEvent()
	for i := range 4 {
		w.seedEvent("spaeter-"+itoa(int64(i)), event.StatusPublished, store.EventFields{StartsAt: w.clock.Now().AddDate(0, 2, i)})
	}
	w.seedEvent("vorbei", event.StatusCompleted, store.EventFields{StartsAt: w.clock.Now().AddDate(0, -1, 0)})
	res = c.Get("/").WantStatus(http.StatusOK)
	got := res.Find(`[data-testid="home-event"] a`).Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("href", "") })
	if want := []string{"/veranstaltungen/testdialog", "/veranstaltungen/spaeter-0", "/veranstaltungen/spaeter-1"}; !slices.Equal(got, want) {
		t.Errorf("next events %q, want %q", got, want)
	}
	// The report of the upcoming testdialog waits until the event has
	// ended (TestHomeNeverListsAnEventTwice).
	if n := res.Find(`[data-testid="home-report"] a`).Length(); n != 0 {
		t.Errorf("%d reports of upcoming events on the start page", n)
	}
	if res.Find(`[data-testid="tasks"]`).Length() != 1 || res.Find(`[data-testid="home-contact"]`).Length() != 1 {
		t.Error("the start page lost its content")
	}
}

func TestEventWhen(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ start, end, want string }{
		{"2021-03-16T10:00", "2021-03-16T16:30", "Dienstag, 16. März 2021, 10:00–16:30 Uhr"},
		{"2026-10-24T10:00", "2026-10-25T16:00", "Samstag, 24. Oktober 2026, 10:00 Uhr – Sonntag, 25. Oktober 2026, 16:00 Uhr"},
		{"2027-01-01T00:00", "2027-01-01T23:59", "Freitag, 1. Januar 2027, 00:00–23:59 Uhr"},
	} {
		s, _ := time.ParseInLocation("2006-01-02T15:04", c.start, event.Berlin)
		e, _ := time.ParseInLocation("2006-01-02T15:04", c.end, event.Berlin)
		if got := eventWhen(s.UTC(), e.UTC()); got != c.want {
			t.Errorf("eventWhen(%s, %s) = %q, want %q", c.start, c.end, got, c.want)
		}
	}
}

// TestCancelledDigitalEventPage: the notice stands out, the place says
// how the link comes, and the JSON-LD says cancelled and online without
// any URL but the page's own.
func TestCancelledDigitalEventPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.seedEvent("abgesagt", event.StatusCancelled, store.EventFields{Title: "Abgesagt", Format: event.FormatDigital,
		StartsAt: berlinAt(t, "2027-03-28", "10:00"), OnlineURL: "https://geheim.beispiel.example/raum"})
	res := w.client().Get("/veranstaltungen/abgesagt").WantStatus(http.StatusOK)
	if !strings.Contains(res.Text(`[data-testid="cancel-notice"]`), "Wegen Krankheit abgesagt") {
		t.Errorf("notice %q", res.Text(`[data-testid="cancel-notice"]`))
	}
	if got := res.Text(`[data-testid="event-place"]`); got != "Digitale Veranstaltung – den Zugangslink erhalten angemeldete Teilnehmende" {
		t.Errorf("place %q", got)
	}
	ld := eventJSONLD(t, res)
	if ld["eventStatus"] != "https://schema.org/EventCancelled" || ld["eventAttendanceMode"] != "https://schema.org/OnlineEventAttendanceMode" ||
		ld["startDate"] != "2027-03-28T10:00:00+02:00" {
		t.Errorf("JSON-LD %v", ld)
	}
	if locs, _ := ld["location"].([]any); len(locs) != 1 || locs[0].(map[string]any)["@type"] != "VirtualLocation" || locs[0].(map[string]any)["url"] != nil {
		t.Errorf("location %v", ld["location"])
	}
	if strings.Contains(string(res.Body), "geheim.beispiel.example") {
		t.Error("the online link is on the page")
	}
}

package server

import (
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
	"rii/internal/event"
	"rii/internal/store"
)

// seedBrowserEvents adds a cancelled event, a held digital event with
// workshop results (one workshop sample data) and a hostile one.
func seedBrowserEvents(t *testing.T, w *world) {
	t.Helper()
	w.seedEvent("abgesagt", event.StatusCancelled, store.EventFields{Title: "Abgesagter Dialog", StartsAt: berlinAt(t, "2026-12-01", "10:00"),
		Place: "Rathaus Kassel", StateCode: "06", Topics: []string{"energie"}})
	start := berlinAt(t, "2021-03-16", "10:00")
	held := 170
	id := w.seedEvent("auftakt", event.StatusCompleted, store.EventFields{Title: "Auftaktveranstaltung", Kind: "auftakt",
		Format: event.FormatDigital, StartsAt: start, EndsAt: berlinAt(t, "2021-03-16", "16:30"), ParticipantCount: &held,
		Invitation: "auf Einladung des BMWi", SampleNote: "Die Workshoptitel sind Beispieldaten.", Topics: []string{"innovation"}})
	n := 30
	for i, title := range []string{"Fachkräfte sichern", "Akzeptanz stärken"} {
		if _, err := w.st.CreateWorkshop(t.Context(), id, store.WorkshopFields{Title: title, StartsAt: start.Add(3 * time.Hour),
			EndsAt: start.Add(4 * time.Hour), Capacity: &n, ParticipantCount: &n, Sample: i == 1, Topics: []string{"fachkraefte"},
			Results: "- Erstens\n- Zweitens\n\n[Mehr](javascript:alert(1))", Initiatives: []int64{w.initA}}, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	w.seedEvent("feindlich", event.StatusPublished, store.EventFields{Title: hostile, Description: hostile, Summary: hostile,
		StartsAt: berlinAt(t, "2026-12-20", "10:00")})
}

// TestEventPagesAreAccessible runs axe on the states of the event pages
// the route table does not reach: a filtered list, a cancelled event, a
// held event with results and sample data, hostile text.
func TestEventPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent()
	seedBrowserEvents(t, w)
	ctx := b.Tab(t)
	for _, path := range []string{"/veranstaltungen?jahr=2026&format=hybrid", "/veranstaltungen?thema=energie&land=06",
		"/veranstaltungen?jahr=2030", "/veranstaltungen/abgesagt", "/veranstaltungen/auftakt", "/veranstaltungen/feindlich",
		"/", "/initiativen/initiative-a"} {
		browsertest.CheckPage(t, ctx, w.ts.URL+path)
	}
}

// TestEventsWorkWithoutJavaScript filters the list by keyboard with page
// scripts off, resets the filter and opens an event, axe-clean at each step.
func TestEventsWorkWithoutJavaScript(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent()
	seedBrowserEvents(t, w)
	ts := httptest.NewServer(w.srv.Handler())
	t.Cleanup(ts.Close)
	ctx := b.Tab(t)
	scripts(t, ctx, false)

	cards := func(state string, want int) {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="event-card"]').length`))
		if err != nil || n != want {
			t.Errorf("%s: %d event cards (%v), want %d", state, n, err, want)
		}
		noAxeViolations(t, ctx, state)
	}
	browsertest.Navigate(t, ctx, ts.URL+"/veranstaltungen")
	cards("start", 4)

	// Pick "Digital" in the format select by typing its first letter.
	browsertest.TabTo(t, ctx, "#feld-format")
	browsertest.Keys(t, ctx, "D")
	browsertest.Submit(t, ctx, `form[data-testid="event-filters"] button[type=submit]`)
	u, err := url.Parse(browsertest.Location(t, ctx))
	if err != nil || u.Path != "/veranstaltungen" || u.Query().Get("format") != "digital" {
		t.Fatalf("filter: at %s, want format=digital", browsertest.Location(t, ctx))
	}
	cards("digital", 1)
	if got := browsertest.Text(t, ctx, `[data-testid="event-card"] h4`); got != "Auftaktveranstaltung" {
		t.Errorf("digital: %q", got)
	}

	follow(t, ctx, `[data-testid="reset-filters"]`)
	if got := browsertest.Location(t, ctx); got != "/veranstaltungen" {
		t.Errorf("reset: at %s", got)
	}
	cards("reset", 4)

	follow(t, ctx, `[data-testid="events-past"] a[href="/veranstaltungen/auftakt"]`)
	if got := browsertest.Text(t, ctx, "h1"); got != "Auftaktveranstaltung" {
		t.Errorf("event page h1 %q", got)
	}
	if got := browsertest.Text(t, ctx, `[data-testid="event-place"]`); got != "Digitale Veranstaltung – den Zugangslink erhalten angemeldete Teilnehmende" {
		t.Errorf("place %q", got)
	}
	noAxeViolations(t, ctx, "event")
	if errs := browsertest.ConsoleErrors(ctx); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}

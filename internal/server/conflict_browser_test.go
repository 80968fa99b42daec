package server

import (
	"context"
	"testing"

	"rii/internal/browsertest"
	"rii/internal/store"
)

// TestConflictPagesAreAccessible produces the conflict page of an event, a
// workshop and a report in Chromium: the editor opens the form, someone else
// saves in between, the editor saves. Each answer shows the conflict and
// passes axe-core with zero violations.
func TestConflictPagesAreAccessible(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	ctx := browsertest.Shared(t).Tab(t)
	browserSignIn(t, ctx, w.ts.URL, w, "editor")
	by := store.Actor{Label: "Jemand anderes"}
	admin := w.ts.URL + "/verwaltung/veranstaltungen/" + itoa(w.event.ID)
	cases := []struct {
		name, path, submit string
		saveBetween        func(context.Context) error
	}{
		{"event", admin, `[data-testid=event-form] button[type=submit]`, func(c context.Context) error {
			e, err := w.st.Event(c, w.event.ID)
			if err != nil {
				return err
			}
			e.Title += " (geändert)"
			_, err = w.st.UpdateEvent(c, e.ID, e.Version, e.EventFields, w.clock.Now())
			return err
		}},
		{"workshop", admin + "/workshops/" + itoa(w.event.WorkshopID), `[data-testid=part-form] button[type=submit]:not([name])`, func(c context.Context) error {
			ws, err := w.st.Workshop(c, w.event.ID, w.event.WorkshopID)
			if err != nil {
				return err
			}
			ws.Title += " (geändert)"
			_, err = w.st.UpdateWorkshop(c, w.event.ID, ws.ID, ws.Version, ws.WorkshopFields, w.clock.Now())
			return err
		}},
		{"report", admin + "/bericht", `[data-testid=report-form] button[value=speichern]`, func(c context.Context) error {
			r, err := w.st.ReportByID(c, w.event.ReportID)
			if err != nil {
				return err
			}
			r.Title += " (geändert)"
			_, err = w.st.UpdateReport(c, r.ID, r.Version, r.ReportFields, by, w.clock.Now())
			return err
		}},
	}
	for _, c := range cases {
		browsertest.Navigate(t, ctx, c.path)
		if err := c.saveBetween(t.Context()); err != nil {
			t.Fatal(err)
		}
		browsertest.Submit(t, ctx, c.submit)
		if got := browsertest.Text(t, ctx, `[data-testid=conflict]`); got == "" {
			t.Errorf("%s: no conflict shown at %s", c.name, browsertest.Location(t, ctx))
			continue
		}
		for _, v := range browsertest.Axe(t, ctx) {
			t.Errorf("%s conflict page: axe: %s", c.name, v)
		}
	}
}

package store_test

import (
	"testing"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// TestListEventsOrdersAndFilters: newest first by default; "upcoming"
// puts coming events soonest first, then past ones latest first; the
// status filter and the counts agree.
func TestListEventsOrdersAndFilters(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	by := store.Actor{Label: "Test"}
	add := func(slug, date, status string) {
		start, _ := event.ParseLocal(date, "09:00")
		_, err := s.CreateEvent(ctx, slug, status, store.EventFields{Title: slug, Kind: "industriedialog", Format: "digital",
			StartsAt: start, EndsAt: start.Add(4 * time.Hour)}, by, now)
		if err != nil {
			t.Fatal(err)
		}
	}
	add("vergangen-alt", "2025-01-10", event.StatusCompleted)
	add("vergangen-neu", "2026-06-10", event.StatusCompleted)
	add("bald", "2026-12-01", event.StatusPublished)
	add("spaeter", "2027-05-01", event.StatusDraft)
	order := func(f store.EventFilter) string {
		t.Helper()
		f.Now, f.Limit = now, 10
		rows, total, err := s.ListEvents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, r := range rows {
			out += r.Title + " "
		}
		if total != len(rows) {
			t.Errorf("total %d for %d rows", total, len(rows))
		}
		return out
	}
	if got := order(store.EventFilter{}); got != "spaeter bald vergangen-neu vergangen-alt " {
		t.Errorf("newest first: %q", got)
	}
	if got := order(store.EventFilter{Order: store.EventOrderUpcoming}); got != "bald spaeter vergangen-neu vergangen-alt " {
		t.Errorf("upcoming first: %q", got)
	}
	if got := order(store.EventFilter{Status: event.StatusCompleted}); got != "vergangen-neu vergangen-alt " {
		t.Errorf("completed: %q", got)
	}
	// A page shorter than the list and a page past its end still count all.
	for _, p := range []struct {
		f    store.EventFilter
		rows int
	}{{store.EventFilter{Limit: 1}, 1}, {store.EventFilter{Limit: 2, Offset: 10}, 0}} {
		rows, total, err := s.ListEvents(ctx, p.f)
		if err != nil || total != 4 || len(rows) != p.rows {
			t.Errorf("page %+v: %d rows, total %d (%v)", p.f, len(rows), total, err)
		}
	}
	counts, err := s.EventStatusCounts(ctx)
	if err != nil || counts[event.StatusCompleted] != 2 || counts[event.StatusDraft] != 1 || counts[event.StatusCancelled] != 0 {
		t.Errorf("counts %v (%v)", counts, err)
	}
}

func TestFindInitiativesTolerantly(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	ems, err := s.CreateInitiativeRef(ctx, "wachstumsregion-ems-achse", "Wachstumsregion Ems-Achse", "published")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInitiativeRef(ctx, "chemieregion", "Chemieregion Mitte e.V.", "draft"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q     string
		exact bool
	}{
		{"Ems Achse", false}, {"ems-achse", false}, {"Wachstumsregion EMS achse", true}, {"wachstumsregion-ems-achse", true},
		{"Wachstumsregion Ems-Achse", true}, {"Wachstumsregoin Ems", false},
	} {
		got, err := s.FindInitiatives(ctx, c.q, 5)
		if err != nil || len(got) == 0 || got[0].ID != ems || got[0].Exact != c.exact {
			t.Errorf("%q found %+v (%v), want the Ems-Achse first, exact %v", c.q, got, err, c.exact)
		}
	}
	for _, q := range []string{"%", "_", "  ", "Chemieregion%"} {
		if got, err := s.FindInitiatives(ctx, q, 5); err != nil || (q != "Chemieregion%" && len(got) != 0) {
			t.Errorf("%q found %+v (%v): a pattern or blank is no search", q, got, err)
		}
	}
}

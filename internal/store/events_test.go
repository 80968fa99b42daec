package store_test

import (
	"errors"
	"testing"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// TestEventWorkshopProgrammeRoundTrip writes an event with programme items
// and workshops and reads them back; stale versions are conflicts and the
// database refuses an end before the start.
func TestEventWorkshopProgrammeRoundTrip(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	ini, err := s.CreateInitiativeRef(ctx, "vortrag", "Vortrag e.V.", "published")
	if err != nil {
		t.Fatal(err)
	}
	contact, err := s.CreateContact(ctx, store.NewContact{Name: "Erika Beispiel", Visibility: store.VisibilityEditors}, now)
	if err != nil {
		t.Fatal(err)
	}
	start, _ := event.ParseLocal("2026-03-29", "01:00") // the clocks go forward at 02:00
	end, _ := event.ParseLocal("2026-03-29", "05:00")
	if got := end.Sub(start); got != 3*time.Hour {
		t.Fatalf("01:00 to 05:00 across the DST change is %v, want 3h", got)
	}
	cap := 40
	f := store.EventFields{Title: "Nachtdialog", Kind: "industriedialog", Format: event.FormatHybrid, StartsAt: start,
		EndsAt: end, StateCode: "05", Capacity: &cap, Topics: []string{"innovation", "energie"}}
	id, err := s.CreateEvent(ctx, "nachtdialog", event.StatusDraft, f, store.Actor{Label: "Test"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateEvent(ctx, "nachtdialog", event.StatusDraft, f, store.Actor{Label: "Test"}, now); !errors.Is(err, store.ErrSlugTaken) {
		t.Fatalf("second slug: %v", err)
	}
	f.Title = "Nachtdialog 2026"
	v, err := s.UpdateEvent(ctx, id, 1, f, now)
	if err != nil || v != 2 {
		t.Fatalf("update: %d %v", v, err)
	}
	if _, err := s.UpdateEvent(ctx, id, 1, f, now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	bad := f
	bad.EndsAt = start.Add(-time.Minute)
	if _, err := s.UpdateEvent(ctx, id, 2, bad, now); err == nil {
		t.Fatal("end before start was saved")
	}
	if _, err := s.SetEventStatus(ctx, id, 2, event.StatusCancelled, "", now); err == nil {
		t.Fatal("cancelled without a notice")
	}
	if _, err := s.SetEventStatus(ctx, id, 2, event.StatusPublished, "", now); err != nil {
		t.Fatal(err)
	}
	item := store.ProgrammeItem{EventID: id, StartsAt: start, Title: "Begrüßung", Kind: "welcome",
		People: []store.StagePerson{{ContactID: contact, Function: "Moderation"}}, Initiatives: []int64{ini}}
	if item.ID, err = s.CreateProgrammeItem(ctx, item); err != nil {
		t.Fatal(err)
	}
	w := store.WorkshopFields{Title: "Werkstatt", StartsAt: start, EndsAt: end, Topics: []string{"energie"},
		Moderators: []store.StagePerson{{ContactID: contact, Function: "Leitung"}}, Initiatives: []int64{ini}}
	wid, err := s.CreateWorkshop(ctx, id, w, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.EventBySlug(ctx, "nachtdialog")
	if err != nil || got.Title != "Nachtdialog 2026" || got.Status != event.StatusPublished || got.PublishedAt == nil ||
		len(got.Topics) != 2 || *got.Capacity != 40 || !got.StartsAt.Equal(start) {
		t.Fatalf("event %+v (%v)", got, err)
	}
	items, err := s.ProgrammeItems(ctx, id)
	if err != nil || len(items) != 1 || items[0].People[0].Function != "Moderation" || items[0].Initiatives[0] != ini {
		t.Fatalf("items %+v (%v)", items, err)
	}
	ws, err := s.Workshops(ctx, id)
	if err != nil || len(ws) != 1 || ws[0].Moderators[0].ContactID != contact || ws[0].Topics[0] != "energie" {
		t.Fatalf("workshops %+v (%v)", ws, err)
	}
	if _, err := s.UpdateWorkshop(ctx, id, wid, 7, w, now); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale workshop: %v", err)
	}
	if _, err := s.UpdateWorkshop(ctx, id+1, wid, 1, w, now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("workshop of another event: %v", err)
	}
	if err := s.DeleteProgrammeItem(ctx, id, item.ID); err != nil {
		t.Fatal(err)
	}
}

package store_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"rii/internal/registration"
	"rii/internal/store"
)

// TestRegistrationContextMatchesItsParts checks that the one statement
// behind RegistrationContext gives what the separate loads give: settings
// with places held and waiting, workshops with capacity (or none) and
// places held, questions with their options.
func TestRegistrationContextMatchesItsParts(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	ctx := t.Context()
	eventID, ws := regEvent(t, db, places(1), 3, 3)
	if _, err := db.Exec(ctx, `UPDATE workshops SET capacity = NULL WHERE id = $1`, ws[1]); err != nil {
		t.Fatal(err)
	}
	confirm(t, s, register(t, s, person(eventID, 1, ws[0])).ID)
	confirm(t, s, register(t, s, person(eventID, 2, ws[1])).ID) // waits: the event is full
	for i, q := range []store.Question{
		{Kind: registration.QuestionChoice, Label: "Essen", Options: []string{"vegetarisch", "vegan"}, Required: true},
		{Kind: registration.QuestionYesNo, Label: registration.AccessibilityQuestion, Options: []string{}},
	} {
		q.EventID, q.Position = eventID, i+1
		if _, err := s.AddQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.RegistrationContext(ctx, eventID)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := s.RegistrationSettings(ctx, eventID)
	if err != nil {
		t.Fatal(err)
	}
	workshops, err := s.RegistrationWorkshops(ctx, eventID)
	if err != nil {
		t.Fatal(err)
	}
	questions, err := s.EventQuestions(ctx, eventID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.RegistrationSettings, settings) || got.Held != 1 || got.Waiting != 1 {
		t.Errorf("settings %+v, want %+v (1 held, 1 waiting)", got.RegistrationSettings, settings)
	}
	sameWorkshop := func(a, b store.WorkshopPlaces) bool {
		return a.ID == b.ID && a.Title == b.Title && a.StartsAt.Equal(b.StartsAt) && a.EndsAt.Equal(b.EndsAt) &&
			(a.Capacity == nil) == (b.Capacity == nil) && (a.Capacity == nil || *a.Capacity == *b.Capacity) && a.Held == b.Held
	}
	if !slices.EqualFunc(got.Workshops, workshops, sameWorkshop) || len(workshops) != 2 || got.Workshops[1].Capacity != nil {
		t.Errorf("workshops %+v, want %+v", got.Workshops, workshops)
	}
	sameQuestion := func(a, b store.Question) bool {
		return a.ID == b.ID && a.EventID == b.EventID && a.Kind == b.Kind && a.Label == b.Label &&
			slices.Equal(a.Options, b.Options) && a.Required == b.Required && a.Position == b.Position
	}
	if !slices.EqualFunc(got.Questions, questions, sameQuestion) || len(questions) != 2 {
		t.Errorf("questions %+v, want %+v", got.Questions, questions)
	}

	var bare int64
	if err := db.QueryRow(ctx, `INSERT INTO events (slug, title, kind, format, starts_at, ends_at, status, published_at, created_at, updated_at)
		SELECT 'leer', 'Leer', kind, format, starts_at, ends_at, status, published_at, created_at, updated_at FROM events WHERE id = $1
		RETURNING id`, eventID).Scan(&bare); err != nil {
		t.Fatal(err)
	}
	if c, err := s.RegistrationContext(ctx, bare); err != nil || len(c.Workshops) != 0 || len(c.Questions) != 0 {
		t.Errorf("event without workshops and questions: %+v, %v", c, err)
	}
	if _, err := s.RegistrationContext(ctx, bare+1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown event: %v, want ErrNotFound", err)
	}
}

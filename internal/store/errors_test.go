package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// Every constraint the error mapping names exists in the migrated schema:
// a renamed constraint would otherwise turn a field error into a 500.
func TestErrorMappingNamesExistingConstraints(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	for _, name := range store.ConstraintNames() {
		var n int
		err := pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_constraint WHERE conname = $1`, name).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			var idx int
			if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_indexes WHERE indexname = $1`, name).Scan(&idx); err != nil {
				t.Fatal(err)
			}
			if idx == 0 {
				t.Errorf("constraint %q is not in the schema", name)
			}
		}
	}
}

func TestIsConflict(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want bool
	}{
		{store.ErrConflict, true},
		{fmt.Errorf("store: create event: %w", store.ErrSlugTaken), true},
		{store.ErrEmailTaken, true},
		{store.ErrReportExists, true},
		{store.ErrTermTaken, true},
		{&store.TermInUseError{Uses: 2}, true},
		{store.ErrNotFound, false},
		{store.ErrTokenInvalid, false},
		{errors.New("boom"), false},
	} {
		if got := store.IsConflict(c.err); got != c.want {
			t.Errorf("IsConflict(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// A unique violation reaches the caller as its sentinel, by constraint name.
func TestUniqueViolationBecomesSentinel(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	now := time.Now()
	n := store.NewUser{Email: "doppelt@example.org", Name: "A", Role: "member", State: "invited", Now: now}
	if _, err := s.CreateUser(t.Context(), n); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateUser(t.Context(), n)
	if !errors.Is(err, store.ErrEmailTaken) || !store.IsConflict(err) {
		t.Fatalf("second user: %v, want ErrEmailTaken", err)
	}
	if _, err := s.UserByID(t.Context(), 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing user: %v, want ErrNotFound", err)
	}
}

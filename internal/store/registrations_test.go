package store_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgtest"
	"rii/internal/registration"
	"rii/internal/store"
)

var regNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// concurrentStore is a store whose pool has enough connections for real
// contention: 20 transactions at once fight for the event lock.
func concurrentStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return store.New(pool), pool
}

// regEvent creates a published event open for registration with capacity
// places (nil: unlimited) and workshops with the given capacities, all in one
// slot. It returns the event id and the workshop ids.
func regEvent(t *testing.T, db *pgxpool.Pool, capacity *int, workshops ...int) (int64, []int64) {
	t.Helper()
	ctx := t.Context()
	start := regNow.Add(30 * 24 * time.Hour)
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO events (slug, title, kind, format, starts_at, ends_at, capacity,
				status, published_at, created_at, updated_at, registration_open)
			VALUES ('dialog', 'Dialog', 'industriedialog', 'digital', $1, $2, $3, 'published', $4, $4, $4, true)
			RETURNING id`, start, start.Add(4*time.Hour), capacity, regNow).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, c := range workshops {
		var wid int64
		err := db.QueryRow(ctx, `INSERT INTO workshops (event_id, title, starts_at, ends_at, capacity, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, id, fmt.Sprintf("Workshop %d", i+1),
			start.Add(time.Hour), start.Add(2*time.Hour), c, regNow).Scan(&wid)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, wid)
	}
	return id, ids
}

func places(n int) *int { return &n }

func token(t *testing.T) []byte {
	t.Helper()
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

func person(eventID int64, i int, workshops ...int64) store.NewRegistration {
	return store.NewRegistration{EventID: eventID, Name: fmt.Sprintf("Person %d", i),
		Email: fmt.Sprintf("person%d@example.org", i), Organisation: "Beispiel GmbH", Workshops: workshops,
		Source: registration.SourcePublic, Now: regNow}
}

func register(t *testing.T, s *store.Store, in store.NewRegistration) store.Registration {
	t.Helper()
	in.TokenHash = token(t)
	res, err := s.Register(t.Context(), in)
	if err != nil {
		t.Fatalf("register %s: %v", in.Email, err)
	}
	return res.Registration
}

func confirm(t *testing.T, s *store.Store, id int64) store.Registration {
	t.Helper()
	r, _, err := s.ConfirmRegistration(t.Context(), id, regNow.Add(time.Minute))
	if err != nil {
		t.Fatalf("confirm %d: %v", id, err)
	}
	return r
}

// statusCounts counts an event's registrations by status, and checks that
// no place is held beyond capacity (event and workshops).
func statusCounts(t *testing.T, db *pgxpool.Pool, eventID int64) map[string]int {
	t.Helper()
	counts := map[string]int{}
	rows, err := db.Query(t.Context(), `SELECT status, count(*)::int FROM registrations WHERE event_id = $1 GROUP BY status`, eventID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			t.Fatal(err)
		}
		counts[st] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return counts
}

func TestRegistrationCapacityHoldsUnder500ConcurrentAttempts(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, _ := regEvent(t, db, places(50))
	const attempts = 500
	ids := make([]int64, attempts)
	var wg sync.WaitGroup
	errs := make(chan error, attempts)
	for i := range attempts {
		wg.Go(func() {
			in := person(eventID, i)
			in.TokenHash = token(t)
			res, err := s.Register(t.Context(), in)
			if err != nil {
				errs <- err
				return
			}
			r, _, err := s.ConfirmRegistration(t.Context(), res.Registration.ID, regNow.Add(time.Minute))
			if err != nil {
				errs <- err
				return
			}
			ids[i] = r.ID
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := statusCounts(t, db, eventID)
	if got[registration.StatusConfirmed] != 50 || got[registration.StatusWaitlisted] != 450 || len(got) != 2 {
		t.Fatalf("statuses %v, want 50 confirmed and 450 waitlisted", got)
	}
	// The waiting list is in first-come order: the queue order of the
	// registrations, each position once, 1…450.
	seen := map[int]bool{}
	var lastSeq int64
	rows, err := db.Query(t.Context(), `SELECT id, queue_seq FROM registrations
		WHERE event_id = $1 AND status = 'waitlisted' ORDER BY queue_seq`, eventID)
	if err != nil {
		t.Fatal(err)
	}
	var waiting []int64
	for rows.Next() {
		var id, seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			t.Fatal(err)
		}
		if seq <= lastSeq {
			t.Fatalf("queue not strictly ordered at %d", id)
		}
		lastSeq = seq
		waiting = append(waiting, id)
	}
	for i, id := range waiting {
		r, err := s.Registration(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		pos, err := s.WaitlistPosition(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		if pos != i+1 || seen[pos] {
			t.Fatalf("registration %d at position %d, want %d", id, pos, i+1)
		}
		seen[pos] = true
	}
	// Every confirmed registration came before every waiting one: places go
	// first come, first served.
	var late int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM registrations c WHERE c.event_id = $1
		AND c.status = 'confirmed' AND c.queue_seq > (SELECT min(queue_seq) FROM registrations w
			WHERE w.event_id = $1 AND w.status = 'waitlisted')`, eventID).Scan(&late); err != nil {
		t.Fatal(err)
	}
	if late != 0 {
		t.Errorf("%d confirmed registrations came after the first waiting one", late)
	}
}

func TestRegistrationSameFormTwentyTimesConcurrentlyStoresOne(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, _ := regEvent(t, db, places(10))
	var wg sync.WaitGroup
	var mu sync.Mutex
	sendLinks, existing := 0, 0
	for range 20 {
		wg.Go(func() {
			in := person(eventID, 1)
			in.Email = "Doppelt@Example.org"
			in.TokenHash = token(t)
			res, err := s.Register(t.Context(), in)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if res.SendLink {
				sendLinks++
			}
			if res.Existing {
				existing++
			}
		})
	}
	wg.Wait()
	if got := statusCounts(t, db, eventID); got[registration.StatusPending] != 1 || len(got) != 1 {
		t.Fatalf("statuses %v, want one pending registration", got)
	}
	if sendLinks != 1 || existing != 19 {
		t.Errorf("%d posts asked for an e-mail, %d found the registration; want 1 and 19", sendLinks, existing)
	}
	// The same address in other letters, later: the link goes out again, still one registration.
	in := person(eventID, 1)
	in.Email, in.Now, in.TokenHash = "doppelt@example.ORG", regNow.Add(registration.ResendAfter), token(t)
	res, err := s.Register(t.Context(), in)
	if err != nil || !res.Existing || !res.SendLink {
		t.Fatalf("later resend: %+v %v", res, err)
	}
}

func TestRegistrationRacingCancellationsPromoteOnce(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, _ := regEvent(t, db, places(2))
	first := confirm(t, s, register(t, s, person(eventID, 1)).ID)
	second := confirm(t, s, register(t, s, person(eventID, 2)).ID)
	waitA := confirm(t, s, register(t, s, person(eventID, 3)).ID)
	waitB := confirm(t, s, register(t, s, person(eventID, 4)).ID)
	if first.Status != registration.StatusConfirmed || waitA.Status != registration.StatusWaitlisted || waitB.Status != registration.StatusWaitlisted {
		t.Fatalf("setup: %s %s %s", first.Status, waitA.Status, waitB.Status)
	}
	// The same place cancelled twice at once (two tabs): one change, one promotion.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var promoted []store.Registration
	changes := 0
	for range 2 {
		wg.Go(func() {
			changed, p, err := s.CancelRegistration(t.Context(), first.ID, regNow.Add(time.Hour))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			promoted = append(promoted, p...)
			if changed {
				changes++
			}
		})
	}
	wg.Wait()
	if changes != 1 || len(promoted) != 1 || promoted[0].ID != waitA.ID {
		t.Fatalf("%d cancellations took effect, promoted %v; want 1 and the first waiting (%d)", changes, promoted, waitA.ID)
	}
	got := statusCounts(t, db, eventID)
	if got[registration.StatusConfirmed] != 2 || got[registration.StatusWaitlisted] != 1 || got[registration.StatusCancelled] != 1 {
		t.Fatalf("statuses %v", got)
	}
	// Two different people cancel at once with one person left waiting:
	// that person is promoted exactly once, the other place stays free.
	promoted = nil
	for _, id := range []int64{second.ID, waitA.ID} {
		wg.Go(func() {
			_, p, err := s.CancelRegistration(t.Context(), id, regNow.Add(2*time.Hour))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			promoted = append(promoted, p...)
		})
	}
	wg.Wait()
	if len(promoted) != 1 || promoted[0].ID != waitB.ID {
		t.Fatalf("promoted %v, want only the last waiting (%d)", promoted, waitB.ID)
	}
	if got := statusCounts(t, db, eventID); got[registration.StatusConfirmed] != 1 || got[registration.StatusCancelled] != 3 {
		t.Fatalf("statuses %v", got)
	}
}

func TestRegistrationLapsedHoldFreesItsPlaceForTheNextWaiting(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, _ := regEvent(t, db, places(1))
	holder := register(t, s, person(eventID, 1)) // never confirms
	waiting := confirm(t, s, register(t, s, person(eventID, 2)).ID)
	if !holder.HoldsPlace || waiting.Status != registration.StatusWaitlisted {
		t.Fatalf("setup: holder %+v, waiting %s", holder, waiting.Status)
	}
	events, err := s.EventsWithLapsedHolds(t.Context(), regNow.Add(23*time.Hour))
	if err != nil || len(events) != 0 {
		t.Fatalf("before the hold ends: %v %v", events, err)
	}
	later := regNow.Add(24 * time.Hour)
	events, err = s.EventsWithLapsedHolds(t.Context(), later)
	if err != nil || len(events) != 1 || events[0] != eventID {
		t.Fatalf("after the hold: %v %v", events, err)
	}
	lapsed, promoted, err := s.LapseHolds(t.Context(), eventID, later)
	if err != nil || lapsed != 1 || len(promoted) != 1 || promoted[0].ID != waiting.ID {
		t.Fatalf("lapse: %d %v %v", lapsed, promoted, err)
	}
	lapsed, promoted, err = s.LapseHolds(t.Context(), eventID, later)
	if err != nil || lapsed != 0 || len(promoted) != 0 {
		t.Fatalf("second lapse: %d %v %v", lapsed, promoted, err)
	}
	if _, _, err := s.ConfirmRegistration(t.Context(), holder.ID, later); !errors.Is(err, registration.ErrEnded) {
		t.Errorf("confirming a lapsed registration: %v", err)
	}
}

func TestRegistrationWorkshopCapacityAndChange(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, ws := regEvent(t, db, nil, 1, 1)
	a := confirm(t, s, register(t, s, person(eventID, 1, ws[0])).ID)
	b := confirm(t, s, register(t, s, person(eventID, 2, ws[0])).ID)
	if a.Status != registration.StatusConfirmed || b.Status != registration.StatusWaitlisted {
		t.Fatalf("workshop full: %s %s", a.Status, b.Status)
	}
	// b moves to the free workshop and is promoted at once.
	promoted, err := s.ChangeWorkshop(t.Context(), b.ID, ws[1], regNow)
	if err != nil || len(promoted) != 1 || promoted[0].ID != b.ID {
		t.Fatalf("change of a waiting one: %v %v", promoted, err)
	}
	// a cannot move into b's now full workshop.
	if _, err := s.ChangeWorkshop(t.Context(), a.ID, ws[1], regNow); !errors.Is(err, registration.ErrFull) {
		t.Fatalf("change into a full workshop: %v", err)
	}
	// Two workshops of one slot are refused, nothing stored.
	in := person(eventID, 3, ws[0], ws[1])
	in.TokenHash = token(t)
	if _, err := s.Register(t.Context(), in); !errors.Is(err, registration.ErrWorkshop) {
		t.Fatalf("two workshops in one slot: %v", err)
	}
	if got := statusCounts(t, db, eventID); got[registration.StatusConfirmed] != 2 || len(got) != 1 {
		t.Fatalf("statuses %v", got)
	}
}

func TestRegistrationClosedEventRefusesPublicRegistration(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, _ := regEvent(t, db, places(5))
	if err := s.SetRegistrationConfig(t.Context(), eventID, store.RegistrationConfig{HoldHours: 24, LeadHours: 48}); err != nil {
		t.Fatal(err)
	}
	in := person(eventID, 1)
	in.TokenHash = token(t)
	if _, err := s.Register(t.Context(), in); !errors.Is(err, registration.ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
	in.Source, in.Confirmed = registration.SourceManual, true
	res, err := s.Register(t.Context(), in)
	if err != nil || res.Registration.Status != registration.StatusConfirmed {
		t.Fatalf("staff adding by hand: %+v %v", res, err)
	}
}

func TestRegistrationChangesBumpTheContentVersion(t *testing.T) {
	t.Parallel()
	s, db := concurrentStore(t)
	eventID, _ := regEvent(t, db, places(5))
	version := func() int64 {
		v, err := s.ContentVersion(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Places left show on the cached event page: every change of them must
	// move the version.
	v0 := version()
	r := register(t, s, person(eventID, 1))
	v1 := version()
	confirm(t, s, r.ID)
	v2 := version()
	if _, _, err := s.CancelRegistration(t.Context(), r.ID, regNow); err != nil {
		t.Fatal(err)
	}
	if v3 := version(); !(v0 < v1 && v1 < v2 && v2 < v3) {
		t.Errorf("content versions %d, %d, %d, %d: each change must bump it", v0, v1, v2, v3)
	}
}

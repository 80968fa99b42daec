package store_test

import (
	"testing"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// TestInsertSyntheticRegistrations: k registrations land on the published
// synthetic events with plausible statuses, attendance only at events that
// have begun, and those events' participant counts are the attendance.
func TestInsertSyntheticRegistrations(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	s := store.New(pool)
	ctx := t.Context()
	if err := s.InsertSyntheticInitiatives(ctx, 50, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertSyntheticEvents(ctx, 40, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertSyntheticRegistrations(ctx, 2000, 3); err != nil {
		t.Fatal(err)
	}
	var n, onDrafts, confirmed, attended, attendedUpcoming, attendedUnconfirmed, wrongCounts int
	err := pool.QueryRow(ctx, `
		SELECT count(*),
			count(*) FILTER (WHERE e.status = 'draft' OR e.slug NOT LIKE 'synth-%'),
			count(*) FILTER (WHERE r.status = 'confirmed'),
			count(r.attended_at),
			count(r.attended_at) FILTER (WHERE e.starts_at >= now()),
			count(r.attended_at) FILTER (WHERE r.status <> 'confirmed'),
			(SELECT count(*) FROM events e2 WHERE e2.starts_at < now() AND e2.participant_count IS DISTINCT FROM
				(SELECT count(attended_at) FROM registrations r2 WHERE r2.event_id = e2.id)
				AND EXISTS (SELECT FROM registrations r3 WHERE r3.event_id = e2.id))
		FROM registrations r JOIN events e ON e.id = r.event_id`).
		Scan(&n, &onDrafts, &confirmed, &attended, &attendedUpcoming, &attendedUnconfirmed, &wrongCounts)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2000 || onDrafts != 0 || attendedUpcoming != 0 || attendedUnconfirmed != 0 || wrongCounts != 0 {
		t.Errorf("%d registrations (want 2000), %d on drafts, %d attended upcoming events, %d attended unconfirmed, %d events with another participant count",
			n, onDrafts, attendedUpcoming, attendedUnconfirmed, wrongCounts)
	}
	if confirmed < n/2 || attended == 0 || attended >= confirmed {
		t.Errorf("%d confirmed and %d attended of %d: not plausible", confirmed, attended, n)
	}
	var named, unpublished int
	if err := pool.QueryRow(ctx, `SELECT count(r.initiative_id), count(r.initiative_id) FILTER (WHERE i.status <> 'published')
		FROM registrations r LEFT JOIN initiatives i ON i.id = r.initiative_id`).Scan(&named, &unpublished); err != nil {
		t.Fatal(err)
	}
	if named < n/10 || named > n*3/10 || unpublished != 0 {
		t.Errorf("%d of %d registrations name an initiative (want about a fifth), %d an unpublished one", named, n, unpublished)
	}
}

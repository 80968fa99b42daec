package store_test

import (
	"slices"
	"testing"
	"time"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// TestStaleSummaryAgreesWithStaleInitiatives: over profiles confirmed long
// ago and recently, never confirmed and published long ago or recently,
// drafts and archived ones, the summary counts and lists exactly the stale
// profiles that the full list has, longest unconfirmed first.
func TestStaleSummaryAgreesWithStaleInitiatives(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	s := store.New(pool)
	ctx := t.Context()
	cut := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err := pool.Exec(ctx, `
		INSERT INTO initiatives (slug, name, status, published_at, confirmed_at)
		SELECT 'p-' || n, 'Initiative ' || n, CASE WHEN n % 7 = 0 THEN 'archived' WHEN n % 11 = 0 THEN 'draft' ELSE 'published' END,
			CASE WHEN n % 11 = 0 THEN NULL ELSE $1::timestamptz - (n % 5 - 2) * interval '97 days' - n * interval '1 hour' END,
			CASE WHEN n % 3 = 0 THEN NULL ELSE $1::timestamptz - (n % 4 - 1) * interval '61 days' + n * interval '1 minute' END
		FROM generate_series(1, 300) AS n`, cut)
	if err != nil {
		t.Fatal(err)
	}
	all, total, err := s.StaleInitiatives(ctx, cut, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	list, n, err := s.StaleSummary(ctx, cut, 5)
	if err != nil {
		t.Fatal(err)
	}
	if n != total || total < 50 || total > 250 {
		t.Fatalf("summary counts %d, the full list %d (want some but not all stale)", n, total)
	}
	ids := func(l []store.StaleInitiative) []int64 {
		var out []int64
		for _, x := range l {
			out = append(out, x.ID)
		}
		return out
	}
	if !slices.Equal(ids(list), ids(all[:5])) {
		t.Errorf("summary lists %v, the full list begins %v", ids(list), ids(all[:5]))
	}
}

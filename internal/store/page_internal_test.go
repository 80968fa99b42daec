package store

import (
	"testing"

	"rii/internal/pgtest"
)

// TestCollectPageAndTotalPastEnd checks the paged-list helpers on a real
// statement: the total comes from the first row; an empty page past the
// end is counted separately, an empty first page is not.
func TestCollectPageAndTotalPastEnd(t *testing.T) {
	t.Parallel()
	s := New(pgtest.NewPool(t))
	ctx := t.Context()
	type row struct {
		N     int `db:"n"`
		Total int `db:"total"`
	}
	page := func(limit, offset int) ([]row, int) {
		t.Helper()
		rows, _ := s.db.Query(ctx, `SELECT n, (count(*) OVER ())::int AS total FROM generate_series(1, 5) n
			ORDER BY n LIMIT $1 OFFSET $2`, limit, offset)
		list, total, err := collectPage(rows, "numbers", func(r row) int { return r.Total })
		if err != nil {
			t.Fatal(err)
		}
		total, err = s.totalPastEnd(ctx, total, len(list), offset, "count numbers", `SELECT 5 + $1::int`, 0)
		if err != nil {
			t.Fatal(err)
		}
		return list, total
	}
	if list, total := page(2, 2); len(list) != 2 || list[0].N != 3 || total != 5 {
		t.Errorf("second page: %v, total %d; want 3 and 4 of 5", list, total)
	}
	if list, total := page(2, 10); len(list) != 0 || total != 5 {
		t.Errorf("past the end: %v, total %d; want none of 5", list, total)
	}
	if _, total := page(0, 0); total != 0 {
		t.Errorf("empty first page: total %d, want 0 (no count)", total)
	}
}

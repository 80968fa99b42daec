package store

import (
	"context"
	"fmt"
)

// rank sets the relevance of each hit (the rank of orderBy). One
// statement, over the hits only; also for none, so that the number of
// statements of a request never depends on what it finds.
func (s *Store) rank(ctx context.Context, idx *dirIndex, f DirectoryFilter, hits []dirHit) error {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = idx.rows[h.row].id
	}
	args, rank := []any{ids}, `0`
	if f.ts != nil && f.ts.Find != "" {
		args, rank = append(args, f.ts.Find), `ts_rank(i.search, $2::tsquery)`
	}
	var got []int64
	var ranks []float64
	err := s.db.QueryRow(ctx, `SELECT coalesce(array_agg(i.id), '{}'), coalesce(array_agg((`+rank+`)::float8), '{}')
		FROM initiatives i WHERE i.id = ANY($1::bigint[])`, args...).Scan(&got, &ranks)
	if err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	byID := make(map[int64]float64, len(got))
	for i, id := range got {
		byID[id] = ranks[i]
	}
	for i := range hits {
		hits[i].rank = byID[idx.rows[hits[i].row].id]
	}
	return nil
}

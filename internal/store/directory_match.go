package store

import (
	"context"
	"fmt"
	"slices"
)

// invert keeps the lexemes of the published initiatives in byte order with
// their postings, for match.
func (idx *dirIndex) invert(byLexeme map[string][]int32) {
	idx.lexemes = make([]string, 0, len(byLexeme))
	for l := range byLexeme {
		idx.lexemes = append(idx.lexemes, l)
	}
	slices.Sort(idx.lexemes)
	idx.postings = make([][]int32, len(idx.lexemes))
	for i, l := range idx.lexemes {
		idx.postings[i] = byLexeme[l]
	}
}

// tsvectorLexemes calls fn with each lexeme of a tsvector in its text
// form ('lexeme':1A,5 'other':2): one string per initiative to read is far
// cheaper than an array of them.
func tsvectorLexemes(s string, fn func(string)) {
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			continue // positions and the spaces between lexemes
		}
		var b []byte // only for a lexeme with an escaped character
		start, j := i+1, i+1
		for ; j < len(s); j++ {
			switch {
			case s[j] == '\\' && j+1 < len(s):
				b = append(append(b, s[start:j]...), s[j+1])
				j++
				start = j + 1
			case s[j] == '\'' && j+1 < len(s) && s[j+1] == '\'':
				b = append(append(b, s[start:j]...), '\'')
				j++
				start = j + 1
			case s[j] == '\'':
				goto end
			}
		}
	end:
		if b != nil {
			fn(string(append(b, s[start:j]...)))
		} else {
			fn(s[start:j])
		}
		// Skip the positions: they hold no quote.
		for i = j + 1; i < len(s) && s[i] != ' '; i++ {
		}
	}
}

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

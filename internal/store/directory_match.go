package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
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

// queryItem is one lexeme of a term's full-text query, a prefix or whole.
type queryItem struct {
	lexeme string
	prefix bool
}

// parseTermQuery reads the text of a term's query when it is what
// termQuery makes of plain words: lexemes, each maybe a prefix, joined by
// " | ". Anything else (a phrase, a weight, quoting inside a lexeme, an
// empty query) is not for match: ok is false.
func parseTermQuery(q string) (items []queryItem, ok bool) {
	if q == "" {
		return nil, false
	}
	for _, part := range strings.Split(q, " | ") {
		it := queryItem{}
		if rest, found := strings.CutSuffix(part, ":*"); found {
			part, it.prefix = rest, true
		}
		if len(part) < 3 || part[0] != '\'' || part[len(part)-1] != '\'' {
			return nil, false
		}
		it.lexeme = part[1 : len(part)-1]
		if it.lexeme == "" || strings.ContainsAny(it.lexeme, `'\`) {
			return nil, false
		}
		items = append(items, it)
	}
	return items, true
}

// match finds the positions in rows of the initiatives whose search vector
// matches every term's query (termQueries, as text), as `search @@ query`
// does for queries of lexemes joined by "or", without reading a row. ok is
// false for a query it cannot evaluate: the caller asks PostgreSQL.
func (idx *dirIndex) match(termQueries []string) (hits []int32, ok bool) {
	terms := make([][]queryItem, len(termQueries))
	for i, q := range termQueries {
		if terms[i], ok = parseTermQuery(q); !ok {
			return nil, false
		}
	}
	// seen[p] is how many terms have matched row p so far.
	seen := make([]uint8, len(idx.rows))
	for t, items := range terms {
		for _, it := range items {
			i, _ := slices.BinarySearch(idx.lexemes, it.lexeme)
			for ; i < len(idx.lexemes); i++ {
				l := idx.lexemes[i]
				if l != it.lexeme && !(it.prefix && strings.HasPrefix(l, it.lexeme)) {
					break
				}
				for _, p := range idx.postings[i] {
					if int(seen[p]) == t {
						seen[p]++
					}
				}
			}
		}
	}
	hits = []int32{} // not nil: nil would be every initiative
	for p, n := range seen {
		if int(n) == len(terms) {
			hits = append(hits, int32(p))
		}
	}
	return hits, true
}

// rank sets the relevance of each hit (the rank of orderBy). One
// statement, over the hits only; also for none, so that the number of
// statements of a request never depends on what it finds.
func (s *Store) rank(ctx context.Context, idx *dirIndex, f DirectoryFilter, hits []dirHit) error {
	f.States, f.Districts, f.Topics, f.Sectors = nil, nil, nil, nil
	q := buildDirSQL(f)
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = idx.rows[h.row].id
	}
	var got []int64
	var ranks []float64
	err := s.db.QueryRow(ctx, `SELECT coalesce(array_agg(i.id), '{}'), coalesce(array_agg((`+q.rank+`)::float8), '{}')
		FROM initiatives i WHERE i.id = ANY(`+q.arg(ids)+`::bigint[])`, q.args...).Scan(&got, &ranks)
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

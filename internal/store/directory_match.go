package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"rii/internal/search"
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

// queryWords lists the words whose queries match evaluates, in the order
// it reads them: those of the terms to find, group by group and term by
// term, and those of the excluded terms. Phrases are left out: a query
// with a phrase goes to PostgreSQL.
func queryWords(q search.Query) (words, nots []string) {
	for _, g := range q.All {
		for _, t := range g {
			if !t.Phrase {
				words = append(words, t.Words...)
			}
		}
	}
	for _, t := range q.Not {
		if !t.Phrase {
			nots = append(nots, t.Words...)
		}
	}
	return words, nots
}

// match finds the positions in rows of the initiatives whose search vector
// matches f's query as `search @@` the query of buildTSQueries does,
// without reading a row: every group (one of its terms: all of the term's
// words, each as termQuery makes it), none of the excluded terms (all of
// the term's words, each as plainto_tsquery makes it). ok is false for a
// query it cannot evaluate (a phrase, a word whose query is not a plain
// list of lexemes): the caller asks PostgreSQL.
func (idx *dirIndex) match(f DirectoryFilter) (hits []int32, ok bool) {
	q := f.Terms
	words, nots := queryWords(q)
	if len(words) != len(f.wordQueries) || len(nots) != len(f.notQueries) {
		return nil, false
	}
	for _, t := range slices.Concat(slices.Concat(q.All...), q.Not) {
		if t.Phrase {
			return nil, false
		}
	}
	var in []bool // nil: every row
	k := 0
	for _, g := range q.All {
		group := make([]bool, len(idx.rows))
		for _, t := range g {
			var term []bool
			for range t.Words {
				items, ok := parseTermQuery(f.wordQueries[k])
				if !ok {
					return nil, false
				}
				k++
				term = intersect(term, idx.rowsWith(items))
			}
			for p, yes := range term {
				group[p] = group[p] || yes
			}
		}
		in = intersect(in, group)
	}
	k = 0
	for _, t := range q.Not {
		var term []bool
		for range t.Words {
			lexemes, ok := parseAndQuery(f.notQueries[k])
			if !ok {
				return nil, false
			}
			k++
			for _, l := range lexemes {
				term = intersect(term, idx.rowsWith([]queryItem{{lexeme: l}}))
			}
		}
		for p, excluded := range term {
			if excluded && in == nil {
				in = idx.everyRow()
			}
			if excluded {
				in[p] = false
			}
		}
	}
	if in == nil {
		in = idx.everyRow()
	}
	hits = []int32{} // not nil: nil would be every initiative
	for p, yes := range in {
		if yes {
			hits = append(hits, int32(p))
		}
	}
	return hits, true
}

// rowsWith marks the rows that have one of the lexemes of items (a prefix
// item: a lexeme beginning with it).
func (idx *dirIndex) rowsWith(items []queryItem) []bool {
	has := make([]bool, len(idx.rows))
	for _, it := range items {
		i, _ := slices.BinarySearch(idx.lexemes, it.lexeme)
		for ; i < len(idx.lexemes); i++ {
			l := idx.lexemes[i]
			if l != it.lexeme && !(it.prefix && strings.HasPrefix(l, it.lexeme)) {
				break
			}
			for _, p := range idx.postings[i] {
				has[p] = true
			}
		}
	}
	return has
}

// everyRow marks every row.
func (idx *dirIndex) everyRow() []bool {
	all := make([]bool, len(idx.rows))
	for p := range all {
		all[p] = true
	}
	return all
}

// intersect is a AND b, nil standing for every row; it may reuse b.
func intersect(a, b []bool) []bool {
	if a == nil {
		return b
	}
	for p := range b {
		b[p] = b[p] && a[p]
	}
	return b
}

// parseAndQuery reads the text of plainto_tsquery: whole lexemes joined
// by " & ". Anything else (an empty query of stop words, a phrase) is not
// for match: ok is false.
func parseAndQuery(q string) (lexemes []string, ok bool) {
	if q == "" {
		return nil, false
	}
	for _, part := range strings.Split(q, " & ") {
		if len(part) < 3 || part[0] != '\'' || part[len(part)-1] != '\'' {
			return nil, false
		}
		l := part[1 : len(part)-1]
		if l == "" || strings.ContainsAny(l, `'\`) {
			return nil, false
		}
		lexemes = append(lexemes, l)
	}
	return lexemes, true
}

// rank sets the relevance of each hit (the rank of orderBy). One
// statement, over the hits only; also for none, so that the number of
// statements of a request never depends on what it finds.
func (s *Store) rank(ctx context.Context, idx *dirIndex, f DirectoryFilter, hits []dirHit) error {
	// Only the rank's own parameters: those of the filters and the excluded
	// words would stand unused in the statement.
	f.States, f.Districts, f.Topics, f.Sectors, f.Terms.Not = nil, nil, nil, nil, nil
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

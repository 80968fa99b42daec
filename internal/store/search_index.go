package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/jackc/pgx/v5"
)

// The search finds, counts and ranks its hits in memory, from a
// searchIndex of every group's search vectors as of one content version
// (migration 00010), read in the search's own snapshot whenever the
// version has moved, so it is never stale. Counting and ranking in
// PostgreSQL meant reading every hit's search vector: for a frequent word
// thousands of rows per request. Now the terms are matched on the index's
// postings (directory_tsquery.go), the hits ranked as ts_rank ranks them
// (text_rank.go), and PostgreSQL reads only the rows of the pages shown.

// searchIndex is every group's search vectors, with positions.
type searchIndex struct {
	groups [searchGroups]textIndex
	ids    [searchGroups][]int64 // row → id
}

// loadSearchIndex reads the index in one statement.
func loadSearchIndex(ctx context.Context, tx querier) (*searchIndex, error) {
	stmt := ""
	for g, src := range searchSources {
		if g > 0 {
			stmt += ` UNION ALL `
		}
		stmt += fmt.Sprintf(`SELECT %d AS grp, x.id, x.search::text FROM %s`, g, src)
	}
	rows, _ := tx.Query(ctx, stmt+` ORDER BY grp, id`)
	idx := &searchIndex{}
	var builders [searchGroups]*textIndexBuilder
	for g := range builders {
		builders[g] = newTextIndexBuilder(true)
	}
	var g int
	var id int64
	var search string
	_, err := pgx.ForEachRow(rows, []any{&g, &id, &search}, func() error {
		builders[g].add(search)
		idx.ids[g] = append(idx.ids[g], id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	for g, b := range builders {
		idx.groups[g] = b.build()
	}
	return idx, nil
}

// searchRank is a hit and its rank: ts_rank of the words as beginnings
// plus 2 for a hit of the words as typed, 1 for one of the beginnings,
// 0.5 for one only of similar words (searchStatement's rank).
type searchRank struct {
	row  int32
	rank float64
}

// pages evaluates the search in memory: the count of every group and the
// ids of the page asked for, best first (equal ranks: newest row first).
// ok is false when the queries hold what the index cannot evaluate (a
// phrase), and PostgreSQL has to.
func (idx *searchIndex) pages(q SearchQuery, ts searchTS) (counts [searchGroups]int, pages [searchGroups][]int64, ok bool) {
	for g := range idx.groups {
		ix := &idx.groups[g]
		hits, ok1 := ix.match(ts.M)
		exact, ok2 := ix.matchSet(ts.E)
		prefix, ok3 := ix.matchSet(ts.P)
		rq, ok4 := ix.rankQuery(ts.P)
		if !ok1 || !ok2 || !ok3 || !ok4 || ix.n > 0 && ix.docs == nil {
			return counts, pages, false
		}
		counts[g] = len(hits)
		limit, offset := max(q.Limits[g], 0), max(q.Offsets[g], 0)
		if limit == 0 || offset >= len(hits) {
			pages[g] = []int64{}
			continue
		}
		ids := idx.ids[g]
		compare := func(a, b searchRank) int {
			return cmp.Or(cmp.Compare(b.rank, a.rank), cmp.Compare(ids[b.row], ids[a.row]))
		}
		// The hits tier by tier, best first: a tier whose best possible
		// rank cannot reach the page is not ranked at all (ts_rank of an
		// & of two words or more is at most 1).
		var tiers [3][]int32
		for _, r := range hits {
			switch {
			case exact.has(r):
				tiers[0] = append(tiers[0], r)
			case prefix.has(r):
				tiers[1] = append(tiers[1], r)
			default:
				tiers[2] = append(tiers[2], r)
			}
		}
		bound := math.Inf(1)
		if rq.and && len(rq.runs) >= 2 {
			bound = 1
		}
		var top []searchRank
		var scratch rankScratch
		for t, tier := range []float64{2, 1, 0.5} {
			if len(top) == offset+limit && top[len(top)-1].rank > tier+bound {
				break
			}
			for _, r := range tiers[t] {
				top = append(top, searchRank{row: r, rank: float64(ix.rank(r, rq, &scratch)) + tier})
			}
			top = topRanks(top, offset+limit, compare)
		}
		for _, h := range top[min(offset, len(top)):] {
			pages[g] = append(pages[g], ids[h.row])
		}
	}
	return counts, pages, true
}

// topRanks returns the first n of list in the order of compare, sorted:
// a selection for the few of a page, a sort for many.
func topRanks(list []searchRank, n int, compare func(a, b searchRank) int) []searchRank {
	if n >= len(list)/8 {
		slices.SortFunc(list, compare)
		return list[:min(n, len(list))]
	}
	top := make([]searchRank, 0, n+1)
	for _, h := range list {
		if len(top) == n && compare(h, top[n-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, h, compare)
		top = slices.Insert(top, i, h)
		if len(top) > n {
			top = top[:n]
		}
	}
	return top
}

// searchPageStatement reads the rows of the pages found in memory, in
// their order.
func searchPageStatement(pages [searchGroups][]int64) (string, []any) {
	var args searchArgs
	var srcs []string
	for _, ids := range pages {
		srcs = append(srcs, `unnest(`+args.add(ids)+`::bigint[]) WITH ORDINALITY h(id, pos)`)
	}
	return searchPages(srcs) + ` ORDER BY 1, 2`, args
}

package store

import (
	"math"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"rii/internal/pgtest"
)

// TestRankEqualsPostgreSQL: for every initiative, event, workshop and
// report of a seeded set and every kind of query the search ranks by (one
// word, several, "oder", word beginnings, phrases, negations, words of no
// row), rank gives exactly PostgreSQL's ts_rank, bit for bit.
func TestRankEqualsPostgreSQL(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	s := New(pool)
	if err := s.InsertSyntheticInitiatives(ctx, 300, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertSyntheticEvents(ctx, 60, 5); err != nil {
		t.Fatal(err)
	}
	queries := []string{`'industri':*`, `'industri':* & 'chemi':*`, `'industri' & 'chemi'`, `'chemi' | 'metall':*`,
		`( 'chemi':* | 'metall':* ) & 'netzwerk':*`, `'zukunft':* & 'der':* & 'industri':*`, `'nichtsdergleich':*`,
		`'industri' <-> 'netzwerk'`, `!'industri'`, `'industri':* & !'chemi'`, `'a':* & 'b':* & 'c':* & 'd':*`,
		`'werkstatt':* & 'ergebnis':*`, `'fachkraft':* | 'ausbild':* & 'dialog':*`, `'region':*`, `'bundnis':* & 'zukunft':*`}
	tables := []string{"initiatives", "events", "workshops", "reports"}
	compared, nonzero := 0, 0
	for _, table := range tables {
		var ids []int64
		var texts []string
		err := pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id), array_agg(search::text ORDER BY id) FROM `+table).
			Scan(&ids, &texts)
		if err != nil {
			t.Fatal(err)
		}
		b := newTextIndexBuilder(true)
		for _, text := range texts {
			b.add(text)
		}
		ix := b.build()
		if len(ix.docs) != len(ids) {
			t.Fatalf("%s: %d docs of %d rows", table, len(ix.docs), len(ids))
		}
		for _, q := range queries {
			rq, ok := ix.rankQuery(q)
			if !ok {
				t.Errorf("%s: rankQuery(%q) gave up", table, q)
				continue
			}
			rows, _ := pool.Query(ctx, `SELECT ts_rank(search, $1::tsquery) FROM `+table+` ORDER BY id`, q)
			want, err := pgx.CollectRows(rows, pgx.RowTo[float32])
			if err != nil {
				t.Fatal(err)
			}
			var scratch rankScratch
			for i, w := range want {
				got := ix.rank(int32(i), rq, &scratch)
				if math.Float32bits(got) != math.Float32bits(w) {
					t.Errorf("%s %d, %q: rank %g (%08x), ts_rank %g (%08x)", table, ids[i], q, got,
						math.Float32bits(got), w, math.Float32bits(w))
				}
				compared++
				if w > 1e-6 {
					nonzero++
				}
			}
		}
	}
	if nonzero < compared/20 {
		t.Errorf("only %d of %d ranks above zero: the seeded set does not test much", nonzero, compared)
	}
	t.Logf("%d ranks compared, %d above zero", compared, nonzero)
}

// TestRankQueryGivesUp: a weight, an escaped quote, broken text or a word
// both as itself and as a prefix (which ts_rank keeps is up to its sort)
// go to PostgreSQL.
func TestRankQueryGivesUp(t *testing.T) {
	t.Parallel()
	ix := &textIndex{n: 1, lexemes: []string{"industri"}, postings: [][]int32{{0}}}
	for _, q := range []string{"", "'a':A", "'a':*B", "'it''s'", `'c\\d'`, "( 'a'", "'industri':* | 'industri'"} {
		if _, ok := ix.rankQuery(q); ok {
			t.Errorf("rankQuery(%q) ranked; want PostgreSQL", q)
		}
	}
	for q, and := range map[string]bool{"'a' & 'b'": true, "'a' <-> 'b'": true, "'a' | 'b' & 'c'": false,
		"( 'a' | 'b' ) & 'c'": true, "!( 'a' & 'b' )": false, "'a'": false} {
		if rq, ok := ix.rankQuery(q); !ok || rq.and != and {
			t.Errorf("rankQuery(%q): and %v, %v; want %v", q, rq.and, ok, and)
		}
	}
}

// TestSearchIndexFollowsTheContent: the search's in-memory index is of the
// content version of each search's snapshot, so what is unpublished,
// renamed or turned back into a draft disappears from the next search of
// the same store, and what is published appears.
func TestSearchIndexFollowsTheContent(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	s := New(pool)
	if err := s.InsertSyntheticInitiatives(ctx, 50, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertSyntheticEvents(ctx, 10, 2); err != nil {
		t.Fatal(err)
	}
	count := func(text string, g SearchGroup) int {
		t.Helper()
		res, err := s.Search(ctx, SearchQuery{Text: text, Limits: [searchGroups]int{5, 5, 5, 5}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Counts[g]
	}
	var ini, ev int64
	if err := pool.QueryRow(ctx, `SELECT (SELECT min(id) FROM initiatives WHERE status = 'published'),
		(SELECT min(id) FROM events WHERE status <> 'draft')`).Scan(&ini, &ev); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	if n := count("Quastenflosser", GroupInitiatives); n != 0 {
		t.Fatalf("%d hits before the rename", n)
	}
	exec(`UPDATE initiatives SET name = 'Quastenflosser Allianz' WHERE id = $1`, ini)
	if n := count("Quastenflosser", GroupInitiatives); n != 1 {
		t.Errorf("after the rename: %d hits, want 1", n)
	}
	exec(`UPDATE initiatives SET status = 'draft' WHERE id = $1`, ini)
	if n := count("Quastenflosser", GroupInitiatives); n != 0 {
		t.Errorf("after unpublishing: %d hits, want 0", n)
	}
	exec(`UPDATE events SET title = 'Quastenflosser-Dialog' WHERE id = $1`, ev)
	if n := count("Quastenflosser", GroupEvents); n != 1 {
		t.Errorf("after the event's rename: %d hits, want 1", n)
	}
	exec(`UPDATE events SET status = 'draft' WHERE id = $1`, ev)
	if n := count("Quastenflosser", GroupEvents); n != 0 {
		t.Errorf("after the event became a draft: %d hits, want 0", n)
	}
}

// TestSearchPagesRankAcrossTiers: the tiers are only an order of ranks,
// not a wall: a hit found only by a similar word (tier 0.5) whose two
// other words stand side by side outranks a hit of the word beginnings
// (tier 1) whose words lie far apart, and the page shows it first.
func TestSearchPagesRankAcrossTiers(t *testing.T) {
	t.Parallel()
	b := newTextIndexBuilder(true)
	b.add("'alphax':1 'betax':100 'gammax':200") // every beginning, far apart: 1 + almost 0
	b.add("'beta':2A 'gamma':3A 'omega':1A")     // a similar word for alpha, the others adjacent: 0.5 + 0.99
	b.add("'alphay':1 'betay':120 'gammay':240") // further apart still: last
	idx := &searchIndex{}
	idx.groups[GroupInitiatives] = b.build()
	idx.ids[GroupInitiatives] = []int64{10, 20, 30}
	ts := searchTS{M: "( 'alpha':* | 'omega' ) & 'beta':* & 'gamma':*", P: "'alpha':* & 'beta':* & 'gamma':*",
		E: "'alpha' & 'beta' & 'gamma'"}
	for limit, want := range map[int][]int64{1: {20}, 2: {20, 10}, 3: {20, 10, 30}} {
		counts, pages, ok := idx.pages(SearchQuery{Limits: [searchGroups]int{limit}}, ts)
		if !ok || counts[GroupInitiatives] != 3 || !slices.Equal(pages[GroupInitiatives], want) {
			t.Errorf("limit %d: %v, %d hits, page %v; want 3 hits, %v", limit, ok, counts[GroupInitiatives],
				pages[GroupInitiatives], want)
		}
	}
}

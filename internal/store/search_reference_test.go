package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"rii/internal/pgtest"
)

// TestSearchEqualsThePlainQuery: on a seeded set (synthetic initiatives,
// events with workshops and reports, drafts among them), Search finds for
// every kind of query of the German parser ("oder", phrases, -wort,
// places, vocabulary, typos, word beginnings) exactly the counts and the
// hits, in order, of a plain query per group that computes the full-text
// queries inline and ranks every hit: the queries made once and passed as
// parameters, and the generic plans, change nothing.
func TestSearchEqualsThePlainQuery(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	s := New(pool)
	if err := s.InsertSyntheticInitiatives(ctx, 300, 11); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertSyntheticEvents(ctx, 60, 11); err != nil {
		t.Fatal(err)
	}
	queries := []string{"industrie", "industrie chemie", "Chemie oder Metall", `"Netzwerk Chemie"`,
		"industrie -chemie", "Wasserstoff -Produktion", "Sachsen", "Leipzig", "Baden-Württemberg", "Energie",
		"industire", "hochrein", "chemi", "werkstatt ergebnisse", "Fachkräfte oder Ausbildung dialog",
		`"Akzeptanz der Industrie"`, "bündnis zukunft", "Kreislaufwirtschaft", "nichtsdergleichen"}
	nonEmpty := 0
	for _, text := range queries {
		for g := range searchGroups {
			// The overview (five of every group) and the second page of one.
			for _, page := range []struct{ limit, offset int }{{5, 0}, {20, 20}} {
				q := SearchQuery{Text: text}
				for i := range q.Limits {
					q.Limits[i] = page.limit
					if page.offset > 0 && i != int(g) {
						q.Limits[i] = 0
					}
				}
				q.Offsets[g] = page.offset
				got, err := s.Search(ctx, q)
				if err != nil {
					t.Fatalf("%q: %v", text, err)
				}
				count, ids := referenceSearch(t, ctx, s, text, SearchGroup(g), q.Limits[g], page.offset)
				gotIDs := []int64{}
				for _, h := range got.Hits[g] {
					gotIDs = append(gotIDs, h.ID)
				}
				if got.Counts[g] != count || !slices.Equal(gotIDs, ids) {
					t.Errorf("%q, group %d, offset %d: %d hits %v; the plain query: %d hits %v",
						text, g, page.offset, got.Counts[g], gotIDs, count, ids)
				}
				if count > 0 {
					nonEmpty++
				}
			}
		}
	}
	if nonEmpty < 3*len(queries) {
		t.Errorf("only %d non-empty comparisons: the seeded set does not test much", nonEmpty)
	}
}

// referenceSearch is the plain query of one group: the full-text queries
// inline (buildTSQueries), every hit ranked, the page cut by LIMIT.
func referenceSearch(t *testing.T, ctx context.Context, s *Store, text string, g SearchGroup, limit, offset int) (int, []int64) {
	t.Helper()
	b := newSearchSQL(text)
	if b.ts.Find == "" {
		return 0, []int64{}
	}
	from := map[SearchGroup]string{
		GroupInitiatives: `initiatives x WHERE x.status = 'published'`,
		GroupEvents:      `events x WHERE x.status <> 'draft'`,
		GroupWorkshops:   `workshops x JOIN events e ON e.id = x.event_id WHERE e.status <> 'draft'`,
		GroupReports: `reports x JOIN events e ON e.id = x.event_id
			WHERE x.status = 'published' AND e.status <> 'draft'`,
	}[g]
	stmt := fmt.Sprintf(`SELECT x.id, count(*) OVER () FROM %s AND x.search @@ (%s)
		ORDER BY ts_rank(x.search, %s) + CASE WHEN x.search @@ (%s) THEN 2 WHEN x.search @@ (%s) THEN 1 ELSE 0.5 END DESC,
			x.id DESC`, from, b.ts.Match, b.ts.Prefix, b.ts.Exact, b.ts.Prefix)
	var count int
	ids := []int64{}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL pg_trgm.word_similarity_threshold = 0.5`); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, stmt, b.args...)
		i := 0
		var id int64
		_, err := pgx.ForEachRow(rows, []any{&id, &count}, func() error {
			if i >= offset && i < offset+limit {
				ids = append(ids, id)
			}
			i++
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatalf("%q: the plain query: %v", text, err)
	}
	return count, ids
}

// TestSearchTypoPathUsesTheTrigramIndex: with the search's settings (the
// generic plans) the similar title words of a typed word come from the
// trigram index of search_words, never from reading all of its words
// (which a custom plan chooses: it rates the index dearer).
func TestSearchTypoPathUsesTheTrigramIndex(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	s := New(pool)
	if err := s.InsertSyntheticInitiatives(ctx, 200, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	b := newSearchSQL("chmie industire")
	var plan []string
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{BeginQuery: searchBegin}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, searchSettings); err != nil {
			return err
		}
		// Prepared, as pgx prepares it: the plan is the generic one.
		types := strings.Repeat("text, ", len(b.args))
		if _, err := tx.Exec(ctx, `PREPARE terms(`+types[:len(types)-2]+`) AS SELECT `+b.ts.Find); err != nil {
			return err
		}
		params := strings.Repeat("$q$chmie$q$, ", len(b.args))
		rows, _ := tx.Query(ctx, `EXPLAIN EXECUTE terms(`+params[:len(params)-2]+`)`)
		var err error
		plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	index, seq := 0, 0
	for _, line := range plan {
		if strings.Contains(line, "search_words_trgm_idx") {
			index++
		}
		if strings.Contains(line, "Seq Scan") || strings.Contains(line, "search_words_pkey") {
			seq++
		}
	}
	if index != 2 || seq != 0 {
		t.Errorf("the similar words of two typed words: %d trigram index scans, %d reading every word, want 2 and 0:\n%s",
			index, seq, strings.Join(plan, "\n"))
	}
}

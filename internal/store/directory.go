package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"rii/internal/search"
)

// DirectorySort orders the public directory.
type DirectorySort int

// The orders of the directory; every one ends on the id, so paging is stable.
const (
	SortName      DirectorySort = iota // A–Z in German order
	SortNewest                         // most recently published first
	SortUpdated                        // most recently changed first
	SortRelevance                      // best match of the search terms first; SortName without terms
)

// DirectoryFilter selects published initiatives for the directory and its
// open data. Within a facet the values are alternatives (OR); the facets and
// the search terms narrow each other (AND). A facet whose values name
// nothing known (a former district counts as unknown) is ignored, so a
// stale or mistyped link still shows a list.
type DirectoryFilter struct {
	Terms     search.Query // from SearchTerms
	States    []string     // two-digit codes
	Districts []string     // AGS
	Topics    []string     // slugs
	Sectors   []string     // slugs
	Sort      DirectorySort
	Limit     int // 0: no limit
	Offset    int
	version   int64 // the content version, set by directoryTx
	// ts holds the full-text queries of Terms (buildTSQueries) as text,
	// made once per request by directoryTx; nil when nothing is to match.
	ts *dirTSQueries
}

// dirTSQueries are a filter's full-text queries, computed: what a row
// must match and what ranks it ("" when only excluded terms were typed).
type dirTSQueries struct {
	Match, Find string
}

// DirectoryEntry is one initiative in the result list.
type DirectoryEntry struct {
	ID               int64    `db:"id"`
	Slug             string   `db:"slug"`
	Name             string   `db:"name"`
	ShortDescription string   `db:"short_description"`
	States           []string `db:"states"` // names, German order
	Topics           []string `db:"topics"` // names, vocabulary order
}

// FacetValue is one choice of a facet and how many initiatives it leads to.
type FacetValue struct {
	Facet  string `db:"facet"`  // land, kreis, thema, branche
	Key    string `db:"key"`    // code, AGS or slug
	Name   string `db:"name"`   // display name
	Parent string `db:"parent"` // the Land of a district
	Pos    int    `db:"pos"`
	// Count applies every filter except this facet's own (standard faceting).
	Count int `db:"n"`
	// MapCount applies every filter except the regional ones: what the map
	// shades, so it always shows where else initiatives are.
	MapCount int `db:"map_n"`
}

// DirectoryPage is one page of the directory with its facets.
type DirectoryPage struct {
	Entries []DirectoryEntry
	Total   int
	// States (16) and Districts (all current ones), by name in German
	// order, carry map counts too; Topics and Sectors list the whole
	// vocabulary in its order.
	States, Districts, Topics, Sectors []FacetValue
}

// SearchTerms parses what a visitor typed (search.Parse): the one parser
// of the directory and the portal-wide search.
func SearchTerms(q string) search.Query {
	return search.Parse(q)
}

// dirSQL holds the parameters and predicates of one directory query.
type dirSQL struct {
	args  []any
	match string            // the search terms, AND-ed
	rank  string            // relevance of a row, higher is better
	facet map[string]string // predicate per facet; "true" without a filter
}

func (q *dirSQL) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// initiativeStates is the names of the Länder an initiative (alias i) works
// in, German order: the directory, the search and the topic pages show them.
const initiativeStates = `ARRAY(SELECT s.name FROM states s WHERE s.code IN (SELECT d.state_code
	FROM initiative_districts x JOIN districts d ON d.ags = x.ags WHERE x.initiative_id = i.id)
	ORDER BY s.name COLLATE "de-DE-x-icu")`

// buildDirSQL turns a filter into SQL fragments over initiatives i. Values
// are always parameters. The search terms match through the full-text
// index (buildTSQueries): each word as a prefix or, for typos, as one of
// the similar words of the titles (termQuery).
func buildDirSQL(f DirectoryFilter) *dirSQL {
	q := &dirSQL{match: "true", rank: "0", facet: map[string]string{}}
	if f.ts != nil {
		// Already made by directoryTx: the similar words are looked up
		// once. One parameter for both, which the match always uses: a
		// parameter no statement uses has no type.
		p := q.arg([]string{f.ts.Match, f.ts.Find})
		q.match = `i.search @@ (` + p + `::text[])[1]::tsquery`
		if f.ts.Find != "" {
			q.rank = `ts_rank(i.search, (` + p + `::text[])[2]::tsquery)`
		}
	} else if ts := buildTSQueries(f.Terms, q.arg); ts.Match != "" {
		q.match = `i.search @@ (` + ts.Match + `)`
		if ts.Find != "" {
			q.rank = `ts_rank(i.search, ` + ts.Find + `)`
		}
	}
	// Each predicate: the initiative has one of the keys (directoryTx has
	// dropped the unknown values), from its facet_keys kept by triggers:
	// a Land's code, a district's AGS, 1,000,000 + a topic's number and
	// 2,000,000 + a sector's number, as integers.
	in := func(name string, values []string, keys string) {
		q.facet[name] = "true"
		if len(values) > 0 {
			q.facet[name] = `i.facet_keys && ` + strings.ReplaceAll(keys, "$v", q.arg(values))
		}
	}
	in("land", f.States, `$v::int[]`)
	in("kreis", f.Districts, `$v::int[]`)
	in("thema", f.Topics, `ARRAY(SELECT 1000000 + num FROM topics WHERE slug = ANY($v::text[]))`)
	in("branche", f.Sectors, `ARRAY(SELECT 2000000 + num FROM sectors WHERE slug = ANY($v::text[]))`)
	return q
}

// termQuery is the full-text query of one search term (parameter p): the
// term as a prefix, or one of the words of titles similar to it (trigram
// word similarity at the threshold directoryTx sets; the sixteen most
// similar). The similar words come from the small search_words table and
// its trigram index, so a typo never costs a similarity per row.
func termQuery(p string) string {
	return `(SELECT to_tsquery('german', string_agg(w, ' | ')) FROM (
		SELECT ` + quotedPrefix(p) + ` AS w
		UNION ALL (SELECT '''' || word || '''' FROM search_words WHERE rii_unaccent(lower(` + p + `)) <% word
			ORDER BY word_similarity(rii_unaccent(lower(` + p + `)), word) DESC, word LIMIT 16)) t)`
}

// where is the full condition: published, matching, every facet.
func (q *dirSQL) where() string {
	return `i.status = 'published' AND ` + q.match + ` AND ` + q.facet["land"] + ` AND ` + q.facet["kreis"] +
		` AND ` + q.facet["thema"] + ` AND ` + q.facet["branche"]
}

// orderBy is the whitelisted ORDER BY of a sort.
func (q *dirSQL) orderBy(sort DirectorySort, terms bool) string {
	switch {
	case sort == SortNewest:
		return `i.published_at DESC, i.id DESC`
	case sort == SortUpdated:
		return `i.updated_at DESC, i.id DESC`
	case sort == SortRelevance && terms:
		return `(` + q.rank + `) DESC, i.name COLLATE "de-DE-x-icu", i.id`
	}
	return `i.name COLLATE "de-DE-x-icu", i.id`
}

// directoryTx runs fn in a read-only transaction, with the filter's
// values reduced to the known ones (a facet left with none is no filter),
// and a trigram threshold of 0.5: the default 0.6 misses "Hochrein" for
// "Hochrhein" (0.58), and with the threshold <% can use the trigram index
// of search_words (termQuery). Parallel workers are off: starting
// them costs more than these scans take. Plans are made for the values at
// hand: a generic plan of a prepared statement (which PostgreSQL switches
// to after five runs) cannot use the trigram index and costs ten times as
// much for a search. One statement besides fn's; it
// reads only, so it runs on the pool even when s is bound to a
// transaction.
func (s *Store) directoryTx(ctx context.Context, f DirectoryFilter, fn func(tx *Store, f DirectoryFilter) error) error {
	valid := func(values []string) []string {
		return slices.DeleteFunc(slices.Clone(values), func(v string) bool { return !utf8.ValidString(v) })
	}
	args := []any{valid(f.States), valid(f.Districts), valid(f.Topics), valid(f.Sectors)}
	ts := buildTSQueries(f.Terms, func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	})
	match, find := "''", "''"
	if ts.Match != "" {
		// NULL (a word of no lexeme) and the empty query both match nothing.
		match, f.ts = `coalesce((`+ts.Match+`)::text, '')`, &dirTSQueries{}
	}
	if ts.Find != "" {
		find = `coalesce((` + ts.Find + `)::text, '')`
	}
	// Without excluded words the match is the find: its similar words
	// (a trigram scan of search_words per word) are looked up once.
	same := len(f.Terms.Not) == 0 && ts.Find != ""
	if same {
		match = "''"
	}
	var got dirTSQueries
	// Repeatable read: every statement sees the snapshot of the content
	// version read first, which the directory index must match.
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT set_config('pg_trgm.word_similarity_threshold', '0.5', true),
				set_config('max_parallel_workers_per_gather', '0', true),
				set_config('plan_cache_mode', 'force_custom_plan', true),
				ARRAY(SELECT code::text FROM states WHERE code = ANY($1::bpchar[]) ORDER BY code),
				ARRAY(SELECT ags::text FROM districts WHERE ags = ANY($2::bpchar[]) AND valid_until IS NULL ORDER BY ags),
				ARRAY(SELECT slug FROM topics WHERE slug = ANY($3::text[]) ORDER BY slug),
				ARRAY(SELECT slug FROM sectors WHERE slug = ANY($4::text[]) ORDER BY slug),
				(SELECT version FROM content_version), `+match+`, `+find, args...).
			Scan(nil, nil, nil, &f.States, &f.Districts, &f.Topics, &f.Sectors, &f.version, &got.Match, &got.Find)
		if err != nil {
			return err
		}
		if same {
			got.Match = got.Find
		}
		if f.ts != nil {
			*f.ts = got
		}
		return fn(&Store{pool: s.pool, db: tx, idx: s.idx}, f)
	})
}

// Directory returns one page of published initiatives matching f, the
// total, and the facets with their counts, in a fixed number of statements
// whatever the number of initiatives: the ids matching the search terms
// (none without terms), then the page's columns; filtering, counting and
// ordering happen on the directory index (directory_index.go).
func (s *Store) Directory(ctx context.Context, f DirectoryFilter) (*DirectoryPage, error) {
	page := &DirectoryPage{}
	err := s.directoryTx(ctx, f, func(tx *Store, f DirectoryFilter) error {
		idx, err := s.dirIndex(ctx, tx, f.version)
		if err != nil {
			return err
		}
		var candidates []int32 // nil: every published initiative
		var ranks []float64    // nil: not known yet
		if f.ts != nil {
			var ok bool
			if candidates, ok = idx.match(f.ts.Match); !ok {
				if candidates, ranks, err = tx.matches(ctx, idx, f); err != nil {
					return err
				}
			}
		}
		hits := idx.tally(f, candidates, ranks, page)
		if f.Sort == SortRelevance && !f.Terms.Empty() && ranks == nil {
			if err := tx.rank(ctx, idx, f, hits); err != nil {
				return err
			}
		}
		idx.order(hits, f.Sort, !f.Terms.Empty())
		page.Entries, err = tx.entries(ctx, idx, pageOf(hits, f.Limit, f.Offset))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: directory: %w", err)
	}
	return page, nil
}

// OpenData returns every published initiative matching f (its terms,
// facets and sort; no paging) with its public fields, for the CSV and JSON
// downloads. One statement.
func (s *Store) OpenData(ctx context.Context, f DirectoryFilter) ([]InitiativeDetail, error) {
	var list []InitiativeDetail
	err := s.directoryTx(ctx, f, func(tx *Store, f DirectoryFilter) error {
		q := buildDirSQL(f)
		rows, _ := tx.db.Query(ctx, `SELECT `+detailColumns+` FROM initiatives i WHERE `+q.where()+
			` ORDER BY `+q.orderBy(f.Sort, !f.Terms.Empty()), q.args...)
		var err error
		list, err = pgx.CollectRows(rows, pgx.RowToStructByName[InitiativeDetail])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: open data: %w", err)
	}
	return list, nil
}

// PublishedCount is the number of published initiatives.
func (s *Store) PublishedCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM initiatives WHERE status = 'published'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: published count: %w", err)
	}
	return n, nil
}

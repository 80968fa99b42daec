package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/search"
)

// SearchGroup is a kind of thing the portal-wide search finds.
type SearchGroup int

// The groups, in display order.
const (
	GroupInitiatives SearchGroup = iota
	GroupEvents
	GroupWorkshops
	GroupReports
	searchGroups // how many
)

// SearchQuery is one search across initiatives, events, workshops and
// reports. Text is what the visitor typed (valid UTF-8, no control
// characters), in the syntax search.Parse reads: "phrases",
// -exclusions, "oder"; without a word to find there are no hits. Limits and
// Offsets page each group; a limit of 0 leaves a group's hits out, its
// count is always there.
type SearchQuery struct {
	Text    string
	Limits  [searchGroups]int
	Offsets [searchGroups]int
}

// Span is a piece of an excerpt; Mark is set on the words that match.
type Span struct {
	Text string
	Mark bool
}

// SearchHit is one result. Only public facts are read: no contact, no
// online link.
type SearchHit struct {
	Group SearchGroup
	ID    int64
	Title string
	// Slug is the initiative's, or the event's for events, workshops and reports.
	Slug string
	// EventTitle names the event of a workshop or report.
	EventTitle string
	// At is the event's (or the workshop's event's) start, a report's
	// publication; nil for initiatives.
	At *time.Time
	// Kind is the event's kind slug (events, workshops); Status the event's status.
	Kind, Status string
	// States are the Länder of an initiative, German order.
	States  []string
	Excerpt []Span
}

// SearchResult holds the hits per group and how many there are in all.
type SearchResult struct {
	Counts [searchGroups]int
	Hits   [searchGroups][]SearchHit
}

// Total is the number of hits in every group together.
func (r *SearchResult) Total() int {
	n := 0
	for _, c := range r.Counts {
		n += c
	}
	return n
}

// searchRow is a row of the search statement: a group's count (ID 0) or a hit.
type searchRow struct {
	Grp        int        `db:"grp"`
	Pos        int64      `db:"pos"`
	Total      int        `db:"total"`
	ID         int64      `db:"id"`
	Title      string     `db:"title"`
	Slug       string     `db:"slug"`
	EventTitle string     `db:"event_title"`
	At         *time.Time `db:"at"`
	Kind       string     `db:"kind"`
	Status     string     `db:"status"`
	Text       string     `db:"text"` // the text the excerpt is cut from
}

// Search runs q over everything public: published initiatives, events that
// are not drafts, their workshops, and published reports of such events.
// It matches the German full text of the search columns, each word as a
// prefix too, and, for typos, words similar to a title (trigram word
// similarity ≥ 0.5, as the directory: buildTSQueries). Two round trips
// whatever the number of hits (searchTx): the full-text queries, then the
// rows of the pages found in memory (search_index.go) or, for a phrase,
// the search in PostgreSQL.
func (s *Store) Search(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	res := &SearchResult{}
	b := newSearchSQL(q.Text)
	if b.ts.Find == "" {
		return res, nil
	}
	var dir *dirIndex
	var terms []excerptTerm // the words the excerpts mark
	plan := func(tx *Store, ts searchTS) (string, []any, error) {
		idx, err := s.idx.search.get(ts.version, func() (*searchIndex, error) { return loadSearchIndex(ctx, tx.db) })
		if err != nil {
			return "", nil, err
		}
		// The Länder of the initiatives found come from the directory's index.
		if dir, err = s.dirIndex(ctx, tx, ts.version); err != nil {
			return "", nil, err
		}
		terms = excerptTerms(ts.F)
		counts, pages, ok := idx.pages(q, ts)
		if !ok {
			stmt, args := searchStatement(q, ts)
			return stmt, args, nil
		}
		res.Counts = counts
		stmt, args := searchPageStatement(pages)
		return stmt, args, nil
	}
	read := func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, pgx.RowToStructByName[searchRow])
		for _, r := range list {
			g := SearchGroup(r.Grp)
			if r.ID == 0 {
				res.Counts[g] = r.Total
				continue
			}
			if g == GroupWorkshops || g == GroupReports {
				r.Text = plainMarkdown(r.Text)
			}
			h := SearchHit{Group: g, ID: r.ID, Title: r.Title, Slug: r.Slug, EventTitle: r.EventTitle, At: r.At,
				Kind: r.Kind, Status: r.Status, Excerpt: excerpt(r.Text, terms)}
			if g == GroupInitiatives {
				h.States = dir.namesOf(r.ID, facetLand)
			}
			res.Hits[g] = append(res.Hits[g], h)
		}
		return err
	}
	if err := s.searchTx(ctx, b, plan, read); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return res, nil
}

// searchTS are the full-text queries of one search as tsquery texts: m
// what must match, f the words found (as beginnings or similar title
// words), p the words as beginnings, e the words exactly; and the content
// version of the transaction's snapshot.
type searchTS struct {
	M, F, P, E string
	version    int64
}

// The search's transaction is read-only and repeatable read, so that
// every statement sees the content version read first, which the search
// index must match. Its settings: the directory's trigram threshold; no
// parallel workers; and generic plans. The search statement's text is the
// same for every query, so each connection plans it once (a plan per
// request cost 1.5 ms at 10,000 initiatives). And the similar title words
// come from the trigram index of search_words: a custom plan, seeing the
// word, rates reading all the words cheaper, which costs ten times as much
// (1 ms a word).
const (
	searchBegin    = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`
	searchSettings = `SELECT set_config('pg_trgm.word_similarity_threshold', '0.5', true),
		set_config('max_parallel_workers_per_gather', '0', true), set_config('plan_cache_mode', 'force_generic_plan', true)`
)

// searchTx runs the search's transaction on one connection in two round
// trips: the BEGIN, the settings and the statement that computes the
// full-text queries once (the similar title words of each word are looked
// up once, and the search statement gets the queries as parameters:
// planning the subqueries that make them cost more than the search
// itself); then plan's statement, whose rows read reads, and the COMMIT.
// Only when the content has changed does plan read anything in between.
func (s *Store) searchTx(ctx context.Context, b *searchSQL, plan func(tx *Store, ts searchTS) (string, []any, error),
	read func(pgx.Rows) error) (err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	defer func() {
		if err != nil { // a connection left in a transaction is closed on release
			conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
		}
	}()
	var ts searchTS
	batch := &pgx.Batch{}
	batch.Queue(searchBegin)
	batch.Queue(searchSettings)
	batch.Queue(`
		WITH t AS MATERIALIZED (SELECT `+b.ts.Find+` AS f)
		SELECT (`+b.ts.exclude("t.f")+`)::text, t.f::text, (`+b.ts.Prefix+`)::text, (`+b.ts.Exact+`)::text,
			(SELECT version FROM content_version)
		FROM t`, b.args...).QueryRow(func(row pgx.Row) error {
		return row.Scan(&ts.M, &ts.F, &ts.P, &ts.E, &ts.version)
	})
	if err := conn.SendBatch(ctx, batch).Close(); err != nil {
		return err
	}
	stmt, args, err := plan(&Store{pool: s.pool, db: conn, idx: s.idx}, ts)
	if err != nil {
		return err
	}
	batch = &pgx.Batch{}
	batch.Queue(stmt, args...).Query(read)
	batch.Queue(`COMMIT`)
	return conn.SendBatch(ctx, batch).Close()
}

// searchSources are the rows of each group (alias x): published
// initiatives, events that are not drafts, their workshops, and their
// published reports.
var searchSources = [searchGroups]string{
	GroupInitiatives: `initiatives x WHERE x.status = 'published'`,
	GroupEvents:      `events x WHERE x.status <> 'draft'`,
	GroupWorkshops:   `workshops x JOIN events e ON e.id = x.event_id WHERE e.status <> 'draft'`,
	GroupReports:     `reports x JOIN events e ON e.id = x.event_id WHERE x.status = 'published' AND e.status <> 'draft'`,
}

// searchArgs numbers a statement's parameters.
type searchArgs []any

func (a *searchArgs) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// searchStatement is the search in PostgreSQL, for what the search index
// cannot evaluate (phrases): a CTE per group with the ids and ranks of its
// hits, then a count row per group (id 0) and the hits of the page asked
// for, best first (equal ranks: newest row first).
func searchStatement(q SearchQuery, ts searchTS) (string, []any) {
	var args searchArgs
	m, p, e := args.add(ts.M)+`::tsquery`, args.add(ts.P)+`::tsquery`, args.add(ts.E)+`::tsquery`
	// rank orders the hits: the full-text rank (the title weighs most) of
	// the words as beginnings; hits of the words as typed first, then those
	// found by word beginnings, then those found only by words similar to a
	// title word. (Ranking by f, with its similar words, costs twice as much.)
	rank := `(ts_rank(x.search, ` + p + `) + CASE WHEN x.search @@ ` + e + ` THEN 2 ` +
		`WHEN x.search @@ ` + p + ` THEN 1 ELSE 0.5 END)`
	var ctes, counts, pages []string
	for g, name := range []string{"ini", "ev", "ws", "rep"} {
		ctes = append(ctes, name+` AS MATERIALIZED (SELECT x.id, `+rank+` AS rank FROM `+searchSources[g]+
			` AND x.search @@ `+m+`)`)
		counts = append(counts, fmt.Sprintf(`SELECT %d AS grp, 0::bigint AS pos, (SELECT count(*) FROM %s)::int AS total, `+
			`0::bigint AS id, '' AS title, '' AS slug, '' AS event_title, NULL::timestamptz AS at, '' AS kind, `+
			`'' AS status, '' AS text`, g, name))
		pages = append(pages, `(SELECT id, row_number() OVER (ORDER BY rank DESC, id DESC) AS pos FROM (
			SELECT id, rank FROM `+name+` ORDER BY rank DESC, id DESC
			LIMIT `+args.add(max(q.Limits[g], 0))+` OFFSET `+args.add(max(q.Offsets[g], 0))+`) p) h`)
	}
	return `WITH ` + strings.Join(ctes, `, `) + `
		` + strings.Join(counts, ` UNION ALL `) + ` UNION ALL ` + searchPages(pages) + `
		ORDER BY grp, pos`, args
}

// searchPages selects the hits of every group's page: pages are the
// groups' sources h of ids with their positions (id, pos). Workshops and
// reports give their texts in Markdown.
func searchPages(pages []string) string {
	return `SELECT 0 AS grp, h.pos, 0 AS total, i.id, i.name AS title, i.slug, '' AS event_title, NULL AS at,
			'' AS kind, '' AS status, i.short_description || E'\n' || i.description AS text
			FROM ` + pages[GroupInitiatives] + ` JOIN initiatives i USING (id)
		UNION ALL SELECT 1, h.pos, 0, e.id, e.title, e.slug, '', e.starts_at, e.kind, e.status,
			e.summary || E'\n' || e.description
			FROM ` + pages[GroupEvents] + ` JOIN events e USING (id)
		UNION ALL SELECT 2, h.pos, 0, w.id, w.title, e.slug, e.title, e.starts_at, e.kind, e.status,
			w.description || E'\n' || w.results
			FROM ` + pages[GroupWorkshops] + ` JOIN workshops w USING (id) JOIN events e ON e.id = w.event_id
		UNION ALL SELECT 3, h.pos, 0, r.id, r.title, e.slug, e.title, r.published_at, e.kind, e.status,
			r.subtitle || E'\n' || r.body
			FROM ` + pages[GroupReports] + ` JOIN reports r USING (id) JOIN events e ON e.id = r.event_id`
}

// searchSQL builds the full-text queries of one search (searchTx makes
// them); values are always parameters.
type searchSQL struct {
	args searchArgs
	ts   tsQueries
}

// newSearchSQL parses the query (search.Parse, as the directory).
func newSearchSQL(text string) *searchSQL {
	b := &searchSQL{}
	b.ts = buildTSQueries(search.Parse(text), b.args.add)
	return b
}

// prefix is the query of one word as a prefix.
func prefix(p string) string {
	return `to_tsquery('german', ` + quotedPrefix(p) + `)`
}

// quotedPrefix is the word p as a quoted prefix lexeme. Quoted: unaccent
// turns some letters into punctuation (ː into :), which to_tsquery would
// otherwise read as syntax.
func quotedPrefix(p string) string {
	return `'''' || replace(replace(rii_unaccent(` + p + `), '\', '\\'), '''', '''''') || ''':*'`
}

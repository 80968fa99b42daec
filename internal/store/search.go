package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	States     []string   `db:"states"`
	Headline   string     `db:"headline"`
}

// Search runs q over everything public: published initiatives, events that
// are not drafts, their workshops, and published reports of such events.
// It matches the German full text of the search columns, each word as a
// prefix too, and, for typos, words similar to a title (trigram word
// similarity ≥ 0.5, as the directory: buildTSQueries). Two statements
// after the BEGIN that carries the settings, whatever the number of hits:
// the full-text queries, then the search with them as parameters
// (searchTx).
func (s *Store) Search(ctx context.Context, q SearchQuery) (*SearchResult, error) {
	res := &SearchResult{}
	start, stop, err := highlightMarkers()
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	b := newSearchSQL(q.Text)
	if b.ts.Find == "" {
		return res, nil
	}
	err = s.searchTx(ctx, b, func(tx pgx.Tx, ts searchTS) error {
		stmt, args := searchStatement(q, ts, start, stop)
		rows, _ := tx.Query(ctx, stmt, args...)
		list, err := pgx.CollectRows(rows, pgx.RowToStructByName[searchRow])
		if err != nil {
			return err
		}
		for _, r := range list {
			g := SearchGroup(r.Grp)
			if r.ID == 0 {
				res.Counts[g] = r.Total
				continue
			}
			res.Hits[g] = append(res.Hits[g], SearchHit{Group: g, ID: r.ID, Title: r.Title, Slug: r.Slug,
				EventTitle: r.EventTitle, At: r.At, Kind: r.Kind, Status: r.Status, States: r.States,
				Excerpt: splitHighlight(r.Headline, start, stop)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return res, nil
}

// searchTS are the full-text queries of one search as tsquery texts: m
// what must match, f the words found (as beginnings or similar title
// words), p the words as beginnings, e the words exactly.
type searchTS struct {
	M, F, P, E string
}

// searchBegin starts the search's transaction, read-only, with its settings,
// in one round trip (without arguments pgx sends it as a simple query):
// the directory's trigram threshold; no parallel workers; and generic
// plans. The search statement's text is the same for every query and its
// plan always the full-text indexes, so each connection plans it once (a
// plan per request cost 1.5 ms at 10,000 initiatives). And the similar
// title words come from the trigram index of search_words: a custom plan,
// seeing the word, rates reading all the words cheaper, which costs ten
// times as much (1 ms a word).
const searchBegin = `BEGIN READ ONLY;
	SET LOCAL pg_trgm.word_similarity_threshold = 0.5;
	SET LOCAL max_parallel_workers_per_gather = 0;
	SET LOCAL plan_cache_mode = force_generic_plan`

// searchTx runs fn in a transaction begun with searchBegin whose first
// statement computes the full-text queries once: the similar title words
// of each word are looked up once, and the search statement gets the
// queries as parameters (planning the subqueries that make them cost more
// than the search itself).
func (s *Store) searchTx(ctx context.Context, b *searchSQL, fn func(tx pgx.Tx, ts searchTS) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{BeginQuery: searchBegin}, func(tx pgx.Tx) error {
		var ts searchTS
		err := tx.QueryRow(ctx, `
			WITH t AS MATERIALIZED (SELECT `+b.ts.Find+` AS f)
			SELECT (`+b.ts.exclude("t.f")+`)::text, t.f::text, (`+b.ts.Prefix+`)::text, (`+b.ts.Exact+`)::text
			FROM t`, b.args...).Scan(&ts.M, &ts.F, &ts.P, &ts.E)
		if err != nil {
			return err
		}
		return fn(tx, ts)
	})
}

// searchStatement is the search: a CTE per group with the ids and ranks of
// its hits, then a count row per group (id 0) and the hits of the page
// asked for, best first (equal ranks: newest row first), the excerpts made
// only for those.
func searchStatement(q SearchQuery, ts searchTS, start, stop string) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	m, f, p, e := arg(ts.M)+`::tsquery`, arg(ts.F)+`::tsquery`, arg(ts.P)+`::tsquery`, arg(ts.E)+`::tsquery`
	opts := arg(`StartSel=` + start + `, StopSel=` + stop +
		`, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`)
	// rank orders the hits: the full-text rank (the title weighs most) of
	// the words as beginnings; hits of the words as typed first, then those
	// found by word beginnings, then those found only by words similar to a
	// title word. (Ranking by f, with its similar words, costs twice as much.)
	rank := func(search string) string {
		return `(ts_rank(` + search + `, ` + p + `) + CASE WHEN ` + search + ` @@ ` + e + ` THEN 2 ` +
			`WHEN ` + search + ` @@ ` + p + ` THEN 1 ELSE 0.5 END)`
	}
	// Markdown markup is blanked out of texts before the excerpt is made.
	plain := func(md string) string {
		return `regexp_replace(regexp_replace(` + md + `, '\]\([^)]*\)', ' ', 'g'), '[#*_>|\[\]` + "`" + `~]+', ' ', 'g')`
	}
	headline := func(text string) string { return `ts_headline('german', ` + text + `, ` + f + `, ` + opts + `)` }
	page := func(g SearchGroup) (string, string) {
		return arg(max(q.Limits[g], 0)), arg(max(q.Offsets[g], 0))
	}
	li, oi := page(GroupInitiatives)
	le, oe := page(GroupEvents)
	lw, ow := page(GroupWorkshops)
	lr, or2 := page(GroupReports)
	return `
		WITH ini AS MATERIALIZED (
			SELECT i.id, ` + rank("i.search") + ` AS rank FROM initiatives i
			WHERE i.status = 'published' AND i.search @@ ` + m + `
		), ev AS MATERIALIZED (
			SELECT e.id, ` + rank("e.search") + ` AS rank FROM events e
			WHERE e.status <> 'draft' AND e.search @@ ` + m + `
		), ws AS MATERIALIZED (
			SELECT w.id, ` + rank("w.search") + ` AS rank FROM workshops w JOIN events e ON e.id = w.event_id
			WHERE e.status <> 'draft' AND w.search @@ ` + m + `
		), rep AS MATERIALIZED (
			SELECT r.id, ` + rank("r.search") + ` AS rank FROM reports r JOIN events e ON e.id = r.event_id
			WHERE r.status = 'published' AND e.status <> 'draft' AND r.search @@ ` + m + `
		)
		SELECT 0 AS grp, 0::bigint AS pos, (SELECT count(*) FROM ini)::int AS total, 0::bigint AS id, '' AS title,
			'' AS slug, '' AS event_title, NULL::timestamptz AS at, '' AS kind, '' AS status, NULL::text[] AS states,
			'' AS headline
		UNION ALL SELECT 1, 0, (SELECT count(*) FROM ev)::int, 0, '', '', '', NULL, '', '', NULL, ''
		UNION ALL SELECT 2, 0, (SELECT count(*) FROM ws)::int, 0, '', '', '', NULL, '', '', NULL, ''
		UNION ALL SELECT 3, 0, (SELECT count(*) FROM rep)::int, 0, '', '', '', NULL, '', '', NULL, ''
		UNION ALL SELECT 0, row_number() OVER (ORDER BY h.rank DESC, h.id DESC), 0,
			i.id, i.name, i.slug, '', NULL, '', '',
			` + initiativeStates + `,
			` + headline(`i.short_description || E'\n' || i.description`) + `
			FROM (SELECT id, rank FROM ini ORDER BY rank DESC, id DESC LIMIT ` + li + ` OFFSET ` + oi + `) h
			JOIN initiatives i USING (id)
		UNION ALL SELECT 1, row_number() OVER (ORDER BY h.rank DESC, h.id DESC), 0,
			e.id, e.title, e.slug, '', e.starts_at, e.kind, e.status, NULL,
			` + headline(`e.summary || E'\n' || e.description`) + `
			FROM (SELECT id, rank FROM ev ORDER BY rank DESC, id DESC LIMIT ` + le + ` OFFSET ` + oe + `) h
			JOIN events e USING (id)
		UNION ALL SELECT 2, row_number() OVER (ORDER BY h.rank DESC, h.id DESC), 0,
			w.id, w.title, e.slug, e.title, e.starts_at, e.kind, e.status, NULL,
			` + headline(`w.description || E'\n' || `+plain("w.results")) + `
			FROM (SELECT id, rank FROM ws ORDER BY rank DESC, id DESC LIMIT ` + lw + ` OFFSET ` + ow + `) h
			JOIN workshops w USING (id) JOIN events e ON e.id = w.event_id
		UNION ALL SELECT 3, row_number() OVER (ORDER BY h.rank DESC, h.id DESC), 0,
			r.id, r.title, e.slug, e.title, r.published_at, e.kind, e.status, NULL,
			` + headline(`r.subtitle || E'\n' || `+plain("r.body")) + `
			FROM (SELECT id, rank FROM rep ORDER BY rank DESC, id DESC LIMIT ` + lr + ` OFFSET ` + or2 + `) h
			JOIN reports r USING (id) JOIN events e ON e.id = r.event_id
		ORDER BY grp, pos`, args
}

// highlightMarkers are fresh random strings ts_headline puts around the
// matching words. No stored text can contain them, so splitting on them
// finds exactly the matches; ts_headline's own output is never trusted as
// HTML.
func highlightMarkers() (start, stop string, err error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	m := "rii" + hex.EncodeToString(b)
	return m + "a", m + "z", nil
}

// collapseSpaces turns each run of white space (as \s: tab, newline,
// form feed, carriage return, space), which ts_headline keeps from the
// text, into one space, without the cost of a regular expression.
func collapseSpaces(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
	}), " ")
}

// splitHighlight cuts a headline at the markers into plain and marked
// spans, with white space collapsed.
func splitHighlight(s, start, stop string) []Span {
	var out []Span
	s = collapseSpaces(s)
	for s != "" {
		i := strings.Index(s, start)
		if i < 0 {
			out = append(out, Span{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Span{Text: s[:i]})
		}
		s = s[i+len(start):]
		j := strings.Index(s, stop)
		if j < 0 {
			j = len(s)
		}
		if j > 0 {
			out = append(out, Span{Text: s[:j], Mark: true})
		}
		s = strings.TrimPrefix(s[j:], stop)
	}
	return out
}

// searchSQL builds the full-text queries of one search (searchTx makes
// them); values are always parameters.
type searchSQL struct {
	args []any
	ts   tsQueries
}

// newSearchSQL parses the query (search.Parse, as the directory).
func newSearchSQL(text string) *searchSQL {
	b := &searchSQL{}
	b.ts = buildTSQueries(search.Parse(text), b.arg)
	return b
}

func (b *searchSQL) arg(v any) string {
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
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

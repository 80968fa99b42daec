package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// The directory filters, counts and orders its initiatives in memory, from
// a dirIndex of every published initiative's facet keys, sort positions
// and search lexemes as of one content version (migration 00010): counting
// the facets in SQL meant unnesting the keys of every matching row and
// grouping them, and matching a frequent word meant reading most rows,
// which at 10,000 initiatives cost tens of milliseconds. Now the terms are
// matched on the index's postings (directory_match.go), and PostgreSQL
// reads only the relevance of the hits that pass the facets and the
// columns of the one page shown. The index is read again, in the request's
// own snapshot, whenever the content version has moved, so it is never
// stale.

// facet positions in dirIndex.slotFacet and the filters.
const (
	facetLand = iota
	facetKreis
	facetThema
	facetBranche
	facetCount
)

// facetNames are the FacetValue.Facet of each position.
var facetNames = [facetCount]string{"land", "kreis", "thema", "branche"}

// dirIndex is the directory's view of the published initiatives at one
// content version, and the facet vocabularies.
type dirIndex struct {
	version int64
	rows    []dirRow
	byID    map[int64]int32 // id → position in rows
	// values are every facet value in display order (facet, position,
	// German name order); a value's slot is its position here.
	values    []FacetValue
	slotFacet []uint8
	slotByKey [facetCount]map[string]int32 // code, AGS or slug → slot
	// textIndex holds the lexemes of the initiatives' search vectors.
	textIndex
}

// dirRow is one published initiative.
type dirRow struct {
	id                 int64
	slots              []int32 // its facet values
	nameRank           int32   // position in German name order
	published, updated time.Time
}

// loadDirIndex reads the index in one statement: the facet values (rows
// with id 0) and the published initiatives with their keys.
func loadDirIndex(ctx context.Context, tx *Store, version int64) (*dirIndex, error) {
	type row struct {
		ID        int64      `db:"id"`
		Facet     int        `db:"facet"`
		Key       string     `db:"key"`
		Num       int32      `db:"num"`
		Name      string     `db:"name"`
		Parent    string     `db:"parent"`
		Pos       int        `db:"pos"`
		Keys      []int32    `db:"keys"`
		Published *time.Time `db:"published"`
		Updated   *time.Time `db:"updated"`
		Search    string     `db:"search"`
	}
	rows, _ := tx.db.Query(ctx, `SELECT * FROM (
		SELECT 0::bigint AS id, facet, key, num, name, parent, pos, NULL::int[] AS keys,
			NULL::timestamptz AS published, NULL::timestamptz AS updated, '' AS search
		FROM (
			SELECT 0 AS facet, s.code::text AS key, s.code::int AS num, s.name, '' AS parent, 0 AS pos FROM states s
			UNION ALL
			SELECT 1, d.ags::text, d.ags::int, d.display_name, d.state_code::text, 0
			FROM districts d WHERE d.valid_until IS NULL
			UNION ALL
			SELECT 2, t.slug, 1000000 + t.num, t.name, '', t.position FROM topics t
			UNION ALL
			SELECT 3, t.slug, 2000000 + t.num, t.name, '', t.position FROM sectors t
		) v
		UNION ALL
		SELECT i.id, -1, '', 0, '', '', row_number() OVER (ORDER BY i.name COLLATE "de-DE-x-icu", i.id) - 1,
			i.facet_keys, i.published_at, i.updated_at, i.search::text
		FROM initiatives i WHERE i.status = 'published'
		) u ORDER BY facet, pos, name COLLATE "de-DE-x-icu"`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, fmt.Errorf("directory index: %w", err)
	}
	idx := &dirIndex{version: version, byID: map[int64]int32{}}
	slotByNum := map[int32]int32{}
	for f := range idx.slotByKey {
		idx.slotByKey[f] = map[string]int32{}
	}
	for _, r := range list {
		if r.ID != 0 {
			continue
		}
		slot := int32(len(idx.values))
		idx.values = append(idx.values, FacetValue{Facet: facetNames[r.Facet], Key: r.Key, Name: r.Name, Parent: r.Parent, Pos: r.Pos})
		idx.slotFacet = append(idx.slotFacet, uint8(r.Facet))
		idx.slotByKey[r.Facet][r.Key] = slot
		slotByNum[r.Num] = slot
	}
	// The initiatives come first (facet -1), in German name order (pos).
	text := newTextIndexBuilder(false)
	for _, r := range list {
		if r.ID == 0 {
			continue
		}
		d := dirRow{id: r.ID, nameRank: int32(r.Pos)}
		for _, k := range r.Keys {
			if slot, ok := slotByNum[k]; ok {
				d.slots = append(d.slots, slot)
			}
		}
		if r.Published != nil {
			d.published = *r.Published
		}
		if r.Updated != nil {
			d.updated = *r.Updated
		}
		text.add(r.Search)
		idx.byID[r.ID] = int32(len(idx.rows))
		idx.rows = append(idx.rows, d)
	}
	idx.textIndex = text.build()
	return idx, nil
}

// dirHit is an initiative that passes the filters, with its rank.
type dirHit struct {
	row  int32
	rank float64
}

// tally counts the facets over candidates (positions in rows; nil: every
// published initiative) and returns the hits that pass every filter.
// Each value is counted with every filter but its own facet's (standard
// faceting); its map count without the regional filters.
func (idx *dirIndex) tally(f DirectoryFilter, candidates []int32, ranks []float64, page *DirectoryPage) []dirHit {
	var chosen []bool
	var filtered [facetCount]bool
	choose := func(facet int, keys []string) {
		for _, k := range keys {
			if slot, ok := idx.slotByKey[facet][k]; ok {
				if chosen == nil {
					chosen = make([]bool, len(idx.values))
				}
				chosen[slot], filtered[facet] = true, true
			}
		}
	}
	choose(facetLand, f.States)
	choose(facetKreis, f.Districts)
	choose(facetThema, f.Topics)
	choose(facetBranche, f.Sectors)

	counts := make([]int, len(idx.values))
	mapCounts := make([]int, len(idx.values))
	var hits []dirHit
	visit := func(pos int32, rank float64) {
		r := &idx.rows[pos]
		in := [facetCount]bool{!filtered[0], !filtered[1], !filtered[2], !filtered[3]}
		for _, s := range r.slots {
			if chosen != nil && chosen[s] {
				in[idx.slotFacet[s]] = true
			}
		}
		// A value counts where the row passes every other facet's
		// filter: all its values when it passes all, the values of the
		// one facet it fails when it fails one, none otherwise.
		missing, failed := 0, uint8(0)
		for g, ok := range in {
			if !ok {
				missing, failed = missing+1, uint8(g)
			}
		}
		onMap := in[facetThema] && in[facetBranche]
		for _, s := range r.slots {
			if missing == 0 || missing == 1 && idx.slotFacet[s] == failed {
				counts[s]++
			}
			if onMap {
				mapCounts[s]++
			}
		}
		if missing == 0 {
			hits = append(hits, dirHit{row: pos, rank: rank})
		}
	}
	if candidates == nil {
		for pos := range idx.rows {
			visit(int32(pos), 0)
		}
	} else {
		for i, pos := range candidates {
			rank := 0.0
			if ranks != nil {
				rank = ranks[i]
			}
			visit(pos, rank)
		}
	}
	page.Total = len(hits)
	for slot, v := range idx.values {
		v.Count = counts[slot]
		if idx.slotFacet[slot] <= facetKreis {
			v.MapCount = mapCounts[slot]
		}
		switch idx.slotFacet[slot] {
		case facetLand:
			page.States = append(page.States, v)
		case facetKreis:
			page.Districts = append(page.Districts, v)
		case facetThema:
			page.Topics = append(page.Topics, v)
		case facetBranche:
			page.Sectors = append(page.Sectors, v)
		}
	}
	return hits
}

// order sorts hits as the whitelisted orders of orderBy do.
func (idx *dirIndex) order(hits []dirHit, sort DirectorySort, terms bool) {
	byName := func(a, b dirHit) int { return cmp.Compare(idx.rows[a.row].nameRank, idx.rows[b.row].nameRank) }
	slices.SortFunc(hits, func(a, b dirHit) int {
		ra, rb := &idx.rows[a.row], &idx.rows[b.row]
		switch {
		case sort == SortNewest:
			return cmp.Or(rb.published.Compare(ra.published), cmp.Compare(rb.id, ra.id))
		case sort == SortUpdated:
			return cmp.Or(rb.updated.Compare(ra.updated), cmp.Compare(rb.id, ra.id))
		case sort == SortRelevance && terms:
			return cmp.Or(cmp.Compare(b.rank, a.rank), byName(a, b))
		}
		return byName(a, b)
	})
}

// matches returns the positions in idx.rows of the published initiatives
// matching the search terms and, with relevance, their ranks (0 for those
// a facet filter drops: they are never listed). One statement.
func (s *Store) matches(ctx context.Context, idx *dirIndex, f DirectoryFilter) ([]int32, []float64, error) {
	if f.Sort != SortRelevance {
		// Without ranks the facets are filtered in memory only.
		f.States, f.Districts, f.Topics, f.Sectors = nil, nil, nil, nil
	}
	q := buildDirSQL(f)
	rank := `NULL::float8`
	if f.Sort == SortRelevance {
		rank = `CASE WHEN ` + q.facet["land"] + ` AND ` + q.facet["kreis"] + ` AND ` + q.facet["thema"] + ` AND ` +
			q.facet["branche"] + ` THEN (` + q.rank + `)::float8 ELSE 0 END`
	}
	var ids []int64
	var ranks []*float64
	err := s.db.QueryRow(ctx, `SELECT coalesce(array_agg(i.id), '{}'), coalesce(array_agg(`+rank+`), '{}')
		FROM initiatives i WHERE i.status = 'published' AND `+q.match, q.args...).Scan(&ids, &ranks)
	if err != nil {
		return nil, nil, fmt.Errorf("matches: %w", err)
	}
	pos := make([]int32, 0, len(ids))
	rs := make([]float64, 0, len(ids))
	for i, id := range ids {
		p, ok := idx.byID[id]
		if !ok {
			continue // cannot happen in one snapshot; never list what the index does not know
		}
		pos = append(pos, p)
		if ranks[i] != nil {
			rs = append(rs, *ranks[i])
		} else {
			rs = append(rs, 0)
		}
	}
	return pos, rs, nil
}

// entries reads the listed columns of the initiatives of one page, in the
// page's order. One statement; the Länder and topics of each come from its
// facet values in the index (in display order), not from a subquery per row.
func (s *Store) entries(ctx context.Context, idx *dirIndex, hits []dirHit) ([]DirectoryEntry, error) {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = idx.rows[h.row].id
	}
	rows, _ := s.db.Query(ctx, `
		SELECT i.id, i.slug, i.name, i.short_description, NULL::text[] AS states, NULL::text[] AS topics
		FROM initiatives i WHERE i.id = ANY($1::bigint[])
		ORDER BY array_position($1::bigint[], i.id)`, ids)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[DirectoryEntry])
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	for i, e := range list {
		list[i].States, list[i].Topics = idx.namesOf(e.ID, facetLand), idx.namesOf(e.ID, facetThema)
	}
	return list, nil
}

// namesOf is the names of the initiative's values of one facet, in
// display order (German order for the Länder, as initiativeStates).
func (idx *dirIndex) namesOf(id int64, facet int) []string {
	names := []string{}
	pos, ok := idx.byID[id]
	if !ok {
		return names
	}
	for _, slot := range slices.Sorted(slices.Values(idx.rows[pos].slots)) {
		if int(idx.slotFacet[slot]) == facet {
			names = append(names, idx.values[slot].Name)
		}
	}
	return names
}

// pageOf cuts the page [offset, offset+limit) out of hits; limit 0 is all.
func pageOf(hits []dirHit, limit, offset int) []dirHit {
	offset = min(max(offset, 0), len(hits))
	hits = hits[offset:]
	if limit > 0 && limit < len(hits) {
		hits = hits[:limit]
	}
	return hits
}

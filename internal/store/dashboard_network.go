package store

import (
	"context"
	"time"
)

// Pair is two initiatives that met: at how many events held, and how many
// of the same workshops.
type Pair struct {
	AID       int64  `db:"a_id"`
	ASlug     string `db:"a_slug"`
	AName     string `db:"a_name"`
	BID       int64  `db:"b_id"`
	BSlug     string `db:"b_slug"`
	BName     string `db:"b_name"`
	Events    int    `db:"events"`
	Workshops int    `db:"workshops"`
	Total     int    `db:"total"` // pairs in all
}

// Pairs lists the pairs of initiatives that met at events held in p, most
// meetings first (then by id, so the page is cut before any name is read),
// one page, with the number of pairs: from the network snapshot, its counts
// for the whole time, a calendar year or quarter, else (a free range)
// counted from each event's pairs.
func (s *Store) Pairs(ctx context.Context, p Period, limit, offset int) ([]Pair, int, error) {
	top := `SELECT c.a, c.b, c.events, c.workshops, (SELECT n.pairs FROM network_scopes n WHERE n.scope = $1) AS total
		FROM network_pair_counts c WHERE c.scope = $1
		ORDER BY c.events DESC, c.workshops DESC, c.a, c.b LIMIT $2 OFFSET $3`
	args := []any{p.scope(), limit, offset}
	if args[0] == "" {
		top = `SELECT a, b, count(*) AS events, sum(workshops) AS workshops, count(*) OVER () AS total
			FROM network_pairs WHERE starts_at >= $1 AND starts_at < $4 GROUP BY a, b
			ORDER BY 3 DESC, 4 DESC, a, b LIMIT $2 OFFSET $3`
		args = []any{p.From, limit, offset, p.To}
	}
	rows, _ := s.db.Query(ctx, `
		WITH top AS (`+top+`)
		SELECT ia.id AS a_id, ia.slug AS a_slug, ia.name AS a_name, ib.id AS b_id, ib.slug AS b_slug, ib.name AS b_name,
			top.events::int, top.workshops::int, coalesce(top.total, 0)::int AS total
		FROM top JOIN initiatives ia ON ia.id = top.a JOIN initiatives ib ON ib.id = top.b
		ORDER BY top.events DESC, top.workshops DESC, top.a, top.b`, args...)
	return collectPage(rows, "pairs", func(x Pair) int { return x.Total })
}

// Partner is an initiative met by another one: how often and where.
type Partner struct {
	ID        int64  `db:"id"`
	Slug      string `db:"slug"`
	Name      string `db:"name"`
	Events    int    `db:"events"`
	Workshops int    `db:"workshops"`
}

// Partners lists the initiatives that met the initiative id at events held
// in p, most meetings first (network snapshot).
func (s *Store) Partners(ctx context.Context, p Period, id int64) ([]Partner, error) {
	rows, _ := s.db.Query(ctx, `
		WITH pc AS (
			SELECT CASE WHEN a = $1 THEN b ELSE a END AS partner, count(*) AS events, sum(workshops) AS workshops
			FROM network_pairs WHERE (a = $1 OR b = $1) AND starts_at >= $2 AND starts_at < $3 GROUP BY 1
		)
		SELECT i.id, i.slug, i.name, pc.events::int, pc.workshops::int
		FROM pc JOIN initiatives i ON i.id = pc.partner
		ORDER BY pc.events DESC, pc.workshops DESC, i.name COLLATE "de-DE-x-icu"`, id, p.From, p.To)
	return collect[Partner](rows, "partners")
}

// Participation is an event an initiative took part in, and how.
type Participation struct {
	EventID   int64     `db:"event_id"`
	Slug      string    `db:"slug"`
	Title     string    `db:"title"`
	StartsAt  time.Time `db:"starts_at"`
	Presented bool      `db:"presented"`
	Workshops int       `db:"workshops"` // workshops it contributed to or moderated
	People    bool      `db:"people"`    // its people on stage or moderating
	Attended  bool      `db:"attended"`  // its people checked in at the door
}

// Participations lists the events held in p that the initiative id took
// part in, newest first (network snapshot).
func (s *Store) Participations(ctx context.Context, p Period, id int64) ([]Participation, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT e.id AS event_id, e.slug, e.title, e.starts_at, m.presented, m.workshops, m.people, m.attended
		FROM network_meetings m JOIN events e ON e.id = m.event_id
		WHERE m.initiative_id = $1 AND m.starts_at >= $2 AND m.starts_at < $3
		ORDER BY e.starts_at DESC`, id, p.From, p.To)
	return collect[Participation](rows, "participations")
}

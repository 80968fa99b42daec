package store

import (
	"context"
	"time"
)

// participations is a CTE "part" of (event_id, workshop_id, initiative_id,
// how) for every event held in [$2, $3) ($1 is now) an initiative took part
// in: presenting in the programme, contributing to a workshop, or through
// its contact people on stage or moderating. Only published and archived
// initiatives count.
const participations = `
	part AS (
		SELECT x.event_id, x.workshop_id, x.initiative_id, x.how FROM (
			SELECT pi.event_id, NULL::bigint AS workshop_id, pii.initiative_id, 'presented' AS how
			FROM programme_item_initiatives pii JOIN programme_items pi ON pi.id = pii.item_id
			UNION ALL
			SELECT w.event_id, w.id, wi.initiative_id, 'workshop'
			FROM workshop_initiatives wi JOIN workshops w ON w.id = wi.workshop_id
			UNION ALL
			SELECT pi.event_id, NULL, ic.initiative_id, 'people'
			FROM programme_item_people pp JOIN programme_items pi ON pi.id = pp.item_id
			JOIN initiative_contacts ic ON ic.contact_id = pp.contact_id
			UNION ALL
			SELECT w.event_id, w.id, ic.initiative_id, 'people'
			FROM workshop_moderators wm JOIN workshops w ON w.id = wm.workshop_id
			JOIN initiative_contacts ic ON ic.contact_id = wm.contact_id
		) x
		JOIN events e ON e.id = x.event_id
		JOIN initiatives i ON i.id = x.initiative_id
		WHERE ` + heldEvent + ` AND e.starts_at >= $2 AND e.starts_at < $3 AND i.status IN ('published', 'archived')
	), ev AS (
		SELECT DISTINCT event_id, initiative_id FROM part
	), wk AS (
		SELECT DISTINCT workshop_id, initiative_id FROM part WHERE workshop_id IS NOT NULL
	)`

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
// one page, with the number of pairs.
func (s *Store) Pairs(ctx context.Context, now time.Time, p Period, limit, offset int) ([]Pair, int, error) {
	rows, _ := s.db.Query(ctx, `
		WITH `+participations+`, pe AS (
			SELECT a.initiative_id AS a, b.initiative_id AS b, count(*) AS n
			FROM ev a JOIN ev b ON b.event_id = a.event_id AND b.initiative_id > a.initiative_id GROUP BY 1, 2
		), pw AS (
			SELECT a.initiative_id AS a, b.initiative_id AS b, count(*) AS n
			FROM wk a JOIN wk b ON b.workshop_id = a.workshop_id AND b.initiative_id > a.initiative_id GROUP BY 1, 2
		), top AS (
			SELECT pe.a, pe.b, pe.n AS events, coalesce(pw.n, 0) AS workshops, count(*) OVER () AS total
			FROM pe LEFT JOIN pw ON pw.a = pe.a AND pw.b = pe.b
			ORDER BY pe.n DESC, coalesce(pw.n, 0) DESC, pe.a, pe.b LIMIT $4 OFFSET $5
		)
		SELECT ia.id AS a_id, ia.slug AS a_slug, ia.name AS a_name, ib.id AS b_id, ib.slug AS b_slug, ib.name AS b_name,
			top.events::int, top.workshops::int, top.total::int
		FROM top JOIN initiatives ia ON ia.id = top.a JOIN initiatives ib ON ib.id = top.b
		ORDER BY top.events DESC, top.workshops DESC, top.a, top.b`, now, p.From, p.To, limit, offset)
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
// in p, most meetings first.
func (s *Store) Partners(ctx context.Context, now time.Time, p Period, id int64) ([]Partner, error) {
	rows, _ := s.db.Query(ctx, `
		WITH `+participations+`, pe AS (
			SELECT b.initiative_id AS partner, count(*) AS n
			FROM ev a JOIN ev b ON b.event_id = a.event_id AND b.initiative_id <> a.initiative_id
			WHERE a.initiative_id = $4 GROUP BY 1
		), pw AS (
			SELECT b.initiative_id AS partner, count(*) AS n
			FROM wk a JOIN wk b ON b.workshop_id = a.workshop_id AND b.initiative_id <> a.initiative_id
			WHERE a.initiative_id = $4 GROUP BY 1
		)
		SELECT i.id, i.slug, i.name, pe.n::int AS events, coalesce(pw.n, 0)::int AS workshops
		FROM pe LEFT JOIN pw ON pw.partner = pe.partner JOIN initiatives i ON i.id = pe.partner
		ORDER BY pe.n DESC, coalesce(pw.n, 0) DESC, i.name COLLATE "de-DE-x-icu"`, now, p.From, p.To, id)
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
}

// Participations lists the events held in p that the initiative id took
// part in, newest first.
func (s *Store) Participations(ctx context.Context, now time.Time, p Period, id int64) ([]Participation, error) {
	rows, _ := s.db.Query(ctx, `
		WITH `+participations+`
		SELECT e.id AS event_id, e.slug, e.title, e.starts_at,
			bool_or(part.how = 'presented') AS presented,
			(count(DISTINCT part.workshop_id))::int AS workshops,
			bool_or(part.how = 'people') AS people
		FROM part JOIN events e ON e.id = part.event_id
		WHERE part.initiative_id = $4
		GROUP BY e.id ORDER BY e.starts_at DESC`, now, p.From, p.To, id)
	return collect[Participation](rows, "participations")
}

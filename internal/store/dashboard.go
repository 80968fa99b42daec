package store

import (
	"context"
	"time"
)

// Period is a half-open span of time [From, To) the dashboard reports on.
type Period struct{ From, To time.Time }

// PeriodFigures are the key figures of one period, counted in SQL.
type PeriodFigures struct {
	// NewInitiatives were first published in the period (and are published
	// or archived now); Archived were moved to the archive in it (audit log).
	NewInitiatives int `db:"new_initiatives"`
	Archived       int `db:"archived"`
	// Events by their start: held (started before now, published or
	// completed), planned (published, starting from now on), cancelled.
	EventsHeld      int `db:"events_held"`
	EventsPlanned   int `db:"events_planned"`
	EventsCancelled int `db:"events_cancelled"`
	// Participants adds up the events held's participants (eventParticipants).
	Participants int `db:"participants"`
	// Workshops of the events held, and how many of them have results.
	Workshops   int `db:"workshops"`
	WithResults int `db:"with_results"`
	// Registrations of the events starting in the period (whatever the
	// event's or the registration's status, so every registration received
	// counts), of them the confirmed ones (status confirmed: address
	// confirmed, place held) and those checked in at the door (attended_at).
	// Anonymised registrations still count: the rows stay for this.
	Registrations int `db:"registrations"`
	Confirmed     int `db:"confirmed"`
	Attended      int `db:"attended"`
}

// heldEvent is the condition for an event that took place (alias e; $now).
const heldEvent = `e.status IN ('published', 'completed') AND e.starts_at < $1`

// eventParticipants is the one rule for an event's participants (alias e),
// in the key figure, the trends and the report: the count the event shows.
// Check-in keeps it equal to the registrations checked in at the door; the
// editors set it when they complete the event, counting people who came
// without registering too. Check-ins alone are the key figure "attended".
const eventParticipants = `coalesce(e.participant_count, 0)`

// DashboardFigures counts the key figures of the periods in one statement,
// in their order.
func (s *Store) DashboardFigures(ctx context.Context, now time.Time, periods ...Period) ([]PeriodFigures, error) {
	from, to := make([]time.Time, len(periods)), make([]time.Time, len(periods))
	for i, p := range periods {
		from[i], to[i] = p.From, p.To
	}
	rows, _ := s.db.Query(ctx, `
		SELECT
			(SELECT count(*) FROM initiatives i WHERE i.status IN ('published', 'archived')
				AND i.published_at >= p.f AND i.published_at < p.t)::int AS new_initiatives,
			(SELECT count(DISTINCT a.object_id) FROM audit_log a WHERE a.action = 'initiative.status_changed'
				AND a.details->>'to' = 'archived' AND a.at >= p.f AND a.at < p.t)::int AS archived,
			(SELECT count(*) FROM events e WHERE `+heldEvent+` AND e.starts_at >= p.f AND e.starts_at < p.t)::int AS events_held,
			(SELECT count(*) FROM events e WHERE e.status = 'published' AND e.starts_at >= $1
				AND e.starts_at >= p.f AND e.starts_at < p.t)::int AS events_planned,
			(SELECT count(*) FROM events e WHERE e.status = 'cancelled'
				AND e.starts_at >= p.f AND e.starts_at < p.t)::int AS events_cancelled,
			(SELECT coalesce(sum(`+eventParticipants+`), 0) FROM events e WHERE `+heldEvent+`
				AND e.starts_at >= p.f AND e.starts_at < p.t)::int AS participants,
			(SELECT count(*) FROM workshops w JOIN events e ON e.id = w.event_id WHERE `+heldEvent+`
				AND e.starts_at >= p.f AND e.starts_at < p.t)::int AS workshops,
			(SELECT count(*) FROM workshops w JOIN events e ON e.id = w.event_id WHERE `+heldEvent+`
				AND btrim(w.results) <> '' AND e.starts_at >= p.f AND e.starts_at < p.t)::int AS with_results,
			reg.registrations, reg.confirmed, reg.attended
		FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS p(f, t, n)
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS registrations,
				count(*) FILTER (WHERE r.status = 'confirmed')::int AS confirmed,
				count(r.attended_at)::int AS attended
			FROM registrations r JOIN events e ON e.id = r.event_id
			WHERE e.starts_at >= p.f AND e.starts_at < p.t
		) AS reg
		ORDER BY p.n`, now, from, to)
	return collect[PeriodFigures](rows, "dashboard figures")
}

// QuarterTrend is one quarter of the trends since the start.
type QuarterTrend struct {
	// Quarter is its first day (Europe/Berlin).
	Quarter        time.Time `db:"quarter"`
	NewInitiatives int       `db:"new_initiatives"`
	// Initiatives is the running total of initiatives published by its end.
	Initiatives  int `db:"initiatives"`
	EventsHeld   int `db:"events_held"`
	Participants int `db:"participants"`
}

// QuarterTrends counts, per quarter from the first published initiative or
// held event to the quarter of now, the new initiatives, their running
// total, the events held and their participants (eventParticipants, as
// the key figure).
func (s *Store) QuarterTrends(ctx context.Context, now time.Time) ([]QuarterTrend, error) {
	rows, _ := s.db.Query(ctx, `
		WITH ni AS (
			SELECT date_trunc('quarter', published_at AT TIME ZONE 'Europe/Berlin') AS q, count(*) AS n
			FROM initiatives WHERE status IN ('published', 'archived') AND published_at IS NOT NULL GROUP BY 1
		), ev AS (
			SELECT date_trunc('quarter', e.starts_at AT TIME ZONE 'Europe/Berlin') AS q, count(*) AS n,
				sum(`+eventParticipants+`) AS people
			FROM events e WHERE `+heldEvent+` GROUP BY 1
		), span AS (
			SELECT least((SELECT min(q) FROM ni), (SELECT min(q) FROM ev),
				date_trunc('quarter', $1 AT TIME ZONE 'Europe/Berlin')) AS first,
				date_trunc('quarter', $1 AT TIME ZONE 'Europe/Berlin') AS last
		)
		SELECT g.q::date::timestamp AS quarter, coalesce(ni.n, 0)::int AS new_initiatives,
			(sum(coalesce(ni.n, 0)) OVER (ORDER BY g.q))::int AS initiatives,
			coalesce(ev.n, 0)::int AS events_held, coalesce(ev.people, 0)::int AS participants
		FROM span, generate_series(span.first, span.last, interval '3 months') AS g(q)
		LEFT JOIN ni ON ni.q = g.q LEFT JOIN ev ON ev.q = g.q
		ORDER BY g.q`, now)
	return collect[QuarterTrend](rows, "quarter trends")
}

// TopicFigures are one Zukunftsthema's numbers: published initiatives on it
// (today), and in the period the events held and their workshops with and
// without results.
type TopicFigures struct {
	Slug        string `db:"slug"`
	Name        string `db:"name"`
	Initiatives int    `db:"initiatives"`
	Events      int    `db:"events"`
	Workshops   int    `db:"workshops"`
	WithResults int    `db:"with_results"`
}

// DashboardTopics counts every topic's initiatives, events and workshops
// (events held in p), in the topics' order.
func (s *Store) DashboardTopics(ctx context.Context, now time.Time, p Period) ([]TopicFigures, error) {
	rows, _ := s.db.Query(ctx, `
		WITH ini AS (
			SELECT it.topic, count(*) AS n FROM initiative_topics it JOIN initiatives i ON i.id = it.initiative_id
			WHERE i.status = 'published' GROUP BY it.topic
		), ev AS (
			SELECT et.topic, count(*) AS n FROM event_topics et JOIN events e ON e.id = et.event_id
			WHERE `+heldEvent+` AND e.starts_at >= $2 AND e.starts_at < $3 GROUP BY et.topic
		), ws AS (
			SELECT wt.topic, count(*) AS n, count(*) FILTER (WHERE btrim(w.results) <> '') AS results
			FROM workshop_topics wt JOIN workshops w ON w.id = wt.workshop_id JOIN events e ON e.id = w.event_id
			WHERE `+heldEvent+` AND e.starts_at >= $2 AND e.starts_at < $3 GROUP BY wt.topic
		)
		SELECT t.slug, t.name, coalesce(ini.n, 0)::int AS initiatives, coalesce(ev.n, 0)::int AS events,
			coalesce(ws.n, 0)::int AS workshops, coalesce(ws.results, 0)::int AS with_results
		FROM topics t LEFT JOIN ini ON ini.topic = t.slug LEFT JOIN ev ON ev.topic = t.slug LEFT JOIN ws ON ws.topic = t.slug
		ORDER BY t.position, t.name`, now, p.From, p.To)
	return collect[TopicFigures](rows, "dashboard topics")
}

// TopicYear is how often a topic was addressed in one calendar year:
// events held and workshops of the events held.
type TopicYear struct {
	Slug      string `db:"slug"`
	Year      int    `db:"year"`
	Events    int    `db:"events"`
	Workshops int    `db:"workshops"`
}

// TopicYears counts per topic and year (Europe/Berlin) the events held and
// their workshops; years without any are left out.
func (s *Store) TopicYears(ctx context.Context, now time.Time) ([]TopicYear, error) {
	rows, _ := s.db.Query(ctx, `
		WITH x AS (
			SELECT et.topic, extract(year FROM e.starts_at AT TIME ZONE 'Europe/Berlin')::int AS year, 1 AS ev, 0 AS ws
			FROM event_topics et JOIN events e ON e.id = et.event_id WHERE `+heldEvent+`
			UNION ALL
			SELECT wt.topic, extract(year FROM e.starts_at AT TIME ZONE 'Europe/Berlin')::int, 0, 1
			FROM workshop_topics wt JOIN workshops w ON w.id = wt.workshop_id JOIN events e ON e.id = w.event_id
			WHERE `+heldEvent+`
		)
		SELECT topic AS slug, year, sum(ev)::int AS events, sum(ws)::int AS workshops
		FROM x GROUP BY topic, year ORDER BY year, topic`, now)
	return collect[TopicYear](rows, "topic years")
}

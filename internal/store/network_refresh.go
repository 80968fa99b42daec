package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// AllTime spans every date the portal can hold: the dashboard's "seit
// Beginn".
var AllTime = Period{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}

// berlin is the time zone of the precomputed years.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // embedded tzdata: cannot happen
	}
	return loc
}()

// scope names the precomputed pair counts that answer p: "all" for
// AllTime, "2026" for a calendar year and "2026-Q3" for a quarter in
// Europe/Berlin, else "" (the pairs are counted from each event's pairs).
func (p Period) scope() string {
	if p == AllTime {
		return "all"
	}
	f := p.From.In(berlin)
	if f.Day() != 1 || (f.Month()-1)%3 != 0 || !f.Equal(time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, berlin)) {
		return ""
	}
	switch {
	case f.Month() == time.January && p.To.Equal(f.AddDate(1, 0, 0)):
		return strconv.Itoa(f.Year())
	case p.To.Equal(f.AddDate(0, 3, 0)):
		return strconv.Itoa(f.Year()) + "-Q" + strconv.Itoa(int(f.Month()-1)/3+1)
	}
	return ""
}

// networkParts is a CTE "part" of (event_id, workshop_id, initiative_id,
// how, starts_at) for every event held by $1 that a published or archived
// initiative took part in: presenting in the programme, contributing to a
// workshop, through its contact people on stage or moderating, or through
// its people who registered naming it and were checked in at the door
// (with the workshops they chose). The organisation typed into a
// registration is not matched: names vary, and it is erased after the
// event; the initiative chosen from the directory stays.
const networkParts = `
	part AS (
		SELECT x.event_id, x.workshop_id, x.initiative_id, x.how, e.starts_at FROM (
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
			UNION ALL
			SELECT r.event_id, NULL, r.initiative_id, 'attended'
			FROM registrations r WHERE r.initiative_id IS NOT NULL AND r.attended_at IS NOT NULL
			UNION ALL
			SELECT r.event_id, rw.workshop_id, r.initiative_id, 'attended'
			FROM registrations r JOIN registration_workshops rw ON rw.registration_id = r.id
			WHERE r.initiative_id IS NOT NULL AND r.attended_at IS NOT NULL
		) x
		JOIN events e ON e.id = x.event_id
		JOIN initiatives i ON i.id = x.initiative_id
		WHERE ` + heldEvent + ` AND i.status IN ('published', 'archived')
	)`

// RefreshNetwork recomputes the network snapshot as of now in one
// transaction: the meetings, each event's pairs, the pair counts since the
// start, per year and per quarter, and the time. Readers see the previous
// snapshot until it commits (the swap of the counts' table holds them for
// the moment of the commit only); a run that fails leaves it as it was;
// two runs at once wait for each other.
func (s *Store) RefreshNetwork(ctx context.Context, now time.Time) error {
	err := s.InTx(ctx, func(tx *Store) error {
		// Taken first, so a second run waits here instead of deadlocking.
		if _, err := tx.db.Exec(ctx, `LOCK TABLE network_state IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		_, err := tx.db.Exec(ctx, `CREATE TEMP TABLE network_part (event_id bigint, workshop_id bigint,
			initiative_id bigint, how text, starts_at timestamptz) ON COMMIT DROP`)
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO network_part WITH `+networkParts+` SELECT * FROM part`, now); err != nil {
			return err
		}
		for _, stmt := range []string{
			`DELETE FROM network_meetings`, `DELETE FROM network_pairs`, `DELETE FROM network_scopes`,
			`INSERT INTO network_meetings (event_id, initiative_id, starts_at, presented, workshops, people, attended)
			SELECT event_id, initiative_id, min(starts_at), bool_or(how = 'presented'),
				count(DISTINCT workshop_id) FILTER (WHERE how IN ('workshop', 'people')),
				bool_or(how = 'people'), bool_or(how = 'attended')
			FROM network_part GROUP BY event_id, initiative_id`,
			`INSERT INTO network_pairs (a, b, event_id, starts_at, workshops)
			WITH wk AS (
				SELECT DISTINCT event_id, workshop_id, initiative_id FROM network_part WHERE workshop_id IS NOT NULL
			), pw AS (
				SELECT x.event_id, x.initiative_id AS a, y.initiative_id AS b, count(*) AS n
				FROM wk x JOIN wk y ON y.workshop_id = x.workshop_id AND y.initiative_id > x.initiative_id
				GROUP BY 1, 2, 3
			)
			SELECT x.initiative_id, y.initiative_id, x.event_id, x.starts_at, coalesce(pw.n, 0)
			FROM network_meetings x JOIN network_meetings y ON y.event_id = x.event_id AND y.initiative_id > x.initiative_id
			LEFT JOIN pw ON pw.event_id = x.event_id AND pw.a = x.initiative_id AND pw.b = y.initiative_id
			ORDER BY x.starts_at`,
			// The counts are the most rows (each pair once for the whole
			// time, its years and quarters): written into a new table without
			// indexes, indexed at once and swapped in at commit; inserting
			// them into the indexed table took three times as long.
			`SET LOCAL work_mem = '64MB'`,
			`SET LOCAL maintenance_work_mem = '256MB'`,
			`CREATE TABLE network_pair_counts_next (LIKE network_pair_counts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
			`INSERT INTO network_pair_counts_next (scope, a, b, events, workshops)
			SELECT 'all', a, b, count(*), sum(workshops) FROM network_pairs GROUP BY a, b
			UNION ALL
			SELECT extract(year FROM starts_at AT TIME ZONE 'Europe/Berlin')::int::text, a, b, count(*), sum(workshops)
			FROM network_pairs GROUP BY 1, a, b
			UNION ALL
			SELECT to_char(starts_at AT TIME ZONE 'Europe/Berlin', 'YYYY-"Q"Q'), a, b, count(*), sum(workshops)
			FROM network_pairs GROUP BY 1, a, b`,
			`ALTER TABLE network_pair_counts_next ADD CONSTRAINT network_pair_counts_next_pkey PRIMARY KEY (scope, a, b)`,
			`CREATE INDEX network_pair_counts_next_rank_idx ON network_pair_counts_next (scope, events DESC, workshops DESC, a, b)`,
			`DROP TABLE network_pair_counts`,
			`ALTER TABLE network_pair_counts_next RENAME TO network_pair_counts`,
			`ALTER TABLE network_pair_counts RENAME CONSTRAINT network_pair_counts_next_pkey TO network_pair_counts_pkey`,
			`ALTER INDEX network_pair_counts_next_rank_idx RENAME TO network_pair_counts_rank_idx`,
			`INSERT INTO network_scopes (scope, pairs) SELECT scope, count(*) FROM network_pair_counts GROUP BY scope`,
			`ANALYZE network_meetings, network_pairs, network_pair_counts`,
		} {
			if _, err := tx.db.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		_, err = tx.db.Exec(ctx, `INSERT INTO network_state (computed_at) VALUES ($1)
			ON CONFLICT (id) DO UPDATE SET computed_at = excluded.computed_at`, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: refresh network: %w", err)
	}
	return nil
}

// EachPairCount calls fn with every pair count of the snapshot, scope by
// scope ("2025", "2025-Q1", "all", …), each scope's pairs in the order
// Pairs lists them: one statement for the exports of every period.
func (s *Store) EachPairCount(ctx context.Context, fn func(scope string, p Pair) error) error {
	rows, err := s.db.Query(ctx, `
		SELECT c.scope, ia.id, ia.slug, ia.name, ib.id, ib.slug, ib.name, c.events, c.workshops
		FROM network_pair_counts c JOIN initiatives ia ON ia.id = c.a JOIN initiatives ib ON ib.id = c.b
		ORDER BY c.scope, c.events DESC, c.workshops DESC, c.a, c.b`)
	if err != nil {
		return fmt.Errorf("store: pair counts: %w", err)
	}
	defer rows.Close()
	var scope string
	var p Pair
	for rows.Next() {
		if err := rows.Scan(&scope, &p.AID, &p.ASlug, &p.AName, &p.BID, &p.BSlug, &p.BName, &p.Events, &p.Workshops); err != nil {
			return fmt.Errorf("store: pair counts: %w", err)
		}
		if err := fn(scope, p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: pair counts: %w", err)
	}
	return nil
}

// NetworkComputedAt is when the network snapshot was computed; nil before
// the first run.
func (s *Store) NetworkComputedAt(ctx context.Context) (*time.Time, error) {
	var at *time.Time
	if err := s.db.QueryRow(ctx, `SELECT max(computed_at) FROM network_state`).Scan(&at); err != nil {
		return nil, fmt.Errorf("store: network computed at: %w", err)
	}
	return at, nil
}

// SaveNetworkExports replaces the stored exports by exports (scope →
// gzip-compressed CSV).
func (s *Store) SaveNetworkExports(ctx context.Context, exports map[string][]byte) error {
	err := s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `DELETE FROM network_exports`); err != nil {
			return err
		}
		for scope, gz := range exports {
			if _, err := tx.db.Exec(ctx, `INSERT INTO network_exports (scope, csv_gz) VALUES ($1, $2)`, scope, gz); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save network exports: %w", err)
	}
	return nil
}

// NetworkExport returns the stored gzip-compressed CSV of p's scope;
// ErrNotFound for a free range or before the first refresh.
func (s *Store) NetworkExport(ctx context.Context, p Period) ([]byte, error) {
	var gz []byte
	err := s.db.QueryRow(ctx, `SELECT csv_gz FROM network_exports WHERE scope = $1`, p.scope()).Scan(&gz)
	return gz, wrap("network export", err, ErrNotFound)
}

package store

import (
	"context"
	"fmt"
)

// InsertSyntheticParticipation gives every synthetic event (slug synth-…)
// a participant count, a programme item in which two published initiatives
// present, and three contributing initiatives in each of its workshops,
// drawn by a hash of seed and the row: data for the dashboard's network
// and trends under load. Running it again adds nothing twice.
func (s *Store) InsertSyntheticParticipation(ctx context.Context, seed int64) error {
	_, err := s.db.Exec(ctx, `
		WITH tot AS (
			SELECT count(*) AS c FROM initiatives WHERE status = 'published'
		), ini AS (
			SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM initiatives WHERE status = 'published'
		), ev AS (
			UPDATE events SET participant_count = 20 + abs(hashtext($1 || slug)) % 180
			WHERE slug LIKE 'synth-%' AND status <> 'draft' AND participant_count IS NULL
			RETURNING id, starts_at
		), it AS (
			INSERT INTO programme_items (event_id, starts_at, title, kind)
			SELECT id, starts_at + interval '30 minutes', 'Initiativen stellen sich vor', 'presentation' FROM ev
			RETURNING id
		), pres AS (
			INSERT INTO programme_item_initiatives (item_id, initiative_id)
			SELECT DISTINCT it.id, ini.id FROM it CROSS JOIN generate_series(0, 1) AS g CROSS JOIN tot
			JOIN ini ON ini.n = abs(hashtext($1 || it.id || '-' || g)) % tot.c
			ON CONFLICT DO NOTHING
		)
		INSERT INTO workshop_initiatives (workshop_id, initiative_id)
		SELECT DISTINCT w.id, ini.id FROM workshops w JOIN ev ON ev.id = w.event_id
		CROSS JOIN generate_series(0, 2) AS g CROSS JOIN tot
		JOIN ini ON ini.n = abs(hashtext($1 || 'w' || w.id || '-' || g)) % tot.c
		ON CONFLICT DO NOTHING`, fmt.Sprint(seed))
	if err != nil {
		return fmt.Errorf("store: synthetic participation: %w", err)
	}
	return nil
}

// InsertSyntheticRegistrations adds k registrations spread over the
// published synthetic events (slug synth-…) in one INSERT … SELECT, drawn
// by a hash of seed and the row: of an event that has begun (by now) 70 %
// confirmed, of which 80 % attended, the rest cancelled or lapsed; of an
// upcoming one 10 % pending, 70 % confirmed, 10 % waitlisted, 10 %
// cancelled. A fifth name a published initiative they come from, drawn
// at random. The people are made up (synth-…@beispiel.example). Then, as
// check-in does, the events that have begun get their attended count as
// participant count. Running it again adds k more.
func (s *Store) InsertSyntheticRegistrations(ctx context.Context, k int, seed int64) error {
	if k <= 0 {
		return nil
	}
	_, err := s.db.Exec(ctx, `
		WITH ev AS (
			SELECT id, starts_at, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c
			FROM events WHERE slug LIKE 'synth-%' AND status IN ('published', 'completed')
		), ini AS (
			SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM initiatives WHERE status = 'published'
		), x AS (
			SELECT g, ev.id, ev.starts_at, ev.starts_at < now() AS begun,
				abs(hashtext($2 || '-r' || g)) % 100 AS roll, abs(hashtext($2 || '-a' || g)) % 100 AS came,
				'synth-' || $2 || '-' || g AS who, ini.id AS initiative_id
			FROM generate_series(1, $1::int) AS g
			JOIN ev ON ev.n = abs(hashtext($2 || '-e' || g)) % ev.c
			CROSS JOIN (SELECT greatest(count(*), 1) AS c FROM initiatives WHERE status = 'published') AS tot
			LEFT JOIN ini ON abs(hashtext($2 || '-o' || g)) % 5 = 0 AND ini.n = abs(hashtext($2 || '-i' || g)) % tot.c
		), y AS (
			SELECT x.*, CASE
				WHEN begun AND roll < 70 THEN 'confirmed'
				WHEN begun AND roll < 85 THEN 'cancelled'
				WHEN begun THEN 'lapsed'
				WHEN roll < 10 THEN 'pending'
				WHEN roll < 80 THEN 'confirmed'
				WHEN roll < 90 THEN 'waitlisted'
				ELSE 'cancelled' END AS status
			FROM x
		)
		INSERT INTO registrations (event_id, name, email, initiative_id, status, holds_place, hold_expires_at, created_at,
			consent_at, confirmed_at, ended_at, link_sent_at, attended_at)
		SELECT id, 'Synthetische Person ' || g, who || '@beispiel.example', initiative_id, status, status IN ('confirmed', 'pending'),
			starts_at - interval '20 days', starts_at - interval '21 days', starts_at - interval '21 days',
			CASE WHEN status IN ('confirmed', 'waitlisted') THEN starts_at - interval '20 days' END,
			CASE WHEN status IN ('cancelled', 'lapsed') THEN starts_at - interval '3 days' END,
			starts_at - interval '21 days',
			CASE WHEN begun AND status = 'confirmed' AND came < 80 THEN starts_at END
		FROM y`, k, fmt.Sprint(seed))
	if err != nil {
		return fmt.Errorf("store: synthetic registrations: %w", err)
	}
	_, err = s.db.Exec(ctx, `
		UPDATE events e SET participant_count = r.attended
		FROM (SELECT event_id, count(attended_at)::int AS attended FROM registrations GROUP BY event_id) AS r
		WHERE r.event_id = e.id AND e.slug LIKE 'synth-%' AND e.starts_at < now()`)
	if err != nil {
		return fmt.Errorf("store: synthetic registrations: participant counts: %w", err)
	}
	return nil
}

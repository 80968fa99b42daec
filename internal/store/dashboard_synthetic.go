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

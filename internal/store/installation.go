package store

import (
	"context"
	"fmt"
)

// ClaimDemoSeed marks the installation as seeded with demo content and
// reports whether this call did it. Run inside the seeding transaction, it
// makes seeding happen once even when two processes start together.
func (s *Store) ClaimDemoSeed(ctx context.Context) (bool, error) {
	tag, err := s.db.Exec(ctx,
		`UPDATE installation SET demo_seeded_at = now() WHERE demo_seeded_at IS NULL`)
	if err != nil {
		return false, fmt.Errorf("store: claim demo seed: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

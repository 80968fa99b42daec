// Package demo fills an empty installation with demo content: the real facts
// of the kick-off event of 16 March 2021 (../shared/reference) and, where
// gaps had to be filled, sample data marked as such. Later parts of the
// portal add their content to Seed.
package demo

import (
	"context"
	"fmt"

	"rii/internal/store"
)

// Result says what Seed did.
type Result struct {
	// Seeded is false when the installation already had its demo content.
	Seeded bool
}

// Seed adds the demo content once per installation, in one transaction:
// either all of it lands or none, and two processes starting together seed
// once.
func Seed(ctx context.Context, st *store.Store) (Result, error) {
	var res Result
	err := st.InTx(ctx, func(tx *store.Store) error {
		claimed, err := tx.ClaimDemoSeed(ctx)
		if err != nil || !claimed {
			return err
		}
		res.Seeded = true
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("demo: seed: %w", err)
	}
	return res, nil
}

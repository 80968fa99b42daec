package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// InitiativeRef names an initiative, for links and choices.
type InitiativeRef struct {
	ID     int64  `db:"id"`
	Slug   string `db:"slug"`
	Name   string `db:"name"`
	Status string `db:"status"`
}

// CreateInitiativeRef inserts a minimal initiative (the directory fills in
// the profile).
func (s *Store) CreateInitiativeRef(ctx context.Context, slug, name, status string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO initiatives (slug, name, status, published_at)
		VALUES ($1, $2, $3, CASE WHEN $3 = 'published' THEN now() END) RETURNING id`,
		slug, name, status).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create initiative: %w", err)
	}
	return id, nil
}

// AllInitiativeRefs lists every initiative by name, for linking members.
func (s *Store) AllInitiativeRefs(ctx context.Context) ([]InitiativeRef, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, slug, name, status FROM initiatives ORDER BY name COLLATE "de-DE-x-icu", id`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[InitiativeRef])
	if err != nil {
		return nil, fmt.Errorf("store: initiatives: %w", err)
	}
	return list, nil
}

// UserInitiatives lists the initiatives a user is linked to.
func (s *Store) UserInitiatives(ctx context.Context, userID int64) ([]InitiativeRef, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT i.id, i.slug, i.name, i.status FROM initiatives i
		JOIN user_initiatives ui ON ui.initiative_id = i.id
		WHERE ui.user_id = $1 ORDER BY i.name COLLATE "de-DE-x-icu", i.id`, userID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[InitiativeRef])
	if err != nil {
		return nil, fmt.Errorf("store: user initiatives: %w", err)
	}
	return list, nil
}

// SetUserInitiatives replaces a user's initiative links; unknown ids fail on
// the foreign key.
func (s *Store) SetUserInitiatives(ctx context.Context, userID int64, ids []int64) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM user_initiatives WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("store: set user initiatives: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO user_initiatives (user_id, initiative_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
		userID, ids)
	if err != nil {
		return fmt.Errorf("store: set user initiatives: %w", err)
	}
	return nil
}

// IsLinked reports whether a user is linked to an initiative: the object
// check behind every member edit.
func (s *Store) IsLinked(ctx context.Context, userID, initiativeID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM user_initiatives WHERE user_id = $1 AND initiative_id = $2)`,
		userID, initiativeID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: is linked: %w", err)
	}
	return ok, nil
}

// AddUserInitiative links a user to one more initiative.
func (s *Store) AddUserInitiative(ctx context.Context, userID, initiativeID int64) error {
	_, err := s.db.Exec(ctx, `INSERT INTO user_initiatives (user_id, initiative_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		userID, initiativeID)
	if err != nil {
		return fmt.Errorf("store: add user initiative: %w", err)
	}
	return nil
}

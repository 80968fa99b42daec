package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// staleProfile is the one rule for a stale profile i, with the cut-off in
// $1: published, and neither confirmed nor, if never confirmed, published
// since. A profile published minutes ago is fresh, confirmed or not.
const staleProfile = `i.status = 'published' AND coalesce(i.confirmed_at, i.published_at) < $1`

// staleOrder lists the longest unconfirmed profiles first.
const staleOrder = `coalesce(i.confirmed_at, i.published_at)`

// StaleInitiatives lists the stale profiles (staleProfile, with the
// cut-off before), longest unconfirmed first, one page, with the number
// matching and how many linked members each has.
func (s *Store) StaleInitiatives(ctx context.Context, before time.Time, limit, offset int) ([]StaleInitiative, int, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT i.id, i.slug, i.name, i.confirmed_at, i.published_at,
			(SELECT count(*) FROM user_initiatives ui JOIN users u ON u.id = ui.user_id
				WHERE ui.initiative_id = i.id AND u.state = 'active')::int AS members,
			(SELECT max(created_at) FROM confirmation_tokens ct WHERE ct.initiative_id = i.id) AS last_asked,
			i.total
		FROM (SELECT i.id, i.slug, i.name, i.confirmed_at, i.published_at, (count(*) OVER ())::int AS total
		FROM initiatives i
		WHERE `+staleProfile+`
		ORDER BY `+staleOrder+`, i.name COLLATE "de-DE-x-icu" LIMIT $2 OFFSET $3) AS i
		ORDER BY `+staleOrder+`, i.name COLLATE "de-DE-x-icu"`, before, limit, offset)
	return collectPage(rows, "stale initiatives", func(x StaleInitiative) int { return x.Total })
}

// StaleInitiative is a profile due for re-confirmation.
type StaleInitiative struct {
	ID          int64      `db:"id"`
	Slug        string     `db:"slug"`
	Name        string     `db:"name"`
	ConfirmedAt *time.Time `db:"confirmed_at"`
	PublishedAt *time.Time `db:"published_at"`
	Members     int        `db:"members"`
	LastAsked   *time.Time `db:"last_asked"`
	Total       int        `db:"total"`
}

// LinkedMembers lists the active members linked to an initiative.
func (s *Store) LinkedMembers(ctx context.Context, initiativeID int64) ([]User, error) {
	rows, _ := s.db.Query(ctx, `SELECT u.id, u.email, u.name, u.role, u.state, '' AS password_hash, '' AS totp_secret,
			u.totp_enabled_at, u.created_at, u.updated_at FROM users u
		JOIN user_initiatives ui ON ui.user_id = u.id
		WHERE ui.initiative_id = $1 AND u.state = 'active' ORDER BY u.id`, initiativeID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[User])
	if err != nil {
		return nil, fmt.Errorf("store: linked members: %w", err)
	}
	return list, nil
}

// CreateConfirmationToken stores the hash of a re-confirmation link.
func (s *Store) CreateConfirmationToken(ctx context.Context, hash []byte, initiativeID, userID int64, now, expires time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO confirmation_tokens (token_hash, initiative_id, user_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hash, initiativeID, userID, now, expires)
	if err != nil {
		return fmt.Errorf("store: create confirmation token: %w", err)
	}
	return nil
}

// ConfirmationInitiative returns the initiative of a valid link without
// using it up.
func (s *Store) ConfirmationInitiative(ctx context.Context, hash []byte, now time.Time) (*InitiativeRef, error) {
	var r InitiativeRef
	err := s.db.QueryRow(ctx, `SELECT i.id, i.slug, i.name, i.status FROM confirmation_tokens ct
		JOIN initiatives i ON i.id = ct.initiative_id
		WHERE ct.token_hash = $1 AND ct.used_at IS NULL AND ct.expires_at > $2`, hash, now).Scan(&r.ID, &r.Slug, &r.Name, &r.Status)
	if err != nil {
		return nil, wrap("confirmation", err, ErrTokenInvalid)
	}
	return &r, nil
}

// UseConfirmationToken spends a link and returns its initiative and user;
// of two concurrent uses one succeeds.
func (s *Store) UseConfirmationToken(ctx context.Context, hash []byte, now time.Time) (initiativeID int64, userID *int64, err error) {
	err = s.db.QueryRow(ctx, `UPDATE confirmation_tokens SET used_at = $2
		WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING initiative_id, user_id`, hash, now).Scan(&initiativeID, &userID)
	if err != nil {
		return 0, nil, wrap("use confirmation", err, ErrTokenInvalid)
	}
	return initiativeID, userID, nil
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// InitiativeRow is one initiative in the Service-Stelle's list.
type InitiativeRow struct {
	ID          int64      `db:"id"`
	Slug        string     `db:"slug"`
	Name        string     `db:"name"`
	Status      string     `db:"status"`
	UpdatedAt   time.Time  `db:"updated_at"`
	ConfirmedAt *time.Time `db:"confirmed_at"`
	Total       int        `db:"total"`
}

// InitiativeFilter selects initiatives for the Service-Stelle's list.
type InitiativeFilter struct {
	Status        string // "" for all
	Query         string
	Limit, Offset int
}

// ListInitiatives returns one page of initiatives in any status, most
// recently updated first, and the number matching.
func (s *Store) ListInitiatives(ctx context.Context, f InitiativeFilter) ([]InitiativeRow, int, error) {
	args := []any{f.Status, "%" + escapeLike(f.Query) + "%", f.Limit, f.Offset}
	rows, _ := s.db.Query(ctx, `
		SELECT id, slug, name, status, updated_at, confirmed_at, (count(*) OVER ())::int AS total
		FROM initiatives WHERE ($1 = '' OR status = $1) AND ($2 = '%%' OR name ILIKE $2)
		ORDER BY updated_at DESC, id DESC LIMIT $3 OFFSET $4`, args...)
	return collectPage(rows, "list initiatives", func(x InitiativeRow) int { return x.Total })
}

// StatusCounts counts initiatives per status.
func (s *Store) StatusCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.Query(ctx, `SELECT status, count(*) FROM initiatives GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store: status counts: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: status counts: %w", err)
		}
		counts[st] = n
	}
	return counts, rows.Err()
}

// SetInitiativeStatus moves an initiative to a status with the reviewer's
// comment (kept for the members to read until they resubmit, and in the
// history for good). Publishing dates the first publication.
//
// The change applies only to the version the reviewer saw (else
// ErrConflict), so what is published is what was reviewed; it makes a new
// version, recorded in the history with the status change and the
// unchanged profile, and returns its number.
func (s *Store) SetInitiativeStatus(ctx context.Context, id int64, version int, status, comment string, by Actor, now time.Time) (int, error) {
	var next int
	var from string
	err := s.db.QueryRow(ctx, `
		UPDATE initiatives i SET status = $3, review_comment = $4, updated_at = $5, version = i.version + 1,
			published_at = CASE WHEN $3 = 'published' THEN coalesce(i.published_at, $5) ELSE i.published_at END
		FROM initiatives old WHERE old.id = i.id AND i.id = $1 AND i.version = $2
		RETURNING i.version, old.status`, id, version, status, comment, now).Scan(&next, &from)
	if err != nil {
		return 0, wrap("set initiative status", err, ErrConflict)
	}
	_, err = s.db.Exec(ctx, `
		INSERT INTO initiative_revisions (initiative_id, version, at, actor_id, actor, changes, snapshot, comment)
		SELECT $1, $2, $3, $4, $5, $6, snapshot, $7 FROM initiative_revisions WHERE initiative_id = $1 AND version = $2 - 1`,
		id, next, now, by.ID, by.Label, map[string]any{"status": map[string]any{"from": from, "to": status}}, comment)
	return next, wrap("set initiative status", err, nil)
}

// ConfirmInitiative records that the profile is current.
func (s *Store) ConfirmInitiative(ctx context.Context, id int64, now time.Time) error {
	tag, err := s.db.Exec(ctx, `UPDATE initiatives SET confirmed_at = $2 WHERE id = $1`, id, now)
	return execOne(tag, err, "confirm initiative")
}

// Revision is one saved version of a profile.
type Revision struct {
	Version int               `db:"version"`
	At      time.Time         `db:"at"`
	Actor   string            `db:"actor"`
	Changes map[string]Change `db:"changes"`
	// Comment is the reviewer's note on a status change ("" for none).
	Comment string `db:"comment"`
}

// Change is a field's value before and after a revision.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Revisions lists an initiative's versions, newest first.
func (s *Store) Revisions(ctx context.Context, id int64) ([]Revision, error) {
	rows, _ := s.db.Query(ctx, `SELECT version, at, actor, changes, comment FROM initiative_revisions
		WHERE initiative_id = $1 ORDER BY version DESC`, id)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Revision])
	if err != nil {
		return nil, fmt.Errorf("store: revisions: %w", err)
	}
	return list, nil
}

// RevisionProfile returns the profile as it was saved in a version.
func (s *Store) RevisionProfile(ctx context.Context, id int64, version int) (*InitiativeProfile, error) {
	var raw []byte
	err := s.db.QueryRow(ctx, `SELECT snapshot FROM initiative_revisions WHERE initiative_id = $1 AND version = $2`,
		id, version).Scan(&raw)
	if err != nil {
		return nil, wrap(fmt.Sprintf("revision %s", strconv.Itoa(version)), err, ErrNotFound)
	}
	var p InitiativeProfile
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("store: revision: %w", err)
	}
	return &p, nil
}

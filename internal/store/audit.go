package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID         int64          `db:"id"`
	At         time.Time      `db:"at"`
	ActorID    *int64         `db:"actor_id"`
	Actor      string         `db:"actor"`
	Action     string         `db:"action"`
	ObjectType string         `db:"object_type"`
	ObjectID   string         `db:"object_id"`
	Details    map[string]any `db:"details"`
	ClientIP   string         `db:"client_ip"`
}

// Audit writes an entry; call it in the transaction of the change it records.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id, details, client_ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.At, e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Details, e.ClientIP)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	ObjectType, ObjectID string
	Action               string
	Limit, Offset        int
}

// ListAudit returns audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT id, at, actor_id, actor, action, object_type, object_id, details, client_ip FROM audit_log
		WHERE ($1 = '' OR object_type = $1) AND ($2 = '' OR object_id = $2) AND ($3 = '' OR action = $3)
		ORDER BY at DESC, id DESC LIMIT $4 OFFSET $5`,
		f.ObjectType, f.ObjectID, f.Action, f.Limit, f.Offset)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[AuditEntry])
	if err != nil {
		return nil, fmt.Errorf("store: list audit: %w", err)
	}
	return list, nil
}

// LastSavedBy names who saved an object last: for initiatives and reports,
// which keep revisions, the actor of the newest revision; for everything
// else, the user of the newest audit entry. "" when nobody is recorded.
func (s *Store) LastSavedBy(ctx context.Context, objectType string, id int64) (string, error) {
	var who string
	err := s.db.QueryRow(ctx, `SELECT coalesce(CASE $1
		WHEN 'initiative' THEN
			(SELECT actor FROM initiative_revisions WHERE initiative_id = $2 ORDER BY version DESC LIMIT 1)
		WHEN 'report' THEN
			(SELECT actor FROM report_revisions WHERE report_id = $2 ORDER BY version DESC LIMIT 1)
		ELSE
			(SELECT u.name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
			WHERE a.object_type = $1 AND a.object_id = $2::text ORDER BY a.at DESC, a.id DESC LIMIT 1)
		END, '')`, objectType, id).Scan(&who)
	return who, wrap("last saved by", err, nil)
}

// DeleteAuditBefore deletes audit entries older than before (the retention
// the privacy notice promises) and returns how many.
func (s *Store) DeleteAuditBefore(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM audit_log WHERE at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("store: delete old audit entries: %w", err)
	}
	return tag.RowsAffected(), nil
}

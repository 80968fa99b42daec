package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OutboxStats are the outbox figures operators watch: a queue that grows or
// ages means mail is stuck.
type OutboxStats struct {
	Queued int64 `db:"queued"`
	// Retrying are queued messages whose last attempt failed.
	Retrying int64 `db:"retrying"`
	// Failed are messages given up after GiveUpAfter (kept for Retention).
	Failed int64 `db:"failed"`
	Sent   int64 `db:"sent"`
	// OldestQueued is when the longest-waiting queued message was written;
	// nil when none waits.
	OldestQueued *time.Time `db:"oldest_queued"`
}

// OutboxStats counts the outbox by state.
func (s *Store) OutboxStats(ctx context.Context) (OutboxStats, error) {
	rows, err := s.db.Query(ctx, `
		SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS queued,
			count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL) AS retrying,
			count(*) FILTER (WHERE failed_at IS NOT NULL) AS failed,
			count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
			min(created_at) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL) AS oldest_queued
		FROM outbox`)
	if err != nil {
		return OutboxStats{}, fmt.Errorf("store: outbox stats: %w", err)
	}
	st, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OutboxStats])
	if err != nil {
		return OutboxStats{}, fmt.Errorf("store: outbox stats: %w", err)
	}
	return st, nil
}

// DatabaseSize is the size on disk of the portal's database, in bytes.
func (s *Store) DatabaseSize(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: database size: %w", err)
	}
	return n, nil
}

// AppliedMigrations lists the versions of the applied migrations, oldest
// first: the latest row of each version in goose's table decides.
func (s *Store) AppliedMigrations(ctx context.Context) ([]int64, error) {
	rows, err := s.db.Query(ctx, `
		SELECT version_id FROM (
			SELECT DISTINCT ON (version_id) version_id, is_applied FROM goose_db_version
			WHERE version_id > 0 ORDER BY version_id, id DESC) v
		WHERE is_applied ORDER BY version_id`)
	if err != nil {
		return nil, fmt.Errorf("store: applied migrations: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: applied migrations: %w", err)
	}
	return list, nil
}

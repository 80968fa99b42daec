package store

import (
	"context"
	"fmt"
	"time"
)

// RecordSigninFailure notes a failed sign-in under each key (account and
// client address).
func (s *Store) RecordSigninFailure(ctx context.Context, now time.Time, keys ...string) error {
	for _, k := range keys {
		if _, err := s.db.Exec(ctx, `INSERT INTO signin_failures (key, at) VALUES ($1, $2)`, k, now); err != nil {
			return fmt.Errorf("store: record signin failure: %w", err)
		}
	}
	return nil
}

// SigninFailures counts each key's failures since a time, in one query, and
// forgets failures older than that.
func (s *Store) SigninFailures(ctx context.Context, since time.Time, keys ...string) (map[string]int, error) {
	if _, err := s.db.Exec(ctx, `DELETE FROM signin_failures WHERE key = ANY($1) AND at < $2`, keys, since); err != nil {
		return nil, fmt.Errorf("store: signin failures: %w", err)
	}
	rows, err := s.db.Query(ctx, `
		SELECT key, count(*) FROM signin_failures WHERE key = ANY($1) AND at >= $2 GROUP BY key`, keys, since)
	if err != nil {
		return nil, fmt.Errorf("store: signin failures: %w", err)
	}
	defer rows.Close()
	counts := make(map[string]int, len(keys))
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("store: signin failures: %w", err)
		}
		counts[k] = n
	}
	return counts, rows.Err()
}

// ClearSigninFailures forgets the failures of a key after a successful sign-in.
func (s *Store) ClearSigninFailures(ctx context.Context, key string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM signin_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("store: clear signin failures: %w", err)
	}
	return nil
}

// DeleteOldSigninFailures forgets every failure before a time.
func (s *Store) DeleteOldSigninFailures(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM signin_failures WHERE at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("store: delete old signin failures: %w", err)
	}
	return tag.RowsAffected(), nil
}

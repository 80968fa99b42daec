package store

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ClearSigninFailures forgets the failures of a key after a successful sign-in.
func (s *Store) ClearSigninFailures(ctx context.Context, key string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM signin_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("store: clear signin failures: %w", err)
	}
	return nil
}

// DeleteOldSigninFailures forgets every failure before a time, except that
// keys starting with longPrefix are kept until longBefore.
func (s *Store) DeleteOldSigninFailures(ctx context.Context, before time.Time, longPrefix string, longBefore time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `
		DELETE FROM signin_failures
		WHERE at < $1 AND (NOT starts_with(key, $2) OR at < $3)`, before, longPrefix, longBefore)
	if err != nil {
		return 0, fmt.Errorf("store: delete old signin failures: %w", err)
	}
	return tag.RowsAffected(), nil
}

// AttemptLimit caps the failures of one key within a window.
type AttemptLimit struct {
	Key   string
	Since time.Time
	Max   int
}

// ReserveSigninAttempt records an attempt as a failure before it is tried
// ("record first"), unless a limit is already reached; counting and recording
// happen under an advisory lock per key, so parallel attempts cannot all read
// the same count (ASVS 6.3.1). It returns the counts before this attempt,
// one per limit, and whether the attempt may go ahead. A successful attempt
// gives its row back with ReleaseSigninAttempt.
func (s *Store) ReserveSigninAttempt(ctx context.Context, now time.Time, limits ...AttemptLimit) (counts []int, ok bool, err error) {
	keys := make([]string, 0, len(limits))
	for _, l := range limits {
		if !slices.Contains(keys, l.Key) {
			keys = append(keys, l.Key)
		}
	}
	slices.Sort(keys) // one lock order: no deadlock between two attempts
	counts = make([]int, len(limits))
	err = s.InTx(ctx, func(tx *Store) error {
		for _, k := range keys {
			if _, err := tx.db.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, k); err != nil {
				return err
			}
		}
		ok = true
		for i, l := range limits {
			if err := tx.db.QueryRow(ctx, `SELECT count(*) FROM signin_failures WHERE key = $1 AND at >= $2`,
				l.Key, l.Since).Scan(&counts[i]); err != nil {
				return err
			}
			ok = ok && counts[i] < l.Max
		}
		if !ok {
			return nil
		}
		_, err := tx.db.Exec(ctx, `INSERT INTO signin_failures (key, at) SELECT unnest($1::text[]), $2`, keys, now)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: reserve signin attempt: %w", err)
	}
	return counts, ok, nil
}

// ReleaseSigninAttempt takes back the row ReserveSigninAttempt recorded for
// key at now, after the attempt succeeded.
func (s *Store) ReleaseSigninAttempt(ctx context.Context, now time.Time, key string) error {
	_, err := s.db.Exec(ctx, `
		DELETE FROM signin_failures WHERE ctid = (
			SELECT ctid FROM signin_failures WHERE key = $1 AND at = $2 LIMIT 1)`, key, now)
	if err != nil {
		return fmt.Errorf("store: release signin attempt: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"fmt"
	"time"
)

// Token purposes.
const (
	PurposeInvitation    = "invitation"
	PurposePasswordReset = "password_reset"
)

// CreateToken stores the hash of a single-use link token.
func (s *Store) CreateToken(ctx context.Context, hash []byte, userID int64, purpose string, now, expires time.Time) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hash, userID, purpose, now, expires)
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// TokenUser returns the user of a valid (unused, unexpired) token without
// using it up, for showing the form behind a link.
func (s *Store) TokenUser(ctx context.Context, hash []byte, purpose string, now time.Time) (*User, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		SELECT user_id FROM user_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3`,
		hash, purpose, now).Scan(&id)
	if err != nil {
		return nil, wrap("token user", err, ErrTokenInvalid)
	}
	return s.UserByID(ctx, id)
}

// UseToken marks a valid token used and returns its user id. Of two
// concurrent uses exactly one succeeds: the update is the check.
func (s *Store) UseToken(ctx context.Context, hash []byte, purpose string, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		UPDATE user_tokens SET used_at = $3
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
		RETURNING user_id`, hash, purpose, now).Scan(&id)
	if err != nil {
		return 0, wrap("use token", err, ErrTokenInvalid)
	}
	return id, nil
}

// RevokeTokens invalidates a user's open tokens of a purpose (a new
// invitation replaces the old one; a reset ends earlier reset links).
func (s *Store) RevokeTokens(ctx context.Context, userID int64, purpose string, now time.Time) error {
	_, err := s.db.Exec(ctx, `
		UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
		userID, purpose, now)
	if err != nil {
		return fmt.Errorf("store: revoke tokens: %w", err)
	}
	return nil
}

// ReplaceRecoveryCodes stores new recovery code hashes, dropping old ones.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes [][]byte) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("store: replace recovery codes: %w", err)
	}
	for _, h := range hashes {
		if _, err := s.db.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
			return fmt.Errorf("store: replace recovery codes: %w", err)
		}
	}
	return nil
}

// UseRecoveryCode consumes an unused code and reports whether it was valid:
// keyed holds its keyed hashes under every configured key, legacy its
// unkeyed SHA-256 (codes issued before keyed hashing, marked legacy).
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, keyed [][]byte, legacy []byte, now time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		UPDATE recovery_codes SET used_at = $4
		WHERE ctid = (
			SELECT ctid FROM recovery_codes
			WHERE user_id = $1 AND used_at IS NULL
			  AND ((NOT legacy AND code_hash = ANY($2)) OR (legacy AND code_hash = $3))
			LIMIT 1)`,
		userID, keyed, legacy, now)
	if err != nil {
		return false, fmt.Errorf("store: use recovery code: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: recovery codes left: %w", err)
	}
	return n, nil
}

// RecentTokens counts a user's tokens of a purpose created since a time.
// Called inside InTx before creating a token, it first takes a lock per
// user and purpose held to the commit, so parallel requests count one after
// the other and a limit on the count holds (a count alone would let them
// all see the same number).
func (s *Store) RecentTokens(ctx context.Context, userID int64, purpose string, since time.Time) (int, error) {
	var n int
	_, err := s.db.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('user_tokens:' || $1 || ':' || $2::bigint, 0))`,
		purpose, userID)
	if err == nil {
		err = s.db.QueryRow(ctx, `SELECT count(*) FROM user_tokens WHERE user_id = $1 AND purpose = $2 AND created_at >= $3`,
			userID, purpose, since).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("store: recent tokens: %w", err)
	}
	return n, nil
}

package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// UserSession is one signed-in session of a user.
type UserSession struct {
	ID         string    `db:"id"`
	UserID     int64     `db:"user_id"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	UserAgent  string    `db:"user_agent"`
}

// CreateSession records a new signed-in session.
func (s *Store) CreateSession(ctx context.Context, id string, userID int64, userAgent string, now time.Time) error {
	userAgent = clipUTF8(userAgent, 300)
	_, err := s.db.Exec(ctx, `
		INSERT INTO user_sessions (id, user_id, created_at, last_seen_at, user_agent) VALUES ($1, $2, $3, $3, $4)`,
		id, userID, now, userAgent)
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionUser returns a session and its user in one query.
func (s *Store) SessionUser(ctx context.Context, id string) (*UserSession, *User, error) {
	var us UserSession
	var u User
	err := s.db.QueryRow(ctx, `
		SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.user_agent,
			u.id, u.email, u.name, u.role, u.state, coalesce(u.totp_secret, ''), u.totp_enabled_at, u.created_at, u.updated_at
		FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`, id).Scan(
		&us.ID, &us.UserID, &us.CreatedAt, &us.LastSeenAt, &us.UserAgent,
		&u.ID, &u.Email, &u.Name, &u.Role, &u.State, &u.TOTPSecret, &u.TOTPEnabledAt, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, nil, wrap("session user", err, ErrNotFound)
	}
	return &us, &u, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, id string, now time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE user_sessions SET last_seen_at = $2 WHERE id = $1`, id, now)
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM user_sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user except keep (may be "")
// and returns how many ended.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM user_sessions WHERE user_id = $1 AND id <> $2`, userID, keep)
	if err != nil {
		return 0, fmt.Errorf("store: delete user sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// UserSessions lists a user's sessions, most recently used first.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]UserSession, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT id, user_id, created_at, last_seen_at, user_agent FROM user_sessions
		WHERE user_id = $1 ORDER BY last_seen_at DESC`, userID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[UserSession])
	if err != nil {
		return nil, fmt.Errorf("store: user sessions: %w", err)
	}
	return list, nil
}

// DeleteExpiredSessions removes sessions idle since idleBefore or created
// before createdBefore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM user_sessions WHERE last_seen_at < $1 OR created_at < $2`, idleBefore, createdBefore)
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// clipUTF8 makes s valid UTF-8 without NUL and cuts it to at most n bytes
// at a character boundary (a header may hold any bytes; PostgreSQL refuses
// invalid text).
func clipUTF8(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

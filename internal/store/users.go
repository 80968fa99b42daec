package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/account"
)

// User is an account.
type User struct {
	ID            int64         `db:"id"`
	Email         string        `db:"email"`
	Name          string        `db:"name"`
	Role          account.Role  `db:"role"`
	State         account.State `db:"state"`
	PasswordHash  string        `db:"password_hash"`
	TOTPSecret    string        `db:"totp_secret"`
	TOTPEnabledAt *time.Time    `db:"totp_enabled_at"`
	CreatedAt     time.Time     `db:"created_at"`
	UpdatedAt     time.Time     `db:"updated_at"`
}

// TOTPEnabled reports whether the user signs in with a second factor.
func (u *User) TOTPEnabled() bool { return u.TOTPEnabledAt != nil }

const userColumns = `id, email, name, role, state, coalesce(password_hash, '') AS password_hash,
	coalesce(totp_secret, '') AS totp_secret, totp_enabled_at, created_at, updated_at`

func (s *Store) oneUser(ctx context.Context, op, where string, args ...any) (*User, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, args...)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[User])
	if err != nil {
		return nil, wrap(fmt.Sprintf("%s", op), err, ErrNotFound)
	}
	return u, nil
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	return s.oneUser(ctx, "user by id", `id = $1`, id)
}

// UserByEmail returns the user with a normalised address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.oneUser(ctx, "user by email", `email = $1`, email)
}

// NewUser is what creating an account needs.
type NewUser struct {
	Email, Name  string
	Role         account.Role
	State        account.State
	PasswordHash string // empty for an invited user
	Now          time.Time
}

// CreateUser inserts an account; a duplicate address is ErrEmailTaken.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (int64, error) {
	var id int64
	var hash *string
	var changed *time.Time
	if n.PasswordHash != "" {
		hash, changed = &n.PasswordHash, &n.Now
	}
	err := s.db.QueryRow(ctx, `
		INSERT INTO users (email, name, role, state, password_hash, password_changed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
		n.Email, n.Name, n.Role, n.State, hash, changed, n.Now).Scan(&id)
	if err != nil {
		return 0, wrap("create user", err, nil)
	}
	return id, nil
}

// SetPassword stores a new password hash and activates an invited account.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string, now time.Time) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3,
			state = CASE WHEN state = 'invited' THEN 'active' ELSE state END
		WHERE id = $1`, userID, hash, now)
	return execOne(tag, err, "set password")
}

// SetTOTP stores a confirmed TOTP secret (enabled) or removes it (secret "").
func (s *Store) SetTOTP(ctx context.Context, userID int64, secret string, now time.Time) error {
	var sec *string
	var at *time.Time
	if secret != "" {
		sec, at = &secret, &now
	}
	tag, err := s.db.Exec(ctx, `
		UPDATE users SET totp_secret = $2, totp_enabled_at = $3, updated_at = $4, totp_last_step = 0 WHERE id = $1`,
		userID, sec, at, now)
	return execOne(tag, err, "set totp")
}

// SetRole changes a user's role.
func (s *Store) SetRole(ctx context.Context, userID int64, role account.Role, now time.Time) error {
	tag, err := s.db.Exec(ctx, `UPDATE users SET role = $2, updated_at = $3 WHERE id = $1`, userID, role, now)
	return execOne(tag, err, "set role")
}

// SetState disables or re-enables an account. Enabling returns an account
// to active if it has a password, else to invited.
func (s *Store) SetState(ctx context.Context, userID int64, disabled bool, now time.Time) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE users SET updated_at = $3, state = CASE
			WHEN $2 THEN 'disabled'
			WHEN password_hash IS NULL THEN 'invited'
			ELSE 'active' END
		WHERE id = $1`, userID, disabled, now)
	return execOne(tag, err, "set state")
}

// UserFilter selects users for the admin list.
type UserFilter struct {
	Query  string // part of name or e-mail
	Role   account.Role
	State  account.State
	Limit  int
	Offset int
}

// UserListItem is a row of the admin list.
type UserListItem struct {
	User
	Initiatives int `db:"initiatives"`
	Total       int `db:"total"`
}

// ListUsers returns one page of users, sorted by name in German order, and
// the total number matching.
func (s *Store) ListUsers(ctx context.Context, f UserFilter) ([]UserListItem, int, error) {
	args := []any{}
	where := "true"
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + fmt.Sprintf(cond, "$"+strconv.Itoa(len(args)))
	}
	if f.Query != "" {
		add("(u.name ILIKE %[1]s OR u.email ILIKE %[1]s)", "%"+escapeLike(f.Query)+"%")
	}
	if f.Role != "" {
		add("u.role = %s", string(f.Role))
	}
	if f.State != "" {
		add("u.state = %s", string(f.State))
	}
	args = append(args, f.Limit, f.Offset)
	rows, _ := s.db.Query(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.state, '' AS password_hash, '' AS totp_secret,
			u.totp_enabled_at, u.created_at, u.updated_at,
			(SELECT count(*) FROM user_initiatives ui WHERE ui.user_id = u.id)::int AS initiatives,
			(count(*) OVER ())::int AS total
		FROM users u WHERE `+where+`
		ORDER BY u.name COLLATE "de-DE-x-icu", u.id
		LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	items, total, err := collectPage(rows, "list users", func(x UserListItem) int { return x.Total })
	if err != nil {
		return nil, 0, err
	}
	total, err = s.totalPastEnd(ctx, total, len(items), f.Offset, "count users",
		`SELECT count(*) FROM users u WHERE `+where, args[:len(args)-2]...)
	return items, total, err
}

// escapeLike escapes the LIKE wildcards in user input.
func escapeLike(s string) string {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}

// UseTOTPStep records an accepted TOTP time step and reports whether it is
// newer than the last one, so an intercepted code cannot be replayed.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("store: use totp step: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// TOTPSecretRow is a user's stored (sealed) TOTP secret.
type TOTPSecretRow struct {
	UserID int64  `db:"id"`
	Sealed string `db:"totp_secret"`
}

// TOTPSecrets lists every stored TOTP secret, for re-encryption.
func (s *Store) TOTPSecrets(ctx context.Context) ([]TOTPSecretRow, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id`)
	return collect[TOTPSecretRow](rows, "totp secrets")
}

// ResealTOTPSecret replaces a user's sealed TOTP secret if it is still old
// (a concurrent change wins), without touching anything else.
func (s *Store) ResealTOTPSecret(ctx context.Context, userID int64, old, sealed string) error {
	if _, err := s.db.Exec(ctx, `UPDATE users SET totp_secret = $3 WHERE id = $1 AND totp_secret = $2`,
		userID, old, sealed); err != nil {
		return fmt.Errorf("store: reseal totp secret: %w", err)
	}
	return nil
}

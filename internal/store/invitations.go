package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Invitation is an invitation to register for an event
// (migrations/00017_registration_admin.sql).
type Invitation struct {
	ID             int64      `db:"id"`
	EventID        int64      `db:"event_id"`
	Name           string     `db:"name"`
	Email          string     `db:"email"`
	Status         string     `db:"status"`
	RegistrationID *int64     `db:"registration_id"`
	CreatedAt      time.Time  `db:"created_at"`
	RespondedAt    *time.Time `db:"responded_at"`
}

const invitationColumns = `id, event_id, name, email, status, registration_id, created_at, responded_at`

// NewInvitation is a person to invite, with the hash of their link.
type NewInvitation struct {
	Name, Email string
	TokenHash   []byte
}

// CreateInvitation stores an invitation unless the address was invited to
// the event before (created false). Call it in the transaction that queues
// the e-mail.
func (s *Store) CreateInvitation(ctx context.Context, eventID int64, in NewInvitation, by *int64, now time.Time) (inv Invitation, created bool, err error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO registration_invitations (event_id, name, email, token_hash, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id, lower(email)) DO NOTHING RETURNING `+invitationColumns,
		eventID, in.Name, in.Email, in.TokenHash, by, now)
	inv, err = collectOne[Invitation](rows, "create invitation")
	if errors.Is(err, ErrNotFound) {
		return inv, false, nil
	}
	return inv, err == nil, err
}

// EnqueueInvitationMail writes an invitation's e-mail to the outbox: body
// holds LinkPlaceholder where the personal link goes, sealedLink the
// encrypted link, kept only until delivery (see EnqueueMailWithLink).
func (s *Store) EnqueueInvitationMail(ctx context.Context, invitationID int64, to, subject, body, sealedLink string) error {
	_, err := s.db.Exec(ctx, `INSERT INTO outbox (recipient, subject, body, invitation_id, secret_link)
		VALUES ($1, $2, $3, $4, nullif($5, ''))`,
		to, subject, body, invitationID, sealedLink)
	if err != nil {
		return fmt.Errorf("store: enqueue invitation mail: %w", err)
	}
	return nil
}

// Invitations lists an event's invitations, newest first.
func (s *Store) Invitations(ctx context.Context, eventID int64) ([]Invitation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+invitationColumns+` FROM registration_invitations WHERE event_id = $1
		ORDER BY created_at DESC, id DESC`, eventID)
	return collect[Invitation](rows, "invitations")
}

// InvitationByToken returns the invitation of a link's token hash, or
// ErrTokenInvalid.
func (s *Store) InvitationByToken(ctx context.Context, hash []byte) (Invitation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+invitationColumns+` FROM registration_invitations WHERE token_hash = $1`, hash)
	return collectOneOr[Invitation](rows, "invitation by token", ErrTokenInvalid)
}

// AnswerInvitation records the invitee's answer: registered (with the
// registration) or declined.
func (s *Store) AnswerInvitation(ctx context.Context, id int64, status string, registrationID *int64, now time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE registration_invitations SET status = $2, registration_id = $3, responded_at = $4
		WHERE id = $1`, id, status, registrationID, now)
	if err != nil {
		return fmt.Errorf("store: answer invitation: %w", err)
	}
	return nil
}

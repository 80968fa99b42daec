package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// NewProposal is a visitor's proposal before its e-mail address is
// confirmed.
type NewProposal struct {
	Name, Email string
	TokenHash   []byte
	Profile     InitiativeProfile
	Now         time.Time
	Expires     time.Time
}

// Proposal is a visitor's proposal and who made it.
type Proposal struct {
	ID           int64
	Name, Email  string
	Profile      InitiativeProfile
	InitiativeID *int64
}

// CreateProposal stores an unconfirmed proposal.
func (s *Store) CreateProposal(ctx context.Context, p NewProposal) (int64, error) {
	profile, err := json.Marshal(p.Profile)
	if err != nil {
		return 0, fmt.Errorf("store: create proposal: %w", err)
	}
	var id int64
	err = s.db.QueryRow(ctx, `
		INSERT INTO initiative_proposals (proposer_name, proposer_email, token_hash, profile, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, p.Name, p.Email, p.TokenHash, profile, p.Now, p.Expires).Scan(&id)
	return id, wrap("create proposal", err, nil)
}

// PendingProposal returns the unconfirmed proposal behind a link that has
// not expired; anything else is ErrTokenInvalid.
func (s *Store) PendingProposal(ctx context.Context, hash []byte, now time.Time) (Proposal, error) {
	return s.oneProposal(ctx, "pending proposal", ErrTokenInvalid, `
		SELECT id, proposer_name, proposer_email, profile, initiative_id FROM initiative_proposals
		WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > $2`, hash, now)
}

// ClaimProposal uses up a proposal's link: it returns the proposal and
// marks it confirmed, once; a second claim (or an expired link) is
// ErrTokenInvalid. The caller links the initiative with
// SetProposalInitiative in the same transaction.
func (s *Store) ClaimProposal(ctx context.Context, hash []byte, now time.Time) (Proposal, error) {
	return s.oneProposal(ctx, "claim proposal", ErrTokenInvalid, `
		UPDATE initiative_proposals SET token_hash = NULL, confirmed_at = $2
		WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > $2
		RETURNING id, proposer_name, proposer_email, profile, initiative_id`, hash, now)
}

// SetProposalInitiative records the initiative a confirmed proposal became.
func (s *Store) SetProposalInitiative(ctx context.Context, id, initiativeID int64) error {
	tag, err := s.db.Exec(ctx, `UPDATE initiative_proposals SET initiative_id = $2 WHERE id = $1`, id, initiativeID)
	return execOne(tag, err, "set proposal initiative")
}

// ProposerOf returns the visitor who proposed an initiative and has not
// been invited yet (ErrNotFound if there is none).
func (s *Store) ProposerOf(ctx context.Context, initiativeID int64) (Proposal, error) {
	return s.oneProposal(ctx, "proposer", ErrNotFound, `
		SELECT id, proposer_name, proposer_email, profile, initiative_id FROM initiative_proposals
		WHERE initiative_id = $1`, initiativeID)
}

// DeleteProposal forgets a proposal and the person behind it.
func (s *Store) DeleteProposal(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, `DELETE FROM initiative_proposals WHERE id = $1`, id)
	return wrap("delete proposal", err, nil)
}

// DeleteExpiredProposals deletes the proposals whose link expired
// unconfirmed, and returns how many.
func (s *Store) DeleteExpiredProposals(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM initiative_proposals WHERE confirmed_at IS NULL AND expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("store: delete expired proposals: %w", err)
	}
	return tag.RowsAffected(), nil
}

func (s *Store) oneProposal(ctx context.Context, op string, notFound error, sql string, args ...any) (Proposal, error) {
	var p Proposal
	var raw []byte
	err := s.db.QueryRow(ctx, sql, args...).Scan(&p.ID, &p.Name, &p.Email, &raw, &p.InitiativeID)
	if err != nil {
		return p, wrap(op, err, notFound)
	}
	if err := json.Unmarshal(raw, &p.Profile); err != nil {
		return p, fmt.Errorf("store: %s: %w", op, err)
	}
	return p, nil
}

// EditorEmails lists the addresses of the active editors: the
// Service-Stelle, told of every proposal unless a shared address is set.
func (s *Store) EditorEmails(ctx context.Context) ([]string, error) {
	rows, _ := s.db.Query(ctx, `SELECT email FROM users WHERE role = 'editor' AND state = 'active' ORDER BY id`)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: editor emails: %w", err)
	}
	return list, nil
}

// MembersToNotify lists the members linked to an initiative who are active
// or invited (an invited proposer hears of the publication too).
func (s *Store) MembersToNotify(ctx context.Context, initiativeID int64) ([]string, error) {
	rows, _ := s.db.Query(ctx, `SELECT u.email FROM users u JOIN user_initiatives ui ON ui.user_id = u.id
		WHERE ui.initiative_id = $1 AND u.state IN ('active', 'invited') ORDER BY u.id`, initiativeID)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: members to notify: %w", err)
	}
	return list, nil
}

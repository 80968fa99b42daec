package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Delivery channels of a sent outbox message, as stored in delivered_via.
const (
	ViaSMTP = "smtp"
	ViaLog  = "log"
)

// OutboxMessage is one e-mail of the outbox, as the worker sends it and
// admins read it on the Postausgang page.
type OutboxMessage struct {
	ID        int64     `db:"id"`
	Recipient string    `db:"recipient"`
	Subject   string    `db:"subject"`
	Body      string    `db:"body"` // empty in ListOutbox
	CreatedAt time.Time `db:"created_at"`
	// Attempts counts the times a worker claimed the message.
	Attempts      int       `db:"attempts"`
	NextAttemptAt time.Time `db:"next_attempt_at"`
	// SentAt and FailedAt are nil while the message waits.
	SentAt   *time.Time `db:"sent_at"`
	FailedAt *time.Time `db:"failed_at"`
	// DeliveredVia is ViaSMTP or ViaLog once sent, empty before.
	DeliveredVia string `db:"delivered_via"`
	// LastError is the latest failure, empty if none.
	LastError string `db:"last_error"`
	// SecretLink is the sealed link that replaces LinkPlaceholder in Body
	// when the message is sent; only ClaimMail reads it, and delivery (or
	// giving up) deletes it.
	SecretLink string `db:"secret_link"`
	// Attachment is the file sent with the message, if any.
	AttachmentName string `db:"attachment_name"`
	AttachmentType string `db:"attachment_type"`
	Attachment     string `db:"attachment"`
}

// LinkPlaceholder stands in the stored body where the secret link goes.
const LinkPlaceholder = "{{persönlicher-link}}"

// outboxColumns are the columns of OutboxMessage; NULL text becomes "".
const outboxColumns = `id, recipient, subject, body, created_at, attempts, next_attempt_at,
	sent_at, failed_at, coalesce(delivered_via, '') AS delivered_via, coalesce(last_error, '') AS last_error,
	'' AS secret_link,
	coalesce(attachment_name, '') AS attachment_name, coalesce(attachment_type, '') AS attachment_type,
	coalesce(attachment, '') AS attachment`

// claimColumns are outboxColumns with the secret link, for the sender only.
const claimColumns = `id, recipient, subject, body, created_at, attempts, next_attempt_at,
	sent_at, failed_at, coalesce(delivered_via, '') AS delivered_via, coalesce(last_error, '') AS last_error,
	coalesce(secret_link, '') AS secret_link,
	coalesce(attachment_name, '') AS attachment_name, coalesce(attachment_type, '') AS attachment_type,
	coalesce(attachment, '') AS attachment`

// EnqueueMail writes an e-mail to the outbox and returns its id. Call it on
// the transaction-bound store of the change that causes the e-mail: a
// rollback then sends nothing. The worker picks it up once committed; call
// its Notify after the commit to send at once rather than on the next poll.
func (s *Store) EnqueueMail(ctx context.Context, to, subject, body string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx,
		`INSERT INTO outbox (recipient, subject, body) VALUES ($1, $2, $3) RETURNING id`,
		to, subject, body).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: enqueue mail: %w", err)
	}
	return id, nil
}

// EnqueueMailWithLink is EnqueueMail for a message carrying a secret link:
// body holds LinkPlaceholder, sealedLink the encrypted link, which is kept
// only until the message is delivered or given up.
func (s *Store) EnqueueMailWithLink(ctx context.Context, to, subject, body, sealedLink string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx,
		`INSERT INTO outbox (recipient, subject, body, secret_link) VALUES ($1, $2, $3, $4) RETURNING id`,
		to, subject, body, sealedLink).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: enqueue mail: %w", err)
	}
	return id, nil
}

// Attachment is a text file sent with an e-mail, such as an event's .ics.
type Attachment struct {
	Name    string // file name: lower-case letters, digits, '.' and '-'
	Type    string // media type, e.g. "text/calendar; charset=utf-8"
	Content string
}

// EnqueueRegistrationMail writes an e-mail about registration
// registrationID to the outbox, with an optional attachment; like
// EnqueueMail, call it in the transaction of the change. Anonymising the
// registration deletes the message. Like EnqueueMailWithLink, body holds
// LinkPlaceholder where the personal link goes and sealedLink the
// encrypted link, kept only until delivery.
func (s *Store) EnqueueRegistrationMail(ctx context.Context, registrationID int64, to, subject, body, sealedLink string, att *Attachment) (int64, error) {
	var name, typ, content *string
	if att != nil {
		name, typ, content = &att.Name, &att.Type, &att.Content
	}
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO outbox (recipient, subject, body, registration_id,
			attachment_name, attachment_type, attachment, secret_link)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, '')) RETURNING id`,
		to, subject, body, registrationID, name, typ, content, sealedLink).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: enqueue registration mail: %w", err)
	}
	return id, nil
}

// ClaimMail leases the pending message that has been due longest at now,
// until now+lease, and counts the attempt. While the lease runs, no other
// worker claims it, on this instance or another. It returns ErrNotFound when
// nothing is due.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration) (OutboxMessage, error) {
	// SKIP LOCKED lets concurrent claimers pass each other instead of
	// queueing on the same row; the lease then covers the send itself,
	// which runs outside any transaction.
	rows, err := s.db.Query(ctx, `
		WITH due AS (
			SELECT id AS due_id FROM outbox
			WHERE sent_at IS NULL AND failed_at IS NULL
			  AND next_attempt_at <= $1
			  AND (locked_until IS NULL OR locked_until <= $1)
			ORDER BY next_attempt_at, id
			LIMIT 1
			FOR UPDATE SKIP LOCKED
		)
		UPDATE outbox o SET locked_until = $2, attempts = o.attempts + 1
		FROM due WHERE o.id = due.due_id
		RETURNING `+claimColumns, now, now.Add(lease))
	if err != nil {
		return OutboxMessage{}, fmt.Errorf("store: claim mail: %w", err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OutboxMessage])
	if err != nil {
		return OutboxMessage{}, wrap("claim mail", err, ErrNotFound)
	}
	return m, nil
}

// MarkMailSent records that message id went out at now via ViaSMTP or
// ViaLog and ends its lease. It reports false if the message was already
// marked sent, which means it went out twice.
func (s *Store) MarkMailSent(ctx context.Context, id int64, via string, now time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `
		UPDATE outbox SET sent_at = $3, delivered_via = $2, locked_until = NULL, secret_link = NULL
		WHERE id = $1 AND sent_at IS NULL`, id, via, now)
	if err != nil {
		return false, fmt.Errorf("store: mark mail sent: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// RetryMail records a failed attempt of message id and schedules the next
// one at next.
func (s *Store) RetryMail(ctx context.Context, id int64, lastErr string, next time.Time) error {
	_, err := s.db.Exec(ctx, `
		UPDATE outbox SET last_error = $2, next_attempt_at = $3, locked_until = NULL
		WHERE id = $1 AND sent_at IS NULL`, id, lastErr, next)
	if err != nil {
		return fmt.Errorf("store: retry mail: %w", err)
	}
	return nil
}

// FailMail gives message id up at now after its last error.
func (s *Store) FailMail(ctx context.Context, id int64, lastErr string, now time.Time) error {
	_, err := s.db.Exec(ctx, `
		UPDATE outbox SET last_error = $2, failed_at = $3, locked_until = NULL, secret_link = NULL
		WHERE id = $1 AND sent_at IS NULL`, id, lastErr, now)
	if err != nil {
		return fmt.Errorf("store: fail mail: %w", err)
	}
	return nil
}

// DeleteOldMail deletes messages sent or given up before cutoff and returns
// how many went.
func (s *Store) DeleteOldMail(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx,
		`DELETE FROM outbox WHERE sent_at < $1 OR failed_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("store: delete old mail: %w", err)
	}
	return tag.RowsAffected(), nil
}

// ListOutbox returns a page of the outbox, newest first, without the texts,
// and the number of messages in all.
func (s *Store) ListOutbox(ctx context.Context, limit, offset int) ([]OutboxMessage, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list outbox: %w", err)
	}
	rows, err := s.db.Query(ctx, `
		SELECT id, recipient, subject, created_at, attempts, next_attempt_at, sent_at, failed_at,
		       coalesce(delivered_via, '') AS delivered_via, coalesce(last_error, '') AS last_error
		FROM outbox ORDER BY id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list outbox: %w", err)
	}
	// Lax: the list leaves out the body, which may be long.
	msgs, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[OutboxMessage])
	if err != nil {
		return nil, 0, fmt.Errorf("store: list outbox: %w", err)
	}
	return msgs, total, nil
}

// OutboxMessage returns message id with its text, or ErrNotFound.
func (s *Store) OutboxMessage(ctx context.Context, id int64) (OutboxMessage, error) {
	rows, err := s.db.Query(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = $1`, id)
	if err != nil {
		return OutboxMessage{}, fmt.Errorf("store: outbox message: %w", err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[OutboxMessage])
	if err != nil {
		return OutboxMessage{}, wrap("outbox message", err, ErrNotFound)
	}
	return m, nil
}

// Package mail sends the portal's outbox: every e-mail is first written to
// the outbox table (store.EnqueueMail) in the transaction of what caused it;
// a Worker on each app instance then claims due messages, sends them through
// a Sender and records the outcome, retrying with backoff while the mail
// server is away.
//
// With RII_SMTP_URL set, messages go out by SMTP; without it, they are only
// logged and marked as such, and admins read them on the Postausgang page, so
// a demo needs no mail server.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"rii/internal/config"
	"rii/internal/secret"
	"rii/internal/store"
)

// Message is one e-mail as a Sender sends it: German plain text from the
// portal's sender address (config.MailFrom) to one recipient.
type Message struct {
	// ID is the Message-ID without angle brackets. It is derived from the
	// outbox row, so a message sent twice by mishap carries the same ID and
	// mail clients can drop the copy.
	ID string
	// To is the recipient's address.
	To string
	// Subject and Body are plain text.
	Subject, Body string
	// Date is the time of sending.
	Date time.Time
	// Attachment is a text file sent with the message, or nil.
	Attachment *Attachment
}

// Attachment is a text file attached to a message, such as an .ics.
type Attachment struct {
	Name, Type, Content string
}

// Sender delivers one message.
type Sender interface {
	// Send delivers m. An error wrapped in PermanentError says that trying
	// again cannot help; any other error is retried.
	Send(ctx context.Context, m Message) error
	// Via names the channel for the outbox's delivered_via: store.ViaSMTP or
	// store.ViaLog.
	Via() string
}

// PermanentError marks a failure that retrying cannot cure, such as an
// address the mail server refuses for good.
type PermanentError struct {
	Err error
}

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// permanent reports whether err is, or wraps, a PermanentError.
func permanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// NewSender returns the sender the configuration asks for: SMTP when
// cfg.SMTPURL is set, the log otherwise.
func NewSender(cfg *config.Config, log *slog.Logger) (Sender, error) {
	if cfg.SMTPURL == nil {
		return NewLogSender(log), nil
	}
	return NewSMTPSender(cfg.SMTPURL, cfg.MailFrom)
}

// New returns the outbox worker for the configuration, on st: sending
// through SMTP or the log (see NewSender), with Message-IDs in the domain of
// cfg.MailFrom.
func New(cfg *config.Config, st *store.Store, log *slog.Logger) (*Worker, error) {
	sender, err := NewSender(cfg, log)
	if err != nil {
		return nil, err
	}
	w := NewWorker(st, sender, log)
	w.Domain = addressDomain(cfg.MailFrom)
	if len(cfg.SecretKeys) > 0 {
		if w.Keys, err = secret.New(cfg.SecretKeys...); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// LogSender writes messages to the log instead of sending them: the
// portal's mode without a mail server.
type LogSender struct {
	log *slog.Logger
}

// NewLogSender returns a sender that logs to log.
func NewLogSender(log *slog.Logger) *LogSender { return &LogSender{log: log} }

// Send logs m. The text goes to the debug level only: it may hold links with
// tokens (password resets, invitations), which do not belong in an
// operator's log; admins read it on the Postausgang page.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	s.log.InfoContext(ctx, "outbox: e-mail logged, not sent (RII_SMTP_URL is unset)",
		slog.String("message_id", m.ID), slog.String("to", m.To), slog.String("subject", m.Subject))
	s.log.DebugContext(ctx, "outbox: e-mail text", slog.String("message_id", m.ID), slog.String("body", m.Body))
	return nil
}

// Via reports store.ViaLog.
func (s *LogSender) Via() string { return store.ViaLog }

// messageID builds the Message-ID of outbox message id, created at created.
// The creation time keeps IDs unique when a demo database starts over.
func messageID(id int64, created time.Time, domain string) string {
	return fmt.Sprintf("outbox.%d.%d@%s", id, created.UnixMicro(), domain)
}

package mail

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"rii/internal/secret"
	"rii/internal/store"
)

// Defaults of a Worker.
const (
	// DefaultPollInterval is how often an idle worker looks for due messages.
	DefaultPollInterval = 2 * time.Second
	// DefaultLease is how long a claimed message stays with one worker. It
	// must outlast a send by far: a message whose lease ran out may be sent
	// by another instance too.
	DefaultLease = 5 * time.Minute
	// GiveUpAfter is how long after enqueueing a message is retried.
	GiveUpAfter = 72 * time.Hour
	// Retention is how long sent and given-up messages are kept.
	Retention = 30 * 24 * time.Hour

	firstRetry      = 10 * time.Second
	maxRetry        = time.Hour
	sendTimeout     = time.Minute
	recordTimeout   = 15 * time.Second
	cleanupInterval = time.Hour
	maxErrorLen     = 2000
)

// Worker sends the outbox. Each app instance runs one; they share the work
// through leases in the outbox table, so every message goes out once.
type Worker struct {
	// Clock tells the time for every decision (due, backoff, give-up,
	// retention); nil means time.Now. Tests move it on to drive retries.
	Clock func() time.Time
	// PollInterval is how often Run looks for due messages without a
	// Notify; zero means DefaultPollInterval.
	PollInterval time.Duration
	// Lease is how long a claimed message is reserved; zero means DefaultLease.
	Lease time.Duration
	// Domain is the right-hand side of Message-IDs; New takes it from
	// config.MailFrom.
	Domain string
	// Keys open the sealed links of messages (store.LinkPlaceholder); New
	// takes them from config.SecretKeys.
	Keys *secret.Keys
	// Observe, if set, learns the result of every delivery attempt (for
	// the metrics of failed deliveries).
	Observe func(sent bool)

	store  *store.Store
	sender Sender
	log    *slog.Logger
	wake   chan struct{}
}

// NewWorker returns a worker that sends the outbox of st through sender.
func NewWorker(st *store.Store, sender Sender, log *slog.Logger) *Worker {
	return &Worker{
		Domain: "localhost",
		store:  st,
		sender: sender,
		log:    log,
		wake:   make(chan struct{}, 1),
	}
}

// Notify wakes Run to send at once instead of at the next poll. Call it
// after the transaction that enqueued a message has committed; it never
// blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// Run sends due messages until ctx ends: at start, on every Notify, and
// every PollInterval; once an hour it also deletes messages past Retention.
// A send under way when ctx ends is finished and recorded first, so Run may
// return up to one send timeout later.
func (w *Worker) Run(ctx context.Context) {
	poll := w.PollInterval
	if poll <= 0 {
		poll = DefaultPollInterval
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var lastCleanup time.Time
	failing := false
	for {
		_, err := w.SendDue(ctx)
		if now := w.now(); err == nil && now.Sub(lastCleanup) >= cleanupInterval {
			if _, err = w.Cleanup(ctx); err == nil {
				lastCleanup = now
			}
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && !failing:
			// Once per outage, not every poll.
			w.log.ErrorContext(ctx, "outbox: database unavailable; e-mails wait", slog.Any("error", err))
		case err == nil && failing:
			w.log.InfoContext(ctx, "outbox: database available again")
		}
		failing = err != nil
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-w.wake:
		}
	}
}

// SendDue sends every message due now, one claim at a time, and returns how
// many went out. It stops early when ctx ends or the database fails.
func (w *Worker) SendDue(ctx context.Context) (int, error) {
	lease := w.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	sent := 0
	for ctx.Err() == nil {
		m, err := w.store.ClaimMail(ctx, w.now(), lease)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return sent, err
		}
		if w.send(ctx, m) {
			sent++
		}
	}
	return sent, nil
}

// send delivers one claimed message and records the outcome. A stop (ctx)
// does not interrupt it: a message half sent and not recorded would be sent
// again.
func (w *Worker) send(ctx context.Context, m store.OutboxMessage) bool {
	ctx = context.WithoutCancel(ctx)
	now := w.now()
	msg := Message{
		ID:      messageID(m.ID, m.CreatedAt, w.Domain),
		To:      m.Recipient,
		Subject: m.Subject,
		Body:    m.Body,
		Date:    now,
	}
	if m.AttachmentName != "" {
		msg.Attachment = &Attachment{Name: m.AttachmentName, Type: m.AttachmentType, Content: m.Attachment}
	}
	body, err := w.withLink(m)
	if err == nil {
		msg.Body = body
		sendCtx, cancel := context.WithTimeout(ctx, sendTimeout)
		err = w.sender.Send(sendCtx, msg)
		cancel()
	}
	if w.Observe != nil {
		w.Observe(err == nil)
	}
	// Recording must not hang on a database that stopped answering.
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	if err == nil {
		w.markSent(ctx, m, msg.ID)
		return true
	}

	attrs := []any{slog.Int64("outbox_id", m.ID), slog.Int("attempts", m.Attempts), slog.Any("error", err)}
	next := now.Add(Backoff(m.Attempts))
	if permanent(err) || next.After(m.CreatedAt.Add(GiveUpAfter)) {
		w.log.ErrorContext(ctx, "outbox: e-mail given up", attrs...)
		if err := w.store.FailMail(ctx, m.ID, errorText(err), now); err != nil {
			// The lease runs out and the message is tried once more.
			w.log.ErrorContext(ctx, "outbox: recording failure", slog.Int64("outbox_id", m.ID), slog.Any("error", err))
		}
		return false
	}
	w.log.WarnContext(ctx, "outbox: sending failed; retrying later", append(attrs, slog.Time("next_attempt", next))...)
	if err := w.store.RetryMail(ctx, m.ID, errorText(err), next); err != nil {
		w.log.ErrorContext(ctx, "outbox: recording failure", slog.Int64("outbox_id", m.ID), slog.Any("error", err))
	}
	return false
}

// withLink puts the message's secret link, opened, in place of
// store.LinkPlaceholder. A link that cannot be opened is a permanent failure.
func (w *Worker) withLink(m store.OutboxMessage) (string, error) {
	if m.SecretLink == "" {
		return m.Body, nil
	}
	if w.Keys == nil {
		return "", &PermanentError{Err: errors.New("outbox: message has a sealed link but no RII_SECRET_KEYS are configured")}
	}
	link, _, err := w.Keys.Open(m.SecretLink, secret.LinkContext)
	if err != nil {
		return "", &PermanentError{Err: err}
	}
	return strings.ReplaceAll(m.Body, store.LinkPlaceholder, link), nil
}

// markSent records a delivered message, retrying briefly: until it is
// recorded, the message counts as unsent and goes out again when its lease
// ends.
func (w *Worker) markSent(ctx context.Context, m store.OutboxMessage, id string) {
	wait := 250 * time.Millisecond
	for try := 1; ; try++ {
		first, err := w.store.MarkMailSent(ctx, m.ID, w.sender.Via(), w.now())
		switch {
		case err == nil && !first:
			w.log.WarnContext(ctx, "outbox: e-mail was sent twice (lease ran out during the send?)",
				slog.Int64("outbox_id", m.ID), slog.String("message_id", id))
			return
		case err == nil:
			w.log.InfoContext(ctx, "outbox: e-mail sent", slog.Int64("outbox_id", m.ID),
				slog.String("message_id", id), slog.String("via", w.sender.Via()))
			return
		case try == 4:
			w.log.ErrorContext(ctx, "outbox: E-MAIL SENT BUT NOT RECORDED; it will be sent again when its lease ends",
				slog.Int64("outbox_id", m.ID), slog.String("message_id", id), slog.Any("error", err))
			return
		}
		time.Sleep(wait)
		wait *= 2
	}
}

// Cleanup deletes messages sent or given up longer than Retention ago, as
// the privacy notice promises. Every instance runs it; the DELETE is
// idempotent, so no coordination is needed.
func (w *Worker) Cleanup(ctx context.Context) (int64, error) {
	n, err := w.store.DeleteOldMail(ctx, w.now().Add(-Retention))
	if err != nil {
		return 0, err
	}
	if n > 0 {
		w.log.InfoContext(ctx, "outbox: old e-mails deleted", slog.Int64("count", n))
	}
	return n, nil
}

// Backoff is the wait after the given number of failed attempts: 10 s,
// doubling each time, at most an hour.
func Backoff(attempts int) time.Duration {
	if attempts < 1 {
		return firstRetry
	}
	if attempts > 16 { // far past the cap; keeps the shift from overflowing
		return maxRetry
	}
	return min(firstRetry<<(attempts-1), maxRetry)
}

func (w *Worker) now() time.Time {
	if w.Clock != nil {
		return w.Clock()
	}
	return time.Now()
}

// errorText shortens err for the outbox's last_error column.
func errorText(err error) string {
	s := err.Error()
	if len(s) <= maxErrorLen {
		return s
	}
	s = s[:maxErrorLen]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + " …"
}

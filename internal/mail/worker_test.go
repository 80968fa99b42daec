package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgtest"
	"rii/internal/store"
)

const testFrom = "RII-Portal <noreply@rii.example>"

// TestNothingIsLostWhileTheMailServerIsDown is the outbox's promise: while
// no SMTP server listens, messages wait and record their failed attempts;
// once it listens, each goes out exactly once, and never again.
func TestNothingIsLostWhileTheMailServerIsDown(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	ctx := t.Context()
	addr := unusedAddr(t) // phase 1: nothing listens here
	sender, err := NewSMTPSender(&url.URL{Scheme: "smtp", Host: addr}, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[int64]string{}
	for i := 1; i <= 5; i++ {
		subj := fmt.Sprintf("Einladung Nr. %d zur Regionalkonferenz – Anmeldebestätigung für Jürgen", i)
		id, err := st.EnqueueMail(ctx, fmt.Sprintf("person%d@example.de", i), subj,
			fmt.Sprintf("Guten Tag,\n\nvielen Dank für Ihre Anmeldung Nr. %d.\n\nIhre Service- und Beratungsstelle\n", i))
		if err != nil {
			t.Fatal(err)
		}
		subjects[id] = subj
	}

	clock := newClock()
	w := NewWorker(st, sender, testLogger())
	w.Clock, w.PollInterval, w.Domain = clock.Now, 10*time.Millisecond, "rii.example"
	startWorker(t, w)

	// Phase 1: four rounds of failures, each a backoff later.
	const rounds = 4
	for round := 1; round <= rounds; round++ {
		waitFor(t, fmt.Sprintf("failed attempt %d of every message", round), func() bool {
			for _, m := range outbox(t, st) {
				if m.Attempts < round || m.LastError == "" || m.NextAttemptAt.Before(clock.Now()) {
					return false
				}
			}
			return true
		})
		if round < rounds {
			clock.Advance(Backoff(round))
		}
	}
	msgs := outbox(t, st)
	if len(msgs) != len(subjects) {
		t.Fatalf("%d messages in the outbox, want %d", len(msgs), len(subjects))
	}
	for _, m := range msgs {
		if m.SentAt != nil || m.FailedAt != nil || m.Attempts != rounds {
			t.Errorf("message %d after phase 1: sent %v, failed %v, %d attempts; want waiting after %d",
				m.ID, m.SentAt, m.FailedAt, m.Attempts, rounds)
		}
		if !strings.Contains(m.LastError, "connection refused") {
			t.Errorf("message %d: last error %q, want the refused connection", m.ID, m.LastError)
		}
		if want := clock.Now().Add(Backoff(rounds)); !m.NextAttemptAt.Equal(want.Truncate(time.Microsecond)) {
			t.Errorf("message %d: next attempt %v, want %v", m.ID, m.NextAttemptAt, want)
		}
	}

	// Phase 2: the server comes up on the same port.
	srv := startServer(t, addr, serverOptions{})
	clock.Advance(Backoff(rounds))
	waitFor(t, "every message sent", func() bool {
		for _, m := range outbox(t, st) {
			if m.SentAt == nil {
				return false
			}
		}
		return true
	})
	got := srv.Received()
	if len(got) != len(subjects) {
		t.Errorf("server received %d messages, want %d", len(got), len(subjects))
	}
	bySubject := map[string]int{}
	byID := map[string]int{}
	for _, r := range got {
		bySubject[r.Subject]++
		byID[r.MessageID]++
	}
	for id, subj := range subjects {
		if bySubject[subj] != 1 {
			t.Errorf("%q arrived %d times, want once", subj, bySubject[subj])
		}
		m, err := st.OutboxMessage(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		wantID := "<" + messageID(id, m.CreatedAt, "rii.example") + ">"
		if byID[wantID] != 1 {
			t.Errorf("Message-ID %s arrived %d times, want once (got %v)", wantID, byID[wantID], byID)
		}
		if m.DeliveredVia != store.ViaSMTP || m.Attempts != rounds+1 || m.FailedAt != nil {
			t.Errorf("message %d: via %q, %d attempts, failed %v; want smtp on attempt %d",
				id, m.DeliveredVia, m.Attempts, m.FailedAt, rounds+1)
		}
	}

	// Afterwards: a day later, with a wake-up, nothing goes out again.
	clock.Advance(24 * time.Hour)
	w.Notify()
	time.Sleep(200 * time.Millisecond) // ≈ 20 polls
	if n, err := w.SendDue(ctx); err != nil || n != 0 {
		t.Errorf("SendDue after delivery = %d, %v; want 0", n, err)
	}
	if n := len(srv.Received()); n != len(subjects) {
		t.Errorf("server has %d messages after a day, want still %d", n, len(subjects))
	}
}

func TestTwoWorkersSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDB(t)
	pools := make([]*pgxpool.Pool, 2)
	for i := range pools {
		p, err := pgxpool.New(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		pools[i] = p
	}
	ctx := t.Context()
	const n = 40
	for i := range n {
		if _, err := store.New(pools[0]).EnqueueMail(ctx, "a@example.de", fmt.Sprintf("Nachricht %d", i), "Text"); err != nil {
			t.Fatal(err)
		}
	}

	rec := &recorder{delay: 2 * time.Millisecond}
	var wg sync.WaitGroup
	counts := make([]int, len(pools))
	errs := make([]error, len(pools))
	for i, p := range pools {
		w := NewWorker(store.New(p), rec, testLogger())
		wg.Go(func() { counts[i], errs[i] = w.SendDue(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("the workers sent %v", counts)
	if counts[0]+counts[1] != n {
		t.Errorf("workers sent %d in all, want %d", counts[0]+counts[1], n)
	}
	seen := map[string]int{}
	for _, m := range rec.Sent() {
		seen[m.ID]++
	}
	if len(seen) != n {
		t.Errorf("%d distinct messages sent, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("%s sent %d times", id, c)
		}
	}
	for _, m := range outbox(t, store.New(pools[1])) {
		if m.SentAt == nil || m.Attempts != 1 {
			t.Errorf("message %d: sent %v after %d attempts, want sent on the first", m.ID, m.SentAt, m.Attempts)
		}
	}
}

func TestLogSenderMarksMessagesLogged(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	ctx := t.Context()
	id, err := st.EnqueueMail(ctx, "a@example.de", "Ihr Zugang zum RII-Portal", "Geheimer Link: https://rii.example/token/abc")
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	w := NewWorker(st, NewLogSender(slog.New(slog.NewTextHandler(&logs, nil))), testLogger())
	if n, err := w.SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("SendDue = %d, %v; want 1", n, err)
	}
	m, err := st.OutboxMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.DeliveredVia != store.ViaLog || m.SentAt == nil {
		t.Errorf("message: via %q, sent %v; want logged", m.DeliveredVia, m.SentAt)
	}
	out := logs.String()
	if !strings.Contains(out, "Ihr Zugang zum RII-Portal") || !strings.Contains(out, "a@example.de") {
		t.Errorf("log lacks recipient or subject:\n%s", out)
	}
	if strings.Contains(out, "token/abc") {
		t.Errorf("info log shows the text with its link:\n%s", out)
	}
}

func TestRolledBackMessageIsNeverSent(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	ctx := t.Context()
	errAbort := errors.New("registration failed")
	err := st.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.EnqueueMail(ctx, "a@example.de", "Anmeldung bestätigt", "Text"); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatal(err)
	}
	rec := &recorder{}
	w := NewWorker(st, rec, testLogger())
	w.Clock = func() time.Time { return time.Now().Add(time.Hour) }
	if n, err := w.SendDue(ctx); err != nil || n != 0 {
		t.Errorf("SendDue = %d, %v; want 0", n, err)
	}
	if len(rec.Sent()) != 0 || len(outbox(t, st)) != 0 {
		t.Errorf("rolled back message appeared: sent %v, outbox %v", rec.Sent(), outbox(t, st))
	}
}

func TestNotifyWakesTheWorker(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	rec := &recorder{}
	w := NewWorker(st, rec, testLogger())
	w.PollInterval = time.Hour // only Notify can wake it in time
	startWorker(t, w)
	time.Sleep(50 * time.Millisecond) // let the first, empty round pass
	if _, err := st.EnqueueMail(t.Context(), "a@example.de", "Sofort", "Text"); err != nil {
		t.Fatal(err)
	}
	w.Notify()
	waitFor(t, "the notified message to go out", func() bool { return len(rec.Sent()) == 1 })
}

func TestWorkerGivesUpAfterThreeDays(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	ctx := t.Context()
	id, err := st.EnqueueMail(ctx, "a@example.de", "Erinnerung", "Text")
	if err != nil {
		t.Fatal(err)
	}
	clock := newClock()
	w := NewWorker(st, &recorder{err: errors.New("451 try again later")}, testLogger())
	w.Clock = clock.Now
	var m store.OutboxMessage
	for step := 0; step < 200; step++ {
		if _, err := w.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		if m, err = st.OutboxMessage(ctx, id); err != nil {
			t.Fatal(err)
		}
		if m.FailedAt != nil {
			break
		}
		clock.Advance(time.Hour)
	}
	if m.FailedAt == nil {
		t.Fatalf("message still waits after 200 hours: %+v", m)
	}
	if age := m.FailedAt.Sub(m.CreatedAt); age < GiveUpAfter-time.Hour || age > GiveUpAfter+time.Hour {
		t.Errorf("given up %v after enqueueing, want about %v", age, GiveUpAfter)
	}
	if m.LastError != "451 try again later" || m.SentAt != nil || m.Attempts < 70 {
		t.Errorf("failed message = %+v; want the last error and some 70 hourly attempts", m)
	}
}

func TestWorkerCleanupDeletesOldMessages(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	ctx := t.Context()
	if _, err := st.EnqueueMail(ctx, "a@example.de", "Alt", "Text"); err != nil {
		t.Fatal(err)
	}
	clock := newClock()
	w := NewWorker(st, &recorder{}, testLogger())
	w.Clock = clock.Now
	if n, err := w.SendDue(ctx); err != nil || n != 1 {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	clock.Advance(Retention - time.Minute)
	if n, err := w.Cleanup(ctx); err != nil || n != 0 {
		t.Errorf("cleanup before 30 days = %d, %v; want 0", n, err)
	}
	clock.Advance(2 * time.Minute)
	if n, err := w.Cleanup(ctx); err != nil || n != 1 {
		t.Errorf("cleanup after 30 days = %d, %v; want 1", n, err)
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		want     time.Duration
	}{
		{0, 10 * time.Second}, {1, 10 * time.Second}, {2, 20 * time.Second}, {3, 40 * time.Second},
		{9, 2560 * time.Second}, {10, time.Hour}, {50, time.Hour}, {1 << 30, time.Hour},
	} {
		if got := Backoff(tc.attempts); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.attempts, got, tc.want)
		}
	}
}

// closingSender closes the pool while "sending", so the worker cannot record
// the delivery.
type closingSender struct {
	recorder
	pool *pgxpool.Pool
}

func (s *closingSender) Send(ctx context.Context, m Message) error {
	s.pool.Close()
	return s.recorder.Send(ctx, m)
}

func TestSentButNotRecordedIsLoggedLoudly(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDB(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	if _, err := st.EnqueueMail(t.Context(), "a@example.de", "Einladung", "Text"); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	sender := &closingSender{pool: pool}
	w := NewWorker(st, sender, slog.New(slog.NewTextHandler(&logs, nil)))
	if n, _ := w.SendDue(t.Context()); n != 1 || len(sender.Sent()) != 1 {
		t.Fatalf("SendDue = %d with %d delivered, want the one message delivered", n, len(sender.Sent()))
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "SENT BUT NOT RECORDED") {
		t.Errorf("log does not cry out:\n%s", logs.String())
	}

	// The message is still pending in the database; another instance sends
	// it again after the lease, with the same Message-ID.
	other, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	rec := &recorder{}
	w2 := NewWorker(store.New(other), rec, testLogger())
	w2.Clock = func() time.Time { return time.Now().Add(DefaultLease) }
	if n, err := w2.SendDue(t.Context()); err != nil || n != 1 {
		t.Fatalf("second instance: SendDue = %d, %v; want 1", n, err)
	}
	if rec.Sent()[0].ID != sender.Sent()[0].ID {
		t.Errorf("re-sent with Message-ID %q, first %q; want the same", rec.Sent()[0].ID, sender.Sent()[0].ID)
	}
}

package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"rii/internal/pgtest"
	"rii/internal/store"
)

const lease = 5 * time.Minute

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return store.New(pgtest.NewPool(t))
}

func enqueue(t *testing.T, s *store.Store, to, subject string) int64 {
	t.Helper()
	id, err := s.EnqueueMail(t.Context(), to, subject, "Guten Tag,\n\ndies ist ein Test.\n")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestEnqueueMailInARolledBackTransactionLeavesNothing(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	errAbort := errors.New("abort")
	err := s.InTx(ctx, func(tx *store.Store) error {
		if _, err := tx.EnqueueMail(ctx, "a@example.de", "Einladung", "Text"); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("InTx = %v, want the callback's error", err)
	}
	if _, total, err := s.ListOutbox(ctx, 10, 0); err != nil || total != 0 {
		t.Fatalf("after rollback: total %d, err %v; want 0 messages", total, err)
	}
	if _, err := s.ClaimMail(ctx, time.Now().Add(time.Hour), lease); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("claim after rollback = %v, want ErrNotFound", err)
	}

	var id int64
	err = s.InTx(ctx, func(tx *store.Store) error {
		id, err = tx.EnqueueMail(ctx, "a@example.de", "Einladung", "Text")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.OutboxMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.Recipient != "a@example.de" || m.Subject != "Einladung" || m.Body != "Text" || m.Attempts != 0 ||
		m.SentAt != nil || m.FailedAt != nil || m.DeliveredVia != "" || m.LastError != "" {
		t.Errorf("committed message = %+v", m)
	}
}

func TestClaimMailLeasesAMessageToOneWorker(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	id := enqueue(t, s, "a@example.de", "Erste")
	now := time.Now()

	m, err := s.ClaimMail(ctx, now, lease)
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != id || m.Attempts != 1 || m.Body == "" {
		t.Errorf("claimed %+v, want message %d with its text and 1 attempt", m, id)
	}
	if _, err := s.ClaimMail(ctx, now.Add(lease-time.Second), lease); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second claim within the lease = %v, want ErrNotFound", err)
	}
	// A worker that died mid-send leaves the lease to run out; then another takes over.
	m, err = s.ClaimMail(ctx, now.Add(lease), lease)
	if err != nil {
		t.Fatalf("claim after the lease ran out: %v", err)
	}
	if m.ID != id || m.Attempts != 2 {
		t.Errorf("reclaimed %+v, want message %d with 2 attempts", m, id)
	}
}

func TestClaimMailTakesTheLongestDueFirstAndWaitsForNextAttempt(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	first := enqueue(t, s, "a@example.de", "Erste")
	second := enqueue(t, s, "b@example.de", "Zweite")
	now := time.Now()

	m, err := s.ClaimMail(ctx, now, lease)
	if err != nil || m.ID != first {
		t.Fatalf("claim = %d, %v; want the older message %d", m.ID, err, first)
	}
	if err := s.RetryMail(ctx, first, "dial tcp: connection refused", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	m, err = s.ClaimMail(ctx, now, lease)
	if err != nil || m.ID != second {
		t.Fatalf("claim = %d, %v; want %d while %d waits for its retry", m.ID, err, second, first)
	}
	if _, err := s.ClaimMail(ctx, now.Add(time.Minute-time.Second), lease); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim before the retry is due = %v, want ErrNotFound", err)
	}
	m, err = s.ClaimMail(ctx, now.Add(time.Minute), lease)
	if err != nil || m.ID != first || m.Attempts != 2 || m.LastError != "dial tcp: connection refused" {
		t.Fatalf("claim when due = %+v, %v; want %d, 2 attempts, its last error", m, err, first)
	}
}

func TestMarkMailSentEndsTheMessage(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	id := enqueue(t, s, "a@example.de", "Erste")
	now := time.Now()
	if _, err := s.ClaimMail(ctx, now, lease); err != nil {
		t.Fatal(err)
	}
	first, err := s.MarkMailSent(ctx, id, store.ViaSMTP, now)
	if err != nil || !first {
		t.Fatalf("MarkMailSent = %v, %v; want true", first, err)
	}
	if again, err := s.MarkMailSent(ctx, id, store.ViaSMTP, now); err != nil || again {
		t.Errorf("second MarkMailSent = %v, %v; want false: it was sent already", again, err)
	}
	if _, err := s.ClaimMail(ctx, now.Add(24*time.Hour), lease); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim of a sent message = %v, want ErrNotFound", err)
	}
	m, err := s.OutboxMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.SentAt == nil || !m.SentAt.Equal(now.Truncate(time.Microsecond)) || m.DeliveredVia != store.ViaSMTP {
		t.Errorf("sent message = %+v, want sent at %v via smtp", m, now)
	}
}

func TestFailMailStopsRetries(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	id := enqueue(t, s, "a@example.de", "Erste")
	now := time.Now()
	if err := s.FailMail(ctx, id, "550 no such user", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimMail(ctx, now.Add(24*time.Hour), lease); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim of a failed message = %v, want ErrNotFound", err)
	}
	m, err := s.OutboxMessage(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.FailedAt == nil || m.LastError != "550 no such user" || m.SentAt != nil {
		t.Errorf("failed message = %+v", m)
	}
}

func TestDeleteOldMailKeepsWhatIsRecentOrPending(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	now := time.Now()
	month := 30 * 24 * time.Hour

	oldSent := enqueue(t, s, "a@example.de", "Alt gesendet")
	newSent := enqueue(t, s, "b@example.de", "Neu gesendet")
	oldFailed := enqueue(t, s, "c@example.de", "Alt fehlgeschlagen")
	pending := enqueue(t, s, "d@example.de", "Wartet")
	mustNil(t, mustOK(s.MarkMailSent(ctx, oldSent, store.ViaLog, now.Add(-month-time.Hour))))
	mustNil(t, mustOK(s.MarkMailSent(ctx, newSent, store.ViaLog, now.Add(-month+time.Hour))))
	mustNil(t, s.FailMail(ctx, oldFailed, "gave up", now.Add(-month-time.Hour)))

	n, err := s.DeleteOldMail(ctx, now.Add(-month))
	if err != nil || n != 2 {
		t.Fatalf("DeleteOldMail = %d, %v; want 2", n, err)
	}
	for _, id := range []int64{oldSent, oldFailed} {
		if _, err := s.OutboxMessage(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("message %d: %v, want it deleted", id, err)
		}
	}
	for _, id := range []int64{newSent, pending} {
		if _, err := s.OutboxMessage(ctx, id); err != nil {
			t.Errorf("message %d: %v, want it kept", id, err)
		}
	}
}

func TestListOutboxPagesNewestFirst(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	var ids []int64
	for _, subj := range []string{"Eins", "Zwei", "Drei", "Vier", "Fünf"} {
		ids = append(ids, enqueue(t, s, "a@example.de", subj))
	}
	page, total, err := s.ListOutbox(ctx, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if total != 5 || len(page) != 2 || page[0].ID != ids[2] || page[1].ID != ids[1] {
		t.Fatalf("page 2 = %+v (total %d), want Drei, Zwei of 5", page, total)
	}
	if page[0].Subject != "Drei" || page[0].Body != "" || page[0].CreatedAt.IsZero() {
		t.Errorf("list row = %+v, want subject and time without the text", page[0])
	}
	if page, _, err := s.ListOutbox(ctx, 2, 10); err != nil || len(page) != 0 {
		t.Errorf("page past the end = %v, %v; want empty", page, err)
	}
}

func TestOutboxMessageNotFound(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.OutboxMessage(t.Context(), 4711); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("OutboxMessage(4711) = %v, want ErrNotFound", err)
	}
}

func TestEnqueueMailRefusesHeaderInjection(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	for _, tc := range []struct{ to, subject string }{
		{"a@example.de", "Betreff\r\nBcc: b@example.de"},
		{"a@example.de", ""},
		{"", "Betreff"},
	} {
		if _, err := s.EnqueueMail(context.Background(), tc.to, tc.subject, "Text"); err == nil {
			t.Errorf("EnqueueMail(%q, %q) succeeded, want a constraint violation", tc.to, tc.subject)
		}
	}
}

func mustOK(ok bool, err error) error {
	if err == nil && !ok {
		return errors.New("no row changed")
	}
	return err
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

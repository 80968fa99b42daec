package store_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// Of many instances asking for the same period at once, exactly one runs
// the job; the next period is claimed again.
func TestClaimJobOncePerPeriod(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

	claim := func(at time.Time) int64 {
		var won atomic.Int64
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				ok, err := st.ClaimJob(ctx, "retention", at, time.Hour)
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		return won.Load()
	}
	if n := claim(now); n != 1 {
		t.Fatalf("first period: %d instances claimed the job, want 1", n)
	}
	if n := claim(now.Add(59 * time.Minute)); n != 0 {
		t.Fatalf("within the period: %d claims, want 0", n)
	}
	if err := st.FinishJob(ctx, "retention", now.Add(time.Minute), errors.New("boom")); err != nil {
		t.Fatal(err)
	}
	if n := claim(now.Add(time.Hour)); n != 1 {
		t.Fatalf("next period: %d claims, want 1", n)
	}
	if err := st.FinishJob(ctx, "retention", now.Add(time.Hour+time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	runs, err := st.JobRuns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Runs != 2 || runs[0].Failures != 1 || runs[0].LastError != "" ||
		runs[0].LastOKAt == nil || !runs[0].LastOKAt.Equal(now.Add(time.Hour+time.Minute)) {
		t.Fatalf("job runs = %+v", runs)
	}
}

// The content version changes once per committed transaction that touches
// public content, never for a rolled-back one or one that touches only
// private tables, and the new number is announced after the commit.
func TestContentVersionBumpsOncePerCommit(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()

	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN rii_content`); err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		v, err := st.ContentVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()

	// Two statements on two content tables in one transaction: one bump.
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO topics (slug, name) VALUES ('raumfahrt', 'Raumfahrt')`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sectors (slug, name) VALUES ('raumfahrt', 'Raumfahrt')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0+1 {
		t.Fatalf("after one transaction the version is %d, want %d", v, v0+1)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := conn.Conn().WaitForNotification(wctx)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	if n.Payload != strconv.FormatInt(v0+1, 10) {
		t.Errorf("notification payload %q, want %d", n.Payload, v0+1)
	}

	// Rolled back: no bump.
	_ = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE topics SET name = 'Weltraum' WHERE slug = 'raumfahrt'`); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	// Private tables only: no bump.
	if _, err := pool.Exec(ctx, `INSERT INTO audit_log (at, actor, action, object_type, object_id, details, client_ip)
		VALUES (now(), 'test', 'test', 'test', '1', '{}', '')`); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0+1 {
		t.Fatalf("a rolled-back or private change moved the version to %d", v)
	}
	// A single statement outside an explicit transaction bumps too.
	if _, err := pool.Exec(ctx, `DELETE FROM topics WHERE slug = 'raumfahrt'`); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0+2 {
		t.Fatalf("after a delete the version is %d, want %d", v, v0+2)
	}
}

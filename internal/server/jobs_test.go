package server

import (
	"context"
	"testing"
	"time"
)

// Two instances on one database: each due job runs once per period, and
// again when the clock has moved a period on.
func TestJobsRunOncePerPeriodAcrossInstances(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	other := newServerOn(t, w.pool)
	other.now = w.clock.Now
	ctx := context.Background()
	runs := func() int64 {
		var n int64
		if err := w.pool.QueryRow(ctx, `SELECT coalesce(sum(runs), 0) FROM job_runs WHERE name = 'sessions-cleanup'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	w.srv.runDueJobs(ctx)
	other.runDueJobs(ctx)
	if n := runs(); n != 1 {
		t.Fatalf("after both instances ticked: %d runs, want 1", n)
	}
	w.clock.Advance(maintenanceEvery + time.Second)
	other.runDueJobs(ctx)
	w.srv.runDueJobs(ctx)
	if n := runs(); n != 2 {
		t.Fatalf("a period later: %d runs, want 2", n)
	}
}

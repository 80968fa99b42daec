package server

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// networkJob is the server's network-refresh job.
func networkJob(t *testing.T, s *Server) job {
	t.Helper()
	for _, j := range s.jobs() {
		if j.name == "network-refresh" {
			return j
		}
	}
	t.Fatal("no network-refresh job")
	return job{}
}

// networkRuns is how often network-refresh was claimed, and its last error.
func networkRuns(t *testing.T, w *world) (runs int, lastError string) {
	t.Helper()
	err := w.pool.QueryRow(context.Background(), `SELECT runs, last_error FROM job_runs WHERE name = 'network-refresh'`).
		Scan(&runs, &lastError)
	if err != nil {
		t.Fatal(err)
	}
	return runs, lastError
}

// TestNetworkRefreshRunsOnceAcrossInstances: four instances on one
// database start the job at the same moment, each in its own goroutine:
// exactly one claims and counts, and the pages show its count.
func TestNetworkRefreshRunsOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	servers := []*Server{w.srv}
	for range 3 {
		other := newServerOn(t, w.pool)
		other.now = w.clock.Now
		servers = append(servers, other)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, s := range servers {
		wg.Go(func() {
			<-start
			s.runJob(context.Background(), networkJob(t, s))
		})
	}
	close(start)
	wg.Wait()
	if runs, lastError := networkRuns(t, w); runs != 1 || lastError != "" {
		t.Fatalf("network-refresh ran %d times (error %q), want once", runs, lastError)
	}
	if got := c.Get("/dashboard/vernetzung?zeitraum=gesamt").WantStatus(http.StatusOK).Text("[data-testid=pair-total]"); got != "3" {
		t.Errorf("%q pairs after the refresh, want 3", got)
	}
	// Within the period nobody runs it again; a period later one does.
	for _, s := range servers {
		s.runJob(context.Background(), networkJob(t, s))
	}
	w.clock.Advance(networkEvery + time.Second)
	for _, s := range servers {
		s.runJob(context.Background(), networkJob(t, s))
	}
	if runs, _ := networkRuns(t, w); runs != 2 {
		t.Errorf("network-refresh ran %d times over two periods, want 2", runs)
	}
	// The counts' table was swapped under the pool's prepared statements.
	for _, path := range []string{"/dashboard/vernetzung?zeitraum=gesamt", "/dashboard/vernetzung?zeitraum=jahr&jahr=2026"} {
		if got := c.Get(path).WantStatus(http.StatusOK).Find("[data-testid=pair-table] tbody tr").Length(); got == 0 {
			t.Errorf("%s after the second refresh: no pairs", path)
		}
	}
}

// TestFailedNetworkRefreshKeepsSnapshot: a refresh that fails half-way
// (its pairs refused by the database) is recorded as failed and leaves
// the pages, the stand and the export of the last good refresh.
func TestFailedNetworkRefreshKeepsSnapshot(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	w.srv.runJob(context.Background(), networkJob(t, w.srv))
	before := c.Get("/dashboard/vernetzung?zeitraum=gesamt").WantStatus(http.StatusOK)
	stand, pairs := before.Text("[data-testid=network-computed]"), cells(before.Find("[data-testid=pair-table] tbody tr"))
	csv := readCSV(t, c.Get("/dashboard/export/vernetzung.csv?zeitraum=gesamt").WantStatus(http.StatusOK).Body)
	if len(pairs) != 3 || len(csv) != 4 || stand == "" {
		t.Fatalf("before: pairs %v, csv %v, stand %q", pairs, csv, stand)
	}

	// The next refresh deletes the old pairs, then its inserts fail.
	ctx := context.Background()
	if _, err := w.pool.Exec(ctx, `ALTER TABLE network_pairs ADD CONSTRAINT refuse_all CHECK (a < 0) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(networkEvery + time.Second)
	w.srv.runJob(ctx, networkJob(t, w.srv))
	if runs, lastError := networkRuns(t, w); runs != 2 || lastError == "" {
		t.Fatalf("runs %d, last error %q: want the second run recorded as failed", runs, lastError)
	}
	after := c.Get("/dashboard/vernetzung?zeitraum=gesamt").WantStatus(http.StatusOK)
	if got := after.Text("[data-testid=network-computed]"); got != stand {
		t.Errorf("after the failed refresh the stand says %q, want %q", got, stand)
	}
	if got := cells(after.Find("[data-testid=pair-table] tbody tr")); len(got) != len(pairs) {
		t.Errorf("after the failed refresh %d pairs, want the %d of the last snapshot", len(got), len(pairs))
	}
	if got := readCSV(t, c.Get("/dashboard/export/vernetzung.csv?zeitraum=gesamt").WantStatus(http.StatusOK).Body); len(got) != len(csv) {
		t.Errorf("after the failed refresh the export has %d rows, want %d", len(got), len(csv))
	}
}

package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgtest"
	"rii/internal/webtest"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	res := c.Get("/healthz").WantStatus(http.StatusOK)
	if string(res.Body) != "ok\n" {
		t.Errorf("body = %q", res.Body)
	}
}

func TestReadyzFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	cluster := pgtest.StartCluster(t)
	pc, err := pgxpool.ParseConfig(pgtest.MigratedDB(t, cluster))
	if err != nil {
		t.Fatal(err)
	}
	pc.ConnConfig.ConnectTimeout = time.Second
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ts := httptest.NewServer(newServerOn(t, pool).Handler())
	t.Cleanup(ts.Close)
	c := webtest.NewClient(t, ts.URL)

	c.Get("/readyz").WantStatus(http.StatusOK)
	if err := cluster.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Get("/readyz").WantStatus(http.StatusServiceUnavailable)
	c.Get("/healthz").WantStatus(http.StatusOK) // the process itself is fine
	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The pool reconnects by itself; allow it a moment, no restart.
	deadline := time.Now().Add(10 * time.Second)
	for c.Get("/readyz").StatusCode != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestReadyzWantsAllMigrations(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	s.wantSchema++ // as if this binary carried a migration the database lacks
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 with a migration pending", rec.Code)
	}
}

// TestSIGTERMLetsRunningRequestsFinish sends the process a real SIGTERM while
// a slow request runs; Run, as cmd/rii uses it, must let the request finish
// and return without error (so the process exits 0).
func TestSIGTERMLetsRunningRequestsFinish(t *testing.T) {
	// Not parallel: it signals the whole test process.
	s, _ := newServer(t)
	started := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/", s.Handler())
	mux.HandleFunc("/langsam", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(1500 * time.Millisecond)
		io.WriteString(w, "fertig")
	})

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	addr := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, testLogger(), "127.0.0.1:0", mux, 10*time.Second, func(a net.Addr) { addr <- a })
	}()
	base := "http://" + (<-addr).String()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get(base + "/langsam")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{string(b), err}
	}()
	<-started
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil || r.body != "fertig" {
		t.Fatalf("slow request: body %q, error %v; want it to finish", r.body, r.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after SIGTERM: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after SIGTERM")
	}
	// New connections are refused once shut down.
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still accepts requests after shutdown")
	}
}

package pgtest_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// bothInserted lets the two isolation tests wait until each has written its
// row, so a shared database would show up as two rows. The wait is bounded:
// with -parallel=1, or other tests holding the slots, they run one after the
// other (TestNewDBGivesDistinctDatabases checks isolation deterministically).
var bothInserted = struct {
	sync.WaitGroup
	once sync.Once
}{}

func TestIsolationA(t *testing.T) { t.Parallel(); checkIsolated(t, "a") }
func TestIsolationB(t *testing.T) { t.Parallel(); checkIsolated(t, "b") }

func checkIsolated(t *testing.T, token string) {
	bothInserted.once.Do(func() { bothInserted.Add(2) })
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	_, err := pool.Exec(ctx, "INSERT INTO sessions (token, data, expiry) VALUES ($1, '', now() + interval '1 hour')", token)
	bothInserted.Done()
	if err != nil {
		t.Fatalf("insert into the migrated sessions table: %v", err)
	}
	waited := make(chan struct{})
	go func() { bothInserted.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(2 * time.Second):
	}
	tokens := queryStrings(t, pool, "SELECT token FROM sessions")
	if len(tokens) != 1 || tokens[0] != token {
		t.Errorf("sessions = %q; want only %q", tokens, token)
	}
	var seeded bool
	if err := pool.QueryRow(ctx, "SELECT true FROM installation").Scan(&seeded); err != nil {
		t.Errorf("rows inserted by migrations missing from the clone: %v", err)
	}
}

func TestNewDBGivesDistinctDatabases(t *testing.T) {
	t.Parallel()
	a, b := pgtest.NewDB(t), pgtest.NewDB(t)
	if a == b {
		t.Fatalf("NewDB returned %q twice", a)
	}
	exec(t, a, "INSERT INTO sessions (token, data, expiry) VALUES ('only-in-a', '', now())")
	pool, err := pgxpool.New(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if got := queryStrings(t, pool, "SELECT token FROM sessions"); len(got) != 0 {
		t.Errorf("second database sees sessions %q", got)
	}
}

func TestStartClusterStopsAndStartsWithDataKept(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := pgtest.StartCluster(t)
	url := pgtest.MigratedDB(t, c)
	if again := pgtest.MigratedDB(t, c); again != url {
		t.Fatalf("MigratedDB changed its URL: %q, then %q", url, again)
	}
	exec(t, url, "INSERT INTO sessions (token, data, expiry) VALUES ('kept', '', now())")

	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Running() {
		t.Fatal("Running after Stop")
	}
	if conn, err := pgx.Connect(ctx, url); err == nil {
		conn.Close(ctx)
		t.Fatal("connected to a stopped cluster")
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if got := queryStrings(t, pool, "SELECT token FROM sessions"); len(got) != 1 || got[0] != "kept" {
		t.Errorf("after restart sessions = %q; want [kept]", got)
	}
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatal(err)
	}
}

func queryStrings(t *testing.T, pool *pgxpool.Pool, sql string) []string {
	t.Helper()
	rows, _ := pool.Query(t.Context(), sql)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		t.Fatal(err)
	}
	return got
}

package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/geo"
	"rii/internal/pgtest"
)

// statementCounter counts the SQL statements sent on a pool, alone or in
// a batch.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (c *statementCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.n.Add(1)
}

func (c *statementCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// countedServer is a server whose pool counts its statements.
func countedServer(t testing.TB) (*Server, *pgxpool.Pool, *statementCounter) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.NewDB(t))
	if err != nil {
		t.Fatal(err)
	}
	counter := &statementCounter{}
	cfg.ConnConfig.Tracer = counter
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return newServerOn(t, pool), pool, counter
}

// statementsPerPath requests each path in turn (each must answer 200) and
// returns how many SQL statements it sent.
func statementsPerPath(t *testing.T, ts *httptest.Server, counter *statementCounter, paths ...string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, path := range paths {
		counter.n.Store(0)
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		out[path] = counter.n.Load()
	}
	return out
}

// directoryRequests are the requests whose cost must not grow with the
// directory.
var directoryRequests = []string{
	"/initiativen",
	"/initiativen?q=Industrie+Netzwerk&land=05",
	"/initiativen?land=09&kreis=09162&thema=innovation&branche=chemie&sortierung=neu&seite=2",
	"/initiativen?q=Chemi+Hochrein",
	"/initiativen.json?land=03",
}

// TestDirectoryStatementsDoNotGrow counts the SQL statements of each
// directory request with 10 and with 10,000 published initiatives: the
// same number, so nothing runs a query per initiative.
func TestDirectoryStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	s, _, counter := countedServer(t)
	ts := httptest.NewServer(directoryRoutes(s))
	t.Cleanup(ts.Close)
	count := func() map[string]int64 { return statementsPerPath(t, ts, counter, directoryRequests...) }
	if err := s.store.InsertSyntheticInitiatives(t.Context(), 10, 1); err != nil {
		t.Fatal(err)
	}
	small := count()
	if err := s.store.InsertSyntheticInitiatives(t.Context(), 9990, 2); err != nil {
		t.Fatal(err)
	}
	if n, err := s.store.PublishedCount(t.Context()); err != nil || n != 10000 {
		t.Fatalf("%d published initiatives (%v)", n, err)
	}
	large := count()
	for _, path := range directoryRequests {
		if small[path] != large[path] || small[path] == 0 {
			t.Errorf("%s: %d statements with 10 initiatives, %d with 10,000", path, small[path], large[path])
		}
		t.Logf("%s: %d statements", path, large[path])
	}
}

// BenchmarkDirectorySearch renders a search with a Land filter over
// 10,000 synthetic initiatives: store, view and template, no network.
func BenchmarkDirectorySearch(b *testing.B) {
	s, pool, counter := countedServer(b)
	if err := s.store.InsertSyntheticInitiatives(b.Context(), 10000, 1); err != nil {
		b.Fatal(err)
	}
	// As autovacuum would soon after a bulk insert.
	if _, err := pool.Exec(b.Context(), `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.store.Directory(b.Context(), parseDirectoryQuery(nil).filter()); err != nil {
		b.Fatal(err)
	}
	if _, err := geo.Load(); err != nil { // built once per process
		b.Fatal(err)
	}
	h := s.handle(s.listDirectory)
	for _, path := range []string{"/initiativen?q=Industrie&land=05", "/initiativen", "/initiativen?q=Chemi+Hochrein"} {
		b.Run(path, func(b *testing.B) {
			counter.n.Store(0)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
			b.ReportMetric(float64(counter.n.Load())/float64(b.N), "stmts/op")
		})
	}
}

package server

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/browsertest"
	"rii/internal/config"
	"rii/internal/pgtest"
	"rii/internal/webtest"
	"rii/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m, browsertest.Close) }

// testConfig is the default configuration, as a fresh install has it, but
// with the page cache off: tests that count statements or look at one
// rendering want every request rendered. The cache's own tests turn it on.
func testConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.SecretKeys = [][]byte{testSecretKey}
	cfg.CacheBytes = 0
	return cfg
}

// testLogger discards logs unless RII_TEST_LOG is set.
func testLogger() *slog.Logger {
	if os.Getenv("RII_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// testSecretKey stands in for RII_SECRET_KEYS in tests.
var testSecretKey = []byte("rii-test-key-32-bytes-long-00000")

// newServer builds a server on its own fresh database.
func newServer(t testing.TB) (*Server, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t)
	return newServerOn(t, pool), pool
}

func newServerOn(t testing.TB, pool *pgxpool.Pool) *Server {
	t.Helper()
	s, err := New(pool, Options{Config: testConfig(t), Logger: testLogger(), SchemaVersion: migrations.Latest()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newClient starts the real router over HTTP and returns a client for it.
func newClient(t testing.TB) (*webtest.Client, *Server) {
	t.Helper()
	s, _ := newServer(t)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return webtest.NewClient(t, ts.URL), s
}

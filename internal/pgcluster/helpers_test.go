package pgcluster_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/pgcluster"
)

// tempRoot returns a directory the postgres user can enter: t.TempDir's parent
// is 0700 and owned by root.
func tempRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// newCluster returns a throwaway cluster in a fresh directory, with its socket
// in the subdirectory sockName, stopped at cleanup.
func newCluster(t *testing.T, sockName string) *pgcluster.Cluster {
	t.Helper()
	root := tempRoot(t)
	c := pgcluster.New(filepath.Join(root, "data"), filepath.Join(root, sockName))
	c.Throwaway = true
	t.Cleanup(func() { c.Stop(context.Background()) })
	return c
}

// skipOrFail skips when PostgreSQL is not installed, unless under CI, and
// fails for every other error.
func skipOrFail(t *testing.T, err error) {
	t.Helper()
	if os.Getenv("CI") == "" && errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip(err)
	}
	t.Fatal(err)
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func exec1(t *testing.T, url, sql string) {
	t.Helper()
	conn := connect(t, url)
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql); err != nil {
		t.Fatal(err)
	}
}

func postmasterPID(t *testing.T, c *pgcluster.Cluster) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.DataDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(first)
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
	}
}

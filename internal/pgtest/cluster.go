package pgtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"rii/internal/pgcluster"
)

// dirPrefix names the temporary directories of test clusters, so leftovers of
// killed runs can be found and removed.
const dirPrefix = "rii-pgtest-"

// sweepOnce limits the search for leftovers to once per process.
var sweepOnce sync.Once

// StartCluster starts a dedicated throwaway cluster for a test that must stop
// and start the server itself, e.g. to see how the application behaves while
// the database is down. The cluster is stopped and deleted when the test ends.
// It holds no application database until MigratedDB creates one.
func StartCluster(t testing.TB) *pgcluster.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	c, dir, err := newThrowaway(ctx)
	if err != nil {
		unavailable(t, err, true)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
		os.RemoveAll(dir)
	})
	return c
}

// MigratedDB makes sure c, which must be running, has a database named portal
// with all migrations applied, and returns its URL. Calling it again is cheap.
func MigratedDB(t testing.TB, c *pgcluster.Cluster) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := c.CreateDatabase(ctx, "portal"); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	url := c.URL("portal")
	if err := migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	return url
}

// newThrowaway initialises and starts a throwaway cluster in a new directory
// under os.TempDir, which it returns for removal. The directory is not from
// t.TempDir: that one's parent is private to root, closed to the postgres user.
func newThrowaway(ctx context.Context) (*pgcluster.Cluster, string, error) {
	sweepOnce.Do(sweepLeftovers)
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, "", err
	}
	// Mark the directory as ours for sweepLeftovers; then open it to postgres.
	err = errors.Join(
		os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644),
		os.Chmod(dir, 0o755),
	)
	c := pgcluster.New(filepath.Join(dir, "data"), filepath.Join(dir, "sock"))
	c.Throwaway = true
	if err == nil {
		_, err = c.Init(ctx)
	}
	if err == nil {
		err = c.Start(ctx)
	}
	if err != nil {
		_ = c.Stop(context.Background())
		os.RemoveAll(dir)
		return nil, "", err
	}
	return c, dir, nil
}

// sweepLeftovers removes cluster directories of test processes that died
// without cleaning up (kill -9, a test timeout, Ctrl-C). Their servers are
// already gone with them; only the files remain. A directory is removed only
// when its owner.pid names a process that no longer exists.
func sweepLeftovers() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue // not ours, or still being set up
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(dir)
		}
	}
}

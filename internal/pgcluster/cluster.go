// Package pgcluster runs a private PostgreSQL server as a child process: the
// persistent development cluster under .data/ for `make run`, and the
// throwaway clusters the tests use.
//
// The server listens on a unix socket only (no TCP port to clash over) and
// trusts every local connection, so it must never hold data worth protecting.
// It dies with its parent: a killed `make run` or test binary leaves no server
// behind.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	// port only names the socket file (.s.PGSQL.5432); it is passed explicitly
	// so a PGPORT in the environment cannot make server and clients disagree.
	port = "5432"
	// maxSocketPath keeps SockDir + "/.s.PGSQL.5432" within sun_path (108 bytes
	// including the terminating NUL).
	maxSocketPath = 107
	startTimeout  = 30 * time.Second
	readyPoll     = 50 * time.Millisecond
	stopTimeout   = 30 * time.Second
)

// Cluster is one PostgreSQL data directory and the server process serving it.
// Set the exported fields before calling Init or Start. A Cluster is safe for
// concurrent use.
type Cluster struct {
	// DataDir holds the cluster files (absolute).
	DataDir string
	// SockDir holds the server's unix socket (absolute). New replaces it with a
	// short directory from os.MkdirTemp("", "pgsock") when the socket path would
	// exceed the kernel's limit; Stop removes that replacement again.
	SockDir string
	// LogFile receives the server's output; it is truncated at each Start.
	// Empty means postgres.log next to DataDir.
	LogFile string
	// Throwaway trades durability for speed: initdb --no-sync, and the server
	// runs with fsync, synchronous_commit and full_page_writes off. A crash of
	// the machine can then corrupt the cluster, which is fine for tests only.
	Throwaway bool

	mu       sync.Mutex
	srv      *server // nil when not started or stopped
	tempSock bool    // SockDir is our fallback directory
}

// server is one run of the postmaster.
type server struct {
	proc *os.Process
	done chan struct{} // closed once proc has been reaped and err is set
	err  error         // exit status
}

// New describes a cluster in dataDir with its socket in sockDir. It does not
// touch the disk, except to create the fallback socket directory described at
// SockDir when sockDir is too long.
func New(dataDir, sockDir string) *Cluster {
	c := &Cluster{DataDir: absPath(dataDir), SockDir: absPath(sockDir)}
	if len(socketPath(c.SockDir)) >= maxSocketPath {
		if dir, err := os.MkdirTemp("", "pgsock"); err == nil && len(socketPath(dir)) < maxSocketPath {
			c.SockDir, c.tempSock = dir, true
		} else if err == nil {
			os.Remove(dir)
		}
		// Otherwise Start reports the overlong path.
	}
	return c
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func socketPath(dir string) string { return filepath.Join(dir, ".s.PGSQL."+port) }

// URL returns a connection string for the superuser postgres over the unix
// socket, understood by pgx and libpq, e.g.
// postgres://postgres@/portal?host=%2Frun%2Fsock&port=5432&sslmode=disable.
func (c *Cluster) URL(dbname string) string {
	// Neither pgx nor libpq decodes "+" as a space in the query, so spaces are
	// written as %20 rather than url.Values' "+".
	host := strings.ReplaceAll(url.QueryEscape(c.SockDir), "+", "%20")
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Path:     "/" + dbname,
		RawQuery: "host=" + host + "&port=" + port + "&sslmode=disable",
	}
	return u.String()
}

func (c *Cluster) logPath() string {
	if c.LogFile != "" {
		return c.LogFile
	}
	return filepath.Join(filepath.Dir(c.DataDir), "postgres.log")
}

// Init creates the cluster with initdb unless DataDir already holds one.
// created reports whether it did.
func (c *Cluster) Init(ctx context.Context) (created bool, err error) {
	if _, err := os.Stat(filepath.Join(c.DataDir, "PG_VERSION")); err == nil {
		return false, nil
	}
	bin, err := binDir()
	if err != nil {
		return false, err
	}
	acct, err := lookupAccount()
	if err != nil {
		return false, err
	}
	if err := prepareDataDir(c.DataDir, acct); err != nil {
		return false, err
	}
	args := []string{"-D", c.DataDir, "--auth=trust", "-U", "postgres",
		"--encoding=UTF8", "--locale=C.UTF-8", "--text-search-config=german"}
	if c.Throwaway {
		args = append(args, "--no-sync")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), args...)
	cmd.Dir = "/" // our working directory may be closed to the postgres user
	// SIGTERM, not SIGKILL: initdb then removes its half-made cluster, which a
	// later Init would otherwise mistake for a finished one.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: acct.cred, Pdeathsig: syscall.SIGTERM}
	if out, err := cmd.CombinedOutput(); err != nil {
		return false, fmt.Errorf("pgcluster: initdb %s: %w\n%s", c.DataDir, err, out)
	}
	return true, nil
}

// Start runs the server and waits until it accepts connections (at most 30 s
// or until ctx ends). It does nothing if the server already runs. If the server
// fails to come up, the error ends with the tail of its log.
func (c *Cluster) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running() {
		return nil
	}
	if n := len(socketPath(c.SockDir)); n >= maxSocketPath {
		return fmt.Errorf("pgcluster: socket path in %s is %d bytes long; the limit is %d", c.SockDir, n, maxSocketPath-1)
	}
	bin, err := binDir()
	if err != nil {
		return err
	}
	acct, err := lookupAccount()
	if err != nil {
		return err
	}
	if err := prepareSockDir(c.SockDir, acct, c.tempSock); err != nil {
		return err
	}
	if err := acct.canEnter(filepath.Dir(c.DataDir)); err != nil {
		return err
	}
	for _, lock := range []string{filepath.Join(c.DataDir, "postmaster.pid"), socketPath(c.SockDir) + ".lock"} {
		if err := removeStaleLock(lock); err != nil {
			return err
		}
	}
	if err := c.spawn(bin, acct); err != nil {
		return err
	}
	if err := c.waitReady(ctx); err != nil {
		c.stop(5 * time.Second)
		return fmt.Errorf("pgcluster: start %s: %w\n%s", c.DataDir, err, c.logTail())
	}
	return nil
}

// spawn starts the postmaster and a goroutine that reaps it.
func (c *Cluster) spawn(bin string, acct *account) error {
	logf, err := os.OpenFile(c.logPath(), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	args := []string{"-D", c.DataDir, "-p", port, "-k", c.SockDir,
		"-c", "listen_addresses=", "-c", "unix_socket_permissions=0777"}
	if c.Throwaway {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = "/"
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Credential: acct.cred,
		// Pdeathsig: a killed parent takes the server with it. Setpgid: a Ctrl-C
		// on the terminal reaches only us; we then shut the server down in order.
		Pdeathsig: syscall.SIGKILL,
		Setpgid:   true,
	}
	srv := &server{done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the forking *thread* exits, not the process.
		// Locking this goroutine to its thread, and never unlocking, keeps that
		// thread alive exactly until the server has been reaped.
		runtime.LockOSThread()
		err := cmd.Start()
		logf.Close() // the child holds its own copy
		started <- err
		if err != nil {
			return
		}
		srv.err = cmd.Wait()
		close(srv.done)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("pgcluster: starting postgres: %w", err)
	}
	srv.proc = cmd.Process
	c.srv = srv
	return nil
}

// waitReady polls with real connections: that is the only readiness signal
// that also proves the socket path and authentication work.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	dsn := c.URL("postgres")
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(attempt, dsn)
		cancelAttempt()
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-c.srv.done:
			return fmt.Errorf("postgres exited during startup (%v)", c.srv.err)
		case <-ctx.Done():
			return fmt.Errorf("not ready: %w (last attempt: %v)", ctx.Err(), err)
		case <-time.After(readyPoll):
		}
	}
}

// Stop shuts the server down ("fast" shutdown: sessions are ended, then a
// checkpoint) and waits for it; after 30 s, or when ctx ends first, it kills
// the server's whole process group. Stopping a stopped cluster does nothing.
// It reports an error if the server had to be killed or had died on its own.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	timeout := stopTimeout
	if d, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(d))
	}
	err := c.stop(timeout)
	if c.tempSock {
		// Start recreates it; leaving it would litter the temp dir.
		os.RemoveAll(c.SockDir)
	}
	return err
}

func (c *Cluster) stop(timeout time.Duration) error {
	srv := c.srv
	if srv == nil {
		return nil
	}
	c.srv = nil
	select {
	case <-srv.done:
		if srv.err != nil {
			return fmt.Errorf("pgcluster: postgres had exited: %v", srv.err)
		}
		return nil
	default:
	}
	_ = srv.proc.Signal(syscall.SIGINT)
	timer := time.NewTimer(max(timeout, 0))
	defer timer.Stop()
	select {
	case <-srv.done:
		if srv.err != nil {
			return fmt.Errorf("pgcluster: postgres shutdown: %v", srv.err)
		}
		return nil
	case <-timer.C:
	}
	// The negative pid addresses the group: the backends die along with the postmaster.
	_ = syscall.Kill(-srv.proc.Pid, syscall.SIGKILL)
	<-srv.done
	return fmt.Errorf("pgcluster: postgres did not shut down within %v and was killed", timeout)
}

// Running reports whether the server process is alive.
func (c *Cluster) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running()
}

func (c *Cluster) running() bool {
	if c.srv == nil {
		return false
	}
	select {
	case <-c.srv.done:
		return false
	default:
		return true
	}
}

// CreateDatabase creates the database name unless it exists; created reports
// whether it did.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (created bool, err error) {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return false, fmt.Errorf("pgcluster: create database %s: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// Attempt and treat "exists" as success: a check first would race.
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("pgcluster: create database %s: %w", name, err)
	}
	return true, nil
}

// logTail returns the end of the server log, for error messages.
func (c *Cluster) logTail() string {
	const size = 4096
	f, err := os.Open(c.logPath())
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > size {
		f.Seek(-size, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	s := string(b)
	if len(b) == size {
		if _, rest, ok := strings.Cut(s, "\n"); ok {
			s = rest // drop the partial first line
		}
	}
	return "postgres log (" + c.logPath() + "):\n" + strings.TrimRight(s, "\n")
}

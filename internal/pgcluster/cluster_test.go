package pgcluster_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/pgcluster"
)

func TestURLParsesWithPgx(t *testing.T) {
	t.Parallel()
	c := pgcluster.New("/srv/rii/data", "/srv/rii/sock dir")
	cfg, err := pgx.ParseConfig(c.URL("portal"))
	if err != nil {
		t.Fatalf("ParseConfig(%q): %v", c.URL("portal"), err)
	}
	if cfg.Host != "/srv/rii/sock dir" || cfg.Port != 5432 || cfg.User != "postgres" || cfg.Database != "portal" {
		t.Errorf("parsed %q as host=%q port=%d user=%q db=%q", c.URL("portal"), cfg.Host, cfg.Port, cfg.User, cfg.Database)
	}
	if cfg.TLSConfig != nil {
		t.Errorf("TLS configured for a unix socket")
	}
}

func TestLongSockDirFallsBack(t *testing.T) {
	t.Parallel()
	long := "/tmp/" + strings.Repeat("x", 100)
	c := pgcluster.New("/tmp/data", long)
	if c.SockDir == long {
		t.Fatalf("SockDir kept the overlong %q", long)
	}
	if n := len(c.SockDir + "/.s.PGSQL.5432"); n >= 107 {
		t.Errorf("fallback socket path is %d bytes", n)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(c.SockDir); !os.IsNotExist(err) {
		t.Errorf("Stop left the fallback socket dir %s (stat: %v)", c.SockDir, err)
	}
}

// TestLifecycle runs one cluster through init, start, create database, stop,
// a crash with a stale pid file, and a restart. Its socket directory is too
// long, so the fallback directory is exercised, across restarts, too.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := newCluster(t, strings.Repeat("s", 100))
	if strings.HasSuffix(c.SockDir, "sss") {
		t.Fatalf("no fallback for socket dir %s", c.SockDir)
	}
	if created, err := c.Init(ctx); err != nil {
		skipOrFail(t, err)
	} else if !created {
		t.Fatal("first Init created nothing")
	}
	if created, err := c.Init(ctx); err != nil || created {
		t.Fatalf("second Init = %v, %v; want false, nil", created, err)
	}
	start := time.Now()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("start: %v", time.Since(start))
	if !c.Running() {
		t.Fatal("not Running after Start")
	}
	if err := c.Start(ctx); err != nil {
		t.Fatalf("Start on a running cluster: %v", err)
	}
	for want := range []bool{true, false} {
		created, err := c.CreateDatabase(ctx, "my-db")
		if err != nil || created != (want == 0) {
			t.Fatalf("CreateDatabase #%d = %v, %v", want+1, created, err)
		}
	}
	exec1(t, c.URL("my-db"), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('ä')")
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if c.Running() {
		t.Fatal("Running after Stop")
	}

	// A crash: the postmaster is killed and its pid reused by an unrelated
	// process, which postgres alone would mistake for a running server.
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	pid := postmasterPID(t, c)
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return !c.Running() })
	if err := c.Stop(ctx); err == nil {
		t.Error("Stop after a crash reported no error")
	}
	sleeper := exec.Command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })
	pidFile := filepath.Join(c.DataDir, "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "\n")
	if err := os.WriteFile(pidFile, []byte(fmt.Sprintf("%d\n%s", sleeper.Process.Pid, rest)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatalf("restart over a stale pid file: %v", err)
	}
	var v string
	conn := connect(t, c.URL("my-db"))
	if err := conn.QueryRow(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != "ä" {
		t.Fatalf("kept row = %q, %v", v, err)
	}
	conn.Close(ctx)
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestInitReportsUntraversableParent(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root switches to the postgres user")
	}
	root := tempRoot(t)
	closed := filepath.Join(root, "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	c := pgcluster.New(filepath.Join(closed, "data"), filepath.Join(root, "sock"))
	_, err := c.Init(t.Context())
	if err == nil || !strings.Contains(err.Error(), closed) {
		t.Fatalf("Init = %v; want an error naming %s", err, closed)
	}
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip(err)
	}
}

// TestKilledParentLeavesNoServer kills a process that started a cluster (this
// test binary, re-run as a helper) and expects the server to die with it.
func TestKilledParentLeavesNoServer(t *testing.T) {
	t.Parallel()
	if dir := os.Getenv("PGCLUSTER_HELPER_DIR"); dir != "" {
		helper(dir)
		return
	}
	root := tempRoot(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledParentLeavesNoServer$")
	cmd.Env = append(os.Environ(), "PGCLUSTER_HELPER_DIR="+root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.HasPrefix(line, "nobinaries") {
		cmd.Process.Kill()
		cmd.Wait()
		if err == nil {
			skipOrFail(t, pgcluster.ErrNoBinaries)
		}
		t.Fatalf("helper did not report a server: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(line), "pid "))
	if err != nil {
		t.Fatalf("helper said %q", line)
	}
	cmd.Process.Kill()
	cmd.Wait()
	waitFor(t, func() bool { return !groupAlive(pid) })
}

// helper starts a cluster, prints the postmaster's pid and waits to be killed.
func helper(dir string) {
	c := pgcluster.New(filepath.Join(dir, "data"), filepath.Join(dir, "sock"))
	c.Throwaway = true
	ctx := context.Background()
	if _, err := c.Init(ctx); errors.Is(err, pgcluster.ErrNoBinaries) {
		fmt.Println("nobinaries")
		os.Exit(1)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := c.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, _ := os.ReadFile(filepath.Join(c.DataDir, "postmaster.pid"))
	first, _, _ := strings.Cut(string(b), "\n")
	fmt.Printf("pid %s\n", first)
	time.Sleep(time.Minute)
	os.Exit(1)
}

// groupAlive reports whether any live (non-zombie) process is in process group
// pgid; the postmaster leads its own group, so this covers its backends too.
func groupAlive(pgid int) bool {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// Fields after the parenthesised command: state ppid pgrp ...
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 2 && f[0] != "Z" && f[2] == strconv.Itoa(pgid) {
			return true
		}
	}
	return false
}

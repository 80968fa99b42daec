package main

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"rii/internal/pgtest"
	"rii/internal/secret"
)

func TestMain(m *testing.M) {
	pgtest.Main(m, func() {
		if build.path != "" {
			os.RemoveAll(filepath.Dir(build.path))
		}
	})
}

var build struct {
	once sync.Once
	path string
	err  error
}

// binary builds the real program once per test run.
func binary(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "rii-bin-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "rii")
		out, err := exec.Command("go", "build", "-o", build.path, ".").CombinedOutput()
		if err != nil {
			build.err = errors.New(string(out))
		}
	})
	if build.err != nil {
		t.Fatalf("building rii: %v", build.err)
	}
	return build.path
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// syncBuffer collects a process's output safely while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeExitsCleanlyOnSIGTERM runs `rii serve` as a real process on a real
// database: it migrates, serves pages, and on SIGTERM exits with status 0.
// startServe starts `rii serve` on the database at dbURL with extra
// environment and waits until it is ready; it returns the process, its
// output and its base URL.
func startServe(t *testing.T, dbURL string, env ...string) (*exec.Cmd, *syncBuffer, string) {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "RII_LISTEN=127.0.0.1:"+port,
		"RII_SMTP_URL=", "RII_LOG_FORMAT=json", "RII_SECRET_KEYS="+secret.Generate()), env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://127.0.0.1:" + port
	t.Cleanup(func() { cmd.Process.Kill() }) // if the portal never becomes ready
	waitReady(t, base, out)
	return cmd, out, base
}

func TestServeExitsCleanlyOnSIGTERM(t *testing.T) {
	t.Parallel()
	cmd, out, base := startServe(t, pgtest.NewDB(t))
	defer cmd.Process.Kill()

	res, err := http.Get(base + "/")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /: %v %v", res, err)
	}
	res.Body.Close()

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no exit within 20 s after SIGTERM; output:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "shut down cleanly") {
		t.Errorf("log does not report the clean shutdown:\n%s", out.String())
	}
}

func TestBadConfigurationStopsWithAClearMessage(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(), "RII_LISTEN=achtzig", "RII_LOG_LEVEL=laut", "DATABASE_URL=postgres://u:geheim@h/db")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("want exit status 1, got %v", err)
	}
	for _, want := range []string{"RII_LISTEN", "RII_LOG_LEVEL"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("output does not name %s:\n%s", want, out)
		}
	}
	if bytes.Contains(out, []byte("geheim")) {
		t.Errorf("output leaks the database password:\n%s", out)
	}
}

// TestServeRefusesToStartWithoutSecretKey: without RII_SECRET_KEYS second
// factors could not be protected; serve says so and stops.
func TestServeRefusesToStartWithoutSecretKey(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL=postgres://u:geheim@127.0.0.1:1/db", "RII_SECRET_KEYS=")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !bytes.Contains(out, []byte("RII_SECRET_KEYS is not set")) {
		t.Fatalf("want exit status 1 naming RII_SECRET_KEYS, got %v:\n%s", err, out)
	}
}

func TestMigrateStatusAndSeedOnce(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	env := append(os.Environ(), "DATABASE_URL="+pgtest.NewDB(t))
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("rii %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := run("migrate", "status"); !strings.Contains(out, "00001_foundation.sql") || !strings.Contains(out, "applied") {
		t.Errorf("migrate status:\n%s", out)
	}
	if out := run("seed"); !strings.Contains(out, "Demo-Inhalte angelegt") || !strings.Contains(out, "admin@beispiel.example") {
		t.Errorf("first seed:\n%s", out)
	}
	if out := run("seed"); !strings.Contains(out, "nothing to do") {
		t.Errorf("second seed should do nothing:\n%s", out)
	}
}

func TestUserAddCreatesTheFirstAdmin(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	env := append(os.Environ(), "DATABASE_URL="+pgtest.NewDB(t))
	cmd := exec.Command(bin, "user", "add", "-email", "Chefin@Beispiel.example", "-name", "Erste Administratorin")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("chefin@beispiel.example")) || !bytes.Contains(out, []byte("Passwort (wird nur jetzt angezeigt)")) {
		t.Errorf("output:\n%s", out)
	}
	// The same address again is refused; a weak password from stdin too.
	cmd = exec.Command(bin, "user", "add", "-email", "chefin@beispiel.example", "-name", "Noch eine")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err == nil || !bytes.Contains(out, []byte("exists already")) {
		t.Errorf("duplicate accepted: %v\n%s", err, out)
	}
	cmd = exec.Command(bin, "user", "add", "-email", "zwei@beispiel.example", "-name", "Zwei", "-role", "member", "-password-stdin")
	cmd.Env = env
	cmd.Stdin = strings.NewReader("kurz\n")
	if out, err := cmd.CombinedOutput(); err == nil || !bytes.Contains(out, []byte("12 Zeichen")) {
		t.Errorf("short password accepted: %v\n%s", err, out)
	}
}

// testSecretKeys is RII_SECRET_KEYS for the processes and servers of this
// package's tests: `rii serve` refuses to start without one.
var testSecretKeys = secret.Generate()

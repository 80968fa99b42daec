// Package browsertest drives a headless Chromium for the browser tests: it
// starts the browser, opens tabs that record console errors and
// Content-Security-Policy violations, and checks a page the way every page of
// the portal must pass (German lang, a title, one h1, the skip link as the
// first tab stop, and no axe-core violations of WCAG 2.2 A/AA).
//
// A test that cannot find Chromium or axe-core fails when the environment
// variable CI is set, and skips otherwise, so that a laptop without a browser
// can still run the rest of the suite.
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// DefaultChromium is the browser binary used unless RII_CHROMIUM names another.
const DefaultChromium = "/usr/bin/chromium"

// tabTimeout bounds everything a single tab does (a role visits every page
// in one tab, on 2 busy cores), so a hung page fails the
// test instead of running into the global go test timeout.
const tabTimeout = 3 * time.Minute

// installHint tells a developer or CI job how to get the missing tools.
const installHint = "`bash .ci/run` installs Chromium and axe-core " +
	"(by hand: apt-get install -y --no-install-recommends chromium; npm ci)"

// Browser is one running headless Chromium. Tabs opened with Tab share it and
// may be used from parallel tests.
type Browser struct {
	ctx     context.Context // the chromedp browser context; parent of every tab
	cancel  context.CancelFunc
	dir     string // holds the user data dir and TMPDIR of the browser
	ownsDir bool   // whether stop must remove dir (false when t.TempDir owns it)
}

// New starts a browser for the test t and stops it when t finishes.
func New(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath(t)
	b, err := start(path, t.TempDir(), false)
	if err != nil {
		t.Fatalf("browsertest: starting %s: %v", path, err)
	}
	t.Cleanup(b.stop)
	return b
}

var shared struct {
	mu  sync.Mutex
	b   *Browser
	err error
}

// Shared returns the browser of this test process, starting it on first use.
// Starting Chromium costs about a second, so a package with many browser
// tests shares one; each test still gets its own tab. Call Close from
// TestMain after m.Run. Without it the browser still dies with the test
// binary, and its temporary directory is swept by a later test run.
func Shared(t testing.TB) *Browser {
	t.Helper()
	path := chromiumPath(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b == nil && shared.err == nil {
		dir, err := sharedDir()
		if err == nil {
			shared.b, err = start(path, dir, true)
		}
		// Remember a failure so that later tests fail fast instead of
		// retrying a slow start that will fail again.
		shared.err = err
	}
	if shared.err != nil {
		t.Fatalf("browsertest: starting %s: %v", path, shared.err)
	}
	return shared.b
}

// sharedDirPrefix names the directories of shared browsers in os.TempDir.
const sharedDirPrefix = "rii-browsertest-"

var sweepOnce sync.Once

// sharedDir creates the directory of the shared browser. Not t.TempDir: the
// browser outlives the test that started it. Like pgtest, it marks the
// directory with the owner's pid and first removes the directories of test
// processes that ended without Close (a TestMain that does not call it, a
// test timeout, kill -9).
func sharedDir() (string, error) {
	sweepOnce.Do(sweepLeftovers)
	dir, err := os.MkdirTemp("", sharedDirPrefix)
	if err != nil {
		return "", err
	}
	pid := []byte(strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), pid, 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// sweepLeftovers removes shared-browser directories whose owner.pid names a
// process that no longer exists, and any Chromium helper still using one.
func sweepLeftovers() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), sharedDirPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue // still being set up
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			killLeftovers(dir)
			_ = os.RemoveAll(dir)
		}
	}
}

// Close stops the browser that Shared started, if any. Call it from TestMain
// after m.Run.
func Close() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.b != nil {
		shared.b.stop()
		shared.b = nil
	}
}

// chromiumPath returns the browser binary, or ends the test when it is missing.
func chromiumPath(t testing.TB) string {
	t.Helper()
	path := os.Getenv("RII_CHROMIUM")
	if path == "" {
		path = DefaultChromium
	}
	if _, err := exec.LookPath(path); err != nil {
		missing(t, fmt.Sprintf("Chromium not found at %s (set RII_CHROMIUM to use another binary)", path))
	}
	return path
}

// missing fails the test on CI and skips it elsewhere: CI must never pass
// by silently skipping the browser tests.
func missing(t testing.TB, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("browsertest: %s; %s", what, installHint)
	}
	t.Skipf("browsertest: %s; %s", what, installHint)
}

// start launches Chromium with its profile and temporary files inside dir.
func start(path, dir string, ownsDir bool) (*Browser, error) {
	userData := filepath.Join(dir, "profile")
	tmp := filepath.Join(dir, "tmp")
	home := filepath.Join(dir, "home")
	for _, d := range []string{tmp, home} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			if ownsDir {
				_ = os.RemoveAll(dir)
			}
			return nil, err
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userData),
		// Chromium refuses to start as root with its sandbox; test
		// containers run as root.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// Keep the browser from talking to anything but the test server.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		// With disable-dev-shm-usage (a default) Chromium keeps its shared
		// memory files in TMPDIR; they must not pile up in /tmp. Despite
		// its own profile directory it also writes "Crash Reports" to
		// ~/.config/chromium and GTK settings to ~/.cache/dconf.
		chromedp.Env(
			"TMPDIR="+tmp,
			"HOME="+home,
			"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
			"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{
		ctx:     ctx,
		cancel:  func() { cancelCtx(); cancelAlloc() },
		dir:     dir,
		ownsDir: ownsDir,
	}
	// The first Run binds the browser's lifetime to ctx, which has no
	// deadline on purpose; see chromedp.NewContext.
	if err := chromedp.Do(ctx); err != nil {
		b.stop()
		return nil, err
	}
	return b, nil
}

// stop closes the browser gracefully and makes sure no process is left.
func (b *Browser) stop() {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	_ = chromedp.Cancel(ctx) // errors here only mean the browser is already gone
	cancel()
	b.cancel()
	// chromedp hunts down Chromium's helper processes only for profiles it
	// created itself; ours lives in dir, so we do the same.
	killLeftovers(b.dir)
	if b.ownsDir {
		_ = os.RemoveAll(b.dir)
	}
}

// killLeftovers kills the processes that have an argument pointing into
// dir. Helper processes (zygotes, network service) can outlive a browser that
// did not shut down cleanly, and chrome_crashpad_handler detaches from the
// browser on purpose; both would keep writing into a directory being removed.
// dir is a fresh temporary directory, so nothing else refers to it.
func killLeftovers(dir string) {
	inside := []byte(dir + string(filepath.Separator))
	self := os.Getpid()
	for range 3 {
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return // not Linux; nothing we can do
		}
		found := false
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == self {
				continue
			}
			cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err == nil && bytes.Contains(cmdline, inside) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
				found = true
			}
		}
		if !found {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type recorderKey struct{}

// Tab opens a new tab in b for the test t and closes it when t finishes. The
// returned context is a chromedp context for chromedp.Run and chromedp.Do; it
// expires after 60 seconds, and it records console errors (see
// ConsoleErrors) from the moment the tab opens.
func (b *Browser) Tab(t testing.TB) context.Context {
	t.Helper()
	// Each tab lives in its own browser context: cookies and storage are
	// not shared, so parallel tests can sign in as different people.
	tabCtx, closeTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(tabCtx, 5*time.Second)
		defer cancel()
		_ = chromedp.Cancel(ctx) // a tab that is already gone is fine
		closeTab()
	})
	// Open the target before the deadline is attached: the first Run binds
	// the tab's lifetime to its context (see chromedp.NewContext).
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	rec := &recorder{}
	if err := chromedp.Listen(tabCtx, rec.event); err != nil {
		t.Fatalf("browsertest: listening to the tab: %v", err)
	}
	// Parallel tests open tabs side by side, and only one of them can have
	// the real focus; without emulated focus, focus-dependent behaviour
	// (focus rings, :focus-visible, focus events) would depend on timing.
	focus := emulation.SetFocusEmulationEnabledParams{Enabled: true}
	if _, err := chromedp.Call(tabCtx, emulation.SetFocusEmulationEnabled, focus); err != nil {
		t.Fatalf("browsertest: emulating focus: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(cancel)
	return context.WithValue(ctx, recorderKey{}, rec)
}

// errNotTab explains misuse of a context that did not come from Tab.
var errNotTab = errors.New("browsertest: context does not come from Browser.Tab")

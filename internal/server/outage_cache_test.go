package server

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"rii/internal/webtest"
)

// TestDatabaseOutageServesStaleCopies stops and restarts PostgreSQL with the
// page cache on while anonymous visitors keep requesting pages: the pages
// visited before the stop answer 200 with their last good copy (X-Cache:
// stale, not to be stored) once the instance has lost the content version,
// pages never visited the German 503 with Retry-After, nothing a 500; each
// page answers a freshly rendered 200 within a second of the database
// being back.
func TestDatabaseOutageServesStaleCopies(t *testing.T) {
	t.Parallel()
	cluster, pool := poolOnOwnCluster(t)
	w := newWorldOn(t, pool, withCache(time.Second))
	watch(t, w.srv)

	visited := []string{"/", "/initiativen", "/initiativen/initiative-a"}
	unvisited := []string{"/veranstaltungen", "/initiativen?q=nie-besucht"}
	good := map[string]string{} // the h1 of each visited page before the outage
	for _, p := range visited {
		res := webtest.NewClient(t, w.ts.URL).Get(p).WantStatus(http.StatusOK)
		if res.Header.Get("X-Cache") != "miss" {
			t.Fatalf("%s before the outage: X-Cache %q, want miss (stored)", p, res.Header.Get("X-Cache"))
		}
		good[p] = strings.TrimSpace(res.Find("h1").First().Text())
	}
	if n := w.srv.CacheStats().Entries; n < int64(len(visited)) {
		t.Fatalf("%d entries cached before the outage, want %d", n, len(visited))
	}

	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var (
		mu       sync.Mutex
		outcomes []outcome
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	load := func(paths []string) {
		for _, p := range paths {
			wg.Go(func() {
				for !stop.Load() {
					o := fetch(anon, w.ts.URL+p)
					mu.Lock()
					outcomes = append(outcomes, o)
					mu.Unlock()
					time.Sleep(10 * time.Millisecond)
				}
			})
		}
	}
	// However the test ends, the load stops before the world is torn down.
	t.Cleanup(func() { stop.Store(true); wg.Wait() })

	load(visited)
	time.Sleep(300 * time.Millisecond)
	if err := cluster.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	stoppedAt := time.Now()
	// The pages never visited join the load only now, so no good copy of
	// them can exist.
	load(unvisited)
	// The instance learns that it can no longer know the content version
	// (its listening connection broke): from then on no fresh hits. A wait
	// for that change, not a sleep, bounded so a missing step fails.
	deadline := time.After(30 * time.Second)
	for w.srv.pages.Version() != 0 {
		select {
		case <-w.srv.pages.VersionChanged():
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("30 s after the stop the instance still trusts content version %d", w.srv.pages.Version())
		}
	}
	forgottenAt := time.Now()
	time.Sleep(500 * time.Millisecond)

	// During the outage, as a visitor sees it.
	c := webtest.NewClient(t, w.ts.URL)
	for _, p := range visited {
		res := c.Get(p)
		res.WantStatus(http.StatusOK)
		if res.Header.Get("X-Cache") != "stale" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s during the outage: X-Cache %q, Cache-Control %q, want the stale copy, not to be stored",
				p, res.Header.Get("X-Cache"), res.Header.Get("Cache-Control"))
		}
		if h1 := strings.TrimSpace(res.Find("h1").First().Text()); h1 != good[p] {
			t.Errorf("%s during the outage: h1 %q, want the last good copy's %q", p, h1, good[p])
		}
	}
	for _, p := range unvisited {
		res := c.Get(p)
		res.WantStatus(http.StatusServiceUnavailable)
		if res.Header.Get("Retry-After") == "" || res.Find(`[data-testid="error-page"]`).AttrOr("data-status", "") != "503" {
			t.Errorf("%s during the outage: Retry-After %q, page %q", p, res.Header.Get("Retry-After"), res.Text("main"))
		}
	}
	if w.srv.CacheStats().StaleServes == 0 {
		t.Error("no stale serve counted during the outage")
	}

	restartAt := time.Now() // the database answers again somewhere between here and backAt
	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	backAt := time.Now()
	time.Sleep(1500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	mu.Lock()
	all := append([]outcome(nil), outcomes...)
	mu.Unlock()
	isVisited := map[string]bool{}
	for _, p := range visited {
		isVisited[p] = true
	}
	var during, stale int
	firstFresh := map[string]time.Time{}
	for _, o := range all {
		switch {
		case o.err != nil:
			t.Errorf("%s: %v", o.path, o.err)
		case o.status >= 500 && o.status != http.StatusServiceUnavailable:
			t.Errorf("%s answered %d at %s", o.path, o.status, o.at.Sub(stoppedAt))
		case o.status == http.StatusServiceUnavailable && !o.german:
			t.Errorf("%s: 503 without the German page", o.path)
		case o.status == http.StatusServiceUnavailable && isVisited[o.path]:
			t.Errorf("%s answered 503 at %s, want its last good copy", o.path, o.at.Sub(stoppedAt))
		}
		if o.start.After(forgottenAt) && o.at.Before(restartAt) {
			during++
			switch {
			case isVisited[o.path] && (o.status != http.StatusOK || o.xcache != "stale"):
				t.Errorf("%s answered %d, X-Cache %q during the outage, want 200 stale", o.path, o.status, o.xcache)
			case !isVisited[o.path] && o.status != http.StatusServiceUnavailable:
				t.Errorf("%s answered %d during the outage, want 503", o.path, o.status)
			case o.xcache == "stale":
				stale++
			}
		}
		if o.start.After(backAt) && o.status == http.StatusOK && o.xcache != "stale" {
			if _, ok := firstFresh[o.path]; !ok {
				firstFresh[o.path] = o.at
			}
		}
	}
	if during == 0 || stale == 0 {
		t.Fatalf("%d requests during the outage, %d of them stale copies: the load did not run", during, stale)
	}
	for _, p := range append(append([]string(nil), visited...), unvisited...) {
		at, ok := firstFresh[p]
		if !ok || at.Sub(backAt) > time.Second {
			t.Errorf("%s: first fresh 200 %s after the database was back (found: %v), want within a second", p, at.Sub(backAt), ok)
		}
	}
	after := map[string]time.Duration{}
	for p, at := range firstFresh {
		after[p] = at.Sub(backAt).Round(time.Millisecond)
	}
	t.Logf("%d requests, %d during the outage (%d stale copies), fresh again after %v", len(all), during, stale, after)
}

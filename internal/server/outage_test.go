package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgcluster"
	"rii/internal/pgtest"
	"rii/internal/store"
	"rii/internal/webtest"
)

// TestDatabaseOutage really stops and restarts PostgreSQL while goroutines
// keep requesting public and signed-in pages: no 500 at any moment, the
// German 503 page with Retry-After during the outage (a kept form for form
// posts), 200 again within a second of the database being back, with no
// restart of the portal.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	cluster, pool := poolOnOwnCluster(t)
	w := newWorldOn(t, pool)
	member := w.client()
	w.signIn(member, "member-a")

	// Steady traffic: anonymous pages and a signed-in member's, from
	// goroutines of their own, each outcome recorded with its time.
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	load := []struct {
		client *http.Client
		path   string
	}{
		{anon, "/"}, {anon, "/initiativen"}, {anon, "/initiativen/initiative-a"}, {anon, "/veranstaltungen"},
		{anon, "/suche?q=Initiative"}, {anon, "/suche?q=Initiatve&art=initiativen"},
		{member.HTTP, "/konto"}, {member.HTTP, "/initiativen/initiative-a"},
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for _, l := range load {
		wg.Go(func() {
			for !stop.Load() {
				o := fetch(l.client, w.ts.URL+l.path)
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	record := func() []outcome {
		mu.Lock()
		defer mu.Unlock()
		return append([]outcome(nil), outcomes...)
	}

	time.Sleep(300 * time.Millisecond)
	if err := cluster.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	stoppedAt := time.Now()
	time.Sleep(time.Second)

	// During the outage: the German 503 page, forms kept.
	res := webtest.NewClient(t, w.ts.URL).Get("/initiativen")
	res.WantStatus(http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" || res.Find(`[data-testid="error-page"]`).AttrOr("data-status", "") != "503" {
		t.Errorf("outage page: Retry-After %q, page %q", res.Header.Get("Retry-After"), res.Text("main"))
	}
	signin := webtest.NewClient(t, w.ts.URL).PostForm("/anmelden", url.Values{"email": {"jemand@beispiel.example"}, "passwort": {"geheim-geheim"}})
	signin.WantStatus(http.StatusServiceUnavailable)
	if v := signin.Find(`input[name="email"]`).AttrOr("value", ""); v != "jemand@beispiel.example" {
		t.Errorf("sign-in form during the outage: e-mail %q, want it kept", v)
	}
	if signin.Find(`[data-testid="form-alert"]`).Length() != 1 || signin.Find(`input[name="passwort"]`).AttrOr("value", "") != "" {
		t.Errorf("sign-in form during the outage: want the alert and no password echoed\n%s", signin.Text("main"))
	}
	edit := member.PostForm("/initiativen/initiative-a/bearbeiten", url.Values{"name": {"Initiative A neu"}, "kurzbeschreibung": {"Mein langer Text"}})
	edit.WantStatus(http.StatusServiceUnavailable)
	form := edit.Find(`[data-testid="resend-form"] form`)
	if form.AttrOr("action", "") != "/initiativen/initiative-a/bearbeiten" ||
		form.Find(`textarea[name="kurzbeschreibung"]`).Text() != "Mein langer Text" ||
		form.Find(`textarea[name="name"]`).Text() != "Initiative A neu" {
		t.Errorf("signed-in form post during the outage: input not kept\n%s", edit.Text("main"))
	}

	restartAt := time.Now() // the database answers again somewhere between here and backAt
	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	backAt := time.Now()
	time.Sleep(1500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	all := record()
	var during, after int
	firstOK := map[string]time.Time{}
	for _, o := range all {
		switch {
		case o.err != nil:
			t.Errorf("%s: %v", o.path, o.err)
		case o.status >= 500 && o.status != http.StatusServiceUnavailable:
			t.Errorf("%s answered %d at %s", o.path, o.status, o.at.Sub(stoppedAt))
		case o.status == http.StatusServiceUnavailable && !o.german:
			t.Errorf("%s: 503 without the German page", o.path)
		}
		if o.start.After(stoppedAt) && o.at.Before(restartAt) {
			during++
			if o.status != http.StatusServiceUnavailable {
				t.Errorf("%s answered %d during the outage, want 503", o.path, o.status)
			}
		}
		if o.start.After(backAt) && o.status == http.StatusOK {
			after++
			if _, ok := firstOK[o.path]; !ok {
				firstOK[o.path] = o.at
			}
		}
	}
	if during == 0 || after == 0 {
		t.Fatalf("%d requests during the outage, %d successful after it: the load did not run", during, after)
	}
	for _, l := range load {
		at, ok := firstOK[l.path]
		if !ok || at.Sub(backAt) > time.Second {
			t.Errorf("%s: first 200 %s after the database was back, want within a second", l.path, at.Sub(backAt))
		}
	}
	t.Logf("%d requests, %d during the outage, %d successful after it", len(all), during, after)
}

// outcome is one request of the load.
type outcome struct {
	path   string
	start  time.Time // when the request was sent
	at     time.Time // when the answer arrived
	status int
	german bool   // a 503 came as the German error page
	xcache string // the page cache's X-Cache header: hit, miss, stale or none
	err    error
}

func fetch(c *http.Client, u string) outcome {
	o := outcome{path: strings.SplitN(u, "/", 4)[3], start: time.Now()}
	res, err := c.Get(u)
	if err != nil {
		o.err, o.at = err, time.Now()
		return o
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	o.at, o.status, o.err = time.Now(), res.StatusCode, err
	o.xcache = res.Header.Get("X-Cache")
	o.german = strings.Contains(string(b), "Vorübergehend nicht erreichbar") && res.Header.Get("Retry-After") != ""
	o.path = "/" + o.path
	if o.status == 0 {
		o.err = fmt.Errorf("no status")
	}
	return o
}

// TestClientGoneIsNoServerError: a request whose client disconnected while
// the database worked is recorded as 499, not logged as a 500.
func TestClientGoneIsNoServerError(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/initiativen", nil).WithContext(ctx))
	if rec.Code != statusClientGone {
		t.Errorf("status %d, want %d", rec.Code, statusClientGone)
	}
}

// poolOnOwnCluster is a migrated database on a PostgreSQL cluster of the
// test's own, which the test may stop and start, and a pool on it with the
// portal's settings (store.PoolConfig).
func poolOnOwnCluster(t *testing.T) (*pgcluster.Cluster, *pgxpool.Pool) {
	t.Helper()
	cluster := pgtest.StartCluster(t)
	pc, err := store.PoolConfig(pgtest.MigratedDB(t, cluster))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return cluster, pool
}

package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/config"
	"rii/internal/store"
	"rii/internal/webtest"
	"rii/migrations"
)

// withCache turns the page cache on, checking the version every check.
func withCache(check time.Duration) func(*config.Config) {
	return func(c *config.Config) { c.CacheBytes, c.CacheCheck = 16<<20, check }
}

// watch runs s.WatchContent until the test ends and waits until s knows the
// database's current content version.
func watch(t *testing.T, s *Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.WatchContent(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitVersion(t, s)
}

// waitVersion waits until s has learnt the database's current content
// version: not a sleep, but a wait for the change itself, bounded so a
// missing way of learning it fails the test.
func waitVersion(t *testing.T, s *Server) {
	t.Helper()
	want, err := s.store.ContentVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(30 * time.Second)
	for {
		changed := s.pages.VersionChanged()
		if s.pages.Version() >= want {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("the instance still knows version %d after 30 s, the database has %d", s.pages.Version(), want)
		}
	}
}

// secondInstance starts another portal instance on w's database, with its
// own pool, clock-synchronous with w, and returns its URL.
func secondInstance(t *testing.T, w *world, check time.Duration, listen bool) (*Server, string) {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), w.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	cfg := testConfig(t)
	withCache(check)(cfg)
	b, err := New(pool, Options{Config: cfg, Logger: testLogger(), SchemaVersion: migrations.Latest(), Clock: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	b.listenContent = listen
	ts := httptest.NewServer(b.Handler())
	t.Cleanup(ts.Close)
	watch(t, b)
	return b, ts.URL
}

func TestChangePublishedOnOneInstanceShowsOnTheOther(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		listen bool
		check  time.Duration
	}{
		// The check is too slow to help: only the notification can deliver.
		{"notification", true, time.Hour},
		// No notifications: only the periodic check can deliver.
		{"periodic check", false, 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			editor := w.client()
			w.signIn(editor, "editor")
			if _, err := w.st.CreateInitiative(context.Background(), "initiative-c", "submitted",
				store.InitiativeProfile{Name: "Initiative Cottbus"}, store.Actor{Label: "Testdaten"}, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
			b, bURL := secondInstance(t, w, tc.check, tc.listen)
			anon := webtest.NewClient(t, bURL)
			for i, want := range []string{"miss", "hit"} {
				res := anon.Get("/initiativen").WantStatus(http.StatusOK)
				if got := res.Header.Get("X-Cache"); got != want {
					t.Fatalf("request %d on B: X-Cache %q, want %q", i+1, got, want)
				}
				if strings.Contains(res.Text(`[data-testid="directory-results"]`), "Cottbus") {
					t.Fatal("the unpublished initiative is listed")
				}
			}

			v := reviewedVersion(editor, "initiative-c")
			editor.PostForm("/initiativen/initiative-c/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {v}}).WantStatus(http.StatusSeeOther)
			waitVersion(t, b)
			res := anon.Get("/initiativen").WantStatus(http.StatusOK)
			if !strings.Contains(res.Text(`[data-testid="directory-results"]`), "Initiative Cottbus") {
				t.Errorf("B does not list the initiative published on A (X-Cache %q)", res.Header.Get("X-Cache"))
			}
		})
	}
}

func TestPersonalPagesNeverEnterTheCache(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Hour))
	w.addContact() // visible to Initiative A's members only
	if _, err := w.st.CreateInitiative(context.Background(), "initiative-entwurf", "draft",
		store.InitiativeProfile{Name: "Entwurf Eisenhüttenstadt"}, store.Actor{Label: "Testdaten"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	watch(t, w.srv)
	anon, member, editor := w.client(), w.client(), w.client()
	w.signIn(member, "member-a")
	w.signIn(editor, "editor")

	profile := func(c *webtest.Client, wantCache string) *webtest.Response {
		t.Helper()
		res := c.Get("/initiativen/initiative-a").WantStatus(http.StatusOK)
		if got := res.Header.Get("X-Cache"); got != wantCache {
			t.Errorf("X-Cache %q, want %q", got, wantCache)
		}
		return res
	}
	profile(anon, "miss")
	before := w.srv.CacheStats()
	// The member sees the members' contact, rendered for them alone, and
	// no proxy may keep it either.
	own := profile(member, "")
	if !strings.Contains(own.Text("main"), "Kontakt A") {
		t.Fatal("the member does not see the members' contact")
	}
	if cc := own.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-store") {
		t.Errorf("member's profile: Cache-Control %q", cc)
	}
	// The editor sees the draft, rendered for them alone.
	draft := editor.Get("/initiativen/initiative-entwurf").WantStatus(http.StatusOK)
	if !strings.Contains(draft.Text("main"), "Eisenhüttenstadt") || draft.Header.Get("X-Cache") != "" {
		t.Fatalf("editor's draft view: X-Cache %q", draft.Header.Get("X-Cache"))
	}
	if cc := draft.Header.Get("Cache-Control"); !strings.Contains(cc, "private") || !strings.Contains(cc, "no-store") {
		t.Errorf("editor's draft view: Cache-Control %q", cc)
	}
	if after := w.srv.CacheStats(); after.Entries != before.Entries || after.Hits != before.Hits || after.Misses != before.Misses {
		t.Errorf("signed-in requests touched the cache: before %+v, after %+v", before, after)
	}
	// Anonymous visitors still get the public page from memory, and no draft.
	if strings.Contains(profile(anon, "hit").Text("main"), "Kontakt A") {
		t.Error("an anonymous visitor sees the members' contact")
	}
	if res := anon.Get("/initiativen/initiative-entwurf"); res.StatusCode != http.StatusNotFound || res.Header.Get("X-Cache") == "hit" {
		t.Errorf("anonymous draft: status %d, X-Cache %q", res.StatusCode, res.Header.Get("X-Cache"))
	}
	if res := anon.Get("/initiativen/initiative-entwurf"); res.Header.Get("X-Cache") == "hit" {
		t.Error("a 404 was stored")
	}
}

// rawGet sends a GET with exactly the Accept-Encoding and If-None-Match
// given, without the client decompressing anything.
func rawGet(t *testing.T, u, acceptEncoding, ifNoneMatch string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func TestCachedPagesFeedsAndOpenDataAreIdenticalAndRevalidate(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Hour))
	w.addEvent()
	watch(t, w.srv)
	for _, path := range []string{"/initiativen", "/initiativen/initiative-a", "/veranstaltungen/kalender.ics",
		"/berichte/feed.atom", "/initiativen.csv", "/initiativen.json"} {
		for _, enc := range []string{"identity", "gzip"} {
			path := path + "?form=" + enc // a URL of its own, so its first request is a miss
			miss, missBody := rawGet(t, w.ts.URL+path, enc, "")
			hit, hitBody := rawGet(t, w.ts.URL+path, enc, "")
			if miss.StatusCode != http.StatusOK || miss.Header.Get("X-Cache") != "miss" || hit.Header.Get("X-Cache") != "hit" {
				t.Errorf("%s %s: status %d, X-Cache %q then %q", path, enc, miss.StatusCode, miss.Header.Get("X-Cache"), hit.Header.Get("X-Cache"))
				continue
			}
			if !bytes.Equal(missBody, hitBody) || miss.Header.Get("Content-Type") != hit.Header.Get("Content-Type") {
				t.Errorf("%s %s: hit and miss differ", path, enc)
			}
			if (enc == "gzip") != (hit.Header.Get("Content-Encoding") == "gzip") {
				t.Errorf("%s %s: Content-Encoding %q", path, enc, hit.Header.Get("Content-Encoding"))
			}
			etag := hit.Header.Get("ETag")
			res, body := rawGet(t, w.ts.URL+path, enc, etag)
			if res.StatusCode != http.StatusNotModified || res.Header.Get("ETag") != etag || len(body) != 0 {
				t.Errorf("%s %s: If-None-Match gave %d, ETag %q", path, enc, res.StatusCode, res.Header.Get("ETag"))
			}
		}
	}
}

func TestCachedPageFollowsTheClock(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Hour))
	w.addEvent() // 10 December 2026, the clock stands at 24 November
	watch(t, w.srv)
	anon := w.client()
	groups := func() (upcoming, past string, xcache string) {
		res := anon.Get("/veranstaltungen").WantStatus(http.StatusOK)
		return res.Text(`[data-testid="events-upcoming"]`), res.Text(`[data-testid="events-past"]`), res.Header.Get("X-Cache")
	}
	groups()
	if up, _, x := groups(); x != "hit" || !strings.Contains(up, "Testdialog") {
		t.Fatalf("before: X-Cache %q, upcoming %q", x, up)
	}
	// Nothing in the database changes, only the clock passes the event.
	w.clock.Advance(20 * 24 * time.Hour)
	if _, past, x := groups(); x != "miss" || !strings.Contains(past, "Testdialog") {
		t.Errorf("after the event: X-Cache %q, past %q", x, past)
	}
}

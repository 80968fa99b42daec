package pagecache

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// page is a handler that counts its renders and answers with a body that
// names the URL, as a public page does.
type page struct {
	renders atomic.Int64
	status  atomic.Int64 // 0: 200
	header  func(http.Header)
	gate    chan struct{} // if not nil, every render waits for it to close
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.renders.Add(1)
	if p.gate != nil {
		<-p.gate
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("Link", `</feed.atom>; rel="alternate"`)
	if p.header != nil {
		p.header(h)
	}
	if s := p.status.Load(); s != 0 {
		w.WriteHeader(int(s))
		fmt.Fprintf(w, "<p>Fehler %d</p>", s)
		return
	}
	fmt.Fprintf(w, "<h1>%s</h1>%s<p>render %d</p>", r.URL, strings.Repeat("<p>Initiative</p>", 200), n)
}

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// setup serves p through a cache of maxBytes at version 1 over real HTTP.
func setup(t *testing.T, p *page, maxBytes int64) (*Cache, *httptest.Server, *testClock) {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
	c := New(Options{MaxBytes: maxBytes, Lifetime: time.Minute, Now: clock.Now,
		Skip: func(r *http.Request) bool { _, err := r.Cookie("rii_sitzung"); return err == nil }})
	c.SetVersion(1)
	ts := httptest.NewServer(c.Handler(p))
	t.Cleanup(ts.Close)
	return c, ts, clock
}

// get requests path with extra headers; the transport decompresses nothing.
func get(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
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

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHitAndMissAreByteIdenticalPlainAndGzip(t *testing.T) {
	p := &page{}
	_, ts, _ := setup(t, p, 1<<20)
	for _, enc := range []string{"identity", "gzip"} {
		t.Run(enc, func(t *testing.T) {
			url := ts.URL + "/initiativen?enc=" + enc
			miss, missBody := get(t, "GET", url, "Accept-Encoding", enc)
			hit, hitBody := get(t, "GET", url, "Accept-Encoding", enc)
			if miss.Header.Get("X-Cache") != "miss" || hit.Header.Get("X-Cache") != "hit" {
				t.Fatalf("X-Cache %q then %q", miss.Header.Get("X-Cache"), hit.Header.Get("X-Cache"))
			}
			if !bytes.Equal(missBody, hitBody) {
				t.Fatal("hit and miss bodies differ")
			}
			for _, h := range []string{"Content-Type", "Cache-Control", "Link", "ETag", "Content-Encoding", "Content-Length", "Vary"} {
				if miss.Header.Get(h) != hit.Header.Get(h) {
					t.Errorf("%s: miss %q, hit %q", h, miss.Header.Get(h), hit.Header.Get(h))
				}
			}
			plain := hitBody
			if enc == "gzip" {
				if hit.Header.Get("Content-Encoding") != "gzip" {
					t.Fatalf("Content-Encoding %q", hit.Header.Get("Content-Encoding"))
				}
				plain = gunzip(t, hitBody)
			}
			if !bytes.Contains(plain, []byte("<h1>/initiativen?enc="+enc+"</h1>")) {
				t.Errorf("body %.80q", plain)
			}
		})
	}
	if n := p.renders.Load(); n != 2 {
		t.Errorf("%d renders, want one per URL", n)
	}
}

func TestIfNoneMatchGivesNotModifiedWithTheSameETag(t *testing.T) {
	p := &page{}
	_, ts, _ := setup(t, p, 1<<20)
	for _, enc := range []string{"identity", "gzip"} {
		// On a miss, then on a hit.
		miss, _ := get(t, "GET", ts.URL+"/a-"+enc, "Accept-Encoding", enc)
		etag := miss.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || len(etag) < 20 {
			t.Fatalf("ETag %q is not a strong tag from the body", etag)
		}
		if res, _ := get(t, "GET", ts.URL+"/b-"+enc, "Accept-Encoding", enc, "If-None-Match", etag); res.StatusCode != http.StatusOK {
			t.Errorf("another page's tag matched: %d", res.StatusCode)
		}
		for _, method := range []string{"GET", "HEAD"} {
			res, body := get(t, method, ts.URL+"/a-"+enc, "Accept-Encoding", enc, "If-None-Match", `"x", `+etag)
			if res.StatusCode != http.StatusNotModified || res.Header.Get("ETag") != etag || len(body) != 0 {
				t.Errorf("%s %s: status %d, ETag %q, %d bytes", method, enc, res.StatusCode, res.Header.Get("ETag"), len(body))
			}
		}
	}
	// A miss answers a matching tag with 304 too: the same page on a
	// second instance.
	_, ts1, _ := setup(t, &page{}, 1<<20)
	_, ts2, _ := setup(t, &page{}, 1<<20)
	first, _ := get(t, "GET", ts1.URL+"/c")
	res, _ := get(t, "GET", ts2.URL+"/c", "If-None-Match", first.Header.Get("ETag"))
	if res.StatusCode != http.StatusNotModified || res.Header.Get("X-Cache") != "miss" {
		t.Errorf("miss with a matching tag: %d %s", res.StatusCode, res.Header.Get("X-Cache"))
	}
}

func TestEquivalentURLsAndHEADShareOneEntry(t *testing.T) {
	p := &page{}
	_, ts, _ := setup(t, p, 1<<20)
	get(t, "GET", ts.URL+"/initiativen?thema=energie&land=05")
	res, body := get(t, "HEAD", ts.URL+"/initiativen?land=05&thema=energie")
	if res.Header.Get("X-Cache") != "hit" || len(body) != 0 || res.Header.Get("Content-Length") == "" {
		t.Errorf("HEAD with reordered query: X-Cache %q, %d bytes, Content-Length %q", res.Header.Get("X-Cache"), len(body), res.Header.Get("Content-Length"))
	}
	// A HEAD miss fills the entry for the GET.
	get(t, "HEAD", ts.URL+"/veranstaltungen")
	if res, _ := get(t, "GET", ts.URL+"/veranstaltungen"); res.Header.Get("X-Cache") != "hit" {
		t.Errorf("GET after HEAD: %q", res.Header.Get("X-Cache"))
	}
	if n := p.renders.Load(); n != 2 {
		t.Errorf("%d renders, want 2", n)
	}
}

func TestUnsharableResponsesAreNeverStored(t *testing.T) {
	cases := map[string]*page{
		"Set-Cookie":       {header: func(h http.Header) { h.Add("Set-Cookie", "rii_sitzung=geheim; HttpOnly") }},
		"private":          {header: func(h http.Header) { h.Set("Cache-Control", "private, no-store") }},
		"no Cache-Control": {header: func(h http.Header) { h.Del("Cache-Control") }},
		"404":              func() *page { p := &page{}; p.status.Store(404); return p }(),
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			c, ts, _ := setup(t, p, 1<<20)
			for range 2 {
				res, _ := get(t, "GET", ts.URL+"/seite")
				if res.Header.Get("X-Cache") == "hit" {
					t.Error("served from the cache")
				}
				if name == "Set-Cookie" && res.Header.Get("Set-Cookie") == "" {
					t.Error("the cookie of the response's own render is missing")
				}
			}
			if p.renders.Load() != 2 || c.Stats().Entries != 0 {
				t.Errorf("%d renders, %d entries", p.renders.Load(), c.Stats().Entries)
			}
		})
	}
}

func TestSessionCookieBypassesTheCache(t *testing.T) {
	p := &page{}
	c, ts, _ := setup(t, p, 1<<20)
	get(t, "GET", ts.URL+"/initiativen") // filled anonymously
	res, body := get(t, "GET", ts.URL+"/initiativen", "Cookie", "rii_sitzung=abc")
	if res.Header.Get("X-Cache") != "" || !bytes.Contains(body, []byte("render 2")) {
		t.Errorf("signed-in request: X-Cache %q, body %.60q", res.Header.Get("X-Cache"), body)
	}
	get(t, "GET", ts.URL+"/konto", "Cookie", "rii_sitzung=abc")
	if s := c.Stats(); s.Entries != 1 || s.Hits != 0 {
		t.Errorf("stats after signed-in requests: %+v", s)
	}
}

func TestNewVersionAndClockMakeEntriesStale(t *testing.T) {
	p := &page{}
	c, ts, clock := setup(t, p, 1<<20)
	get(t, "GET", ts.URL+"/")
	c.SetVersion(2)
	if res, body := get(t, "GET", ts.URL+"/"); res.Header.Get("X-Cache") != "miss" || !bytes.Contains(body, []byte("render 2")) {
		t.Errorf("after a new version: %q", res.Header.Get("X-Cache"))
	}
	c.SetVersion(1) // an older version read late changes nothing
	if res, _ := get(t, "GET", ts.URL+"/"); res.Header.Get("X-Cache") != "hit" {
		t.Errorf("after an older version: %q", res.Header.Get("X-Cache"))
	}
	clock.Advance(time.Minute) // the next full minute
	if res, body := get(t, "GET", ts.URL+"/"); res.Header.Get("X-Cache") != "miss" || !bytes.Contains(body, []byte("render 3")) {
		t.Errorf("a minute later: %q", res.Header.Get("X-Cache"))
	}
	c.ForgetVersion()
	if res, body := get(t, "GET", ts.URL+"/"); res.Header.Get("X-Cache") != "" || !bytes.Contains(body, []byte("render 4")) {
		t.Errorf("with the version unknown: %q", res.Header.Get("X-Cache"))
	}
}

func TestCapHoldsWithManyDistinctURLs(t *testing.T) {
	p := &page{}
	const maxBytes = 64 << 10
	c, ts, _ := setup(t, p, maxBytes)
	for i := range 400 {
		get(t, "GET", fmt.Sprintf("%s/initiativen?q=wort%d&seite=%d", ts.URL, i, i%7))
		if s := c.Stats(); s.Bytes > maxBytes {
			t.Fatalf("after %d URLs: %d bytes held, cap %d", i+1, s.Bytes, maxBytes)
		}
	}
	s := c.Stats()
	if s.Evictions == 0 || s.Entries < 2 {
		t.Errorf("nothing evicted or nothing kept: %+v", s)
	}
	// The newest entry survived, the oldest was evicted.
	if res, _ := get(t, "GET", ts.URL+"/initiativen?q=wort399&seite=0"); res.Header.Get("X-Cache") != "hit" {
		t.Errorf("newest entry: %q", res.Header.Get("X-Cache"))
	}
	if res, _ := get(t, "GET", ts.URL+"/initiativen?q=wort0&seite=0"); res.Header.Get("X-Cache") != "miss" {
		t.Errorf("oldest entry: %q", res.Header.Get("X-Cache"))
	}
}

func TestConcurrentMissesRenderOnce(t *testing.T) {
	p := &page{gate: make(chan struct{})}
	c, _, _ := setup(t, p, 1<<20)
	const n = 16
	var arrived atomic.Int64
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if arrived.Add(1) == n {
			close(p.gate) // every request is on its way before the render may finish
		}
		c.Handler(p).ServeHTTP(w, r)
	}))
	t.Cleanup(counting.Close)
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, bodies[i] = get(t, "GET", counting.URL+"/initiativen") })
	}
	wg.Wait()
	if r := p.renders.Load(); r != 1 {
		t.Errorf("%d renders for %d concurrent requests, want 1", r, n)
	}
	for i := range bodies {
		if !bytes.Equal(bodies[i], bodies[0]) || !bytes.Contains(bodies[i], []byte("render 1")) {
			t.Fatalf("response %d differs", i)
		}
	}
}

func TestLastGoodCopyServedOn503(t *testing.T) {
	p := &page{}
	c, ts, _ := setup(t, p, 1<<20)
	_, good := get(t, "GET", ts.URL+"/initiativen")
	c.SetVersion(2) // the copy is outdated; then the database goes away
	p.status.Store(http.StatusServiceUnavailable)
	for _, unknown := range []bool{false, true} {
		if unknown {
			c.ForgetVersion()
		}
		res, body := get(t, "GET", ts.URL+"/initiativen")
		if res.StatusCode != http.StatusOK || !bytes.Equal(body, good) || res.Header.Get("X-Cache") != "stale" ||
			res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("version unknown %v: status %d, X-Cache %q, Cache-Control %q", unknown, res.StatusCode,
				res.Header.Get("X-Cache"), res.Header.Get("Cache-Control"))
		}
	}
	res, body := get(t, "GET", ts.URL+"/veranstaltungen") // never rendered while up
	if res.StatusCode != http.StatusServiceUnavailable || !bytes.Contains(body, []byte("Fehler 503")) {
		t.Errorf("without a copy: status %d, %q", res.StatusCode, body)
	}
	if s := c.Stats(); s.StaleServes != 2 {
		t.Errorf("stale serves %d, want 2", s.StaleServes)
	}
}

func TestZeroBytesTurnsTheCacheOff(t *testing.T) {
	p := &page{}
	_, ts, _ := setup(t, p, 0)
	get(t, "GET", ts.URL+"/")
	if res, _ := get(t, "GET", ts.URL+"/"); res.Header.Get("X-Cache") != "" || p.renders.Load() != 2 {
		t.Errorf("cache off: X-Cache %q, %d renders", res.Header.Get("X-Cache"), p.renders.Load())
	}
}

// BenchmarkHit is the cost of one hit, without the network.
func BenchmarkHit(b *testing.B) {
	c := New(Options{MaxBytes: 1 << 20})
	c.SetVersion(1)
	h := c.Handler(&page{})
	req := httptest.NewRequest("GET", "/initiativen?land=05", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	h.ServeHTTP(httptest.NewRecorder(), req)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}

package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Close()
	os.Exit(code)
}

// csp is the portal's policy: no inline scripts or styles.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'"

// page wraps a body in the frame every portal page has.
func page(body string) string {
	return `<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>Testseite – RII-Portal</title></head>
<body>
<a href="#inhalt">Zum Inhalt springen</a>
<header><p>RII-Portal</p></header>
<main id="inhalt">
<h1>Initiativen</h1>
` + body + `
</main>
</body>
</html>`
}

var pages = map[string]string{
	"/ok":     page(`<p>Alles in Ordnung.</p>`),
	"/img":    page(`<img src="/pixel.png">`),
	"/inline": page(`<script>document.title = "geändert";</script>`),
	"/throw":  page(`<script src="/throw.js"></script>`),
	// Everything wrong at once, to see that CheckPage names each failure.
	"/bad": `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title></title></head>
<body>
<main><h1>Eins</h1><h1>Zwei</h1>
<p><a href="/ok">Weiter</a></p>
<img src="/pixel.png">
</main>
</body>
</html>`,
}

// pixel is a 1×1 transparent PNG, so images load without a network error.
var pixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		switch r.URL.Path {
		case "/pixel.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(pixel)
		case "/throw.js":
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprint(w, `throw new Error("kaputt");`)
		default:
			html, ok := pages[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestNewStartsAndStops(t *testing.T) {
	start := time.Now()
	b := browsertest.New(t)
	t.Logf("browser start: %v", time.Since(start))
	ctx := b.Tab(t)
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title != "" {
		t.Errorf("title of about:blank = %q, want empty", title)
	}
}

func TestCheckPagePasses(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := browsertest.Shared(t).Tab(t)
	for i := range 2 { // the second run sees a warm browser and injects axe again
		start := time.Now()
		browsertest.CheckPage(t, ctx, srv.URL+"/ok")
		t.Logf("CheckPage #%d: %v", i+1, time.Since(start))
	}
	if errs := browsertest.ConsoleErrors(ctx); len(errs) > 0 {
		t.Errorf("ConsoleErrors = %q, want none", errs)
	}
}

func TestAxeFindsMissingAlt(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := browsertest.Shared(t).Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/img")); err != nil {
		t.Fatal(err)
	}
	vs := browsertest.Axe(t, ctx)
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
		t.Logf("%s", v)
	}
	if !slices.Contains(ids, "image-alt") {
		t.Errorf("axe violations = %q, want image-alt among them", ids)
	}
}

func TestCheckPageReportsEachFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := browsertest.Shared(t).Tab(t)
	rt := &recordingTB{TB: t}
	done := make(chan struct{})
	go func() { // Fatalf ends this goroutine, not the test
		defer close(done)
		browsertest.CheckPage(rt, ctx, srv.URL+"/bad")
	}()
	<-done
	got := strings.Join(rt.msgs, "\n")
	t.Logf("CheckPage reported:\n%s", got)
	for _, want := range []string{
		srv.URL + "/bad: ",
		`lang="en"`,
		"no <title>",
		"2 h1 elements",
		"the first Tab focuses <a>",
		"id=\"inhalt\"",
		"axe: image-alt (critical)",
		"- img\n",
		"<img src=\"/pixel.png\">",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckPage failures do not mention %q", want)
		}
	}
	if rt.fatal {
		t.Errorf("CheckPage stopped with Fatalf; it should report every check")
	}
}

func TestConsoleErrorsSeesCSPViolation(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := browsertest.Shared(t).Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/inline")); err != nil {
		t.Fatal(err)
	}
	errs := browsertest.ConsoleErrors(ctx)
	t.Logf("ConsoleErrors: %q", errs)
	if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, "Content Security Policy") }) {
		t.Errorf("ConsoleErrors = %q, want a Content Security Policy violation", errs)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	if title == "geändert" {
		t.Errorf("the inline script ran despite the CSP")
	}
}

func TestConsoleErrorsSeesException(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx := browsertest.Shared(t).Tab(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/throw")); err != nil {
		t.Fatal(err)
	}
	errs := browsertest.ConsoleErrors(ctx)
	t.Logf("ConsoleErrors: %q", errs)
	if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, "kaputt") }) {
		t.Errorf("ConsoleErrors = %q, want the uncaught Error(\"kaputt\")", errs)
	}
}

// recordingTB collects the failures of the code under test instead of
// failing the real test, so that a test can assert on them.
type recordingTB struct {
	testing.TB
	mu    sync.Mutex
	msgs  []string
	fatal bool
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.mu.Lock()
	r.fatal = true
	r.mu.Unlock()
	runtime.Goexit()
}

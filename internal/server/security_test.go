package server

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"rii/internal/webtest"
)

type goquerySel = goquery.Selection

// wantSecurityHeaders fails unless res carries the headers every response must.
func wantSecurityHeaders(t *testing.T, res *http.Response) {
	t.Helper()
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s %s: CSP %q lacks %q", res.Request.Method, res.Request.URL.Path, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s %s: %s = %q, want %q", res.Request.Method, res.Request.URL.Path, h, got, want)
		}
	}
}

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	paths := []string{"/", "/gibt-es-nicht", "/healthz", "/readyz", "/robots.txt", "/static/nope.css",
		s.assets.URL("css/portal.css")}
	for _, p := range paths {
		wantSecurityHeaders(t, c.Get(p).Response)
	}
	c.Header.Set("Origin", "https://angreifer.example")
	wantSecurityHeaders(t, c.PostForm("/", nil).Response)
}

func TestNotFoundIsAGermanPage(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	res := c.Get("/gibt-es-nicht").WantStatus(http.StatusNotFound)
	if got := res.Text("h1"); got != "Seite nicht gefunden" {
		t.Errorf("h1 = %q", got)
	}
	if res.Find(`nav[aria-label="Hauptnavigation"]`).Length() != 1 {
		t.Error("404 page is not drawn in the frame")
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	for _, h := range []map[string]string{
		{"Origin": "https://angreifer.example"},
		{"Sec-Fetch-Site": "cross-site"},
	} {
		req := httptestRequest(t, c, http.MethodPost, "/kontakt", h)
		res := c.Send(req).WantStatus(http.StatusForbidden)
		if got := res.Text("h1"); got != "Zugriff nicht erlaubt" {
			t.Errorf("403 h1 = %q", got)
		}
	}
	// A same-origin POST passes the check (and meets no route that takes it).
	req := httptestRequest(t, c, http.MethodPost, "/kontakt", map[string]string{"Sec-Fetch-Site": "same-origin"})
	if res := c.Send(req); res.StatusCode == http.StatusForbidden {
		t.Errorf("same-origin POST refused")
	}
}

func httptestRequest(t *testing.T, c *webtest.Client, method, path string, headers map[string]string) *http.Request {
	t.Helper()
	req := c.NewRequest(method, path, strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return req
}

func TestOversizedBodyIsRefused(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	body := strings.Repeat("x", int(s.cfg.MaxBodyBytes)+1)
	res := c.Do(http.MethodPost, "/kontakt", strings.NewReader(body), "application/x-www-form-urlencoded")
	res.WantStatus(http.StatusRequestEntityTooLarge)
	if got := res.Text("h1"); got != "Anfrage zu groß" {
		t.Errorf("413 h1 = %q", got)
	}
}

func TestHandlerErrorsBecomeErrorPages(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	r := chi.NewRouter()
	r.Use(s.recoverPanics)
	r.Get("/fehler", s.handle(func(http.ResponseWriter, *http.Request) error { return errors.New("geheim: db password=xyz") }))
	r.Get("/verboten", s.handle(func(http.ResponseWriter, *http.Request) error { return errForbidden }))
	r.Get("/panik", func(http.ResponseWriter, *http.Request) { panic("kaputt") })
	for path, want := range map[string]int{"/fehler": 500, "/verboten": 403, "/panik": 500} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("%s: status %d, want %d", path, rec.Code, want)
		}
		body := rec.Body.String()
		if strings.Contains(body, "geheim") || strings.Contains(body, "kaputt") || strings.Contains(body, "goroutine") {
			t.Errorf("%s: error details leak into the page", path)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if doc.Find("h1").Length() != 1 || doc.Find(`[data-testid="error-page"]`).Length() != 1 {
			t.Errorf("%s: not the German error page", path)
		}
	}
}

package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"rii/internal/browsertest"
)

// errorTemplates are test-only routes that draw each error page through the
// real error adapter, so the browser checks those templates too.
var errorTemplates = map[string]error{
	"/_test/403": errForbidden,
	"/_test/405": errNotAllowed,
	"/_test/413": &http.MaxBytesError{Limit: 1},
	"/_test/500": errString("kaputt"),
}

type errString string

func (e errString) Error() string { return string(e) }

// TestEveryPageIsAccessible opens every page template in Chromium: lang,
// title, one h1, the skip link as the first tab stop, zero axe-core
// violations (WCAG 2.0/2.1/2.2 A and AA), and no CSP violation or console
// error.
func TestEveryPageIsAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	s, _ := newServer(t)
	r := chi.NewRouter()
	for path, err := range errorTemplates {
		r.Get(path, s.handle(func(http.ResponseWriter, *http.Request) error { return err }))
	}
	r.Mount("/", s.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)

	pages := append([]string{"/gibt-es-nicht"}, publicPages...)
	for path := range errorTemplates {
		pages = append(pages, path)
	}
	for _, path := range pages {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			t.Parallel()
			browsertest.CheckPage(t, b.Tab(t), ts.URL+path)
		})
	}
}

// TestEveryPageRouteIsChecked fails when a GET route that draws a page is
// missing from publicPages, so a new page cannot skip the browser check.
func TestEveryPageRouteIsChecked(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	listed := map[string]bool{}
	for _, p := range publicPages {
		listed[p] = true
	}
	notPages := map[string]bool{"/healthz": true, "/readyz": true, "/robots.txt": true, "/static/*": true}
	err := chi.Walk(s.Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !notPages[route] && !listed[route] {
			t.Errorf("GET %s is not in publicPages: add it so the browser and frame tests cover it", route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

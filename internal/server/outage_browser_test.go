package server

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"rii/internal/browsertest"
	"rii/web/components"
	"rii/web/pages"
)

// TestOutagePagesAreAccessible checks in Chromium what people see while the
// database is away: the sign-in form with its alert and the 503 page with a
// kept form post, drawn by the real helpers at test-only addresses (a real
// outage is TestDatabaseOutage's).
func TestOutagePagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	s, _ := newServer(t)
	var down error = &net.OpError{Op: "dial", Net: "unix", Err: errString("connection refused")}
	r := chi.NewRouter()
	r.Get("/_test/anmelden-503", s.handle(func(w http.ResponseWriter, r *http.Request) (err error) {
		err = down
		v := pages.SignInView{Frame: s.frame(r, "Anmelden"), Form: components.NewForm()}
		v.Form.Values["email"] = "jemand@beispiel.example"
		s.keepInput(w, r, &err, &v.Form, func() templ.Component { return pages.SignIn(v) })
		return err
	}))
	r.Get("/_test/erneut-senden", func(w http.ResponseWriter, r *http.Request) {
		post := r.Clone(r.Context())
		post.Method = http.MethodPost
		post.PostForm = url.Values{"name": {"Initiative A"}, "kurzbeschreibung": {"Ein Text"}, "passwort": {"geheim"}}
		s.unavailablePage(w, post, down)
	})
	r.Mount("/", s.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	ctx := b.Tab(t)
	for _, path := range []string{"/_test/anmelden-503", "/_test/erneut-senden"} {
		browsertest.CheckPage(t, ctx, ts.URL+path)
	}
}

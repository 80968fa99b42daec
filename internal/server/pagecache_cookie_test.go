package server

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMadeUpSessionCookieGetsTheCachedPage: a cookie that names no live
// session (made up, or of a session that ended) cannot opt out of the page
// cache: it gets the cached page, shared, and no cookie back; a live
// session still bypasses the cache.
func TestMadeUpSessionCookieGetsTheCachedPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Hour))
	watch(t, w.srv)
	cookie := w.srv.sessions.Cookie.Name
	member := w.client()
	w.signIn(member, "member-a")
	var ended string
	for _, c := range member.HTTP.Jar.Cookies(member.NewRequest(http.MethodGet, "/", nil).URL) {
		if c.Name == cookie {
			ended = c.Value
		}
	}
	if ended == "" {
		t.Fatal("no session cookie after signing in")
	}
	if res := member.Get("/initiativen").WantStatus(http.StatusOK); res.Header.Get("X-Cache") != "" {
		t.Errorf("signed-in page: X-Cache %q, want none (live session)", res.Header.Get("X-Cache"))
	}
	member.PostForm("/abmelden", nil).WantStatus(http.StatusSeeOther)

	w.client().Get("/initiativen").WantStatus(http.StatusOK) // fills the cache
	for name, value := range map[string]string{"made up": "x", "long made up": strings.Repeat("A", 43), "ended": ended} {
		c := w.client()
		c.Header.Set("Cookie", cookie+"="+value)
		for i := range 2 {
			res := c.Get("/initiativen").WantStatus(http.StatusOK)
			if got := res.Header.Get("X-Cache"); got != "hit" {
				t.Errorf("%s cookie, request %d: X-Cache %q, want hit", name, i+1, got)
			}
			if sc := res.Header.Values("Set-Cookie"); len(sc) != 0 {
				t.Errorf("%s cookie: Set-Cookie %q", name, sc)
			}
			if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
				t.Errorf("%s cookie: Cache-Control %q", name, cc)
			}
		}
		// A miss (a page not cached yet) is rendered for everyone and stored.
		path := "/themen?" + strings.ReplaceAll(name, " ", "-")
		if res := c.Get(path).WantStatus(http.StatusOK); res.Header.Get("X-Cache") != "miss" || len(res.Header.Values("Set-Cookie")) != 0 {
			t.Errorf("%s cookie, uncached page: X-Cache %q, Set-Cookie %q", name, res.Header.Get("X-Cache"), res.Header.Values("Set-Cookie"))
		}
		if res := w.client().Get(path).WantStatus(http.StatusOK); res.Header.Get("X-Cache") != "hit" {
			t.Errorf("%s cookie's render was not stored: X-Cache %q", name, res.Header.Get("X-Cache"))
		}
	}
}

package server

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"rii/internal/config"
	"rii/internal/totp"
	"rii/internal/webtest"
)

// sessionCookie returns the session cookie a response sets, or nil.
func sessionCookie(res *webtest.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == "rii_sitzung" || c.Name == "__Host-rii_sitzung" {
			return c
		}
	}
	return nil
}

// withCookie sends a GET with exactly this session token, as an attacker
// who copied it would.
func withCookie(w *world, path, token string) *webtest.Response {
	c := w.client()
	req := c.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: "rii_sitzung", Value: token})
	return c.Send(req)
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://localhost:8080", "https://rii.example.de"} {
		w := newWorld(t, func(c *config.Config) {
			c.BaseURL, _ = url.Parse(base)
			c.SecureCookies = strings.HasPrefix(base, "https")
		})
		c := w.client()
		res := c.PostForm("/anmelden", url.Values{"email": {w.users["member-a"].Email}, "passwort": {testPassword}})
		ck := sessionCookie(res)
		if ck == nil {
			t.Fatalf("%s: no session cookie after sign-in", base)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
			t.Errorf("%s: cookie %+v, want HttpOnly, SameSite=Lax, Path=/", base, ck)
		}
		if want := strings.HasPrefix(base, "https"); ck.Secure != want {
			t.Errorf("%s: Secure = %v, want %v", base, ck.Secure, want)
		}
		// A Secure cookie carries the __Host- prefix: HTTPS only, this host
		// only, Path=/, no Domain.
		if want := map[bool]string{true: "__Host-rii_sitzung", false: "rii_sitzung"}[ck.Secure]; ck.Name != want || ck.Domain != "" {
			t.Errorf("%s: cookie %q (domain %q), want %q without a domain", base, ck.Name, ck.Domain, want)
		}
	}
}

func TestTokenIsRenewedAtSignInAndDeadAfterSignOut(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	admin := w.users["admin"]
	// The password step starts a session for the pending second factor …
	res := c.PostForm("/anmelden", url.Values{"email": {admin.Email}, "passwort": {testPassword}})
	pending := sessionCookie(res)
	if pending == nil {
		t.Fatal("no session for the pending second factor")
	}
	w.clock.Advance(30 * time.Second)
	code, _ := totp.Code(admin.Secret, w.clock.Now())
	res = c.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {code}})
	signedIn := sessionCookie(res)
	// … which signing in replaces with a new token: the old one is dead.
	if signedIn == nil || signedIn.Value == pending.Value {
		t.Fatal("the session token was not renewed at sign-in")
	}
	if res := withCookie(w, "/konto", pending.Value); res.StatusCode != http.StatusSeeOther {
		t.Errorf("pre-sign-in token still works: /konto = %d", res.StatusCode)
	}
	if res := withCookie(w, "/konto", signedIn.Value); res.StatusCode != http.StatusOK {
		t.Fatalf("signed-in token does not work: /konto = %d", res.StatusCode)
	}
	// Signing out kills the token on the server, not only in the browser.
	c.PostForm("/abmelden", nil).WantStatus(http.StatusSeeOther)
	if res := withCookie(w, "/konto", signedIn.Value); res.StatusCode != http.StatusSeeOther {
		t.Errorf("token still works after sign-out: /konto = %d", res.StatusCode)
	}
	if n := w.auditCount("signout", admin.ID); n != 1 {
		t.Errorf("%d signout audit entries, want 1", n)
	}
}

func TestIdleAndAbsoluteTimeouts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	idle := w.client()
	w.signIn(idle, "member-a")
	w.clock.Advance(29 * time.Minute)
	idle.Get("/konto").WantStatus(http.StatusOK) // activity keeps it alive
	w.clock.Advance(29 * time.Minute)
	idle.Get("/konto").WantStatus(http.StatusOK)
	w.clock.Advance(31 * time.Minute)
	if res := idle.Get("/konto"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/anmelden") {
		t.Errorf("after 31 idle minutes /konto = %d to %q, want the sign-in", res.StatusCode, res.Header.Get("Location"))
	}

	busy := w.client()
	w.signIn(busy, "member-b")
	for elapsed := time.Duration(0); elapsed < 11*time.Hour+40*time.Minute; elapsed += 20 * time.Minute {
		w.clock.Advance(20 * time.Minute)
		busy.Get("/konto").WantStatus(http.StatusOK)
	}
	w.clock.Advance(25 * time.Minute) // past 12 hours, though active all along
	if res := busy.Get("/konto"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 12 hours /konto = %d, want a redirect to the sign-in", res.StatusCode)
	}
}

// TestThrottling: 50 wrong passwords for one account from one address turn
// into 429; after the window, the owner signs in from another address; an
// unknown address gets exactly the same answers.
func TestThrottling(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	})
	attempts := func(email, from string) []int {
		c := w.client()
		c.Header.Set("X-Forwarded-For", from)
		var codes []int
		for range 50 {
			codes = append(codes, c.PostForm("/anmelden", url.Values{"email": {email}, "passwort": {"falsch-falsch-falsch"}}).StatusCode)
		}
		return codes
	}
	known := attempts(w.users["member-a"].Email, "203.0.113.7")
	unknown := attempts("niemand@beispiel.example", "203.0.113.8")
	if known[0] != http.StatusUnprocessableEntity || known[49] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v: want 422 at first and 429 at the end", known)
	}
	first429 := -1
	for i, s := range known {
		if s == http.StatusTooManyRequests && first429 < 0 {
			first429 = i
		}
		if first429 >= 0 && s != http.StatusTooManyRequests {
			t.Fatalf("attempt %d answered %d after throttling began", i+1, s)
		}
	}
	if first429 != maxAccountFailures {
		t.Errorf("throttling began at attempt %d, want %d", first429+1, maxAccountFailures+1)
	}
	if strings.Join(intsToStrings(known), ",") != strings.Join(intsToStrings(unknown), ",") {
		t.Errorf("a known and an unknown address are answered differently:\n%v\n%v", known, unknown)
	}

	// While throttled, even the right password is refused …
	owner := w.client()
	owner.Header.Set("X-Forwarded-For", "198.51.100.20")
	res := owner.PostForm("/anmelden", url.Values{"email": {w.users["member-a"].Email}, "passwort": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right password during the lock: %d, want 429", res.StatusCode)
	}
	// … and after the window the owner gets in from a fresh address.
	w.clock.Advance(throttleWindow + time.Minute)
	res = owner.PostForm("/anmelden", url.Values{"email": {w.users["member-a"].Email}, "passwort": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner after the window: %d, want 303", res.StatusCode)
	}
	owner.Get("/konto").WantStatus(http.StatusOK)
	if n := w.auditCount("signin.failed", w.users["member-a"].ID); n != maxAccountFailures {
		t.Errorf("%d failed sign-ins audited, want %d", n, maxAccountFailures)
	}
}

func intsToStrings(xs []int) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = itoa(int64(x))
	}
	return out
}

func TestSignInErrorsRevealNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	msg := func(email, pw string) string {
		res := c.PostForm("/anmelden", url.Values{"email": {email}, "passwort": {pw}}).WantStatus(http.StatusUnprocessableEntity)
		if got := res.Find("#feld-email").AttrOr("value", ""); got != email {
			t.Errorf("typed address not shown again: %q", got)
		}
		return res.Text(`[data-testid="error-summary"]`)
	}
	a := msg(w.users["member-a"].Email, "falsch-falsch-falsch")
	b := msg("niemand@beispiel.example", "falsch-falsch-falsch")
	if a != b || !strings.Contains(a, "nicht richtig") {
		t.Errorf("messages differ or are unclear: %q vs %q", a, b)
	}
	// A disabled account answers like a wrong password.
	if _, err := w.pool.Exec(context.Background(), `UPDATE users SET state = 'disabled' WHERE id = $1`, w.users["member-b"].ID); err != nil {
		t.Fatal(err)
	}
	if got := msg(w.users["member-b"].Email, testPassword); got != a {
		t.Errorf("disabled account answered %q", got)
	}
}

func TestNextParameterCannotRedirectAway(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/verwaltung":                "/verwaltung",
		"https://angreifer.example/": "",
		"//angreifer.example":        "",
		"/\\angreifer.example":       "",
		"javascript:alert(1)":        "",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
	w := newWorld(t)
	res := w.client().Get("/konto")
	if loc := res.Header.Get("Location"); loc != "/anmelden?weiter=%2Fkonto" {
		t.Errorf("visitor on /konto sent to %q", loc)
	}
	if sessionCookie(res) != nil {
		t.Error("a visitor got a session cookie")
	}
}

func TestMaintenanceDeletesExpiredSessions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	w.signIn(c, "member-a")
	count := func() int {
		var n int
		if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM user_sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := w.srv.cleanSessions(context.Background(), w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if count() != 1 {
		t.Fatal("a live session was deleted")
	}
	w.clock.Advance(sessionIdle + time.Minute)
	if err := w.srv.cleanSessions(context.Background(), w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if count() != 0 {
		t.Error("an expired session was kept")
	}
}

package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"rii/internal/account"
	"rii/internal/config"
	"rii/internal/store"
	"rii/internal/webtest"
)

type webtestClient = webtest.Client

// logBuffer collects a server's log lines from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLogs sends the server's log (every level) into a buffer.
func captureLogs(s *Server) *logBuffer {
	b := &logBuffer{}
	s.log = slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return b
}

// emailedLinks makes a valid reset, invitation and confirmation link for
// member-a and returns their paths.
func emailedLinks(t *testing.T, w *world) []string {
	t.Helper()
	ctx := context.Background()
	now := w.clock.Now()
	uid := w.users["member-a"].ID
	reset, rh := newToken()
	invite, ih := newToken()
	confirm, ch := newToken()
	if err := w.st.CreateToken(ctx, rh, uid, store.PurposePasswordReset, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := w.st.CreateToken(ctx, ih, uid, store.PurposeInvitation, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := w.st.CreateConfirmationToken(ctx, ch, w.initA, uid, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return []string{"/passwort-zuruecksetzen/" + reset, "/einladung/" + invite, "/bestaetigen/" + confirm}
}

// TestTokensNeverReachTheLogs: opening, posting, mistyping and failing on
// e-mailed links logs the route, never the token.
func TestTokensNeverReachTheLogs(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	logs := captureLogs(w.srv)
	links := emailedLinks(t, w)
	c := w.client()
	for _, p := range links {
		c.Get(p).WantStatus(http.StatusOK)
		c.Get(p + "/")         // redirected before routing
		c.Get(p + "/weiteres") // not found
	}
	c.PostForm(links[0], url.Values{"passwort": {"zu-kurz"}}).WantStatus(http.StatusUnprocessableEntity)
	c.Header.Set("Origin", "https://angreifer.example")
	c.PostForm(links[1], url.Values{}).WantStatus(http.StatusForbidden) // the CSRF refusal logs too
	// The error log of a failing handler.
	req := httptest.NewRequest(http.MethodGet, links[2], nil)
	w.srv.fail(httptest.NewRecorder(), req, errors.New("kaputt"))

	out := logs.String()
	if !strings.Contains(out, "/passwort-zuruecksetzen/{token}") || !strings.Contains(out, "request failed") {
		t.Fatalf("the requests were not logged:\n%s", out)
	}
	for _, p := range links {
		token := p[strings.LastIndex(p, "/")+1:]
		if strings.Contains(out, token) {
			t.Errorf("token of %s in the log:\n%s", p, out)
		}
	}
}

// TestEmailedLinkPagesAreNotStored: pages behind e-mailed links show a
// name and address; no cache may keep them.
func TestEmailedLinkPagesAreNotStored(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	for _, p := range emailedLinks(t, w) {
		res := c.Get(p).WantStatus(http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", p, cc)
		}
		if cc := c.Get(p + "x").Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("%sx (invalid): Cache-Control %q, want no-store", p, cc)
		}
	}
}

// TestLongMultibyteUserAgentSignsIn: a user agent cut at 300 bytes must not
// split a character (the insert failed and sign-in answered 500).
func TestLongMultibyteUserAgentSignsIn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	c.Header.Set("User-Agent", "a"+strings.Repeat("Ä", 400))
	w.signIn(c, "member-a")
	var ua string
	if err := w.pool.QueryRow(context.Background(), `SELECT user_agent FROM user_sessions WHERE user_id = $1`,
		w.users["member-a"].ID).Scan(&ua); err != nil {
		t.Fatal(err)
	}
	if want := "a" + strings.Repeat("Ä", 149); ua != want {
		t.Errorf("stored user agent %q, want the first 300 bytes at a character boundary", ua)
	}
}

// TestIPv6ClientsAreKeyedBySlash64: failures from many addresses of one
// IPv6 /64 count for one client.
func TestIPv6ClientsAreKeyedBySlash64(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
	})
	statuses, _ := parallelPosts(t, rawClient(), w.ts.URL+"/anmelden", maxClientFailures+10,
		func(i int) url.Values {
			return url.Values{"email": {"niemand-" + itoa(int64(i)) + "@beispiel.example"}, "passwort": {"falsch-falsch-falsch"}}
		},
		func(i int, h http.Header) {
			h.Set("X-Forwarded-For", "2001:db8:1:2:"+strconv.FormatInt(int64(i+1), 16)+"::1")
		})
	if n := countStatus(statuses, http.StatusTooManyRequests); n != 10 {
		t.Errorf("%d of %d attempts from one /64 throttled (%v), want 10", n, len(statuses), statuses)
	}
	// Another /64 is another client.
	c := w.client()
	c.Header.Set("X-Forwarded-For", "2001:db8:1:3::1")
	c.PostForm("/anmelden", url.Values{"email": {"jemand@beispiel.example"}, "passwort": {"x"}}).WantStatus(http.StatusUnprocessableEntity)
}

// TestMembersCannotProbeUnpublishedInitiatives: an unpublished initiative
// a member is not linked to answers 404, as an unknown slug does.
func TestMembersCannotProbeUnpublishedInitiatives(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.st.CreateInitiative(context.Background(), "initiative-c", "draft",
		store.InitiativeProfile{Name: "Initiative C"}, store.Actor{Label: "Testdaten"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	member, official := w.client(), w.client()
	w.signIn(member, "member-a")
	w.signIn(official, "official")
	for _, p := range []string{"/bearbeiten", "/kontakte", "/kontakte/neu", "/logo"} {
		for _, slug := range []string{"initiative-c", "gibt-es-nicht"} {
			member.Get("/initiativen/" + slug + p).WantStatus(http.StatusNotFound)
		}
		// Where existence is no secret, the answer stays 403.
		member.Get("/initiativen/initiative-b" + p).WantStatus(http.StatusForbidden)
		official.Get("/initiativen/initiative-c" + p).WantStatus(http.StatusForbidden)
	}
}

// TestRequestIDOnlyFromTrustedProxies: a client's X-Request-Id is ignored
// unless the request came through a trusted proxy.
func TestRequestIDOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	for _, trusted := range []bool{false, true} {
		w := newWorld(t, func(c *config.Config) {
			if trusted {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
			}
		})
		logs := captureLogs(w.srv)
		c := w.client()
		c.Header.Set("X-Request-Id", "gefaelscht-4711")
		c.Get("/gibt-es-nicht").WantStatus(http.StatusNotFound)
		if logged := strings.Contains(logs.String(), "request_id=gefaelscht-4711"); logged != trusted {
			t.Errorf("trusted proxy %v: client's id logged %v", trusted, logged)
		}
		if !mustRegexp(`request_id=[0-9a-z-]+`).MatchString(logs.String()) {
			t.Errorf("no request id logged:\n%s", logs.String())
		}
	}
}

// TestPasswordOnlyStaffSessionIsAVisitor: an editor who passed the password
// step but has not set up the required second factor reads public pages as
// a visitor: no drafts, no draft logos, no contacts for the Service-Stelle.
func TestPasswordOnlyStaffSessionIsAVisitor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	u := w.addUser("editor-ohne", account.RoleEditor, 0)
	if _, err := w.pool.Exec(ctx, `UPDATE users SET totp_enabled_at = NULL, totp_secret = NULL WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	u.Secret = ""
	consent := w.clock.Now()
	if _, err := w.st.AddInitiativeContact(ctx, w.initA, store.NewContact{Name: "Nur Redaktion", Email: "redaktion-only@beispiel.example",
		Visibility: store.VisibilityEditors, ConsentAt: &consent, ConsentMethod: "per E-Mail", ConsentPurpose: "Test"},
		"Ansprechperson", w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	logo := w.addLogo(w.initB)
	if _, err := w.pool.Exec(ctx, `UPDATE initiatives SET status = 'draft' WHERE id = $1`, w.initB); err != nil {
		t.Fatal(err)
	}
	pending, editor := w.client(), w.client()
	w.signIn(editor, "editor")
	pending.PostForm("/anmelden", url.Values{"email": {u.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	if loc := pending.Get("/konto").Header.Get("Location"); loc != "/konto/zwei-faktor" {
		t.Fatalf("/konto without the second factor went to %q, want the setup", loc)
	}
	pending.Get("/konto/zwei-faktor").WantStatus(http.StatusOK)
	for c, want := range map[*webtestClient]int{editor: http.StatusOK, pending: http.StatusNotFound} {
		c.Get("/initiativen/initiative-b").WantStatus(want)
		c.Get("/bilder/" + itoa(logo)).WantStatus(want)
	}
	if !strings.Contains(editor.Get("/initiativen/initiative-a").Text("main"), "Nur Redaktion") {
		t.Fatal("the editor does not see the contact for the Service-Stelle")
	}
	if strings.Contains(pending.Get("/initiativen/initiative-a").WantStatus(http.StatusOK).Text("main"), "Nur Redaktion") {
		t.Error("a password-only staff session sees the contact for the Service-Stelle")
	}
}

// TestAuditEntriesExpireAfterThreeYears: the daily job, run by two
// instances, deletes entries older than 3 years, once, and keeps the rest.
func TestAuditEntriesExpireAfterThreeYears(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	other := newServerOn(t, w.pool)
	other.now = w.clock.Now
	ctx := context.Background()
	now := w.clock.Now()
	for _, at := range []time.Time{now.AddDate(-3, 0, -1), now.AddDate(-3, 0, 1), now.AddDate(0, 0, -1)} {
		if err := w.st.Audit(ctx, store.AuditEntry{At: at, Action: "test.alt", Actor: "Test", ClientIP: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func() (n int) {
		if err := w.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'test.alt'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	w.srv.runDueJobs(ctx)
	other.runDueJobs(ctx)
	if n := count(); n != 2 {
		t.Fatalf("%d entries after the job, want 2 (the one past 3 years deleted)", n)
	}
	var runs int
	if err := w.pool.QueryRow(ctx, `SELECT runs FROM job_runs WHERE name = 'audit-retention'`).Scan(&runs); err != nil || runs != 1 {
		t.Fatalf("audit-retention ran %d times (%v), want once across both instances", runs, err)
	}
	w.clock.Advance(3 * 24 * time.Hour)
	other.runDueJobs(ctx)
	if n := count(); n != 1 {
		t.Errorf("%d entries three days later, want 1", n)
	}
}

// TestMembersOnlyContactsOnlyForTheirInitiative: a contact "nur Mitglieder
// der Initiative" is shown on the profile, in the event programme and on the
// report to the members of that initiative and the Service-Stelle, to no
// other member; the privacy page says the same.
func TestMembersOnlyContactsOnlyForTheirInitiative(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.addContact() // "Kontakt A", members of Initiative A only
	ctx := context.Background()
	// Kontakt A speaks, moderates and is the report's contact person.
	for q, id := range map[string]int64{
		`UPDATE programme_item_people SET contact_id = $1 WHERE item_id = $2`:   w.event.ItemID,
		`UPDATE workshop_moderators SET contact_id = $1 WHERE workshop_id = $2`: w.event.WorkshopID,
		`UPDATE reports SET contact_id = $1 WHERE id = $2`:                      w.event.ReportID,
	} {
		if _, err := w.pool.Exec(ctx, q, w.contactID, id); err != nil {
			t.Fatal(err)
		}
	}
	clients := map[string]*webtestClient{"": w.client()}
	for _, who := range []string{"member-a", "member-b", "editor"} {
		clients[who] = w.client()
		w.signIn(clients[who], who)
	}
	pages := map[string]string{"profile": "/initiativen/initiative-a", "programme": "/veranstaltungen/" + w.event.Slug,
		"report": "/berichte/" + w.event.Slug}
	for who, c := range clients {
		want := who == "member-a" || who == "editor"
		for place, path := range pages {
			main := c.Get(path).WantStatus(http.StatusOK).Text("main")
			if got := strings.Contains(main, "Kontakt A"); got != want {
				t.Errorf("%s as %q: contact shown %v, want %v", place, who, got, want)
			}
			if strings.Contains(main, "kontakt-a@beispiel.example") && !want {
				t.Errorf("%s as %q: the contact's e-mail is shown", place, who)
			}
		}
	}
	privacy := w.client().Get("/datenschutz").Text("main")
	if !strings.Contains(privacy, "nur Mitglieder der Initiative – angemeldete Mitglieder der Initiative, für die Sie Ansprechperson sind") {
		t.Errorf("the privacy page does not explain the members-only visibility as the label promises")
	}
}

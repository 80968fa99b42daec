package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"rii/internal/mail"
	"rii/internal/secret"
	"rii/internal/store"
	"rii/internal/totp"
)

// TestSecondFactorAtRest: after the setup the database holds neither the
// TOTP secret nor a hash a dump could test recovery codes against without
// the key; after a key rotation both still work and the secret is re-sealed
// under the new key.
func TestSecondFactorAtRest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	member := w.users["member-a"]
	c := w.client()
	w.signIn(c, "member-a")
	plain := c.Get("/konto/zwei-faktor").WantStatus(http.StatusOK).Text(`[data-testid="totp-secret"]`)
	code, _ := totp.Code(plain, w.clock.Now())
	res := c.PostForm("/konto/zwei-faktor", url.Values{"code": {code}, "passwort": {testPassword}}).WantStatus(http.StatusOK)
	recovery := normalizeRecoveryCode(res.Find(`[data-testid="recovery-codes"] li`).First().Text())

	stored := func() (s string) {
		if err := w.pool.QueryRow(ctx, `SELECT totp_secret FROM users WHERE id = $1`, member.ID).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	sealed := stored()
	if strings.Contains(sealed, strings.ReplaceAll(plain, " ", "")) || !secret.Sealed(sealed) {
		t.Errorf("TOTP secret stored as %q, want it sealed", sealed)
	}
	var dumped [][]byte
	rows, _ := w.pool.Query(ctx, `SELECT code_hash FROM recovery_codes WHERE user_id = $1`, member.ID)
	for rows.Next() {
		var h []byte
		rows.Scan(&h)
		dumped = append(dumped, h)
	}
	unkeyed := sha256.Sum256([]byte(recovery))
	for _, h := range dumped {
		if bytes.Equal(h, unkeyed[:]) {
			t.Error("a recovery code is stored as its plain SHA-256")
		}
	}

	// Rotation: a new key in front, the old one behind.
	rotated := newServerOn(t, w.pool)
	rotated.now = w.clock.Now
	newKey, _ := secret.Parse(secret.Generate())
	if rotated.keys, _ = secret.New(newKey[0], testSecretKey); rotated.keys == nil {
		t.Fatal("keys")
	}
	w.srv = rotated
	w.ts.Config.Handler = rotated.Handler()
	fresh := w.client()
	fresh.PostForm("/anmelden", url.Values{"email": {member.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	fresh.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {recovery}}).WantStatus(http.StatusSeeOther)
	if err := rotated.resealSecrets(ctx, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, stale, err := rotated.keys.Open(stored(), totpContext(member.ID)); err != nil || stale {
		t.Errorf("after rotation the secret is stale %v (%v), want re-sealed under the new key", stale, err)
	}
	w.clock.Advance(time.Minute)
	member.Secret = plain
	w.signIn(w.client(), "member-a")
}

// recordingSender keeps what it would send.
type recordingSender struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (s *recordingSender) Send(_ context.Context, m mail.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, m)
	return nil
}
func (s *recordingSender) Via() string { return store.ViaSMTP }

// TestOutboxHoldsNoUsableLink: a reset e-mail's link is never in the stored
// body nor on the admin's Postausgang page, reaches the recipient, and is
// gone from the database once delivered.
func TestOutboxHoldsNoUsableLink(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	member := w.users["member-a"]
	w.client().PostForm("/passwort-vergessen", url.Values{"email": {member.Email}}).WantStatus(http.StatusOK)
	var id int64
	var body, sealed string
	row := func() {
		if err := w.pool.QueryRow(ctx, `SELECT id, body, coalesce(secret_link, '') FROM outbox WHERE recipient = $1`,
			member.Email).Scan(&id, &body, &sealed); err != nil {
			t.Fatal(err)
		}
	}
	row()
	tokenLink := mustRegexp(`/passwort-zuruecksetzen/[A-Za-z0-9_-]{20,}`)
	if tokenLink.MatchString(body) || tokenLink.MatchString(sealed) || sealed == "" {
		t.Fatalf("the waiting message stores a usable link:\nbody %s\nsecret %q", body, sealed)
	}
	admin := w.client()
	w.signIn(admin, "admin")
	page := admin.Get("/verwaltung/postausgang/" + itoa(id)).WantStatus(http.StatusOK)
	if tokenLink.MatchString(string(page.Body)) || !strings.Contains(page.Text("main"), "nur in der zugestellten E-Mail") {
		t.Errorf("the admin's view shows a link or no placeholder:\n%s", page.Text("main"))
	}

	sender := &recordingSender{}
	worker := mail.NewWorker(w.st, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
	worker.Keys = w.srv.keys
	if _, err := worker.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	var got mail.Message
	for _, m := range sender.sent {
		if m.To == member.Email {
			got = m
		}
	}
	delivered := tokenLink.FindString(got.Body)
	if delivered == "" || strings.Contains(got.Body, store.LinkPlaceholder) {
		t.Fatalf("the delivered e-mail lacks the link:\n%s", got.Body)
	}
	w.client().Get(delivered).WantStatus(http.StatusOK)
	row()
	if sealed != "" || tokenLink.MatchString(body) {
		t.Errorf("after delivery the outbox row still holds the link (secret %q)", sealed)
	}
	if page := admin.Get("/verwaltung/postausgang/" + itoa(id)); strings.Contains(string(page.Body), delivered) {
		t.Error("the admin's view shows the delivered link")
	}
}

// TestCredentialChangesNotifyTheHolder: each change to how an account signs
// in, and a role change, e-mails the holder exactly once.
func TestCredentialChangesNotifyTheHolder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	member := w.users["member-a"]
	notices := func(to, change string) int {
		var n int
		if err := w.pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE recipient = $1 AND subject = $2 AND strpos(body, $3) > 0`,
			to, noticeSubject, change).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := func(to, change string) {
		t.Helper()
		if n := notices(to, change); n != 1 {
			t.Errorf("%d notices %q to %s, want 1", n, change, to)
		}
	}
	c := w.client()
	w.signIn(c, "member-a")
	newPassword := "Neue-Tasse-Leuchtturm-9"
	c.PostForm("/konto/passwort", url.Values{"alt": {testPassword}, "passwort": {newPassword}, "wiederholung": {newPassword}}).WantStatus(http.StatusSeeOther)
	want(member.Email, noticePasswordChanged)

	plain := c.Get("/konto/zwei-faktor").WantStatus(http.StatusOK).Text(`[data-testid="totp-secret"]`)
	code, _ := totp.Code(plain, w.clock.Now())
	c.PostForm("/konto/zwei-faktor", url.Values{"code": {code}, "passwort": {newPassword}}).WantStatus(http.StatusOK)
	want(member.Email, noticeTOTPEnabled)
	c.PostForm("/konto/zwei-faktor/codes", url.Values{"passwort": {newPassword}}).WantStatus(http.StatusOK)
	want(member.Email, noticeRecoveryCodes)
	c.PostForm("/konto/zwei-faktor/entfernen", url.Values{"passwort": {newPassword}}).WantStatus(http.StatusSeeOther)
	want(member.Email, noticeTOTPDisabled)

	w.client().PostForm("/passwort-vergessen", url.Values{"email": {member.Email}}).WantStatus(http.StatusOK)
	_, body := w.lastMail(member.Email)
	w.client().PostForm(mailLink(t, body), url.Values{"passwort": {testPassword + "x"}, "wiederholung": {testPassword + "x"}}).WantStatus(http.StatusSeeOther)
	want(member.Email, noticePasswordReset)

	admin := w.client()
	w.signIn(admin, "admin")
	target := w.users["member-b"]
	admin.PostForm("/verwaltung/benutzer/"+itoa(target.ID), url.Values{"rolle": {"editor"}}).WantStatus(http.StatusSeeOther)
	want(target.Email, "Ihre Rolle wurde von")
	if n := notices(w.users["admin"].Email, ""); n != 0 {
		t.Errorf("%d notices to the admin who made the change, want 0", n)
	}
}

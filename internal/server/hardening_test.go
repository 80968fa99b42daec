package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"rii/internal/store"
)

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

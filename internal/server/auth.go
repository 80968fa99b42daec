package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/layout"
)

// Session limits (ASVS 3.3): a signed-in session ends after 30 minutes
// without a request and after 12 hours in any case.
const (
	sessionIdle     = 30 * time.Minute
	sessionAbsolute = 12 * time.Hour
	// touchEvery bounds writes: last_seen_at is refreshed at most this often.
	touchEvery = time.Minute
)

// Session data keys.
const (
	keySessionID  = "sid"         // names the user_sessions row
	keyPendingUID = "pending_uid" // password checked, second factor outstanding
	keyPendingAt  = "pending_at"  // unix seconds of the password check
	keyFlash      = "flash"
	keyWarning    = "flash_warning" // a warning after a change that did save
)

// currentUser is the signed-in user of a request.
type currentUser struct {
	*store.User
	SessionID string
}

type ctxKey int

const (
	userKey ctxKey = iota
	// setupKey holds a user whose role requires a second factor they have
	// not set up yet: such a session passed only the password step.
	setupKey
)

// userFrom returns the signed-in user, or nil for a visitor.
func userFrom(ctx context.Context) *currentUser {
	u, _ := ctx.Value(userKey).(*currentUser)
	return u
}

// setupPendingFrom returns the signed-in user who must still set up the
// second factor, or nil.
func setupPendingFrom(ctx context.Context) *currentUser {
	u, _ := ctx.Value(setupKey).(*currentUser)
	return u
}

// loadUser resolves the session to its user in one query and enforces the
// idle and absolute limits against the server's clock. An expired or
// revoked session is destroyed; the request goes on as a visitor's.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hasSession(r) {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		sid := s.sessions.GetString(ctx, keySessionID)
		if sid == "" {
			next.ServeHTTP(w, r)
			return
		}
		now := s.now()
		sess, u, err := s.store.SessionUser(ctx, sid)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.endSession(ctx, "")
		case err != nil:
			s.fail(w, r, err)
			return
		case u.State != account.StateActive || now.Sub(sess.LastSeenAt) > sessionIdle || now.Sub(sess.CreatedAt) > sessionAbsolute:
			s.endSession(ctx, sid)
			s.sessions.Put(ctx, keyFlash, "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")
		default:
			if now.Sub(sess.LastSeenAt) >= touchEvery {
				if err := s.store.TouchSession(ctx, sid, now); err != nil {
					s.fail(w, r, err)
					return
				}
			}
			key := userKey
			if u.Role.RequiresTOTP() && !u.TOTPEnabled() {
				// Until the second factor is set up the session carries no
				// rights: public pages see a visitor, requireUser sends it
				// to the setup.
				key = setupKey
			}
			r = r.WithContext(context.WithValue(ctx, key, &currentUser{User: u, SessionID: sid}))
		}
		next.ServeHTTP(w, r)
	})
}

// endSession deletes the user_sessions row (if any) and destroys the
// session cookie's data, so its token is dead.
func (s *Server) endSession(ctx context.Context, sid string) {
	if sid != "" {
		if err := s.store.DeleteSession(ctx, sid); err != nil {
			s.log.ErrorContext(ctx, "ending session", slog.Any("error", err))
		}
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		s.log.ErrorContext(ctx, "destroying session", slog.Any("error", err))
	}
}

// requireUser sends visitors to the sign-in page, and users who must still
// set up their second factor to that setup.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := setupPendingFrom(r.Context()); p != nil {
			if !totpSetupAllowed(r.URL.Path) {
				// The setup page says why; no flash repeating it.
				http.Redirect(w, r, totpSetupPath, http.StatusSeeOther)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), userKey, p))
		}
		u := userFrom(r.Context())
		if u == nil {
			// The way back travels in the URL: a visitor gets no session.
			target := "/anmelden"
			if r.Method == http.MethodGet {
				target += "?weiter=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// totpSetupAllowed lists what a user without the required second factor may
// still do: set it up, or sign out.
func totpSetupAllowed(path string) bool {
	return path == totpSetupPath || path == "/abmelden"
}

// requireRole refuses signed-in users without one of the roles (403).
// Use it after requireUser.
func (s *Server) requireRole(roles ...account.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := userFrom(r.Context())
			for _, role := range roles {
				if u != nil && u.Role == role {
					next.ServeHTTP(w, r)
					return
				}
			}
			s.fail(w, r, errForbidden)
		})
	}
}

// frameUser is what the page frame shows of the user.
func frameUser(u *currentUser) *layout.User {
	if u == nil {
		return nil
	}
	return &layout.User{
		Name:           u.Name,
		Administration: u.Role != account.RoleMember,
		Users:          u.Role == account.RoleAdmin,
	}
}

// flash stores a one-time message for the next page.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), keyFlash, msg)
}

// warn keeps a warning for the next page, shown after the flash: what was
// saved but needs the user's attention.
func (s *Server) warn(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), keyWarning, msg)
}

// clientIP is the client's address: the TCP peer, or, behind a trusted
// proxy, the last address in X-Forwarded-For that is not itself a trusted
// proxy.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a) {
			return a.Unmap().String()
		}
	}
	return host
}

// fromTrustedProxy reports whether the TCP peer is a trusted proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	return err == nil && s.trusted(peer)
}

func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// newToken returns a random URL-safe token and its SHA-256, which is all
// the database keeps.
func newToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// safeNext accepts only a local path as the place to return to after
// signing in, so the sign-in cannot become an open redirect; "" means none
// (the user's landing, landing.go).
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/anmelden") {
		return ""
	}
	return next
}

// auditEntry is what an audit entry records: what was done (Action) to
// which object (Object, its type, and ID), with Details. By is the actor
// when no one is signed in yet (sign-in, links); otherwise the request's
// user is.
type auditEntry struct {
	Action, Object, ID string
	Details            map[string]any
	By                 *store.User
}

// audit writes an audit entry in st, the transaction of the change.
func (s *Server) audit(r *http.Request, st *store.Store, a auditEntry) error {
	e := store.AuditEntry{
		At: s.now(), Action: a.Action, ObjectType: a.Object, ObjectID: a.ID,
		Details: a.Details, ClientIP: s.clientIP(r), Actor: "Besucher",
	}
	actor := a.By
	if actor == nil {
		if u := userFrom(r.Context()); u != nil {
			actor = u.User
		}
	}
	if actor != nil {
		e.ActorID, e.Actor = &actor.ID, actor.Email
	}
	return st.Audit(r.Context(), e)
}

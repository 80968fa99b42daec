package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/a-h/templ"

	"rii/internal/account"
	"rii/internal/store"
	"rii/internal/totp"
	"rii/web/components"
	"rii/web/layout"
	"rii/web/pages"
)

// Throttling of sign-ins (ASVS 2.2.1). Failures are counted per account
// key (the address typed, whether or not an account has it, so answers
// reveal nothing) and per client address, over a sliding window.
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 10 // then 429 for this address, from anywhere, until the window passes
	maxClientFailures  = 30 // then 429 for this client, for any address
	slowDownAfter      = 3  // failures after which each attempt waits a little longer
	secondFactorMax    = 5  // wrong codes per pending sign-in window
	pendingLifetime    = 5 * time.Minute
)

const genericSigninError = "E-Mail-Adresse oder Passwort ist nicht richtig."

// accountKey names the typed address in the failure table: hashed, so any
// input (however long, whatever bytes) makes a short valid key, and the
// table holds no addresses.
func accountKey(email string) string {
	return "konto:" + hex.EncodeToString(hashToken(strings.ToLower(strings.TrimSpace(email)))[:16])
}

// clientKey names the client address in the failure table. An IPv6 client
// usually holds a whole /64, so it is keyed by that prefix.
func clientKey(ip string) string {
	if a, err := netip.ParseAddr(ip); err == nil && a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return "client:" + p.String()
	}
	return "client:" + ip
}

func (s *Server) newSignin(w http.ResponseWriter, r *http.Request) error {
	v := pages.SignInView{Frame: s.frame(r, "Anmelden"), Form: components.NewForm(), Next: r.URL.Query().Get("weiter")}
	switch {
	case r.URL.Query().Has("abgemeldet"):
		v.Notice = "Sie haben sich abgemeldet."
	case r.URL.Query().Has("passwort-gesetzt"):
		v.Notice = "Ihr Passwort ist gespeichert. Bitte melden Sie sich jetzt an."
	}
	if u := userFrom(r.Context()); u != nil {
		target, err := s.afterSignin(r.Context(), u.User, v.Next)
		if err != nil {
			return err
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, pages.SignIn(v))
}

func (s *Server) createSignin(w http.ResponseWriter, r *http.Request) (err error) {
	ctx := r.Context()
	v := parseSignin(r, s.frame(r, "Anmelden"))
	defer s.keepInput(w, r, &err, &v.Form, func() templ.Component { return pages.SignIn(v) })
	now := s.now()
	akey, ckey := accountKey(v.Form.Values["email"]), clientKey(s.clientIP(r))
	counts, ok, err := s.store.ReserveSigninAttempt(ctx, now,
		store.AttemptLimit{Key: akey, Since: now.Add(-throttleWindow), Max: maxAccountFailures},
		store.AttemptLimit{Key: ckey, Since: now.Add(-throttleWindow), Max: maxClientFailures})
	if err != nil {
		return err
	}
	if !ok {
		return s.renderSigninThrottled(w, r, v)
	}
	if n := max(counts[0], counts[1]/3); n > slowDownAfter {
		// Each further failure costs an attacker more time; the owner, who
		// rarely fails this often, hardly notices.
		time.Sleep(min(time.Duration(n-slowDownAfter)*250*time.Millisecond, 2*time.Second))
	}
	u, ok, err := s.checkSignin(ctx, v.Form.Values["email"], r.PostFormValue("passwort"))
	if err != nil {
		return err
	}
	if !ok {
		return s.renderSigninFailed(w, r, v, u)
	}
	// The attempt succeeded: its reserved failure is taken back, and the
	// account's earlier failures are forgotten.
	if err := s.store.ReleaseSigninAttempt(ctx, now, ckey); err != nil {
		return err
	}
	if err := s.store.ClearSigninFailures(ctx, akey); err != nil {
		return err
	}
	if u.TOTPEnabled() {
		return s.startSecondFactor(w, r, u, v.Next)
	}
	return s.completeSignin(w, r, u, v.Next)
}

// parseSignin reads the sign-in form into its view.
func parseSignin(r *http.Request, frame layout.Frame) pages.SignInView {
	f := components.NewForm()
	f.Values["email"] = r.PostFormValue("email")
	return pages.SignInView{Frame: frame, Form: f, Next: r.PostFormValue("weiter")}
}

// checkSignin looks the account up and checks the password. The hash is
// always computed, so timing does not tell whether the account exists; u is
// the account if there is one, ok whether it may sign in.
func (s *Server) checkSignin(ctx context.Context, email, password string) (u *store.User, ok bool, err error) {
	norm, _ := account.NormalizeEmail(email)
	u, err = s.store.UserByEmail(ctx, norm)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err = s.checkPassword(ctx, password, hash)
	return u, ok && u != nil && u.State == account.StateActive, err
}

// renderSigninThrottled answers an attempt over the limit with 429.
func (s *Server) renderSigninThrottled(w http.ResponseWriter, r *http.Request, v pages.SignInView) error {
	v.Throttled = true
	v.Frame.Title = "Anmeldung vorübergehend gesperrt"
	w.Header().Set("Retry-After", "900")
	if err := s.audit(r, s.store, auditEntry{Action: "signin.throttled"}); err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusTooManyRequests, pages.SignIn(v))
}

// renderSigninFailed audits a failed attempt (its failure is already
// recorded) and shows the one message that reveals nothing.
func (s *Server) renderSigninFailed(w http.ResponseWriter, r *http.Request, v pages.SignInView, u *store.User) error {
	objID := ""
	if u != nil {
		objID = itoa(u.ID)
	}
	if err := s.audit(r, s.store, auditEntry{Action: "signin.failed", Object: "user", ID: objID}); err != nil {
		return err
	}
	v.Form.Fail("email", genericSigninError)
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.SignIn(v))
}

// startSecondFactor remembers the password step in a renewed session and
// asks for the code.
func (s *Server) startSecondFactor(w http.ResponseWriter, r *http.Request, u *store.User, next string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, keyPendingUID, u.ID)
	s.sessions.Put(ctx, keyPendingAt, s.now().Unix())
	target := "/anmelden/zweiter-faktor"
	if next != "" {
		target += "?weiter=" + urlQueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// completeSignin starts a signed-in session under a new token (the visitor's
// token, if any, dies: no session fixation).
func (s *Server) completeSignin(w http.ResponseWriter, r *http.Request, u *store.User, next string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, keyPendingUID)
	s.sessions.Remove(ctx, keyPendingAt)
	sid := randomID()
	err := s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.CreateSession(ctx, sid, u.ID, r.UserAgent(), s.now()); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "signin", Object: "user", ID: itoa(u.ID), By: u})
	})
	if err != nil {
		return err
	}
	s.sessions.Put(ctx, keySessionID, sid)
	target, err := s.afterSignin(ctx, u, next)
	if err != nil {
		return err
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// pendingUser is the user who passed the password step less than
// pendingLifetime ago, or nil.
func (s *Server) pendingUser(r *http.Request) (*store.User, error) {
	if !s.hasSession(r) {
		return nil, nil
	}
	ctx := r.Context()
	uid := s.sessions.GetInt64(ctx, keyPendingUID)
	at := s.sessions.GetInt64(ctx, keyPendingAt)
	if uid == 0 || s.now().Sub(time.Unix(at, 0)) > pendingLifetime {
		return nil, nil
	}
	u, err := s.store.UserByID(ctx, uid)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil || u.State != account.StateActive || !u.TOTPEnabled() {
		return nil, err
	}
	return u, nil
}

func (s *Server) newSecondFactor(w http.ResponseWriter, r *http.Request) error {
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	if u == nil {
		http.Redirect(w, r, "/anmelden", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, pages.SecondFactor(pages.SecondFactorView{
		Frame: s.frame(r, "Bestätigungscode"), Form: components.NewForm(), Next: r.URL.Query().Get("weiter")}))
}

func (s *Server) createSecondFactor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.pendingUser(r)
	if err != nil {
		return err
	}
	if u == nil {
		http.Redirect(w, r, "/anmelden", http.StatusSeeOther)
		return nil
	}
	now := s.now()
	v := pages.SecondFactorView{Frame: s.frame(r, "Bestätigungscode"), Form: components.NewForm(), Next: r.PostFormValue("weiter")}
	key := secondFactorKey(u.ID)
	counts, ok, err := s.store.ReserveSigninAttempt(ctx, now,
		store.AttemptLimit{Key: key, Since: now.Add(-throttleWindow), Max: secondFactorMax},
		store.AttemptLimit{Key: key, Since: now.Add(-secondFactorLockWindow), Max: secondFactorLockAfter})
	if err != nil {
		return err
	}
	if !ok {
		s.sessions.Remove(ctx, keyPendingUID)
		msg := "Zu viele falsche Codes. Bitte warten Sie 15 Minuten und melden Sie sich dann erneut an."
		if counts[1] >= secondFactorLockAfter {
			msg = "Zu viele falsche Codes: Die Anmeldung mit diesem Konto ist für 24 Stunden gesperrt. Wir haben Sie per E-Mail benachrichtigt."
		}
		v.Form.Fail("code", msg)
		return s.renderStatus(w, r, http.StatusTooManyRequests, pages.SecondFactor(v))
	}
	valid, err := s.checkSecondFactor(r, u, r.PostFormValue("code"))
	if err != nil {
		return err
	}
	if !valid {
		return s.renderSecondFactorFailed(w, r, v, u, counts[1]+1)
	}
	if err := s.store.ReleaseSigninAttempt(ctx, now, key); err != nil {
		return err
	}
	return s.completeSignin(w, r, u, v.Next)
}

// checkSecondFactor accepts a current TOTP code (once) or an unused
// recovery code.
func (s *Server) checkSecondFactor(r *http.Request, u *store.User, code string) (bool, error) {
	code = strings.TrimSpace(code)
	secret, err := s.openTOTP(r.Context(), u)
	if err != nil {
		return false, err
	}
	if step, ok := totp.Check(secret, code, s.now()); ok {
		return s.store.UseTOTPStep(r.Context(), u.ID, step)
	}
	norm := normalizeRecoveryCode(code)
	if len(norm) != recoveryCodeLen {
		return false, nil
	}
	used, err := s.useRecoveryCode(r.Context(), u.ID, norm)
	if used && err == nil {
		err = s.audit(r, s.store, auditEntry{Action: "signin.recovery_code_used", Object: "user", ID: itoa(u.ID), By: u})
	}
	return used, err
}

func (s *Server) deleteSignin(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	if u == nil {
		u = setupPendingFrom(r.Context())
	}
	if u != nil {
		if err := s.audit(r, s.store, auditEntry{Action: "signout", Object: "user", ID: itoa(u.ID), By: u.User}); err != nil {
			return err
		}
		s.endSession(r.Context(), u.SessionID)
	} else if s.hasSession(r) {
		s.endSession(r.Context(), "")
	}
	http.Redirect(w, r, "/anmelden?abgemeldet", http.StatusSeeOther)
	return nil
}

// randomID returns 32 random bytes, URL-safe.
func randomID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

package server

import (
	"net/http"
	"strings"

	"rii/internal/account"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/internal/totp"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Recovery codes: ten codes of ten characters from an alphabet without
// look-alikes (about 49 bits each), shown as "abcde-fghij".
const (
	recoveryCodeCount = 10
	recoveryCodeLen   = 10
	recoveryAlphabet  = "abcdefghjkmnpqrstuvwxyz23456789"
	keyTOTPSetup      = "totp_setup_secret"
)

func normalizeRecoveryCode(s string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// accountView builds /konto for the signed-in user.
func (s *Server) accountView(r *http.Request) (pages.AccountView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	v := pages.AccountView{
		Frame: s.frame(r, "Mein Konto"), Name: u.Name, Email: u.Email, Role: u.Role.Label(),
		TOTPEnabled: u.TOTPEnabled(), TOTPRequired: u.Role.RequiresTOTP(),
		PasswordForm: components.NewForm(), SecurityForm: components.NewForm(),
	}
	inis, err := s.store.UserInitiatives(ctx, u.ID)
	if err != nil {
		return v, err
	}
	for _, i := range inis {
		l := pages.Link{Label: i.Name, Href: paths.Initiative(i.Slug)}
		if i.Status != initiative.StatusPublished { // not public yet: the way in is the form, with the review's state
			l = pages.Link{Label: i.Name + " (" + initiative.StatusLabel(i.Status) + ")", Href: paths.Initiative(i.Slug, "bearbeiten")}
		}
		v.Initiatives = append(v.Initiatives, l)
	}
	if v.RecoveryCodesLeft, err = s.store.RecoveryCodesLeft(ctx, u.ID); err != nil {
		return v, err
	}
	if v.Registrations, err = s.accountRegistrations(r); err != nil {
		return v, err
	}
	sessions, err := s.store.UserSessions(ctx, u.ID)
	if err != nil {
		return v, err
	}
	for _, ss := range sessions {
		v.Sessions = append(v.Sessions, pages.SessionRow{
			Device: describeUserAgent(ss.UserAgent), Started: formatTime(ss.CreatedAt),
			LastSeen: formatTime(ss.LastSeenAt), Current: ss.ID == u.SessionID,
		})
	}
	return v, nil
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request) error {
	v, err := s.accountView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.Account(v))
}

// updatePassword changes the password: the old one is required, the new
// one checked; other sessions end, this one gets a new token.
func (s *Server) updatePassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	f := components.NewForm()
	full, err := s.store.UserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	if ok, err := s.checkPassword(ctx, r.PostFormValue("alt"), full.PasswordHash); err != nil {
		return err
	} else if !ok {
		f.Fail("alt", "Das bisherige Passwort ist nicht richtig.")
	}
	pw := r.PostFormValue("passwort")
	if err := account.ValidatePassword(pw, u.Email, u.Name); err != nil {
		f.Fail("passwort", err.Error())
	} else if pw != r.PostFormValue("wiederholung") {
		f.Fail("wiederholung", "Die beiden neuen Passwörter stimmen nicht überein.")
	}
	if !f.OK() {
		v, err := s.accountView(r)
		if err != nil {
			return err
		}
		v.PasswordForm = f
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Account(v))
	}
	hash, err := s.hashPassword(ctx, pw)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SetPassword(ctx, u.ID, hash, s.now()); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID, u.SessionID); err != nil {
			return err
		}
		if err := s.audit(r, tx, auditEntry{Action: "user.password_changed", Object: "user", ID: itoa(u.ID)}); err != nil {
			return err
		}
		return s.notifyHolder(r, tx, u.User, noticePasswordChanged)
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.flash(r, "Ihr Passwort ist geändert. Alle anderen Sitzungen wurden beendet.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
	return nil
}

// deleteOtherSessions signs the user out everywhere else.
func (s *Server) deleteOtherSessions(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	n, err := s.store.DeleteUserSessions(r.Context(), u.ID, u.SessionID)
	if err != nil {
		return err
	}
	if err := s.audit(r, s.store, auditEntry{Action: "user.sessions_ended", Object: "user", ID: itoa(u.ID), Details: map[string]any{"count": n}}); err != nil {
		return err
	}
	s.flash(r, "Alle anderen Sitzungen wurden beendet.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
	return nil
}

// totpSetupView shows the secret kept in the session until it is
// confirmed, creating it on first view.
func (s *Server) totpSetupView(r *http.Request, f components.Form) (pages.TOTPSetupView, error) {
	ctx := r.Context()
	u := userFrom(ctx)
	secret := s.sessions.GetString(ctx, keyTOTPSetup)
	var key totp.Key
	var err error
	if secret == "" {
		key, err = totp.Generate("RII-Portal", u.Email)
		s.sessions.Put(ctx, keyTOTPSetup, key.Secret)
	} else {
		key, err = totp.FromSecret("RII-Portal", u.Email, secret)
	}
	return pages.TOTPSetupView{Frame: s.frame(r, "Zweiten Faktor einrichten"), Required: u.Role.RequiresTOTP(),
		Secret: key.Secret, QRCode: key.QRDataURI, Form: f}, err
}

func (s *Server) newTOTP(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()).TOTPEnabled() {
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return nil
	}
	v, err := s.totpSetupView(r, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.TOTPSetup(v))
}

// createTOTP confirms the secret with a first code and the password, then
// shows the recovery codes once.
func (s *Server) createTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if u.TOTPEnabled() {
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return nil
	}
	f := components.NewForm()
	secret := s.sessions.GetString(ctx, keyTOTPSetup)
	full, err := s.store.UserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	step, ok := totp.Check(secret, r.PostFormValue("code"), s.now())
	if secret == "" || !ok {
		f.Fail("code", "Der Code ist nicht richtig. Bitte geben Sie den aktuellen sechsstelligen Code aus der App ein.")
	}
	if ok, err := s.checkPassword(ctx, r.PostFormValue("passwort"), full.PasswordHash); err != nil {
		return err
	} else if !ok {
		f.Fail("passwort", "Das Passwort ist nicht richtig.")
	}
	if !f.OK() {
		v, err := s.totpSetupView(r, f)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.TOTPSetup(v))
	}
	codes, hashes := s.newRecoveryCodes()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SetTOTP(ctx, u.ID, s.sealTOTP(u.ID, secret), s.now()); err != nil {
			return err
		}
		if _, err := tx.UseTOTPStep(ctx, u.ID, step); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		if err := s.audit(r, tx, auditEntry{Action: "user.totp_enabled", Object: "user", ID: itoa(u.ID)}); err != nil {
			return err
		}
		return s.notifyHolder(r, tx, u.User, noticeTOTPEnabled)
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	s.sessions.Remove(ctx, keyTOTPSetup)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	return s.render(w, r, pages.RecoveryCodes(pages.RecoveryCodesView{Frame: s.frame(r, "Wiederherstellungscodes"), Codes: codes}))
}

// securityAction checks the password of the account form for removing the
// second factor or renewing codes; false means the form was re-rendered.
func (s *Server) securityAction(w http.ResponseWriter, r *http.Request) (bool, error) {
	u := userFrom(r.Context())
	full, err := s.store.UserByID(r.Context(), u.ID)
	if err != nil {
		return false, err
	}
	if ok, err := s.checkPassword(r.Context(), r.PostFormValue("passwort"), full.PasswordHash); ok || err != nil {
		return ok, err
	}
	v, err := s.accountView(r)
	if err != nil {
		return false, err
	}
	v.SecurityForm.Fail("passwort", "Das Passwort ist nicht richtig.")
	return false, s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Account(v))
}

func (s *Server) createRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if !u.TOTPEnabled() {
		http.Redirect(w, r, "/konto/zwei-faktor", http.StatusSeeOther)
		return nil
	}
	if ok, err := s.securityAction(w, r); !ok {
		return err
	}
	codes, hashes := s.newRecoveryCodes()
	err := s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, hashes); err != nil {
			return err
		}
		if err := s.audit(r, tx, auditEntry{Action: "user.recovery_codes_renewed", Object: "user", ID: itoa(u.ID)}); err != nil {
			return err
		}
		return s.notifyHolder(r, tx, u.User, noticeRecoveryCodes)
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	return s.render(w, r, pages.RecoveryCodes(pages.RecoveryCodesView{Frame: s.frame(r, "Wiederherstellungscodes"), Codes: codes}))
}

func (s *Server) deleteTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if u.Role.RequiresTOTP() {
		return errForbidden
	}
	if ok, err := s.securityAction(w, r); !ok {
		return err
	}
	err := s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.SetTOTP(ctx, u.ID, "", s.now()); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, u.ID, nil); err != nil {
			return err
		}
		if err := s.audit(r, tx, auditEntry{Action: "user.totp_disabled", Object: "user", ID: itoa(u.ID)}); err != nil {
			return err
		}
		return s.notifyHolder(r, tx, u.User, noticeTOTPDisabled)
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, "Der zweite Faktor ist ausgeschaltet.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
	return nil
}

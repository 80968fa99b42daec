package server

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// Lifetimes of the links sent by e-mail (ASVS 2.5.x, 2.3.1).
const (
	invitationLifetime = 72 * time.Hour
	resetLifetime      = time.Hour
	// resetsPerHour bounds reset e-mails per account, so the form cannot be
	// used to flood someone's inbox.
	resetsPerHour = 3
)

// link returns an absolute URL of the portal for e-mails.
func (s *Server) link(path string) string { return s.cfg.BaseURL.String() + path }

// enqueueMail writes a message to the outbox in tx; the worker is woken
// after the transaction commits.
func (s *Server) enqueueMail(r *http.Request, tx *store.Store, to, subject, body string) error {
	_, err := tx.EnqueueMail(r.Context(), to, subject, body+mailFooter)
	return err
}

const mailFooter = "\n\n-- \nService- und Beratungsstelle für regionale Industrieinitiativen\nService-RII@dihk.de\n"

func (s *Server) notifyMail() {
	if s.mailNotify != nil {
		s.mailNotify()
	}
}

func (s *Server) newPasswordReset(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.ForgotPassword(pages.ForgotPasswordView{
		Frame: s.frame(r, "Passwort vergessen"), Form: components.NewForm()}))
}

// createPasswordReset answers the same whether or not the address has an
// account; only an active account gets the e-mail.
func (s *Server) createPasswordReset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := pages.ForgotPasswordView{Frame: s.frame(r, "Passwort vergessen"), Form: components.NewForm()}
	v.Form.Values["email"] = r.PostFormValue("email")
	email, err := account.NormalizeEmail(v.Form.Values["email"])
	if err != nil {
		v.Form.Fail("email", err.Error())
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ForgotPassword(v))
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if u != nil && u.State == account.StateActive {
		now := s.now()
		err := s.store.InTx(ctx, func(tx *store.Store) error {
			recent, err := tx.RecentTokens(ctx, u.ID, store.PurposePasswordReset, now.Add(-time.Hour))
			if err != nil || recent >= resetsPerHour {
				return err
			}
			if err := tx.RevokeTokens(ctx, u.ID, store.PurposePasswordReset, now); err != nil {
				return err
			}
			token, hash := newToken()
			if err := tx.CreateToken(ctx, hash, u.ID, store.PurposePasswordReset, now, now.Add(resetLifetime)); err != nil {
				return err
			}
			if err := s.enqueueMail(r, tx, u.Email, "Ihr neues Passwort für das RII-Portal", resetMail(u.Name, s.link("/passwort-zuruecksetzen/"+token))); err != nil {
				return err
			}
			return s.audit(r, tx, u, "user.password_reset_requested", "user", itoa(u.ID), nil)
		})
		if err != nil {
			return err
		}
		s.notifyMail()
	}
	v.Sent = true
	return s.render(w, r, pages.ForgotPassword(v))
}

// linkPurpose describes the two kinds of e-mailed links.
type linkPurpose struct {
	purpose, path, heading, intro, submit, title string
}

var (
	resetLink = linkPurpose{store.PurposePasswordReset, "/passwort-zuruecksetzen/", "Neues Passwort festlegen",
		"Legen Sie ein neues Passwort fest. Danach sind alle bisherigen Sitzungen beendet.", "Passwort speichern", "Neues Passwort"}
	invitationLink = linkPurpose{store.PurposeInvitation, "/einladung/", "Willkommen im RII-Portal",
		"Sie wurden eingeladen. Legen Sie ein Passwort fest, um Ihr Konto einzurichten.", "Konto einrichten", "Einladung annehmen"}
)

// linkPageHeaders marks a page opened from an e-mailed link: its URL holds
// the token (no Referer) and it shows the account's name and address, so
// no cache may keep it.
func linkPageHeaders(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

func (s *Server) linkInvalid(w http.ResponseWriter, r *http.Request) error {
	linkPageHeaders(w)
	return s.renderStatus(w, r, http.StatusNotFound, pages.LinkInvalid(pages.LinkInvalidView{
		Frame: s.frame(r, "Link ungültig"), Heading: "Dieser Link gilt nicht mehr",
		Message: "Der Link ist abgelaufen, wurde schon benutzt oder ist unvollständig. Links zum Zurücksetzen gelten eine Stunde, Einladungen 72 Stunden – jeweils nur einmal.",
	}))
}

// editLink shows the password form behind an invitation or reset link.
func (s *Server) editLink(p linkPurpose) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		token := chi.URLParam(r, "token")
		u, err := s.store.TokenUser(r.Context(), hashToken(token), p.purpose, s.now())
		if errors.Is(err, store.ErrTokenInvalid) {
			return s.linkInvalid(w, r)
		}
		if err != nil {
			return err
		}
		linkPageHeaders(w)
		return s.render(w, r, pages.SetPassword(s.setPasswordView(r, p, u, token, components.NewForm())))
	}
}

func (s *Server) setPasswordView(r *http.Request, p linkPurpose, u *store.User, token string, f components.Form) pages.SetPasswordView {
	return pages.SetPasswordView{Frame: s.frame(r, p.title), Form: f, Heading: p.heading, Intro: p.intro,
		Submit: p.submit, Email: u.Email, Name: u.Name, Action: p.path + token}
}

// updateLink sets the password through the link: the token is used up in
// the same transaction, so a link works exactly once.
func (s *Server) updateLink(p linkPurpose) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		token := chi.URLParam(r, "token")
		u, err := s.store.TokenUser(ctx, hashToken(token), p.purpose, s.now())
		if errors.Is(err, store.ErrTokenInvalid) {
			return s.linkInvalid(w, r)
		}
		if err != nil {
			return err
		}
		linkPageHeaders(w)
		f := components.NewForm()
		pw := r.PostFormValue("passwort")
		if err := account.ValidatePassword(pw, u.Email, u.Name); err != nil {
			f.Fail("passwort", err.Error())
		} else if pw != r.PostFormValue("wiederholung") {
			f.Fail("wiederholung", "Die beiden Passwörter stimmen nicht überein.")
		}
		if u.State == account.StateDisabled {
			f.Fail("passwort", "Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Service-Stelle.")
		}
		if !f.OK() {
			return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.SetPassword(s.setPasswordView(r, p, u, token, f)))
		}
		hash, err := s.hashPassword(ctx, pw)
		if err != nil {
			return err
		}
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			uid, err := tx.UseToken(ctx, hashToken(token), p.purpose, s.now())
			if err != nil {
				return err
			}
			if err := tx.SetPassword(ctx, uid, hash, s.now()); err != nil {
				return err
			}
			if _, err := tx.DeleteUserSessions(ctx, uid, ""); err != nil {
				return err
			}
			return s.audit(r, tx, u, "user."+p.purpose+"_used", "user", itoa(uid), nil)
		})
		if errors.Is(err, store.ErrTokenInvalid) {
			return s.linkInvalid(w, r) // a concurrent use won
		}
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/anmelden?passwort-gesetzt", http.StatusSeeOther)
		return nil
	}
}

func resetMail(name, link string) string {
	return fmt.Sprintf(`Guten Tag %s,

für Ihr Konto im RII-Portal wurde ein neues Passwort angefordert. Über diesen Link legen Sie es fest:

%s

Der Link gilt eine Stunde und nur einmal. Haben Sie kein neues Passwort angefordert, können Sie diese E-Mail ignorieren; Ihr bisheriges Passwort bleibt gültig.`, name, link)
}

func invitationMail(name, inviter, role, link string) string {
	return fmt.Sprintf(`Guten Tag %s,

%s hat Sie in das RII-Portal der Service- und Beratungsstelle für regionale Industrieinitiativen eingeladen (Rolle: %s).

Über diesen Link legen Sie Ihr Passwort fest und richten Ihr Konto ein:

%s

Der Link gilt 72 Stunden und nur einmal. Erwarten Sie keine Einladung, können Sie diese E-Mail ignorieren.`, name, inviter, role, link)
}

package server

import (
	"errors"
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
			if err := s.audit(r, tx, auditEntry{Action: "user." + p.purpose + "_used", Object: "user", ID: itoa(uid), By: u}); err != nil {
				return err
			}
			if p.purpose != store.PurposePasswordReset {
				return nil // an invitation sets the first password: nothing changed
			}
			return s.notifyHolder(r, tx, u, noticePasswordReset)
		})
		if errors.Is(err, store.ErrTokenInvalid) {
			return s.linkInvalid(w, r) // a concurrent use won
		}
		if err != nil {
			return err
		}
		s.notifyMail()
		return s.afterLink(w, r, p, u)
	}
}

// afterLink sends u on once a link set their password. Whoever accepts an
// invitation has just proved the address and chosen the password: they
// start signed in, under a new session token (completeSignin), and with
// the second factor's setup if their role needs one. A reset never signs
// in: it would skip the second factor.
func (s *Server) afterLink(w http.ResponseWriter, r *http.Request, p linkPurpose, u *store.User) error {
	if p.purpose == store.PurposeInvitation && !u.TOTPEnabled() {
		s.flash(r, "Ihr Passwort ist gespeichert. Sie sind angemeldet.")
		return s.completeSignin(w, r, u, "")
	}
	http.Redirect(w, r, "/anmelden?passwort-gesetzt", http.StatusSeeOther)
	return nil
}

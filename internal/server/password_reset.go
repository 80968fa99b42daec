package server

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/a-h/templ"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

func (s *Server) newPasswordReset(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.ForgotPassword(pages.ForgotPasswordView{
		Frame: s.frame(r, "Passwort vergessen"), Form: components.NewForm()}))
}

// createPasswordReset answers the same whether or not the address has an
// account; only an active account gets the e-mail.
func (s *Server) createPasswordReset(w http.ResponseWriter, r *http.Request) (err error) {
	ctx := r.Context()
	v := pages.ForgotPasswordView{Frame: s.frame(r, "Passwort vergessen"), Form: components.NewForm()}
	v.Form.Values["email"] = r.PostFormValue("email")
	defer s.keepInput(w, r, &err, &v.Form, func() templ.Component { return pages.ForgotPassword(v) })
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
			if err := s.enqueueLinkMail(r, tx, u.Email, "Ihr neues Passwort für das RII-Portal",
				resetMail(u.Name, store.LinkPlaceholder), s.link(paths.PasswordReset(token))); err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "user.password_reset_requested", Object: "user", ID: itoa(u.ID), By: u})
		})
		if err != nil {
			return err
		}
		s.notifyMail()
	}
	v.Sent = true
	return s.render(w, r, pages.ForgotPassword(v))
}

func resetMail(name, link string) string {
	return fmt.Sprintf(`Guten Tag %s,

für Ihr Konto im RII-Portal wurde ein neues Passwort angefordert. Über diesen Link legen Sie es fest:

%s

Der Link gilt eine Stunde und nur einmal. Haben Sie kein neues Passwort angefordert, können Sie diese E-Mail ignorieren; Ihr bisheriges Passwort bleibt gültig.`, name, link)
}

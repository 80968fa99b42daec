package server

import (
	"fmt"
	"net/http"
	"time"

	"rii/internal/store"
	"rii/web/pages"
)

// Cumulative lockout of the second-factor step: besides 5 wrong codes per
// 15 minutes, 20 wrong codes within 24 hours lock the step for the rest of
// those 24 hours, and the account holder is told by e-mail (ASVS 6.3.1,
// 6.3.7). Guessing a 6-digit code thus takes years, not days.
const (
	secondFactorLockAfter  = 20
	secondFactorLockWindow = 24 * time.Hour
)

// secondFactorKey names an account's wrong codes in the failure table.
func secondFactorKey(userID int64) string { return secondFactorPrefix + itoa(userID) }

// secondFactorPrefix marks failures kept for secondFactorLockWindow.
const secondFactorPrefix = "2fa:"

// renderSecondFactorFailed audits a wrong code (its failure is already
// recorded); the one that reaches the lockout also sends the e-mail, in the
// same transaction.
func (s *Server) renderSecondFactorFailed(w http.ResponseWriter, r *http.Request, v pages.SecondFactorView, u *store.User, dayCount int) error {
	err := s.store.InTx(r.Context(), func(tx *store.Store) error {
		if err := s.audit(r, tx, u, "signin.second_factor_failed", "user", itoa(u.ID), nil); err != nil {
			return err
		}
		if dayCount != secondFactorLockAfter {
			return nil
		}
		if err := s.audit(r, tx, u, "signin.second_factor_locked", "user", itoa(u.ID), nil); err != nil {
			return err
		}
		return s.enqueueMail(r, tx, u.Email, "Anmeldung im RII-Portal gesperrt", lockoutMail(u.Name))
	})
	if err != nil {
		return err
	}
	if dayCount == secondFactorLockAfter {
		s.notifyMail()
	}
	v.Form.Fail("code", "Der Code ist nicht richtig oder abgelaufen. Bitte geben Sie den aktuellen Code aus der App ein.")
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.SecondFactor(v))
}

func lockoutMail(name string) string {
	return fmt.Sprintf(`Guten Tag %s,

bei der Anmeldung mit Ihrem Konto im RII-Portal wurde %d-mal ein falscher Bestätigungscode eingegeben. Ihr Passwort wurde dabei richtig eingegeben.

Die Anmeldung mit Ihrem Konto ist deshalb für 24 Stunden gesperrt.

Waren Sie das nicht, kennt jemand Ihr Passwort: Bitte ändern Sie es über „Passwort vergessen“ und informieren Sie die Service-Stelle.`, name, secondFactorLockAfter)
}

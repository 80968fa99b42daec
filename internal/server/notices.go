package server

import (
	"fmt"
	"net/http"

	"rii/internal/store"
)

// Credential notices (ASVS 6.2.x, 6.3.x): every change to how an account
// signs in, and to its role, is told to the account holder by e-mail, in the
// transaction of the change, so a takeover does not go unnoticed.
const (
	noticePasswordChanged = "Ihr Passwort wurde geändert."
	noticePasswordReset   = "Ihr Passwort wurde über den Link „Passwort vergessen“ neu festgelegt; alle Sitzungen wurden beendet."
	noticeTOTPEnabled     = "Die Anmeldung mit zweitem Faktor (Authenticator-App) wurde eingerichtet."
	noticeTOTPDisabled    = "Die Anmeldung mit zweitem Faktor wurde abgeschaltet."
	noticeRecoveryCodes   = "Es wurden neue Wiederherstellungscodes erzeugt; die bisherigen gelten nicht mehr."
	noticeSubject         = "Änderung an Ihrem Konto im RII-Portal"
)

// noticeRole describes a role change for the notice.
func noticeRole(from, to string) string {
	return fmt.Sprintf("Ihre Rolle wurde von „%s“ zu „%s“ geändert.", from, to)
}

// notifyHolder writes the notice of change to the holder of u, in tx. Call
// notifyMail after the commit.
func (s *Server) notifyHolder(r *http.Request, tx *store.Store, u *store.User, change string) error {
	return s.enqueueMail(r, tx, u.Email, noticeSubject, fmt.Sprintf(`Guten Tag %s,

an Ihrem Konto im RII-Portal (%s) wurde am %s Folgendes geändert:

%s

Waren Sie das, ist nichts weiter zu tun. Waren Sie es nicht, setzen Sie bitte sofort Ihr Passwort über „Passwort vergessen“ zurück und informieren Sie die Service-Stelle.`,
		u.Name, u.Email, formatTime(s.now()), change))
}

// Package paths builds the portal's addresses, so that a URL is spelled in
// one place (next to routes.go, which declares the patterns) and handlers
// and templates ask for "the edit page of this initiative" instead of
// gluing strings. Each function takes the object's key and, optionally,
// the segments of a page below it:
//
//	paths.Initiative("nordwind")                   → /initiativen/nordwind
//	paths.Initiative("nordwind", "kontakte", "12") → /initiativen/nordwind/kontakte/12
//
// Keys are escaped as path segments; the segments below are the portal's
// own fixed words and numbers.
package paths

import (
	"net/url"
	"strconv"
	"strings"
)

func join(base, key string, below []string) string {
	var b strings.Builder
	b.WriteString(base)
	b.WriteString(url.PathEscape(key))
	for _, s := range below {
		b.WriteByte('/')
		b.WriteString(s)
	}
	return b.String()
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// Initiative is an initiative's public profile, or a page below it.
func Initiative(slug string, below ...string) string { return join("/initiativen/", slug, below) }

// Event is an event's public page, or a page below it.
func Event(slug string, below ...string) string { return join("/veranstaltungen/", slug, below) }

// Report is the public report on the event with slug.
func Report(eventSlug string) string { return join("/berichte/", eventSlug, nil) }

// Topic is a topic's page.
func Topic(slug string) string { return join("/themen/", slug, nil) }

// Image is a stored picture (logo or report image).
func Image(imageID int64) string { return join("/bilder/", id(imageID), nil) }

// Confirm is the link that confirms an initiative's profile is current.
func Confirm(token string) string { return join("/bestaetigen/", token, nil) }

// Registration is a registration's personal page (its link), or a form
// action below it.
func Registration(token string, below ...string) string { return join("/anmeldung/", token, below) }

// EventInvitation is the personal page of an invitation to an event.
func EventInvitation(token string) string { return join("/anmeldung/einladung/", token, nil) }

// AccountInvitation is the link that sets up an invited user's account.
func AccountInvitation(token string) string { return join("/einladung/", token, nil) }

// Proposal is the link that confirms a visitor's proposal of an initiative.
func Proposal(token string) string { return join("/vorschlag/", token, nil) }

// PasswordReset is the link that sets a new password.
func PasswordReset(token string) string { return join("/passwort-zuruecksetzen/", token, nil) }

// AccountRegistration is an action on one of the signed-in member's own
// registrations.
func AccountRegistration(registrationID int64, below ...string) string {
	return join("/konto/anmeldungen/", id(registrationID), below)
}

// DashboardNetwork is the officials' page of an initiative's connections.
func DashboardNetwork(slug string) string { return join("/dashboard/vernetzung/", slug, nil) }

// Import is the page of one CSV import of initiatives.
func Import(importID int64) string { return join("/verwaltung/initiativen/import/", id(importID), nil) }

// AdminEvent is the Service-Stelle's page of an event, or a page below it.
func AdminEvent(eventID int64, below ...string) string {
	return join("/verwaltung/veranstaltungen/", id(eventID), below)
}

// AdminUser is the admin page of a user account.
func AdminUser(userID int64, below ...string) string {
	return join("/verwaltung/benutzer/", id(userID), below)
}

// AdminContact is the Service-Stelle's page of a contact person.
func AdminContact(contactID int64, below ...string) string {
	return join("/verwaltung/kontakte/", id(contactID), below)
}

// AdminMail is one message of the outbox.
func AdminMail(messageID int64) string { return join("/verwaltung/postausgang/", id(messageID), nil) }

// AdminTerms is a vocabulary's admin page, or one term's page below it.
func AdminTerms(vocab string, below ...string) string {
	return join("/verwaltung/begriffe/", vocab, below)
}

// ID writes a numeric id as a path segment.
func ID(n int64) string { return id(n) }

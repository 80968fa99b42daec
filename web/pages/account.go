package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// Link is a labelled link.
type Link struct {
	Label, Href string
}

// AccountView is /konto: the user's own account.
type AccountView struct {
	layout.Frame
	Name, Email, Role string
	Initiatives       []Link
	TOTPEnabled       bool
	TOTPRequired      bool
	RecoveryCodesLeft int
	Sessions          []SessionRow
	PasswordForm      components.Form
	// SecurityForm holds the password asked before removing the second
	// factor or renewing recovery codes.
	SecurityForm components.Form
	// Registrations are the person's own registrations for events.
	Registrations []AccountRegistration
}

// AccountRegistration is one of the person's registrations.
type AccountRegistration struct {
	Event, EventHref, When, Status string
	// ResendAction e-mails the personal link again; empty when past or ended.
	ResendAction string
}

// SessionRow is one signed-in session in the list.
type SessionRow struct {
	ID, Device, Started, LastSeen string
	Current                       bool
}

// TOTPSetupView sets up the authenticator app.
type TOTPSetupView struct {
	layout.Frame
	Required       bool
	Secret, QRCode string
	Form           components.Form
}

// RecoveryCodesView shows new recovery codes once.
type RecoveryCodesView struct {
	layout.Frame
	Codes []string
}

// Package pages holds one templ file per screen family; each page takes one
// view model carrying display-ready values.
package pages

import "rii/web/layout"

// HomeView is the start page.
type HomeView struct {
	layout.Frame
	Heading string // the page's h1
	// Events are the next events, Reports the newest reports (up to 3 each).
	Events  []HomeEvent
	Reports []HomeReport
}

// ErrorView is an error page (404, 403, 405, 413, 500).
type ErrorView struct {
	layout.Frame
	Status           int
	Heading, Message string
	// RequestID lets a user quote the failure to the Service-Stelle.
	RequestID string
	// Resend, on a 503 for a form post, holds what was sent, to send again.
	Resend *ResendForm
}

// ServiceEmail is the Service-Stelle's published contact address.
const ServiceEmail = "Service-RII@dihk.de"

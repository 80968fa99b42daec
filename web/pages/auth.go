package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// SignInView is the sign-in form.
type SignInView struct {
	layout.Frame
	Form components.Form
	// Next is where to go after signing in.
	Next string
	// Notice is an information above the form (signed out, password set …).
	Notice string
	// Throttled is set when too many attempts failed.
	Throttled bool
}

// SecondFactorView asks for the TOTP or a recovery code.
type SecondFactorView struct {
	layout.Frame
	Form components.Form
	Next string
}

// ForgotPasswordView asks for the address to send a reset link to.
type ForgotPasswordView struct {
	layout.Frame
	Form components.Form
	// Sent is set after a request: the page then says what happens next,
	// the same whether or not the address has an account.
	Sent bool
}

// SetPasswordView sets a password through an invitation or reset link.
type SetPasswordView struct {
	layout.Frame
	Form components.Form
	// Heading and Intro differ between invitation and reset.
	Heading, Intro, Submit string
	Email, Name            string
	// Action is the form's target (the link itself).
	Action string
}

// LinkInvalidView explains an unknown, used or expired link.
type LinkInvalidView struct {
	layout.Frame
	Heading, Message string
}

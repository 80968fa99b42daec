package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// StaleView lists profiles due for re-confirmation.
type StaleView struct {
	layout.Frame
	Rows    []StaleRow
	Total   int
	Pager   components.Pager
	CanSend bool
	Form    components.Form
}

// StaleRow is one profile due for re-confirmation.
type StaleRow struct {
	ID                               string
	Name, Href, Confirmed, LastAsked string
	Members                          int
}

// ConfirmView asks a member to confirm a profile with one click.
type ConfirmView struct {
	layout.Frame
	Name, ProfileHref, EditHref, Action string
	Done                                bool
}

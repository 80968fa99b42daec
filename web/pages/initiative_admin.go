package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// AdminInitiativesView is the Service-Stelle's list of all initiatives.
type AdminInitiativesView struct {
	layout.Frame
	Query    string
	Statuses []StatusTab
	Rows     []AdminInitiativeRow
	Total    int
	Pager    components.Pager
	CanNew   bool
}

// StatusTab filters the list by status.
type StatusTab struct {
	Label, Href string
	Count       int
	Current     bool
}

// AdminInitiativeRow is one initiative in the list.
type AdminInitiativeRow struct {
	Name, Status, Updated, Confirmed string
	ProfileHref, ManageHref          string
}

// InitiativeManageView is the review and history page of one initiative.
type InitiativeManageView struct {
	layout.Frame
	Name, Status, ProfileHref, EditHref, Action string
	// Version is the profile version on screen; the status form sends it.
	Version   string
	CanChange bool
	// Actions are the publish and archive buttons; CanReturn offers the
	// return form with its required comment.
	Actions   []StatusAction
	CanReturn bool
	// Proposer names the visitor who proposed the initiative without an
	// account, until they are invited.
	Proposer  string
	Form      components.Form
	Revisions []RevisionRow
}

// StatusAction is one button of the review form.
type StatusAction struct {
	Value, Label string
	Primary      bool
}

// RevisionRow is one version in the history.
type RevisionRow struct {
	Version   int
	At, Actor string
	// Step names what the version was ("Zurückgegeben", …); Comment is the
	// editor's note on it.
	Step, Comment string
	Changes       []ConflictField // Label, Saved = before, Yours = after
	RestoreHref   string
	Current       bool
}

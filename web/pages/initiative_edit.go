package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// InitiativeEditView is the form that creates or edits a profile.
type InitiativeEditView struct {
	layout.Frame
	Heading, Intro                         string
	Action                                 string
	Submit                                 string
	Form                                   components.Form
	LegalForms                             []components.Option
	DistrictGroups                         []OptionGroup
	Topics, Sectors, TargetGroups, Formats []components.Option
	Members                                []MemberRow
	// Status and ReviewComment show where a profile stands in the review.
	Status, ReviewComment string
	// Conflict is set when someone else saved in between.
	Conflict *ConflictView
	// CancelHref leads back without saving.
	CancelHref string
	// ConfirmAction confirms the profile is current (editing only);
	// Confirmed says when that was last done.
	ConfirmAction, Confirmed string
	// ContactsHref leads to the contact persons (editing only).
	ContactsHref string
	// LogoHref leads to the logo upload (editing only).
	LogoHref string
}

// OptionGroup is a group of checkboxes, such as the districts of one Land.
type OptionGroup struct {
	Label   string
	Open    bool
	Options []components.Option
}

// MemberRow is one member organisation in the form.
type MemberRow struct {
	Index int
	Name  string
	Kinds []components.Option
}

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
	// SubmitLabel, when set, offers members to hand the draft in for review
	// ("Erneut zur Prüfung einreichen" after a return) with their changes.
	SubmitLabel string
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
	// ID names the group's element (e.g. "land-14"), for links and tests.
	ID      string
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

// InitiativeFormFields are the profile form's fields in page order (the
// districts and the member rows have their own markup).
var InitiativeFormFields = components.Fields{
	{Name: "name", Label: "Name der Initiative", Required: true, MaxLength: 300},
	{Name: "kurzbeschreibung", Label: "Kurzbeschreibung", Optional: true, MaxLength: 500, Hint: "Ein bis zwei Sätze für Listen und Suchergebnisse, höchstens 500 Zeichen."},
	{Name: "beschreibung", Label: "Beschreibung", Optional: true, MaxLength: 20000, Hint: "Ziele, Arbeitsweise und Angebote. Absätze durch Leerzeilen trennen."},
	{Name: "rechtsform", Label: "Rechtsform"},
	{Name: "gruendungsjahr", Label: "Gründungsjahr", Optional: true, InputMode: "numeric", MaxLength: 4, Hint: "Zum Beispiel 2015"},
	{Name: "website", Label: "Website", Type: "url", Optional: true, Autocomplete: "url", MaxLength: 500, Hint: "Vollständige Adresse, zum Beispiel https://www.beispiel.de"},
	{Name: "kreise", Label: "Landkreise und kreisfreie Städte", Multi: true},
	{Name: "themen", Label: "Zukunftsthemen", Multi: true},
	{Name: "branchen", Label: "Branchen", Multi: true},
	{Name: "zielgruppen", Label: "Zielgruppen", Multi: true},
	{Name: "formate", Label: "Formate", Multi: true},
	{Name: "mitglied_name", Label: "Name der Mitgliedsorganisation", Multi: true},
	{Name: "mitglied_art", Label: "Art der Mitgliedsorganisation", Multi: true},
}

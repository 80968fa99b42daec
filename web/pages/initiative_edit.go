package pages

import (
	"strconv"

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
	Regions                                RegionPicker
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

// RegionPicker chooses the districts: the chosen ones first, then the 16
// Länder, each a fold-out with its districts and a box for the whole Land.
// Without JavaScript its search button narrows the Länder on the server;
// picker.js narrows them as one types.
type RegionPicker struct {
	// Query is what was typed into the search field; Searched is set when
	// the Länder below show only what matches it, Found districts.
	Query    string
	Searched bool
	Found    int
	Chosen   []RegionChoice
	Lands    []RegionLand
	Error    string
}

// RegionChoice is a chosen district (field "kreise", value its AGS) or a
// whole chosen Land (field "kreise_land", value its code).
type RegionChoice struct {
	Field, Value, Label string
}

// RegionLand is one Land with its districts not chosen yet.
type RegionLand struct {
	Code, Name string
	// Total is how many districts the Land has, Chosen how many of them
	// are chosen; AllChosen is set when all are.
	Total, Chosen int
	AllChosen     bool
	Open          bool
	Districts     []RegionDistrict
}

// RegionDistrict is a district offered for choice; Key is its name in the
// forms picker.js compares with what is typed.
type RegionDistrict struct {
	AGS, Name, Key string
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
	{Name: "kreise_suche", Label: "Kreis oder Stadt suchen"},
	{Name: "themen", Label: "Zukunftsthemen", Multi: true},
	{Name: "branchen", Label: "Branchen", Multi: true},
	{Name: "zielgruppen", Label: "Zielgruppen", Multi: true},
	{Name: "formate", Label: "Formate", Multi: true},
	{Name: "mitglied_name", Label: "Name der Mitgliedsorganisation", Multi: true},
	{Name: "mitglied_art", Label: "Art der Mitgliedsorganisation", Multi: true},
}

// landCount says how many of a Land's districts are chosen.
func landCount(l RegionLand) string {
	switch {
	case l.AllChosen:
		return "– gewählt"
	case l.Chosen > 0:
		return "– " + strconv.Itoa(l.Chosen) + " von " + kreise(l.Total) + " gewählt"
	default:
		return "– " + kreise(l.Total)
	}
}

func kreise(n int) string {
	if n == 1 {
		return "1 Kreis"
	}
	return strconv.Itoa(n) + " Kreise"
}

// regionFound says how many districts a search found.
func regionFound(n int) string {
	switch n {
	case 0:
		return "Kein Kreis gefunden. Prüfen Sie die Schreibweise oder suchen Sie nach einem Teil des Namens."
	case 1:
		return "1 Kreis gefunden."
	}
	return strconv.Itoa(n) + " Kreise gefunden."
}

package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// ProposalView is the form with which visitors without an account propose
// an initiative.
type ProposalView struct {
	layout.Frame
	Form    components.Form
	Regions RegionPicker
	Topics  []components.Option
	// LinkHours is how long the confirmation link holds.
	LinkHours string
}

// ProposalConfirmView asks the proposer to confirm with a button (the link
// itself changes nothing: mail scanners open links).
type ProposalConfirmView struct {
	layout.Frame
	Initiative, Email, Action string
}

// ProposalFields are the visitor's proposal form fields in page order; the
// profile's own come from InitiativeFormFields (districts and topics have
// their own markup).
var ProposalFields = components.Fields{
	{Name: "ihr_name", Label: "Ihr Name", Required: true, Autocomplete: "name", MaxLength: 200},
	{Name: "ihre_email", Label: "Ihre E-Mail-Adresse", Type: "email", Required: true, Autocomplete: "email", MaxLength: 254,
		Hint: "An diese Adresse schicken wir den Link zur Bestätigung und später die Nachrichten der Service-Stelle."},
	{Name: "name", Label: "Name der Initiative", Required: true, MaxLength: 300},
	{Name: "kurzbeschreibung", Label: "Kurzbeschreibung", Required: true, MaxLength: 500, Hint: "Ein bis zwei Sätze: Was tut die Initiative, für wen?"},
	{Name: "website", Label: "Website", Type: "url", Optional: true, Autocomplete: "url", MaxLength: 500, Hint: "Vollständige Adresse, zum Beispiel https://www.beispiel.de"},
	{Name: "kreise", Label: "Landkreise und kreisfreie Städte", Multi: true},
	{Name: "kreise_suche", Label: "Kreis oder Stadt suchen"},
	{Name: "themen", Label: "Zukunftsthemen", Multi: true},
	{Name: "einwilligung", Label: "Einwilligung"},
}

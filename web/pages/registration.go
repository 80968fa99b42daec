package pages

import (
	"strconv"

	"rii/web/components"
	"rii/web/layout"
)

// RegistrationFields are the public registration form's fields about the
// person, in page order (workshops, questions and consent follow).
var RegistrationFields = components.Fields{
	{Name: "name", Label: "Name", Autocomplete: "name", Required: true, MaxLength: 200},
	{Name: "email", Label: "E-Mail-Adresse", Type: "email", Autocomplete: "email", Required: true, MaxLength: 320},
	organisationField,
	{Name: "initiative", Label: "Initiative", Hint: "Der Name Ihrer Initiative, wie er im Verzeichnis steht.", Optional: true, MaxLength: 300},
}

// ParticipantFields are the Service-Stelle's fields for registering a
// person by hand: the browser offers no autofill, since the person typed in
// is not the one signed in.
var ParticipantFields = components.Fields{
	{Name: "name", Label: "Name", Autocomplete: "off", Required: true, MaxLength: 200},
	{Name: "email", Label: "E-Mail-Adresse", Type: "email", Autocomplete: "off", Required: true, MaxLength: 320},
	{Name: "organisation", Label: "Organisation", Autocomplete: "off", Optional: true, MaxLength: 300},
}

// organisationField is the organisation of the person who registers
// themselves (the public form and an invitation's answer).
var organisationField = components.Field{Name: "organisation", Label: "Organisation", Autocomplete: "organization", Optional: true, MaxLength: 300}

// RegistrationSetupFields are the fixed fields of an event's registration
// settings; the workshops' capacities follow "plaetze", one per workshop.
var RegistrationSetupFields = components.Fields{
	{Name: "plaetze", Label: "Plätze der Veranstaltung", Hint: "Leer lassen für keine Grenze. Wer keinen Platz mehr bekommt, kommt auf die Warteliste.", InputMode: "numeric", Optional: true},
	{Name: "haltezeit", Label: "Haltezeit in Stunden", Hint: "So lange hält eine noch nicht bestätigte Anmeldung ihren Platz.", InputMode: "numeric", Required: true},
	{Name: "erinnerung", Label: "Erinnerung: Stunden vor Beginn", Hint: "Dann geht die Erinnerung an alle Bestätigten hinaus, zum Beispiel 48 für zwei Tage.", InputMode: "numeric", Required: true},
}

// RegistrationForm is the registration section of an event page.
type RegistrationForm struct {
	Action string
	Form   components.Form
	// Open: the form is offered; otherwise the section says why not.
	Open bool
	// Places is "noch 12 Plätze frei" or the like, empty when unlimited.
	Places string
	// Hold is the hold time in hours, as the form's hint says it.
	Hold      string
	Slots     []WorkshopChoice
	Questions []RegistrationQuestion
}

// WorkshopChoice is one choice of a workshop among parallel ones.
type WorkshopChoice struct {
	Name, Legend string
	Options      []components.Option
}

// RegistrationQuestion is one of the event's questions.
type RegistrationQuestion struct {
	Name, Label, Kind string
	Options           []string
	Required          bool
}

// RegistrationSentView answers a posted registration, the same whether it
// was new or the address had registered before.
type RegistrationSentView struct {
	layout.Frame
	EventTitle, EventHref string
}

// RegistrationView is the personal page behind the link in the e-mails.
type RegistrationView struct {
	layout.Frame
	Form                   components.Form
	EventTitle, EventHref  string
	When, Place, OnlineURL string
	Name, Email, Org       string
	Status, StatusNote     string
	Pending, Active        bool
	ConfirmAction          string
	WorkshopAction         string
	CancelAction           string
	Slots                  []WorkshopChoice
	Notice                 string
}

func itoa(i int) string { return strconv.Itoa(i) }

// optionalMark marks an optional question's legend.
func optionalMark(required bool) string {
	if required {
		return ""
	}
	return " – optional"
}

// choiceOptions are a choice question's answers as radio options.
func choiceOptions(f components.Form, q RegistrationQuestion) []components.Option {
	out := make([]components.Option, 0, len(q.Options))
	for _, o := range q.Options {
		out = append(out, components.Option{Value: o, Label: o, Selected: f.Value(q.Name) == o})
	}
	return out
}

package pages

import (
	"strconv"

	"rii/web/components"
	"rii/web/layout"
)

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

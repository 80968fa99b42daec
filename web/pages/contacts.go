package pages

import (
	"strconv"
	"strings"

	"rii/web/components"
	"rii/web/layout"
)

// ContactListView is the contact persons of one initiative, for those who
// edit it.
type ContactListView struct {
	layout.Frame
	Initiative                     string
	NewHref, ProfileHref, EditHref string
	Rows                           []ContactRow
}

// ContactRow is one contact person in the list.
type ContactRow struct {
	Name, Role, Function, Organisation, Email, Phone string
	Visibility, Consent, Href                        string
}

// Details joins function and organisation for the list.
func (r ContactRow) Details() string {
	var parts []string
	for _, p := range []string{r.Function, r.Organisation} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// ContactEditView is the form that creates or edits a contact person.
type ContactEditView struct {
	layout.Frame
	Heading, Initiative          string
	Action, Submit, CancelHref   string
	Form                         components.Form
	Visibilities, ConsentMethods []components.Option
	// Conflict is set when someone else saved in between.
	Conflict *ConflictView
	// RemoveAction is the form that takes the contact off the initiative;
	// empty for a new contact. Remove holds its confirmation and error.
	RemoveAction string
	Remove       components.Form
	// Standalone is a contact of no initiative (a speaker, a moderator):
	// the form has no role in an initiative.
	Standalone bool
}

// ContactAdminListView is the Service-Stelle's search of contact persons.
type ContactAdminListView struct {
	layout.Frame
	Query string
	Rows  []ContactAdminRow
	Total int
	Pager components.Pager
}

// ContactAdminRow is one contact person in the search.
type ContactAdminRow struct {
	Name, Email, Organisation, Visibility, Href string
	Initiatives                                 int
}

// ContactAdminView is everything the portal holds about one contact
// person, with the export and the erasure.
type ContactAdminView struct {
	layout.Frame
	Name                 string
	Facts                []ContactFact
	Links                []ContactLinkRow
	Audit                []ContactAuditRow
	ExportHref, BackHref string
	EraseAction          string
	Form                 components.Form
}

// ContactFact is one term and value of the contact's record.
type ContactFact struct {
	Term, Value string
}

// ContactLinkRow is one initiative the person is linked to.
type ContactLinkRow struct {
	Initiative, Role, Href string
}

// ContactAuditRow is one audit entry about the person.
type ContactAuditRow struct {
	At, Actor, Action, Details string
}

// contactCount says how many contact persons the search found.
func contactCount(n int) string {
	if n == 1 {
		return "1 Ansprechperson gefunden"
	}
	return strconv.Itoa(n) + " Ansprechpersonen gefunden"
}

// contactDash shows a dash for an empty value.
func contactDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// ContactFormFields are the contact form's fields in page order.
var ContactFormFields = components.Fields{
	{Name: "name", Label: "Name", Required: true, Autocomplete: "off", MaxLength: 200},
	{Name: "funktion", Label: "Funktion", Optional: true, Autocomplete: "off", MaxLength: 300, Hint: "Zum Beispiel Geschäftsführerin oder Projektleiter"},
	{Name: "organisation", Label: "Organisation", Optional: true, Autocomplete: "off", MaxLength: 300},
	{Name: "email", Label: "E-Mail-Adresse", Type: "email", Optional: true, Autocomplete: "off", MaxLength: 254},
	{Name: "telefon", Label: "Telefon", Type: "tel", Optional: true, Autocomplete: "off", MaxLength: 50, Hint: "Ziffern, Leerzeichen und + / - ( ), zum Beispiel +49 30 1234567"},
	{Name: "rolle", Label: "Rolle in der Initiative", Optional: true, Autocomplete: "off", MaxLength: 200, Hint: "Zum Beispiel Ansprechperson für Presse oder Sprecherin des Vorstands"},
	{Name: "sichtbarkeit", Label: "Wer darf die Angaben sehen?", Hint: "„öffentlich“: alle Besucherinnen und Besucher des Profils. „nur Mitglieder der Initiative“: deren angemeldete Mitglieder. „nur Service-Stelle“: sonst niemand; wer die Initiative pflegt, sieht die Person weiter in dieser Liste. Für „öffentlich“ und „nur Mitglieder“ muss die Person eingewilligt haben."},
	{Name: "einwilligung_datum", Label: "Datum der Einwilligung", Autocomplete: "off", MaxLength: 10, Hint: "Tag.Monat.Jahr, zum Beispiel 24.11.2026"},
	{Name: "einwilligung_art", Label: "Wie hat die Person eingewilligt?"},
	{Name: "einwilligung_art_sonstige", Label: "Andere Art der Einwilligung", Optional: true, Autocomplete: "off", MaxLength: 300, Hint: "Nur ausfüllen, wenn Sie oben „auf andere Weise“ gewählt haben."},
	{Name: "einwilligung_zweck", Label: "Zweck der Einwilligung", MaxLength: 1000, Hint: "Zum Beispiel: Nennung als Ansprechperson im Verzeichnis der Initiativen"},
}

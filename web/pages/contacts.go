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
	// Member is set for members, who do not see contacts for the
	// Service-Stelle only; the page says so.
	Member bool
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

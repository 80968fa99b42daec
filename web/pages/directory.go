package pages

import (
	"slices"
	"strings"

	"rii/web/components"
	"rii/web/layout"
)

// DirectoryView is /initiativen: search, facets, results, the map.
type DirectoryView struct {
	layout.Frame
	Query       string
	SortOptions []components.Option
	// Hidden carries the chosen facet values through the search form, and
	// the search term and order through the filter form.
	SearchHidden, FilterHidden []HiddenField
	Facets                     []FacetGroup
	// Heading is "12 Initiativen gefunden"; Page says "Seite 2 von 3" when
	// there is more than one.
	Heading, Page string
	// Suggestion corrects a mistyped search word.
	Suggestion components.Suggestion
	Active     []ActiveFilter
	ResetHref  string // the list without facets; "" when none is chosen
	Cards      []DirectoryCard
	// FirstPageHref is set when the page asked for lies past the last one.
	FirstPageHref string
	Pager         components.Pager
	Map           components.MapView
	MapIntro      string
	// AllStatesHref leads from a Land's district map back to the Länder.
	AllStatesHref       string
	CSVHref, JSONHref   string
	OpenDataDescription string
}

// HiddenField is a name and value carried through a form unchanged.
type HiddenField struct{ Name, Value string }

// FacetGroup is one facet: a fieldset of checkboxes with counts.
type FacetGroup struct {
	Name, Legend string // query parameter, visible legend
	Hint         string
	Options      []FacetOption
	// More are further options behind MoreLabel ("Alle 53 Kreise mit
	// Initiativen anzeigen"), folded away.
	More      []FacetOption
	MoreLabel string
	// Open shows the group unfolded: when something in it is chosen.
	Open bool
}

// FacetOption is one value of a facet.
type FacetOption struct {
	ID, Value, Label string
	// Count is shown ("12"); CountLabel is read out ("12 Initiativen").
	Count, CountLabel string
	Selected          bool
}

// ActiveFilter is a chosen value, with the link that drops it.
type ActiveFilter struct {
	Label, RemoveHref string
}

// DirectoryCard is one initiative in the result list.
type DirectoryCard struct {
	Name, Href, ShortDescription string
	States, Topics               string // "Baden-Württemberg", "Innovation, Energie"; "" if none
}

// ProfileView is /initiativen/{slug}.
type ProfileView struct {
	layout.Frame
	Name, ShortDescription string
	// Paragraphs of the long description, plain text.
	Paragraphs []string
	// Status is set when the profile is not public: what a banner says.
	Status                  string
	LegalForm, Founded      string
	Website, WebsiteLabel   string
	Regions                 []RegionGroup
	Locator                 components.LocatorView
	HasLocator              bool
	Topics, Sectors         []Link
	TargetGroups, Formats   []string
	Members                 []MemberGroup
	Contacts                []ContactCard
	ContactsNote, Confirmed string
	DirectoryHref           string
	// EditHref and ManageHref lead to editing and to review and history,
	// for those who may; empty otherwise.
	EditHref, ManageHref string
	// JSONLD is the schema.org Organization, only for published profiles.
	JSONLD any
	// Events the initiative took part in, newest first.
	Events []ProfileEvent
	// Logo is the initiative's logo, nil without one.
	Logo *ProfileLogo
}

// ProfileLogo is a logo with its alternative text and size.
type ProfileLogo struct {
	Src, Alt      string
	Width, Height int
}

// RegionGroup is the districts of one Land an initiative covers.
type RegionGroup struct {
	State     string
	StateHref string
	Districts []Link
}

// MemberGroup is the member organisations of one kind.
type MemberGroup struct {
	Kind  string
	Names []string
}

// ContactCard is a contact person the viewer may see.
type ContactCard struct {
	Name, Role, Function, Organisation string
	Email, EmailHref, Phone, PhoneHref string
	// Restricted names who else sees this contact, for non-public ones:
	// "nur für Mitglieder der Initiative sichtbar".
	Restricted string
}

// OpenDataView is /initiativen/offene-daten: what the downloads hold.
type OpenDataView struct {
	layout.Frame
	CSVHref, JSONHref    string
	MachineCSVHref       string // the comma variant for programs
	Examples             []Link
	Fields               []OpenDataField
	Count                string // published initiatives now
	LicenceName, Licence string // name and URL of the data licence
}

// OpenDataField describes one column of the CSV and key of the JSON.
type OpenDataField struct {
	CSV, JSON, Meaning string
}

// joinComma joins the non-empty parts with ", ", each once: a part equal
// to an earlier one but for case is left out ("Digital, digital").
func joinComma(parts []string) string {
	out := ""
	for i, p := range parts {
		if p == "" || slices.ContainsFunc(parts[:i], func(o string) bool { return strings.EqualFold(o, p) }) {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += p
	}
	return out
}

package pages

import (
	"strconv"

	"rii/web/components"
	"rii/web/layout"
)

// EventAdminListView is the Service-Stelle's list of events.
type EventAdminListView struct {
	layout.Frame
	Statuses []StatusTab
	Orders   []StatusTab // the sort orders, as links
	Rows     []EventAdminRow
	Total    int
	Pager    components.Pager
}

// EventAdminRow is one event in the list.
type EventAdminRow struct {
	Title, Href, When, Kind, Status, Report string
	Items, Workshops                        int
}

// EventEditView creates an event or edits its facts, with the overview of
// programme, workshops, report and status when editing.
type EventEditView struct {
	layout.Frame
	Heading, Action, Submit, CancelHref string
	Creating                            bool
	Form                                components.Form
	Kinds, Formats, States, Topics      []components.Option
	Conflict                            *ConflictView
	// Editing only.
	Status, CancelNotice, PublicHref string
	StatusAction                     string
	StatusForm                       components.Form
	CanPublish, CanComplete          bool
	CanCancel                        bool
	Items                            []ProgrammeRow
	Workshops                        []WorkshopAdminRow
	NewItemHref, NewWorkshopHref     string
	ReportHref, ReportLabel          string
	ReportStatus                     string
	RegistrationHref                 string
}

// ProgrammeRow is one programme item in the overview.
type ProgrammeRow struct {
	Time, Title, Kind, People, Initiatives, Href string
}

// WorkshopAdminRow is one workshop in the overview.
type WorkshopAdminRow struct {
	Time, Title, Moderators, Href string
	Sample                        bool
}

// PartEditView creates or edits a programme item or a workshop of an event.
type PartEditView struct {
	layout.Frame
	Event, EventHref, EventTimes string
	Heading, Action, Submit      string
	Form                         components.Form
	Kinds, Topics                []components.Option
	People                       []PersonRow
	PeopleLabel                  string
	Initiatives                  []InitiativeRow
	InitiativesLabel             string
	Conflict                     *ConflictView
	DeleteAction, DeleteLabel    string
	Delete                       components.Form
	Workshop                     bool // the form of a workshop, else of a programme item
}

// PersonRow is one row of people: a select of contacts and a function.
type PersonRow struct {
	Index    int
	Contacts []components.Option
	Function string
}

// InitiativeRow is one row of initiatives: a name or address.
type InitiativeRow struct {
	Index int
	Value string
}

// rowID is the element id of a field in row i.
func rowID(name string, i int) string { return components.ID(name) + "-" + strconv.Itoa(i) }

// rowLabel numbers a row's label for people reading it.
func rowLabel(label string, i int) string { return label + " " + strconv.Itoa(i+1) }

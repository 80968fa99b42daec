package pages

import (
	"html/template"

	"rii/web/components"
	"rii/web/layout"
)

// EventListView is /veranstaltungen: filters, upcoming and past events.
type EventListView struct {
	layout.Frame
	Heading string // "3 Veranstaltungen"
	Page    string // "Seite 2 von 3", empty on a single page
	Filters []EventFilter
	// ResetHref clears every filter; empty when none is set.
	ResetHref string
	Upcoming  []EventCard
	Past      []EventCard
	Pager     components.Pager
	// FirstPageHref is set when the page is past the end of the list.
	FirstPageHref string
	CalendarHref  string
}

// EventFilter is one select of the filter form.
type EventFilter struct {
	Name, Label string
	Options     []components.Option
}

// EventCard is one event in a list.
type EventCard struct {
	Title, Href, When, Kind, Format, Place string
	// CancelNotice is set for a cancelled event.
	Cancelled    bool
	CancelNotice string
	// ReportHref links the published report, if any.
	ReportHref string
}

// EventView is the public page of one event.
type EventView struct {
	layout.Frame
	// Preview, when set, marks the page as an editor's preview of a draft.
	Preview                          *PreviewBanner
	Title, Kind, Format, When, Place string
	Host, Invitation                 string
	Capacity, Registration           string
	// RegistrationForm is the registration section; nil for past events.
	RegistrationForm       *RegistrationForm
	Participants           string
	Topics                 []Link
	Cancelled              bool
	CancelNotice           string
	SampleNote             string
	Summary                string
	Paragraphs             []string
	Programme              []ProgrammeEntry
	WorkshopSlots          []WorkshopSlot
	Contributors           []Contributor
	Report                 *ReportTeaserView
	CalendarHref, ListHref string
	// JSONLD is the schema.org Event, written as a JSON data block.
	JSONLD any
}

// ProgrammeEntry is an item of the programme.
type ProgrammeEntry struct {
	Time, Kind, Title string
	Paragraphs        []string
	People            []PersonLine
	Initiatives       []Link
}

// PersonLine is a person on stage: name, then what they are there as.
type PersonLine struct {
	Name, Detail string
}

// Suffix is ", " and the detail, or nothing without one.
func (p PersonLine) Suffix() string {
	if p.Detail == "" {
		return ""
	}
	return ", " + p.Detail
}

// WorkshopSlot is a time slot with its parallel workshops.
type WorkshopSlot struct {
	Time      string
	Workshops []WorkshopEntry
}

// WorkshopEntry is one workshop of a slot.
type WorkshopEntry struct {
	ID, Title, Time, Place, Capacity string
	Topics                           []Link
	Paragraphs                       []string
	Moderators                       []PersonLine
	Initiatives                      []Link
	// Results is the sanitised HTML of the results, once held.
	Results      template.HTML
	Participants string
	Sample       bool
}

// Contributor is one person in the overview of everyone on stage.
type Contributor struct {
	Name, Detail string
	Parts        []string // the items and workshops they took part in
}

// ReportTeaserView links an event's published report.
type ReportTeaserView struct {
	Kicker, Title, Subtitle, Href string
}

// ProfileEvent is an event an initiative took part in, on its profile.
type ProfileEvent struct {
	Title, Href, When string
	Parts             []string // "Vorstellung im Programm: …", "Workshop: …"
}

// HomeEvent is an upcoming event on the start page.
type HomeEvent struct {
	Title, Href, When, Kind string
}

// HomeReport is a recent report on the start page.
type HomeReport struct {
	Kicker, Title, Subtitle, Href string
}

package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// RegistrationNav is the sub-navigation of an event's registration pages.
type RegistrationNav struct {
	EventTitle, EventHref string
	Links                 []StatusTab
}

// RegistrationSetupView is the page of an event's registration settings
// and questions.
type RegistrationSetupView struct {
	layout.Frame
	Nav RegistrationNav
	// State says whether people can register now, and why not.
	State            string
	Held, Waiting    int
	Action           string
	Form             components.Form
	Workshops        []WorkshopCapacityField
	Conflict         *ConflictView
	Questions        []QuestionRow
	QuestionAction   string
	QuestionForm     components.Form
	Kinds            []components.Option
	SuggestAction    string
	SuggestLabel     string
	ConfirmDelete    *QuestionRow // asked before a question with answers goes
	ConfirmDeleteMsg string
}

// WorkshopCapacityField is the capacity input of one workshop.
type WorkshopCapacityField struct {
	Field components.Field
	Held  int
}

// QuestionRow is one registration question with its actions.
type QuestionRow struct {
	Label, Kind, Options     string
	Required                 bool
	MoveAction, DeleteAction string
	First, Last              bool
}

// ParticipantsView lists an event's registrations with filters, counts and
// (for editors) the form to add a person.
type ParticipantsView struct {
	layout.Frame
	Nav        RegistrationNav
	Statuses   []StatusTab
	Workshops  []components.Option
	Filter     components.Form // suche, status, workshop
	Rows       []ParticipantRow
	Total      int
	Pager      components.Pager
	ExportHref string
	CanEdit    bool
	AddAction  string
	AddForm    components.Form
	AddSlots   []SlotField
}

// ParticipantRow is one registration in the list.
type ParticipantRow struct {
	Name, Email, Organisation, Status, Workshops, Registered, Source, Attended, Href string
}

// SlotField is the choice of a workshop in one time slot.
type SlotField struct {
	Field   components.Field
	Options []components.Option
}

// ParticipantView shows one registration, with moving and cancelling for
// editors.
type ParticipantView struct {
	layout.Frame
	Nav          RegistrationNav
	Name, Email  string
	Facts        []Fact
	Answers      []Fact
	CanEdit      bool
	Active       bool
	MoveAction   string
	MoveForm     components.Form
	Slots        []SlotField
	CancelAction string
	CancelForm   components.Form
	BackHref     string
}

// Fact is one labelled value.
type Fact struct {
	Label, Value string
}

// CheckInView is the door's page: search by name, one button per person.
type CheckInView struct {
	layout.Frame
	Nav      RegistrationNav
	Query    string
	Attended int
	Expected int
	Rows     []CheckInRow
	More     bool
	CanEdit  bool
	Action   string // the page itself, for the search
	Message  string
}

// CheckInRow is one confirmed person at the door.
type CheckInRow struct {
	Name, Organisation, Workshops string
	ID                            string // the row's anchor
	Attended                      bool
	AttendedAt                    string
	Action                        string
}

// InvitationsView lists an event's invitations, with the form to invite.
type InvitationsView struct {
	layout.Frame
	Nav     RegistrationNav
	Action  string
	Form    components.Form
	CanEdit bool
	Counts  map[string]int // sent, registered, declined
	Rows    []InvitationRow
}

// InvitationRow is one invitation.
type InvitationRow struct {
	Name, Email, Status, Sent, Answered string
}

// InvitationLinkView is the invitee's page behind the personal link.
type InvitationLinkView struct {
	layout.Frame
	EventTitle, EventWhen, EventHref string
	Name, Email                      string
	Answered                         string // what the person answered before, "" if not yet
	Action                           string
	Form                             components.Form
	Slots                            []SlotField
	Questions                        []RegistrationQuestion
	PrivacyHref                      string
	// Closed says in German why the invitee cannot register now (closed
	// registration or outside its window), "" while they can.
	Closed string
}

package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// PreviewBanner marks a page shown to the Service-Stelle before it is
// published: what is not public yet, who will not appear, and the way
// back to the administration.
type PreviewBanner struct {
	// What is "Diese Veranstaltung" or "Dieser Bericht".
	What string
	// Reason says why visitors cannot see it yet.
	Reason string
	// Hidden names the people who will not appear publicly.
	Hidden []string
	// AdminHref leads back to the administration; PublishHref, when set,
	// to the confirmation of the publication.
	AdminHref, PublishHref string
}

// PublishConfirmView asks before an event or report goes public.
type PublishConfirmView struct {
	layout.Frame
	Heading, Subject string
	// Facts are lines about what will happen.
	Facts []string
	// Hidden names the people who will not appear publicly.
	Hidden []string
	// Blocked, when set, says why publishing is not possible now; the form
	// is then left out.
	Blocked string
	// Early, when set, warns that the event has not ended yet; the form then
	// asks for an explicit confirmation (field "vorzeitig").
	Early string
	// Done, when set, says the object is already public.
	Done                    string
	Action, Version, Submit string
	PreviewHref, CancelHref string
	Form                    components.Form
}

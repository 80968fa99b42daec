package pages

import (
	"html/template"

	"rii/web/components"
	"rii/web/layout"
)

// ReportListView is /berichte: the published reports, newest first.
type ReportListView struct {
	layout.Frame
	Items    []ReportListItem
	Total    int
	Pager    components.Pager
	FeedHref string
	// FirstPageHref is set when the page asked for lies past the last one.
	FirstPageHref string
}

// ReportListItem is one report in the list.
type ReportListItem struct {
	Href, Kicker, Title, Subtitle string
	EventTitle, EventDate         string
	EventDateISO                  string // for the time element
}

// ReportView is the public page of a report.
type ReportView struct {
	layout.Frame
	// Preview, when set, marks the page as an editor's preview of a draft.
	Preview                 *PreviewBanner
	Kicker, Title, Subtitle string
	// Body is the Markdown rendered and sanitised.
	Body template.HTML
	// The event's facts.
	EventTitle, EventHref, EventDate, EventDateISO string
	Kind, Format, Invitation, Host, Participants   string
	// Contact is the contact person, nil when none or not visible to the viewer.
	Contact *ReportContact
	// Published and Updated are German dates; Updated only if a later day.
	Published, Updated string
	SampleNote         string
	// EditHref leads editors to the editor.
	EditHref string
	JSONLD   any
}

// ReportContact is the contact person named under a report.
type ReportContact struct {
	Name, Role, Email string
}

// ReportFormFields are the report form's fields in page order.
var ReportFormFields = components.Fields{
	{Name: "dachzeile", Label: "Dachzeile", Optional: true, MaxLength: 200, Hint: "Steht klein über dem Titel, zum Beispiel „Regionale Initiativen stärken“."},
	{Name: "titel", Label: "Titel", Required: true, MaxLength: 300},
	{Name: "untertitel", Label: "Untertitel", Optional: true, MaxLength: 500, Hint: "Ein Satz unter dem Titel; erscheint auch in der Liste und im Feed."},
	{Name: "text", Label: "Text (Markdown)", Optional: true, Hint: "Abschnitte mit „## Überschrift“. Bilder nur mit Alternativtext. Die Hilfe unten zeigt alle Möglichkeiten."},
	{Name: "kontakt", Label: "Ansprechperson", Hint: "Öffentlich erscheinen Name, Rolle und E-Mail nur, wenn die Sichtbarkeit der Person es erlaubt."},
	{Name: "kontakt_rolle", Label: "Rolle der Ansprechperson", Optional: true, MaxLength: 300, Hint: "Zum Beispiel „Referat: Grundsatzfragen der Industriepolitik“."},
	{Name: "hinweis", Label: "Hinweis auf Beispieldaten", Optional: true, MaxLength: 1000, Hint: "Nur wenn Angaben erfunden sind, um Lücken zu füllen; erscheint unter dem Bericht."},
}

// ReportEditView is the report editor of one event.
type ReportEditView struct {
	layout.Frame
	EventTitle, EventDate string
	// Status is the report's status in German; Exists says it is stored.
	Status  string
	Exists  bool
	Version string
	// Action saves or previews; StatusAction publishes; ImageAction uploads.
	Action, StatusAction, ImageAction       string
	HistoryHref, EventAdminHref, PublicHref string
	// PreviewHref is the public address while only editors can see it.
	PreviewHref string
	Form        components.Form
	Contacts    []components.Option
	// Preview is the typed report rendered, not saved.
	Preview *ReportPreview
	// Conflict is set when someone else saved in between.
	Conflict      *ConflictView
	StatusForm    components.Form
	StatusActions []StatusAction
	ImageForm     components.Form
	Images        []ReportImageRow
}

// ReportPreview is the report as it would be published.
type ReportPreview struct {
	Kicker, Title, Subtitle, SampleNote string
	Body                                template.HTML
}

// ReportImageRow is an uploaded picture with the line that shows it.
type ReportImageRow struct {
	Src, Alt, Snippet string
}

// ReportHistoryView lists a report's versions.
type ReportHistoryView struct {
	layout.Frame
	Title, EventTitle, Status, EditHref string
	Revisions                           []RevisionRow
}

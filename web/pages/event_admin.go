package pages

import (
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
	CanCancel, CanUnpublish          bool
	// PreviewHref is the public address of a draft, for editors only.
	PreviewHref string
	// StatusHistory lists the status changes, newest first.
	StatusHistory []StatusChangeRow
	// Hidden names the people of the programme and workshops who will not
	// appear publicly.
	Hidden                       []string
	Items                        []ProgrammeRow
	Workshops                    []WorkshopAdminRow
	NewItemHref, NewWorkshopHref string
	ReportHref, ReportLabel      string
	ReportStatus                 string
	RegistrationHref             string
}

// StatusChangeRow is one status change in an event's history.
type StatusChangeRow struct {
	At, Actor, From, To string
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
	// People are the persons on stage or the moderators, with their
	// functions; Initiatives those presenting themselves or taking part.
	People, Initiatives       components.Picker
	Conflict                  *ConflictView
	DeleteAction, DeleteLabel string
	Delete                    components.Form
	Workshop                  bool // the form of a workshop, else of a programme item
}

// Fields are the declared fields of the form the view shows.
func (v PartEditView) Fields() components.Fields {
	if v.Workshop {
		return WorkshopFormFields
	}
	return ItemFormFields
}

// ItemFormFields are the programme item form's fields in page order; the
// pickers "personen" and "initiativen" draw their own inputs.
var ItemFormFields = components.Fields{
	{Name: "titel", Label: "Titel", Required: true, MaxLength: 300},
	{Name: "art", Label: "Art des Programmpunkts"},
	{Name: "datum", Label: "Datum", Type: "date", Optional: true, Hint: "Leer lassen: der erste Tag der Veranstaltung"},
	{Name: "beginn_zeit", Label: "Beginn", Type: "time", Required: true, Hint: "zum Beispiel 13:00"},
	{Name: "ende_zeit", Label: "Ende", Type: "time", Optional: true, Hint: "zum Beispiel 14:30"},
	{Name: "beschreibung", Label: "Beschreibung", Optional: true, MaxLength: 5000},
	{Name: "personen", Label: "Personen auf der Bühne", Multi: true},
	{Name: "initiativen", Label: "Initiativen, die sich vorstellen", Multi: true},
}

// WorkshopFormFields are the workshop form's fields in page order, with
// its capacity declared once here.
var WorkshopFormFields = components.Fields{
	{Name: "titel", Label: "Titel", Required: true, MaxLength: 300},
	{Name: "datum", Label: "Datum", Type: "date", Optional: true, Hint: "Leer lassen: der erste Tag der Veranstaltung"},
	{Name: "beginn_zeit", Label: "Beginn", Type: "time", Required: true, Hint: "zum Beispiel 13:00"},
	{Name: "ende_zeit", Label: "Ende", Type: "time", Required: true, Hint: "zum Beispiel 14:30"},
	{Name: "beschreibung", Label: "Beschreibung", Optional: true, MaxLength: 10000},
	{Name: "themen", Label: "Themen", Multi: true},
	{Name: "plaetze", Label: "Plätze", Optional: true, InputMode: "numeric", MaxLength: 7, Hint: "Ganze Zahl; leer lassen, wenn unbegrenzt"},
	{Name: "ort", Label: "Ort oder Raum", Optional: true, MaxLength: 500},
	{Name: "online_link", Label: "Online-Link", Type: "url", Optional: true, MaxLength: 500, Hint: "Nur mit https://; nie öffentlich sichtbar"},
	{Name: "personen", Label: "Moderation", Multi: true},
	{Name: "initiativen", Label: "Initiativen, die mitwirken", Multi: true},
	{Name: "ergebnisse", Label: "Ergebnisse", Optional: true, MaxLength: 20000, Hint: "Markdown: Absätze durch Leerzeilen, ## Zwischenüberschrift, - Aufzählung, **fett**, *kursiv*, [Linktext](https://…). HTML wird nicht übernommen."},
	{Name: "teilnehmende", Label: "Zahl der Teilnehmenden", Optional: true, InputMode: "numeric", MaxLength: 7},
	{Name: "beispieldaten", Label: "Beispieldaten", Hint: "Ankreuzen, wenn der Workshop erfunden ist, um eine Lücke zu füllen; die Seite weist darauf hin."},
	{Name: "version", Label: "Version"},
}

// EventFormFields are the event form's fields in page order.
var EventFormFields = components.Fields{
	{Name: "titel", Label: "Titel", Required: true, MaxLength: 300},
	{Name: "adresse", Label: "Adresse der Seite", Optional: true, MaxLength: 100, Hint: "Kleinbuchstaben, Ziffern und Bindestriche, zum Beispiel industriedialog-nordwest-2026. Leer lassen: aus dem Titel. Sie lässt sich später nicht ändern."},
	{Name: "art", Label: "Art der Veranstaltung"},
	{Name: "format", Label: "Format"},
	{Name: "themen", Label: "Themen", Multi: true},
	{Name: "beginn_datum", Label: "Datum des Beginns", Type: "date", Required: true, Hint: "Tag.Monat.Jahr, zum Beispiel 16.03.2021"},
	{Name: "beginn_zeit", Label: "Uhrzeit des Beginns", Type: "time", Required: true, Hint: "zum Beispiel 09:30"},
	{Name: "ende_datum", Label: "Datum des Endes", Type: "date", Optional: true, Hint: "Leer lassen, wenn sie am selben Tag endet"},
	{Name: "ende_zeit", Label: "Uhrzeit des Endes", Type: "time", Required: true, Hint: "zum Beispiel 16:00"},
	{Name: "ort", Label: "Ort und Anschrift", Optional: true, MaxLength: 500, Hint: "Für Veranstaltungen in Präsenz und hybride"},
	{Name: "land", Label: "Bundesland"},
	{Name: "online_link", Label: "Online-Link", Type: "url", Optional: true, MaxLength: 500, Hint: "Nur mit https://. Er erscheint nie auf öffentlichen Seiten, nur für bestätigte Teilnehmende."},
	{Name: "veranstalter", Label: "Veranstalter", Optional: true, MaxLength: 300},
	{Name: "einladung", Label: "Einladung", Optional: true, MaxLength: 300, Hint: "Zum Beispiel: auf Einladung des BMWi"},
	{Name: "kurzbeschreibung", Label: "Kurzbeschreibung", Optional: true, MaxLength: 1000, Hint: "Ein bis zwei Sätze für Listen und Suchergebnisse"},
	{Name: "beschreibung", Label: "Beschreibung", Optional: true, MaxLength: 20000, Hint: "Absätze durch Leerzeilen trennen"},
	{Name: "plaetze", Label: "Plätze", Optional: true, InputMode: "numeric", MaxLength: 7, Hint: "Ganze Zahl; leer lassen, wenn unbegrenzt"},
	{Name: "anmeldung_ab_datum", Label: "Anmeldung ab (Datum)", Type: "date", Optional: true},
	{Name: "anmeldung_ab_zeit", Label: "Anmeldung ab (Uhrzeit)", Type: "time", Optional: true},
	{Name: "anmeldung_bis_datum", Label: "Anmeldeschluss (Datum)", Type: "date", Optional: true, Hint: "Spätestens zum Ende der Veranstaltung"},
	{Name: "anmeldung_bis_zeit", Label: "Anmeldeschluss (Uhrzeit)", Type: "time", Optional: true},
	{Name: "teilnehmende", Label: "Zahl der Teilnehmenden", Optional: true, InputMode: "numeric", MaxLength: 7, Hint: "Sobald die Veranstaltung stattgefunden hat"},
	{Name: "beispieldaten", Label: "Hinweis auf Beispieldaten", Optional: true, MaxLength: 1000, Hint: "Welche Angaben erfunden sind, um Lücken zu füllen; erscheint auf der Seite"},
}

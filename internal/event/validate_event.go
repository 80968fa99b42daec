package event

import (
	"strings"
	"time"
)

// EventInput is the event form as typed; the form tags are the fields'
// names, which are also the keys of Errors.
type EventInput struct {
	Title            string   `form:"titel"`
	Slug             string   `form:"adresse"` // creating only
	Kind             string   `form:"art"`
	Format           string   `form:"format"`
	Topics           []string `form:"themen"`
	StartDate        string   `form:"beginn_datum"`
	StartClock       string   `form:"beginn_zeit"`
	EndDate          string   `form:"ende_datum"` // empty: the start date
	EndClock         string   `form:"ende_zeit"`
	Place            string   `form:"ort"`
	State            string   `form:"land"`
	OnlineURL        string   `form:"online_link"`
	Host             string   `form:"veranstalter"`
	Invitation       string   `form:"einladung"`
	Summary          string   `form:"kurzbeschreibung"`
	Description      string   `form:"beschreibung"`
	Capacity         string   `form:"plaetze"`
	RegOpensDate     string   `form:"anmeldung_ab_datum"`
	RegOpensAt       string   `form:"anmeldung_ab_zeit"`
	RegCloseDate     string   `form:"anmeldung_bis_datum"`
	RegCloseAt       string   `form:"anmeldung_bis_zeit"`
	ParticipantCount string   `form:"teilnehmende"`
	SampleNote       string   `form:"beispieldaten"`
}

// Facts are an event's validated facts.
type Facts struct {
	Title, Slug, Kind, Format                     string
	StartsAt, EndsAt                              time.Time
	Place, StateCode, OnlineURL, Host, Invitation string
	Summary, Description, SampleNote              string
	Capacity, ParticipantCount                    *int
	RegistrationOpensAt, RegistrationClosesAt     *time.Time
	Topics                                        []string
}

// Lists are the editor-maintained values an event chooses from: topic
// slugs and Bundesland codes.
type Lists struct {
	Topics, States map[string]bool
}

// ValidateEvent checks the event form. checkSlug is false when editing:
// the address of an event does not change once made.
func ValidateEvent(in EventInput, l Lists, checkSlug bool) (Facts, Errors) {
	e := Errors{}
	var f Facts
	f.Title = text(e, "titel", in.Title, "Der Titel", MaxTitle, false, "Bitte geben Sie einen Titel an.")
	if checkSlug {
		f.Slug = strings.TrimSpace(in.Slug)
		switch {
		case f.Slug == "":
			e.add("adresse", "Bitte geben Sie eine Adresse an, zum Beispiel industriedialog-2026.")
		case ReservedSlugs[f.Slug]:
			e.add("adresse", "Die Adresse „"+f.Slug+"“ ist für das Portal reserviert. Bitte wählen Sie eine andere.")
		case !ValidSlug(f.Slug):
			e.add("adresse", "Die Adresse darf nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche enthalten, höchstens 100 Zeichen.")
		}
	}
	if f.Kind = in.Kind; !Known(Kinds, f.Kind) {
		e.add("art", "Bitte wählen Sie die Art der Veranstaltung aus der Liste.")
	}
	if f.Format = in.Format; !Known(Formats, f.Format) {
		e.add("format", "Bitte wählen Sie das Format aus der Liste.")
	}
	start, okStart := moment(e, "beginn_datum", in.StartDate, "beginn_zeit", in.StartClock, "des Beginns")
	endDate := in.EndDate
	if strings.TrimSpace(endDate) == "" {
		endDate = in.StartDate
	}
	end, okEnd := moment(e, "ende_datum", endDate, "ende_zeit", in.EndClock, "des Endes")
	if okStart && okEnd && !end.After(start) {
		e.add("ende_datum", "Das Ende muss nach dem Beginn liegen.")
	}
	f.StartsAt, f.EndsAt = start, end
	f.Place = text(e, "ort", in.Place, "Der Ort", MaxPlace, true, "")
	if f.StateCode = in.State; f.StateCode != "" && !l.States[f.StateCode] {
		e.add("land", "Bitte wählen Sie das Bundesland aus der Liste.")
	}
	f.OnlineURL = onlineURL(e, "online_link", in.OnlineURL)
	f.Host = text(e, "veranstalter", in.Host, "Der Veranstalter", MaxHost, false, "")
	f.Invitation = text(e, "einladung", in.Invitation, "Die Einladung", MaxInvitation, false, "")
	f.Summary = text(e, "kurzbeschreibung", in.Summary, "Die Kurzbeschreibung", MaxSummary, true, "")
	f.Description = text(e, "beschreibung", in.Description, "Die Beschreibung", MaxDescription, true, "")
	f.SampleNote = text(e, "beispieldaten", in.SampleNote, "Der Hinweis auf Beispieldaten", MaxSampleNote, true, "")
	f.Capacity = count(e, "plaetze", in.Capacity, "Die Zahl der Plätze")
	f.ParticipantCount = count(e, "teilnehmende", in.ParticipantCount, "Die Zahl der Teilnehmenden")
	f.Topics = topics(e, "themen", in.Topics, l.Topics)
	f.RegistrationOpensAt, f.RegistrationClosesAt = registration(e, in, end, okEnd)
	return f, e
}

// registration reads the optional registration window: it closes after it
// opens and not after the event ends.
func registration(e Errors, in EventInput, eventEnd time.Time, endOK bool) (*time.Time, *time.Time) {
	read := func(dateField, date, clockField, clock, what string) (*time.Time, bool) {
		if strings.TrimSpace(date) == "" && strings.TrimSpace(clock) == "" {
			return nil, true
		}
		t, ok := moment(e, dateField, date, clockField, clock, what)
		if !ok {
			return nil, false
		}
		return &t, true
	}
	opens, okOpens := read("anmeldung_ab_datum", in.RegOpensDate, "anmeldung_ab_zeit", in.RegOpensAt, "des Anmeldebeginns")
	closes, okCloses := read("anmeldung_bis_datum", in.RegCloseDate, "anmeldung_bis_zeit", in.RegCloseAt, "des Anmeldeschlusses")
	if okOpens && okCloses && opens != nil && closes != nil && !closes.After(*opens) {
		e.add("anmeldung_bis_datum", "Der Anmeldeschluss muss nach dem Anmeldebeginn liegen.")
	}
	if okCloses && closes != nil && endOK && closes.After(eventEnd) {
		e.add("anmeldung_bis_datum", "Der Anmeldeschluss darf nicht nach dem Ende der Veranstaltung liegen.")
	}
	return opens, closes
}

// Status actions an editor takes on an event (the form's "aktion").
const (
	ActionPublish  = "veroeffentlichen"
	ActionComplete = "abschliessen"
	ActionCancel   = "absagen"
	// ActionUnpublish takes a published event back to draft ("Zurück in
	// den Entwurf"), as long as nobody has registered (checked by the caller).
	ActionUnpublish = "zurueckziehen"
)

// Actions lists what can be done with an event in status: publish a draft;
// complete, cancel or unpublish a published event. A completed or
// cancelled event stays public: its report and notice are its record.
func Actions(status string) []string {
	switch status {
	case StatusDraft:
		return []string{ActionPublish}
	case StatusPublished:
		return []string{ActionComplete, ActionCancel, ActionUnpublish}
	}
	return nil
}

// StatusInput is the status form as typed.
type StatusInput struct {
	Action           string // aktion
	ParticipantCount string // teilnahme (to complete)
	Notice           string // absage_hinweis (to cancel)
}

// StatusChange is a validated status change.
type StatusChange struct {
	Status           string
	ParticipantCount *int
	Notice           string
}

// ValidateStatus checks a status change of an event now in status.
func ValidateStatus(in StatusInput, status string) (StatusChange, Errors) {
	e := Errors{}
	allowed := false
	for _, a := range Actions(status) {
		allowed = allowed || a == in.Action
	}
	if !allowed {
		e.add("aktion", "Diese Änderung ist im Status „"+Label(Statuses, status)+"“ nicht möglich.")
		return StatusChange{}, e
	}
	var c StatusChange
	switch in.Action {
	case ActionPublish:
		c.Status = StatusPublished
	case ActionUnpublish:
		c.Status = StatusDraft
	case ActionComplete:
		c.Status = StatusCompleted
		if c.ParticipantCount = count(e, "teilnahme", in.ParticipantCount, "Die Zahl der Teilnehmenden"); c.ParticipantCount == nil {
			e.add("teilnahme", "Bitte geben Sie an, wie viele Personen teilgenommen haben.")
		}
	case ActionCancel:
		c.Status = StatusCancelled
		c.Notice = text(e, "absage_hinweis", in.Notice, "Der Hinweis zur Absage", MaxCancelNotice, true,
			"Bitte schreiben Sie einen Hinweis zur Absage; er bleibt auf der Seite der Veranstaltung stehen.")
	}
	return c, e
}

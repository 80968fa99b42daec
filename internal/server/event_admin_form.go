package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// The event form's pure parts: reading what was typed, filling the form
// from a stored event, and listing the differences for a conflict.

// eventFormFields are the event form's single-valued fields.
var eventFormFields = []string{"titel", "adresse", "art", "format", "beginn_datum", "beginn_zeit", "ende_datum", "ende_zeit",
	"ort", "land", "online_link", "veranstalter", "einladung", "kurzbeschreibung", "beschreibung", "plaetze",
	"anmeldung_ab_datum", "anmeldung_ab_zeit", "anmeldung_bis_datum", "anmeldung_bis_zeit", "teilnehmende", "beispieldaten"}

// eventFieldOrder is the page order of the fields, for the error summary.
var eventFieldOrder = []string{"titel", "adresse", "art", "format", "themen", "beginn_datum", "beginn_zeit", "ende_datum",
	"ende_zeit", "ort", "land", "online_link", "veranstalter", "einladung", "kurzbeschreibung", "beschreibung", "plaetze",
	"anmeldung_ab_datum", "anmeldung_ab_zeit", "anmeldung_bis_datum", "anmeldung_bis_zeit", "teilnehmende", "beispieldaten"}

// readEventForm reads the posted event form; topics travel joined by "\n".
func readEventForm(r *http.Request) (event.EventInput, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return event.EventInput{}, components.Form{}, err
	}
	pf := r.PostForm
	f := components.NewForm()
	for _, k := range append(eventFormFields, "version") {
		f.Values[k] = pf.Get(k)
	}
	f.Values["themen"] = strings.Join(pf["themen"], "\n")
	in := event.EventInput{Title: pf.Get("titel"), Slug: pf.Get("adresse"), Kind: pf.Get("art"), Format: pf.Get("format"),
		StartDate: pf.Get("beginn_datum"), StartClock: pf.Get("beginn_zeit"), EndDate: pf.Get("ende_datum"),
		EndClock: pf.Get("ende_zeit"), Place: pf.Get("ort"), State: pf.Get("land"), OnlineURL: pf.Get("online_link"),
		Host: pf.Get("veranstalter"), Invitation: pf.Get("einladung"), Summary: pf.Get("kurzbeschreibung"),
		Description: pf.Get("beschreibung"), Capacity: pf.Get("plaetze"), ParticipantCount: pf.Get("teilnehmende"),
		RegOpensDate: pf.Get("anmeldung_ab_datum"), RegOpensAt: pf.Get("anmeldung_ab_zeit"),
		RegCloseDate: pf.Get("anmeldung_bis_datum"), RegCloseAt: pf.Get("anmeldung_bis_zeit"), Topics: pf["themen"],
		SampleNote: pf.Get("beispieldaten")}
	return in, f, nil
}

// failAll records errors on the form in page order.
func failAll(f *components.Form, errs event.Errors, order []string) {
	for _, k := range order {
		if msg, bad := errs[k]; bad {
			f.Fail(k, msg)
		}
	}
	for k, msg := range errs { // anything not in the order still shows
		f.Fail(k, msg)
	}
}

// eventStoreFields converts validated facts for the store.
func eventStoreFields(x event.Facts) store.EventFields {
	return store.EventFields{Title: x.Title, Kind: x.Kind, Format: x.Format, StartsAt: x.StartsAt, EndsAt: x.EndsAt,
		Place: x.Place, StateCode: x.StateCode, OnlineURL: x.OnlineURL, Host: x.Host, Invitation: x.Invitation,
		Summary: x.Summary, Description: x.Description, Capacity: x.Capacity,
		RegistrationOpensAt: x.RegistrationOpensAt, RegistrationClosesAt: x.RegistrationClosesAt,
		ParticipantCount: x.ParticipantCount, Topics: x.Topics, SampleNote: x.SampleNote}
}

// eventForm fills the form from a stored event.
func eventForm(e *store.Event) components.Form {
	f := components.NewForm()
	for k, v := range map[string]string{"titel": e.Title, "adresse": e.Slug, "art": e.Kind, "format": e.Format,
		"beginn_datum": event.DateValue(e.StartsAt), "beginn_zeit": event.ClockValue(e.StartsAt),
		"ende_datum": event.DateValue(e.EndsAt), "ende_zeit": event.ClockValue(e.EndsAt), "ort": e.Place,
		"land": e.StateCode, "online_link": e.OnlineURL, "veranstalter": e.Host, "einladung": e.Invitation,
		"kurzbeschreibung": e.Summary, "beschreibung": e.Description, "plaetze": optInt(e.Capacity),
		"teilnehmende": optInt(e.ParticipantCount), "beispieldaten": e.SampleNote,
		"themen": strings.Join(e.Topics, "\n"), "version": strconv.Itoa(e.Version)} {
		f.Values[k] = v
	}
	if t := e.RegistrationOpensAt; t != nil {
		f.Values["anmeldung_ab_datum"], f.Values["anmeldung_ab_zeit"] = event.DateValue(*t), event.ClockValue(*t)
	}
	if t := e.RegistrationClosesAt; t != nil {
		f.Values["anmeldung_bis_datum"], f.Values["anmeldung_bis_zeit"] = event.DateValue(*t), event.ClockValue(*t)
	}
	return f
}

func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func optTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return formatTime(*t)
}

// chosenSet splits a form value joined by "\n" into a set.
func chosenSet(joined string) map[string]bool {
	m := map[string]bool{}
	for _, x := range strings.Split(joined, "\n") {
		m[x] = true
	}
	return m
}

// eventOptions lists a fixed vocabulary of internal/event for a select.
func eventOptions(opts []event.Option, selected string, blank string) []components.Option {
	var out []components.Option
	if blank != "" {
		out = append(out, components.Option{Value: "", Label: blank, Selected: selected == ""})
	}
	for _, o := range opts {
		out = append(out, components.Option{Value: o.Slug, Label: o.Label, Selected: o.Slug == selected})
	}
	return out
}

// eventChoices loads the topics and Länder: the lists to validate against
// and their names for display.
type eventChoices struct {
	lists  event.Lists
	topics []store.Term
	states []store.State
	names  map[string]string // topic slug or state code → name
}

func (s *Server) eventChoices(r *http.Request) (eventChoices, error) {
	v, err := s.store.AllVocabularies(r.Context())
	if err != nil {
		return eventChoices{}, err
	}
	states, err := s.store.States(r.Context())
	if err != nil {
		return eventChoices{}, err
	}
	c := eventChoices{lists: event.Lists{Topics: map[string]bool{}, States: map[string]bool{}}, topics: v.Topics,
		states: states, names: map[string]string{}}
	for _, t := range v.Topics {
		c.lists.Topics[t.Slug], c.names["t:"+t.Slug] = true, t.Name
	}
	for _, st := range states {
		c.lists.States[st.Code], c.names["s:"+st.Code] = true, st.Name
	}
	return c, nil
}

func (c eventChoices) topicOptions(joined string) []components.Option {
	chosen := chosenSet(joined)
	out := make([]components.Option, 0, len(c.topics))
	for _, t := range c.topics {
		out = append(out, components.Option{Value: t.Slug, Label: t.Name, Selected: chosen[t.Slug]})
	}
	return out
}

func (c eventChoices) stateOptions(selected string) []components.Option {
	out := []components.Option{{Value: "", Label: "– keines (digital) –", Selected: selected == ""}}
	for _, st := range c.states {
		out = append(out, components.Option{Value: st.Code, Label: st.Name, Selected: st.Code == selected})
	}
	return out
}

func (c eventChoices) topicNames(slugs []string) string {
	out := make([]string, 0, len(slugs))
	for _, s := range slugs {
		out = append(out, c.names["t:"+s])
	}
	return strings.Join(out, ", ")
}

// eventConflictRows shows the saved and the typed event's facts side by
// side, in display form.
func eventConflictRows(saved, yours store.EventFields, c eventChoices) []pages.ConflictField {
	show := func(e store.EventFields) []string {
		return []string{e.Title, event.Label(event.Kinds, e.Kind), event.Label(event.Formats, e.Format),
			formatTime(e.StartsAt), formatTime(e.EndsAt), e.Place, c.names["s:"+e.StateCode], e.OnlineURL, e.Host,
			e.Invitation, e.Summary, e.Description, optInt(e.Capacity), optTime(e.RegistrationOpensAt),
			optTime(e.RegistrationClosesAt), optInt(e.ParticipantCount), c.topicNames(e.Topics), e.SampleNote}
	}
	labels := []string{"Titel", "Art", "Format", "Beginn", "Ende", "Ort", "Bundesland", "Online-Link", "Veranstalter",
		"Einladung", "Kurzbeschreibung", "Beschreibung", "Plätze", "Anmeldung ab", "Anmeldeschluss",
		"Teilnehmende", "Themen", "Hinweis auf Beispieldaten"}
	return pairRows(labels, show(saved), show(yours))
}

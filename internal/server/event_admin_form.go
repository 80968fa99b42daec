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

// readEventForm reads the posted event form: the fields pages.EventFormFields
// declares, into the form shown again and the input the domain checks.
func readEventForm(r *http.Request) (event.EventInput, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return event.EventInput{}, components.Form{}, err
	}
	f := pages.EventFormFields.Read(r.PostForm)
	f.Values["version"] = r.PostForm.Get("version")
	var in event.EventInput
	components.Decode(f, &in)
	return in, f, nil
}

// failAll records errors on the form in page order.
func failAll(f *components.Form, errs map[string]string, order []string) {
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

// eventForm fills the form from a stored event, as if it had been typed.
func eventForm(e *store.Event) components.Form {
	in := event.EventInput{Title: e.Title, Slug: e.Slug, Kind: e.Kind, Format: e.Format, Topics: e.Topics,
		StartDate: event.DateValue(e.StartsAt), StartClock: event.ClockValue(e.StartsAt),
		EndDate: event.DateValue(e.EndsAt), EndClock: event.ClockValue(e.EndsAt), Place: e.Place, State: e.StateCode,
		OnlineURL: e.OnlineURL, Host: e.Host, Invitation: e.Invitation, Summary: e.Summary, Description: e.Description,
		Capacity: optInt(e.Capacity), ParticipantCount: optInt(e.ParticipantCount), SampleNote: e.SampleNote}
	if t := e.RegistrationOpensAt; t != nil {
		in.RegOpensDate, in.RegOpensAt = event.DateValue(*t), event.ClockValue(*t)
	}
	if t := e.RegistrationClosesAt; t != nil {
		in.RegCloseDate, in.RegCloseAt = event.DateValue(*t), event.ClockValue(*t)
	}
	f := components.Encode(in)
	f.Values["version"] = strconv.Itoa(e.Version)
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

// The event forms use the request's vocabularies (see loadVocabularies):
// the topics and Länder to validate against, offer and name.

// eventLists are the topics and Länder an event may name.
func (v vocabularies) eventLists() event.Lists {
	l := event.Lists{Topics: map[string]bool{}, States: map[string]bool{}}
	for _, t := range v.Topics {
		l.Topics[t.Slug] = true
	}
	for _, st := range v.States {
		l.States[st.Slug] = true
	}
	return l
}

func (v vocabularies) topicOptions(joined string) []components.Option {
	chosen := chosenSet(joined)
	out := make([]components.Option, 0, len(v.Topics))
	for _, t := range v.Topics {
		out = append(out, components.Option{Value: t.Slug, Label: t.Name, Selected: chosen[t.Slug]})
	}
	return out
}

func (v vocabularies) stateOptions(selected string) []components.Option {
	out := []components.Option{{Value: "", Label: "– keines (digital) –", Selected: selected == ""}}
	for _, st := range v.States {
		out = append(out, components.Option{Value: st.Slug, Label: st.Name, Selected: st.Slug == selected})
	}
	return out
}

// termName is the name of slug in terms, "" if none.
func termName(terms []store.Term, slug string) string {
	for _, t := range terms {
		if t.Slug == slug {
			return t.Name
		}
	}
	return ""
}

func (v vocabularies) topicNames(slugs []string) string {
	out := make([]string, 0, len(slugs))
	for _, s := range slugs {
		out = append(out, termName(v.Topics, s))
	}
	return strings.Join(out, ", ")
}

// eventConflictRows shows the saved and the typed event's facts side by
// side, in display form.
func eventConflictRows(saved, yours store.EventFields, c vocabularies) []pages.ConflictField {
	show := func(e store.EventFields) []string {
		return []string{e.Title, event.Label(event.Kinds, e.Kind), event.Label(event.Formats, e.Format),
			formatTime(e.StartsAt), formatTime(e.EndsAt), e.Place, termName(c.States, e.StateCode), e.OnlineURL, e.Host,
			e.Invitation, e.Summary, e.Description, optInt(e.Capacity), optTime(e.RegistrationOpensAt),
			optTime(e.RegistrationClosesAt), optInt(e.ParticipantCount), c.topicNames(e.Topics), e.SampleNote}
	}
	labels := []string{"Titel", "Art", "Format", "Beginn", "Ende", "Ort", "Bundesland", "Online-Link", "Veranstalter",
		"Einladung", "Kurzbeschreibung", "Beschreibung", "Plätze", "Anmeldung ab", "Anmeldeschluss",
		"Teilnehmende", "Themen", "Hinweis auf Beispieldaten"}
	return pairRows(labels, show(saved), show(yours))
}

package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"rii/internal/event"
	"rii/internal/input"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Field names of the registration form. honeypotField is hidden from people
// (CSS and aria-hidden); a bot that fills it is answered as if registered.
const (
	honeypotField = "webseite"
	workshopField = "workshop-"
	questionField = "frage-"
)

// registrationInput is the registration form as typed and checked.
type registrationInput struct {
	Form       components.Form
	Name       string
	Email      string
	Org        string
	Initiative string
	Workshops  []int64
	Answers    []store.Answer
	Honeypot   bool
}

// parseRegistration checks a posted form against the event's workshops
// (one per slot, required when the event has workshops) and questions.
func parseRegistration(v url.Values, slots [][]store.WorkshopPlaces, questions []store.Question) registrationInput {
	in := registrationInput{Form: pages.RegistrationFields.Read(v), Honeypot: strings.TrimSpace(v.Get(honeypotField)) != ""}
	f := &in.Form
	f.Values["einwilligung"] = v.Get("einwilligung")
	in.Name, in.Email, in.Org = checkPerson(f, v.Get("name"), v.Get("email"), v.Get("organisation"))
	var msg string
	if in.Initiative, msg = (input.Rule{Subject: "Der Name der Initiative", Max: 300}).Check(v.Get("initiative")); msg != "" {
		f.Fail("initiative", msg)
	}
	for i, slot := range slots {
		name := workshopField + strconv.Itoa(i+1)
		f.Values[name] = v.Get(name)
		id, err := strconv.ParseInt(v.Get(name), 10, 64)
		if err != nil || !containsWorkshop(slot, id) {
			f.Fail(name, "Bitte wählen Sie einen Workshop für "+slotLabel(slot)+".")
			continue
		}
		in.Workshops = append(in.Workshops, id)
	}
	in.Answers = readAnswers(f, v, questions)
	if v.Get("einwilligung") != "ja" {
		f.Fail("einwilligung", "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, um sich anzumelden.")
	}
	return in
}

// checkAnswer returns the answer to store, or a German message.
func checkAnswer(q store.Question, a string) (string, string) {
	switch {
	case a == "" && q.Required:
		return "", "Bitte beantworten Sie die Frage „" + q.Label + "“."
	case a == "":
		return "", ""
	case !utf8.ValidString(a) || utf8.RuneCountInString(a) > 1000:
		return "", "Bitte antworten Sie auf „" + q.Label + "“ mit höchstens 1.000 Zeichen."
	case q.Kind == registration.QuestionYesNo && a != registration.Yes && a != registration.No:
		return "", "Bitte wählen Sie bei „" + q.Label + "“ Ja oder Nein."
	case q.Kind == registration.QuestionChoice && !slices.Contains(q.Options, a):
		return "", "Bitte wählen Sie bei „" + q.Label + "“ eine der Antworten."
	}
	return a, ""
}

// parallelSlots groups workshops by their start: parallel ones share a slot.
func parallelSlots(ws []store.WorkshopPlaces) [][]store.WorkshopPlaces {
	var slots [][]store.WorkshopPlaces
	for _, w := range ws {
		if n := len(slots); n > 0 && slots[n-1][0].StartsAt.Equal(w.StartsAt) {
			slots[n-1] = append(slots[n-1], w)
			continue
		}
		slots = append(slots, []store.WorkshopPlaces{w})
	}
	return slots
}

// slotLabel names a slot by its time: "die Workshops 14:00–15:30 Uhr".
func slotLabel(slot []store.WorkshopPlaces) string {
	return "die Workshops " + slot[0].StartsAt.In(event.Berlin).Format("15:04") + "–" + slot[0].EndsAt.In(event.Berlin).Format("15:04") + " Uhr"
}

// placesText is "noch 12 Plätze frei", "ausgebucht – Warteliste", or "" when unlimited.
func placesText(left *int) string {
	switch {
	case left == nil:
		return ""
	case *left == 0:
		return "ausgebucht – Anmeldung auf die Warteliste"
	case *left == 1:
		return "noch 1 Platz frei"
	}
	return "noch " + thousands(*left) + " Plätze frei"
}

// registrationFormView builds the form on the event page.
func registrationFormView(slug string, f components.Form, settings store.RegistrationSettings, slots [][]store.WorkshopPlaces,
	questions []store.Question, now time.Time) *pages.RegistrationForm {
	v := &pages.RegistrationForm{Action: paths.Event(slug, "anmeldung"), Form: f, Open: settings.OpenAt(now),
		Places: placesText(settings.PlacesLeft()), Hold: strconv.Itoa(settings.HoldHours)}
	for i, slot := range slots {
		s := pages.WorkshopChoice{Name: workshopField + strconv.Itoa(i+1), Legend: "Workshop " + slotLabel(slot)[len("die Workshops "):]}
		for _, w := range slot {
			label := w.Title
			if p := placesText(w.PlacesLeft()); p != "" {
				label += " (" + p + ")"
			}
			s.Options = append(s.Options, components.Option{Value: strconv.FormatInt(w.ID, 10), Label: label,
				Selected: f.Value(s.Name) == strconv.FormatInt(w.ID, 10)})
		}
		v.Slots = append(v.Slots, s)
	}
	for _, q := range questions {
		v.Questions = append(v.Questions, pages.RegistrationQuestion{Name: questionField + strconv.FormatInt(q.ID, 10),
			Label: q.Label, Kind: q.Kind, Options: q.Options, Required: q.Required})
	}
	return v
}

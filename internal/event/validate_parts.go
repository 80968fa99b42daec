package event

import (
	"strconv"
	"strings"
	"time"
)

// ItemInput is the programme item form as typed.
type ItemInput struct {
	Date        string `form:"datum"` // empty: the event's first day
	StartClock  string `form:"beginn_zeit"`
	EndClock    string `form:"ende_zeit"` // optional
	Title       string `form:"titel"`
	Kind        string `form:"art"`
	Description string `form:"beschreibung"`
}

// ItemFacts are a programme item's validated facts.
type ItemFacts struct {
	StartsAt    time.Time
	EndsAt      *time.Time
	Title, Kind string
	Description string
}

// ValidateItem checks a programme item of the event that runs from
// eventStart to eventEnd: it must take place on one of the event's days.
func ValidateItem(in ItemInput, eventStart, eventEnd time.Time) (ItemFacts, Errors) {
	e := Errors{}
	var f ItemFacts
	date := in.Date
	if strings.TrimSpace(date) == "" {
		date = DateValue(eventStart)
	}
	start, ok := moment(e, "datum", date, "beginn_zeit", in.StartClock, "des Programmpunkts")
	if ok {
		f.StartsAt = start
		if day := DateValue(start); day < DateValue(eventStart) || day > DateValue(eventEnd) {
			e.add("datum", "Der Programmpunkt muss an einem Tag der Veranstaltung liegen ("+days(eventStart, eventEnd)+").")
		}
		if strings.TrimSpace(in.EndClock) != "" {
			end, okEnd := moment(e, "datum", date, "ende_zeit", in.EndClock, "des Endes")
			if okEnd && !end.After(start) {
				e.add("ende_zeit", "Das Ende muss nach dem Beginn liegen.")
			}
			if okEnd {
				f.EndsAt = &end
			}
		}
	}
	f.Title = text(e, "titel", in.Title, "Der Titel", MaxTitle, false, "Bitte geben Sie einen Titel an.")
	if f.Kind = in.Kind; !Known(ItemKinds, f.Kind) {
		e.add("art", "Bitte wählen Sie die Art des Programmpunkts aus der Liste.")
	}
	f.Description = text(e, "beschreibung", in.Description, "Die Beschreibung", MaxItemDescription, true, "")
	return f, e
}

// days names an event's days: "10.12.2026" or "10.12.2026 bis 11.12.2026".
func days(start, end time.Time) string {
	s, e := start.In(Berlin).Format("02.01.2006"), end.In(Berlin).Format("02.01.2006")
	if s == e {
		return s
	}
	return s + " bis " + e
}

// WorkshopInput is the workshop form as typed.
type WorkshopInput struct {
	Title            string   `form:"titel"`
	Description      string   `form:"beschreibung"`
	Date             string   `form:"datum"` // empty: the event's first day
	StartClock       string   `form:"beginn_zeit"`
	EndClock         string   `form:"ende_zeit"`
	Capacity         string   `form:"plaetze"`
	Place            string   `form:"ort"`
	OnlineURL        string   `form:"online_link"`
	Results          string   `form:"ergebnisse"` // Markdown
	ParticipantCount string   `form:"teilnehmende"`
	Sample           bool     // the box "beispieldaten" ticked ("ja")
	Topics           []string `form:"themen"`
}

// WorkshopFacts are a workshop's validated facts.
type WorkshopFacts struct {
	Title, Description, Place, OnlineURL, Results string
	StartsAt, EndsAt                              time.Time
	Capacity, ParticipantCount                    *int
	Sample                                        bool
	Topics                                        []string
}

// ValidateWorkshop checks a workshop of the event that runs from
// eventStart to eventEnd: the workshop must lie within that time.
func ValidateWorkshop(in WorkshopInput, eventStart, eventEnd time.Time, topicList map[string]bool) (WorkshopFacts, Errors) {
	e := Errors{}
	f := WorkshopFacts{Sample: in.Sample}
	f.Title = text(e, "titel", in.Title, "Der Titel", MaxTitle, false, "Bitte geben Sie einen Titel an.")
	f.Description = text(e, "beschreibung", in.Description, "Die Beschreibung", MaxWorkshopDescription, true, "")
	date := in.Date
	if strings.TrimSpace(date) == "" {
		date = DateValue(eventStart)
	}
	start, okStart := moment(e, "datum", date, "beginn_zeit", in.StartClock, "des Beginns")
	end, okEnd := moment(e, "datum", date, "ende_zeit", in.EndClock, "des Endes")
	f.StartsAt, f.EndsAt = start, end
	switch {
	case okStart && okEnd && !end.After(start):
		e.add("ende_zeit", "Das Ende muss nach dem Beginn liegen.")
	case okStart && (start.Before(eventStart) || !start.Before(eventEnd)):
		e.add("beginn_zeit", "Der Workshop muss innerhalb der Veranstaltung liegen: "+FormatRange(eventStart, eventEnd)+".")
	case okEnd && end.After(eventEnd):
		e.add("ende_zeit", "Der Workshop muss innerhalb der Veranstaltung liegen: "+FormatRange(eventStart, eventEnd)+".")
	}
	f.Capacity = count(e, "plaetze", in.Capacity, "Die Zahl der Plätze")
	f.ParticipantCount = count(e, "teilnehmende", in.ParticipantCount, "Die Zahl der Teilnehmenden")
	f.Place = text(e, "ort", in.Place, "Der Ort", MaxPlace, true, "")
	f.OnlineURL = onlineURL(e, "online_link", in.OnlineURL)
	f.Results = text(e, "ergebnisse", in.Results, "Die Ergebnisse", MaxResults, true, "")
	f.Topics = topics(e, "themen", in.Topics, topicList)
	return f, e
}

// Person is a contact on stage or moderating, with their function.
type Person struct {
	ContactID int64
	Function  string
}

// ValidatePeople reads the rows of people (a contact id as the select
// sends it, and a function): rows without a person are skipped, unless a
// function was typed; each person once; only contacts in known. Errors go
// to field.
func ValidatePeople(field string, ids, functions []string, known map[int64]bool) ([]Person, Errors) {
	e := Errors{}
	out := []Person{}
	seen := map[int64]bool{}
	for i, raw := range ids {
		fn := ""
		if i < len(functions) {
			fn = text(e, field, functions[i], "Die Funktion in Zeile "+strconv.Itoa(i+1), MaxFunction, false, "")
		}
		raw = strings.TrimSpace(raw)
		if raw == "" {
			if fn != "" {
				e.add(field, "In Zeile "+strconv.Itoa(i+1)+" steht eine Funktion, aber keine Person. Bitte wählen Sie die Person.")
			}
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		switch {
		case err != nil || !known[id]:
			e.add(field, "Bitte wählen Sie die Personen aus der Liste.")
		case seen[id]:
			e.add(field, "Jede Person kann nur einmal eingetragen werden (Zeile "+strconv.Itoa(i+1)+").")
		default:
			seen[id] = true
			out = append(out, Person{ContactID: id, Function: fn})
		}
	}
	return out, e
}

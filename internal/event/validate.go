package event

import (
	"net/url"
	"regexp"
	"rii/internal/input"
	"strconv"
	"strings"
	"time"
)

// Length limits, matching the CHECKs of migrations/00008_events.sql.
const (
	MaxTitle               = 300
	MaxSlug                = 100
	MaxPlace               = 500
	MaxURL                 = 500
	MaxHost                = 300
	MaxInvitation          = 300
	MaxSummary             = 1000
	MaxDescription         = 20000
	MaxSampleNote          = 1000
	MaxCancelNotice        = 2000
	MaxItemDescription     = 5000
	MaxFunction            = 300
	MaxWorkshopDescription = 10000
	MaxResults             = 20000
	// MaxCount bounds capacities and participant counts (the column is an int).
	MaxCount = 1000000
)

// Errors maps a form field to its German message.
type Errors map[string]string

func (e Errors) add(field, msg string) {
	if _, ok := e[field]; !ok {
		e[field] = msg
	}
}

// ReservedSlugs are path segments under /veranstaltungen that are not events.
var ReservedSlugs = map[string]bool{"kalender.ics": true, "neu": true, "kalender-ics": true}

var slugRule = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// urlRule is the database's CHECK on online_url.
var urlRule = regexp.MustCompile(`^https://[^\s/$.?#].[^\s]*$`)

// ValidSlug reports whether s can address an event.
func ValidSlug(s string) bool {
	return len(s) <= MaxSlug && slugRule.MatchString(s) && !ReservedSlugs[s]
}

// text checks a typed text: valid UTF-8, no control characters (line
// breaks only where lines are allowed), at most max characters, and present
// if required is a message. It returns the trimmed text.
func text(e Errors, field, raw, subject string, max int, lines bool, required string) string {
	s, msg := input.Rule{Subject: subject, Max: max, Lines: lines, Required: required}.Check(raw)
	if msg != "" {
		e.add(field, msg)
	}
	return s
}

// count reads an optional whole number ≥ 0; what is counted names it in
// the messages ("Die Zahl der Plätze").
func count(e Errors, field, raw, what string) *int {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil && strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0123456789") == "":
		e.add(field, what+" darf nicht negativ sein.")
	case err != nil:
		e.add(field, what+" muss eine ganze Zahl sein, zum Beispiel 120.")
	case n < 0:
		e.add(field, what+" darf nicht negativ sein.")
	case n > MaxCount:
		e.add(field, what+" darf höchstens 1.000.000 sein.")
	default:
		return &n
	}
	return nil
}

// onlineURL checks an optional https link.
func onlineURL(e Errors, field, raw string) string {
	s := text(e, field, raw, "Der Online-Link", MaxURL, false, "")
	if s != "" && e[field] == "" && (!urlRule.MatchString(s) || strings.ContainsAny(s, " \t") || !hasHost(s)) {
		e.add(field, "Der Online-Link muss eine vollständige Adresse mit https:// sein, zum Beispiel https://konferenz.beispiel.de/raum.")
	}
	return s
}

// moment reads a date and a time of day in Berlin; the messages go to the
// date or the time field, whichever is wrong. ok is false if either is.
func moment(e Errors, dateField, date, clockField, clock, what string) (time.Time, bool) {
	if strings.TrimSpace(date) == "" {
		e.add(dateField, "Bitte geben Sie das Datum "+what+" an.")
		return time.Time{}, false
	}
	if strings.TrimSpace(clock) == "" {
		e.add(clockField, "Bitte geben Sie die Uhrzeit "+what+" an.")
		return time.Time{}, false
	}
	t, err := ParseLocal(date, clock)
	switch {
	case err == ErrBadDate:
		e.add(dateField, "Bitte geben Sie das Datum "+what+" als Tag.Monat.Jahr an, zum Beispiel 16.03.2021.")
	case err != nil && validClock(clock):
		e.add(clockField, "Die Uhrzeit "+what+" gibt es an diesem Tag nicht (Umstellung auf Sommerzeit). Bitte wählen Sie eine andere.")
	case err != nil:
		e.add(clockField, "Bitte geben Sie die Uhrzeit "+what+" als Stunden:Minuten an, zum Beispiel 09:30.")
	}
	return t, err == nil
}

func hasHost(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Host != ""
}

func validClock(clock string) bool {
	_, err := time.Parse("15:04", strings.Replace(strings.TrimSpace(clock), ".", ":", 1))
	return err == nil
}

// topics keeps the chosen topics that are in the list, without repeats.
func topics(e Errors, field string, chosen []string, known map[string]bool) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range chosen {
		if !known[t] {
			e.add(field, "Bitte wählen Sie nur Themen aus der Liste.")
			continue
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// FormatRange shows a time span in Berlin: "10.12.2026, 09:30 bis 16:00 Uhr",
// with the second date only when it ends on another day.
func FormatRange(start, end time.Time) string {
	s, e := start.In(Berlin), end.In(Berlin)
	if s.Format("2006-01-02") == e.Format("2006-01-02") {
		return s.Format("02.01.2006, 15:04") + " bis " + e.Format("15:04") + " Uhr"
	}
	return s.Format("02.01.2006, 15:04") + " Uhr bis " + e.Format("02.01.2006, 15:04") + " Uhr"
}

// Span is something with a name that takes place in a time span: a
// workshop, when an event's times change.
type Span struct {
	Title            string
	StartsAt, EndsAt time.Time
}

// Outside returns the first span that does not lie within start–end.
func Outside(start, end time.Time, spans []Span) (Span, bool) {
	for _, s := range spans {
		if s.StartsAt.Before(start) || s.EndsAt.After(end) {
			return s, true
		}
	}
	return Span{}, false
}

// OutsideMessage says why new event times are refused: the workshop
// would fall outside them.
func OutsideMessage(s Span) string {
	return "Der Workshop „" + s.Title + "“ (" + FormatRange(s.StartsAt, s.EndsAt) +
		") läge außerhalb der neuen Zeiten. Bitte ändern Sie zuerst den Workshop oder wählen Sie andere Zeiten."
}

// Package event is the vocabulary of dialogue events: kinds, formats,
// statuses, programme item kinds, the portal's time zone and the parsing of
// local dates and times as people type them.
package event

import (
	"errors"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin without depending on the host's zoneinfo
)

// Berlin is the time zone of every event: times are entered and shown in
// Europe/Berlin and stored as instants.
var Berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // embedded tzdata: cannot happen
	}
	return loc
}()

// Option is a value of a fixed list with its German label.
type Option struct{ Slug, Label string }

// Kinds of events, in display order (the database CHECK lists the same).
var Kinds = []Option{
	{"auftakt", "Auftaktveranstaltung"},
	{"industriedialog", "Industriedialog"},
	{"regionalkonferenz", "Regionalkonferenz"},
	{"workshopreihe", "Workshopreihe"},
	{"fachveranstaltung", "Fachveranstaltung"},
	{"netzwerktreffen", "Netzwerktreffen"},
	{"sonstige", "Sonstige Veranstaltung"},
}

// Formats of events.
var Formats = []Option{
	{FormatDigital, "Digital"},
	{FormatInPerson, "In Präsenz"},
	{FormatHybrid, "Hybrid"},
}

// Format slugs.
const (
	FormatDigital  = "digital"
	FormatInPerson = "praesenz"
	FormatHybrid   = "hybrid"
)

// Statuses of an event: draft → published → completed, or cancelled.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusCompleted = "completed"
	StatusCancelled = "cancelled"
)

// Statuses in display order.
var Statuses = []Option{
	{StatusDraft, "Entwurf"},
	{StatusPublished, "veröffentlicht"},
	{StatusCompleted, "abgeschlossen"},
	{StatusCancelled, "abgesagt"},
}

// Public reports whether an event in this status shows on public pages.
func Public(status string) bool { return status != StatusDraft }

// ItemKinds are the kinds of programme items.
var ItemKinds = []Option{
	{"welcome", "Begrüßung und Einführung"},
	{"keynote", "Impulsvortrag"},
	{"interview", "Interview"},
	{"panel", "Podiumsdiskussion"},
	{"presentation", "Vorstellung von Initiativen"},
	{"workshops", "Parallele Workshops"},
	{"break", "Pause"},
	{"other", "Sonstiges"},
}

// Report statuses.
const (
	ReportDraft     = "draft"
	ReportPublished = "published"
)

// Label is the German label of slug in opts, or slug itself when unknown.
func Label(opts []Option, slug string) string {
	for _, o := range opts {
		if o.Slug == slug {
			return o.Label
		}
	}
	return slug
}

// Known reports whether slug is in opts.
func Known(opts []Option, slug string) bool {
	for _, o := range opts {
		if o.Slug == slug {
			return true
		}
	}
	return false
}

// ErrBadDate and ErrBadClock say which part of a local time did not parse.
var (
	ErrBadDate  = errors.New("event: bad date")
	ErrBadClock = errors.New("event: bad time")
)

// ParseLocal reads a date ("2021-03-16" as a date input sends it, or
// "16.03.2021" as people type it) and a time of day ("09:30", "9.30") in
// Europe/Berlin. A time that does not exist because the clocks go forward
// (02:30 on the last Sunday in March) is refused rather than moved.
func ParseLocal(date, clock string) (time.Time, error) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	var d time.Time
	var err error
	if strings.Contains(date, ".") {
		d, err = time.Parse("2.1.2006", date)
	} else {
		d, err = time.Parse("2006-01-02", date)
	}
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return time.Time{}, ErrBadDate
	}
	c, err := time.Parse("15:04", strings.Replace(clock, ".", ":", 1))
	if err != nil {
		return time.Time{}, ErrBadClock
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, Berlin)
	if t.Hour() != c.Hour() || t.Minute() != c.Minute() {
		return time.Time{}, ErrBadClock
	}
	return t, nil
}

// DateValue and ClockValue format an instant for date and time inputs.
func DateValue(t time.Time) string { return t.In(Berlin).Format("2006-01-02") }

// ClockValue formats the time of day of an instant in Berlin, "09:30".
func ClockValue(t time.Time) string { return t.In(Berlin).Format("15:04") }

package server

import (
	"bytes"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"rii/internal/event"
	"rii/internal/store"
	"rii/internal/webtest"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// parseICS checks the response headers and parses the body with go-ical's
// decoder; every line ends in CRLF and holds at most 75 octets.
func parseICS(t *testing.T, res *webtest.Response) *ical.Calendar {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `inline; filename="`) || !strings.HasSuffix(cd, `.ics"`) {
		t.Errorf("content disposition %q", cd)
	}
	if !bytes.HasSuffix(res.Body, []byte("\r\n")) {
		t.Error("the file does not end in CRLF")
	}
	for _, line := range bytes.Split(bytes.TrimSuffix(res.Body, []byte("\r\n")), []byte("\r\n")) {
		if len(line) > 75 || bytes.ContainsAny(line, "\r\n") {
			t.Errorf("bad content line (%d octets): %q", len(line), line)
		}
	}
	cal, err := ical.NewDecoder(bytes.NewReader(res.Body)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, res.Body)
	}
	return cal
}

// vtimezone returns the calendar's one VTIMEZONE and checks its shape.
func vtimezone(t *testing.T, cal *ical.Calendar) *ical.Component {
	t.Helper()
	var tz *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			if tz != nil {
				t.Fatal("two VTIMEZONEs")
			}
			tz = c
		}
	}
	if tz == nil {
		t.Fatal("no VTIMEZONE")
	}
	if id, _ := tz.Props.Text(ical.PropTimezoneID); id != "Europe/Berlin" {
		t.Fatalf("TZID %q", id)
	}
	return tz
}

// resolveLocal turns a local date-time of the VTIMEZONE into an instant
// using only the VTIMEZONE: the STANDARD or DAYLIGHT part whose latest
// onset (expanded from its DTSTART and RRULE) lies before the local time
// gives the offset. Go's own zone database plays no part.
func resolveLocal(t *testing.T, tz *ical.Component, prop *ical.Prop) (time.Time, time.Duration) {
	t.Helper()
	if prop.Params.Get(ical.PropTimezoneID) != "Europe/Berlin" {
		t.Fatalf("%s has TZID %q", prop.Name, prop.Params.Get(ical.PropTimezoneID))
	}
	wall, err := time.Parse("20060102T150405", prop.Value) // floating, read as UTC
	if err != nil {
		t.Fatalf("%s: %v", prop.Name, err)
	}
	var best time.Time
	var offset time.Duration
	for _, part := range tz.Children {
		set, err := part.RecurrenceSet(time.UTC)
		if err != nil || set == nil {
			t.Fatalf("%s: recurrence %v", part.Name, err)
		}
		onset := set.Before(wall, true)
		if onset.IsZero() || !onset.After(best) {
			continue
		}
		to := part.Props.Get(ical.PropTimezoneOffsetTo).Value
		d, err := time.Parse("-0700", to)
		if err != nil {
			t.Fatalf("TZOFFSETTO %q", to)
		}
		_, off := d.Zone()
		best, offset = onset, time.Duration(off)*time.Second
	}
	if best.IsZero() {
		t.Fatalf("no VTIMEZONE part covers %s", prop.Value)
	}
	return wall.Add(-offset), offset
}

// eventsByUID maps the VEVENTs by UID.
func eventsByUID(cal *ical.Calendar) map[string]ical.Event {
	out := map[string]ical.Event{}
	for _, e := range cal.Events() {
		uid, _ := e.Props.Text(ical.PropUID)
		out[uid] = e
	}
	return out
}

// TestCalendarFeed parses /veranstaltungen/kalender.ics: the calendar's
// properties, the VTIMEZONE, every event's instants resolved through it
// (one event crosses the change from CEST to CET), stable UIDs across
// requests and edits, no drafts, the topic filter and a cancellation.
func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	dst := w.seedEvent("zeitumstellung", event.StatusPublished, store.EventFields{Title: "Über die Zeitumstellung",
		StartsAt: berlinAt(t, "2026-10-24", "10:00"), EndsAt: berlinAt(t, "2026-10-25", "16:00"), Place: "Kassel",
		Topics: []string{"fachkraefte"}, Summary: "Zwei Tage; Kommas, Semikolons\nund Zeilen."})
	w.seedEvent("abgesagt", event.StatusCancelled, store.EventFields{Title: "Abgesagt", StartsAt: berlinAt(t, "2026-12-01", "10:00"),
		Format: event.FormatDigital})
	w.seedEvent("entwurf", event.StatusDraft, store.EventFields{Title: "Geheimer Entwurf", StartsAt: berlinAt(t, "2026-12-02", "10:00")})
	c := w.client()

	res := c.Get("/veranstaltungen/kalender.ics").WantStatus(http.StatusOK)
	cal := parseICS(t, res)
	for prop, want := range map[string]string{ical.PropVersion: "2.0", ical.PropCalendarScale: "GREGORIAN",
		ical.PropProductID: "-//RII-Portal//Veranstaltungen//DE", "X-WR-CALNAME": "RII-Portal – Veranstaltungen"} {
		if got, _ := cal.Props.Text(prop); got != want {
			t.Errorf("%s = %q, want %q", prop, got, want)
		}
	}
	tz := vtimezone(t, cal)
	byUID := eventsByUID(cal)
	if len(byUID) != 3 {
		t.Fatalf("%d events, want 3 (no draft): %v", len(byUID), slices.Collect(mapKeys(byUID)))
	}
	for uid, e := range byUID {
		slug := strings.TrimPrefix(e.Props.Get(ical.PropURL).Value, w.srv.link("/veranstaltungen/"))
		stored, err := w.st.EventBySlug(t.Context(), slug)
		if err != nil {
			t.Fatalf("%s: URL %q", uid, e.Props.Get(ical.PropURL).Value)
		}
		if uid != "event-"+itoa(stored.ID)+"@localhost" {
			t.Errorf("UID %q for event %d", uid, stored.ID)
		}
		start, _ := resolveLocal(t, tz, e.Props.Get(ical.PropDateTimeStart))
		end, _ := resolveLocal(t, tz, e.Props.Get(ical.PropDateTimeEnd))
		if !start.Equal(stored.StartsAt) || !end.Equal(stored.EndsAt) {
			t.Errorf("%s: %s–%s through the VTIMEZONE, stored %s–%s", slug, start, end, stored.StartsAt, stored.EndsAt)
		}
		if viaTZID, err := e.DateTimeStart(nil); err != nil || !viaTZID.Equal(stored.StartsAt) {
			t.Errorf("%s: DTSTART by TZID %s (%v)", slug, viaTZID, err)
		}
		if seq, _ := e.Props.Get(ical.PropSequence).Int(); seq != stored.Version {
			t.Errorf("%s: SEQUENCE %d, version %d", slug, seq, stored.Version)
		}
	}

	e := byUID["event-"+itoa(dst)+"@localhost"]
	start, startOff := resolveLocal(t, tz, e.Props.Get(ical.PropDateTimeStart))
	end, endOff := resolveLocal(t, tz, e.Props.Get(ical.PropDateTimeEnd))
	if !start.Equal(time.Date(2026, 10, 24, 8, 0, 0, 0, time.UTC)) || startOff != 2*time.Hour {
		t.Errorf("DST start %s (offset %s), want 08:00 UTC at +02:00", start, startOff)
	}
	if !end.Equal(time.Date(2026, 10, 25, 15, 0, 0, 0, time.UTC)) || endOff != time.Hour {
		t.Errorf("DST end %s (offset %s), want 15:00 UTC at +01:00", end, endOff)
	}
	if got, _ := e.Props.Text(ical.PropDescription); got != "Zwei Tage; Kommas, Semikolons\nund Zeilen." {
		t.Errorf("DESCRIPTION %q", got)
	}
	if cats, _ := e.Props.Get(ical.PropCategories).TextList(); !slices.Equal(cats, []string{"Fachkräfte & Nachwuchs"}) && len(cats) != 1 {
		t.Errorf("CATEGORIES %q", cats)
	}
	if st, _ := e.Status(); st != ical.EventConfirmed {
		t.Errorf("STATUS %q", st)
	}
	for _, ev := range byUID {
		if sum, _ := ev.Props.Text(ical.PropSummary); sum == "Abgesagt" {
			if st, _ := ev.Status(); st != ical.EventCancelled {
				t.Errorf("cancelled event STATUS %q", st)
			}
			if loc, _ := ev.Props.Text(ical.PropLocation); loc != "Online" {
				t.Errorf("digital LOCATION %q", loc)
			}
		}
	}
	if strings.Contains(string(res.Body), "konferenz.beispiel.example") {
		t.Error("the online link is in the feed")
	}

	// The same UIDs again, and after an edit (with a higher SEQUENCE).
	before, _ := w.st.Event(t.Context(), dst)
	f := before.EventFields
	f.Title = "Über die Zeitumstellung (neu)"
	if _, err := w.st.UpdateEvent(t.Context(), dst, before.Version, f, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	again := eventsByUID(parseICS(t, c.Get("/veranstaltungen/kalender.ics").WantStatus(http.StatusOK)))
	if !slices.Equal(sortedKeys(again), sortedKeys(byUID)) {
		t.Errorf("UIDs changed: %v → %v", sortedKeys(byUID), sortedKeys(again))
	}
	edited := again["event-"+itoa(dst)+"@localhost"]
	if sum, _ := edited.Props.Text(ical.PropSummary); sum != f.Title {
		t.Errorf("edited SUMMARY %q", sum)
	}
	if seq, _ := edited.Props.Get(ical.PropSequence).Int(); seq != before.Version+1 {
		t.Errorf("SEQUENCE after edit %d", seq)
	}

	// The topic filter, and one event's own file with the same UID.
	only := eventsByUID(parseICS(t, c.Get("/veranstaltungen/kalender.ics?thema=fachkraefte").WantStatus(http.StatusOK)))
	if keys := sortedKeys(only); len(keys) != 1 || keys[0] != "event-"+itoa(dst)+"@localhost" {
		t.Errorf("thema=fachkraefte: %v", keys)
	}
	one := eventsByUID(parseICS(t, c.Get("/veranstaltungen/zeitumstellung/kalender.ics").WantStatus(http.StatusOK)))
	if keys := sortedKeys(one); len(keys) != 1 || keys[0] != "event-"+itoa(dst)+"@localhost" {
		t.Errorf("single event file: %v", keys)
	}
	// A filter that matches nothing still gives a valid calendar.
	none := parseICS(t, c.Get("/veranstaltungen/kalender.ics?jahr=2030").WantStatus(http.StatusOK))
	if len(none.Events()) != 0 {
		t.Errorf("jahr=2030: %d events", len(none.Events()))
	}
}

func mapKeys(m map[string]ical.Event) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func sortedKeys(m map[string]ical.Event) []string {
	keys := slices.Collect(mapKeys(m))
	slices.Sort(keys)
	return keys
}

// TestCalendarGolden compares the fixture event's calendar file with
// testdata/testdialog.ics (go test -run TestCalendarGolden -update rewrites it).
func TestCalendarGolden(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	res := w.client().Get("/veranstaltungen/testdialog/kalender.ics").WantStatus(http.StatusOK)
	parseICS(t, res)
	golden := filepath.Join("testdata", "testdialog.ics")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, res.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Body, want) {
		t.Errorf("calendar differs from %s:\n%s", golden, res.Body)
	}
}

func TestFoldICS(t *testing.T) {
	t.Parallel()
	long := "DESCRIPTION:" + strings.Repeat("ä", 60) + "\r\n"
	out := foldICS([]byte("BEGIN:VCALENDAR\r\n" + long))
	lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
	if len(lines) != 3 || len(lines[1]) > 75 || !strings.HasPrefix(lines[2], " ") {
		t.Fatalf("folded %q", lines)
	}
	if unfolded := strings.ReplaceAll(string(out), "\r\n ", ""); unfolded != "BEGIN:VCALENDAR\r\n"+long {
		t.Errorf("unfolded %q", unfolded)
	}
	for _, l := range lines {
		if !strings.ContainsRune(l, 'ä') && !strings.HasPrefix(l, "BEGIN") && !strings.HasPrefix(l, "DESC") {
			t.Errorf("split inside a character: %q", l)
		}
	}
}

// TestCalendarFeedKeepsAYearOfThePast checks that the feed of all events
// leaves out events that ended more than a year ago (a subscribed calendar
// need not carry the whole archive), while a year asked for comes whole.
func TestCalendarFeedKeepsAYearOfThePast(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	ctx := t.Context()
	old, err := w.st.CreateEvent(ctx, "alter-dialog", event.StatusPublished, store.EventFields{Title: "Alter Dialog",
		Kind: "industriedialog", Format: event.FormatDigital, StartsAt: time.Date(2024, 5, 7, 8, 0, 0, 0, time.UTC),
		EndsAt: time.Date(2024, 5, 7, 12, 0, 0, 0, time.UTC)}, store.Actor{Label: "Test"}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	oldUID := "event-" + itoa(old) + "@"
	has := func(cal *ical.Calendar, prefix string) bool {
		for uid := range eventsByUID(cal) {
			if strings.HasPrefix(uid, prefix) {
				return true
			}
		}
		return false
	}
	all := parseICS(t, w.client().Get("/veranstaltungen/kalender.ics").WantStatus(http.StatusOK))
	if has(all, oldUID) || !has(all, "event-"+itoa(w.event.ID)+"@") {
		t.Errorf("feed of all events: old event present %v, current event present %v; want false, true",
			has(all, oldUID), has(all, "event-"+itoa(w.event.ID)+"@"))
	}
	year := parseICS(t, w.client().Get("/veranstaltungen/kalender.ics?jahr=2024").WantStatus(http.StatusOK))
	if !has(year, oldUID) {
		t.Error("the feed for 2024 lacks the event of May 2024")
	}
}

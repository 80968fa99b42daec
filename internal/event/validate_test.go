package event

import (
	"strings"
	"testing"
	"time"
)

var testLists = Lists{Topics: map[string]bool{"energie": true, "innovation": true}, States: map[string]bool{"05": true}}

// goodEvent is a valid event form; each case changes one thing.
func goodEvent() EventInput {
	return EventInput{Title: "Industriedialog Nordwest", Slug: "industriedialog-nordwest", Kind: "industriedialog",
		Format: FormatHybrid, StartDate: "2026-12-10", StartClock: "09:30", EndClock: "16:00", Place: "Düsseldorf",
		State: "05", OnlineURL: "https://konferenz.beispiel.de/raum", Capacity: "120", Topics: []string{"energie"}}
}

func TestValidateEvent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		change      func(*EventInput)
		field, want string // want "" for valid
	}{
		{"valid", func(*EventInput) {}, "", ""},
		{"German date as typed", func(in *EventInput) { in.StartDate = "10.12.2026" }, "", ""},
		{"title missing", func(in *EventInput) { in.Title = "  " }, "titel", "Bitte geben Sie einen Titel an."},
		{"title too long", func(in *EventInput) { in.Title = strings.Repeat("x", 301) }, "titel", "höchstens 300 Zeichen"},
		{"title with NUL", func(in *EventInput) { in.Title = "a\x00b" }, "titel", "ungültige Zeichen"},
		{"title invalid UTF-8", func(in *EventInput) { in.Title = "\xff\xfe" }, "titel", "ungültige Zeichen"},
		{"title with a line break", func(in *EventInput) { in.Title = "a\nb" }, "titel", "ungültige Zeichen"},
		{"description may have lines", func(in *EventInput) { in.Description = "a\r\n\r\nb" }, "", ""},
		{"description too long", func(in *EventInput) { in.Description = strings.Repeat("ä", 20001) }, "beschreibung", "höchstens 20000"},
		{"slug reserved", func(in *EventInput) { in.Slug = "neu" }, "adresse", "reserviert"},
		{"slug calendar", func(in *EventInput) { in.Slug = "kalender.ics" }, "adresse", "reserviert"},
		{"slug with capitals", func(in *EventInput) { in.Slug = "Dialog" }, "adresse", "Kleinbuchstaben"},
		{"slug too long", func(in *EventInput) { in.Slug = strings.Repeat("a", 101) }, "adresse", "Kleinbuchstaben"},
		{"kind unknown", func(in *EventInput) { in.Kind = "party" }, "art", "aus der Liste"},
		{"format unknown", func(in *EventInput) { in.Format = "" }, "format", "aus der Liste"},
		{"start date missing", func(in *EventInput) { in.StartDate = "" }, "beginn_datum", "Datum des Beginns"},
		{"start date nonsense", func(in *EventInput) { in.StartDate = "31.02.2026" }, "beginn_datum", "Tag.Monat.Jahr"},
		{"start time nonsense", func(in *EventInput) { in.StartClock = "25:00" }, "beginn_zeit", "Stunden:Minuten"},
		{"start in the DST gap", func(in *EventInput) { in.StartDate, in.StartClock = "2026-03-29", "02:30" }, "beginn_zeit", "Sommerzeit"},
		{"end before start", func(in *EventInput) { in.EndClock = "08:00" }, "ende_datum", "Das Ende muss nach dem Beginn liegen."},
		{"end equals start", func(in *EventInput) { in.EndClock = "09:30" }, "ende_datum", "Das Ende muss nach dem Beginn liegen."},
		{"end on a later day", func(in *EventInput) { in.EndDate, in.EndClock = "2026-12-11", "08:00" }, "", ""},
		{"capacity negative", func(in *EventInput) { in.Capacity = "-1" }, "plaetze", "Die Zahl der Plätze darf nicht negativ sein."},
		{"capacity hugely negative", func(in *EventInput) { in.Capacity = "-99999999999999999999" }, "plaetze", "nicht negativ"},
		{"capacity not a number", func(in *EventInput) { in.Capacity = "viele" }, "plaetze", "ganze Zahl"},
		{"capacity a fraction", func(in *EventInput) { in.Capacity = "1.5" }, "plaetze", "ganze Zahl"},
		{"capacity too big", func(in *EventInput) { in.Capacity = "2000000" }, "plaetze", "höchstens"},
		{"capacity zero", func(in *EventInput) { in.Capacity = "0" }, "", ""},
		{"participants negative", func(in *EventInput) { in.ParticipantCount = "-3" }, "teilnehmende", "nicht negativ"},
		{"online link http", func(in *EventInput) { in.OnlineURL = "http://beispiel.de" }, "online_link", "https://"},
		{"online link script", func(in *EventInput) { in.OnlineURL = "javascript:alert(1)" }, "online_link", "https://"},
		{"online link with a space", func(in *EventInput) { in.OnlineURL = "https://a b.de" }, "online_link", "https://"},
		{"state unknown", func(in *EventInput) { in.State = "99" }, "land", "Bundesland"},
		{"state none", func(in *EventInput) { in.State = "" }, "", ""},
		{"topic unknown", func(in *EventInput) { in.Topics = []string{"energie", "<script>"} }, "themen", "Themen aus der Liste"},
		{"registration closes before it opens", func(in *EventInput) {
			in.RegOpensDate, in.RegOpensAt, in.RegCloseDate, in.RegCloseAt = "2026-12-01", "10:00", "2026-11-30", "10:00"
		}, "anmeldung_bis_datum", "nach dem Anmeldebeginn"},
		{"registration closes after the event", func(in *EventInput) {
			in.RegCloseDate, in.RegCloseAt = "2026-12-11", "10:00"
		}, "anmeldung_bis_datum", "nicht nach dem Ende"},
		{"registration date without time", func(in *EventInput) { in.RegOpensDate = "2026-12-01" }, "anmeldung_ab_zeit", "Uhrzeit"},
		{"registration window fine", func(in *EventInput) {
			in.RegOpensDate, in.RegOpensAt, in.RegCloseDate, in.RegCloseAt = "2026-11-01", "08:00", "2026-12-09", "18:00"
		}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goodEvent()
			c.change(&in)
			_, errs := ValidateEvent(in, testLists, true)
			if c.want == "" {
				if len(errs) > 0 {
					t.Fatalf("errors %v, want none", errs)
				}
				return
			}
			if got := errs[c.field]; !strings.Contains(got, c.want) {
				t.Fatalf("error at %s = %q, want it to contain %q (all: %v)", c.field, got, c.want, errs)
			}
		})
	}
}

func TestValidateEventValues(t *testing.T) {
	t.Parallel()
	in := goodEvent()
	in.EndDate, in.Topics = "", []string{"energie", "energie", "innovation"}
	f, errs := ValidateEvent(in, testLists, false)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if want := time.Date(2026, 12, 10, 8, 30, 0, 0, time.UTC); !f.StartsAt.Equal(want) {
		t.Errorf("start %v, want %v (09:30 in Berlin, winter time)", f.StartsAt, want)
	}
	if want := time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC); !f.EndsAt.Equal(want) {
		t.Errorf("end %v, want %v (the start date when none is given)", f.EndsAt, want)
	}
	if f.Capacity == nil || *f.Capacity != 120 || f.ParticipantCount != nil {
		t.Errorf("capacity %v, participants %v", f.Capacity, f.ParticipantCount)
	}
	if strings.Join(f.Topics, ",") != "energie,innovation" {
		t.Errorf("topics %v, want each once", f.Topics)
	}
	if f.Slug != "" {
		t.Errorf("slug %q read while editing", f.Slug)
	}
}

func at(date, clock string) time.Time {
	t, err := ParseLocal(date, clock)
	if err != nil {
		panic(err)
	}
	return t
}

func TestValidateWorkshop(t *testing.T) {
	t.Parallel()
	start, end := at("2026-12-10", "09:30"), at("2026-12-10", "16:00")
	topicList := map[string]bool{"energie": true}
	cases := []struct {
		name        string
		in          WorkshopInput
		field, want string
	}{
		{"valid", WorkshopInput{Title: "Werkstatt", StartClock: "13:00", EndClock: "14:30"}, "", ""},
		{"whole event", WorkshopInput{Title: "Werkstatt", StartClock: "09:30", EndClock: "16:00"}, "", ""},
		{"starts before the event", WorkshopInput{Title: "W", StartClock: "08:00", EndClock: "10:00"}, "beginn_zeit",
			"Der Workshop muss innerhalb der Veranstaltung liegen: 10.12.2026, 09:30 bis 16:00 Uhr."},
		{"ends after the event", WorkshopInput{Title: "W", StartClock: "15:00", EndClock: "17:00"}, "ende_zeit", "09:30 bis 16:00 Uhr"},
		{"on another day", WorkshopInput{Title: "W", Date: "2026-12-11", StartClock: "10:00", EndClock: "11:00"}, "beginn_zeit", "innerhalb der Veranstaltung"},
		{"end before start", WorkshopInput{Title: "W", StartClock: "14:00", EndClock: "13:00"}, "ende_zeit", "Das Ende muss nach dem Beginn liegen."},
		{"title missing", WorkshopInput{StartClock: "13:00", EndClock: "14:00"}, "titel", "Titel"},
		{"capacity negative", WorkshopInput{Title: "W", StartClock: "13:00", EndClock: "14:00", Capacity: "-5"}, "plaetze", "Die Zahl der Plätze darf nicht negativ sein."},
		{"participants negative", WorkshopInput{Title: "W", StartClock: "13:00", EndClock: "14:00", ParticipantCount: "-1"}, "teilnehmende", "nicht negativ"},
		{"online link not https", WorkshopInput{Title: "W", StartClock: "13:00", EndClock: "14:00", OnlineURL: "ftp://x"}, "online_link", "https://"},
		{"results too long", WorkshopInput{Title: "W", StartClock: "13:00", EndClock: "14:00", Results: strings.Repeat("x", 20001)}, "ergebnisse", "höchstens 20000"},
		{"topic unknown", WorkshopInput{Title: "W", StartClock: "13:00", EndClock: "14:00", Topics: []string{"x"}}, "themen", "Liste"},
		{"end missing", WorkshopInput{Title: "W", StartClock: "13:00"}, "ende_zeit", "Uhrzeit des Endes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := ValidateWorkshop(c.in, start, end, topicList)
			if c.want == "" {
				if len(errs) > 0 {
					t.Fatalf("errors %v, want none", errs)
				}
				return
			}
			if got := errs[c.field]; !strings.Contains(got, c.want) {
				t.Fatalf("error at %s = %q, want %q (all: %v)", c.field, got, c.want, errs)
			}
		})
	}
}

func TestValidateItem(t *testing.T) {
	t.Parallel()
	start, end := at("2026-12-10", "09:30"), at("2026-12-11", "13:00")
	cases := []struct {
		name        string
		in          ItemInput
		field, want string
	}{
		{"valid", ItemInput{StartClock: "09:30", EndClock: "10:00", Title: "Begrüßung", Kind: "welcome"}, "", ""},
		{"second day", ItemInput{Date: "11.12.2026", StartClock: "09:00", Title: "Panel", Kind: "panel"}, "", ""},
		{"day before", ItemInput{Date: "2026-12-09", StartClock: "09:00", Title: "x", Kind: "panel"}, "datum", "10.12.2026 bis 11.12.2026"},
		{"day after", ItemInput{Date: "2026-12-12", StartClock: "09:00", Title: "x", Kind: "panel"}, "datum", "Tag der Veranstaltung"},
		{"end before start", ItemInput{StartClock: "10:00", EndClock: "09:00", Title: "x", Kind: "panel"}, "ende_zeit", "nach dem Beginn"},
		{"kind unknown", ItemInput{StartClock: "10:00", Title: "x", Kind: "tanz"}, "art", "Liste"},
		{"time missing", ItemInput{Title: "x", Kind: "panel"}, "beginn_zeit", "Uhrzeit"},
		{"description too long", ItemInput{StartClock: "10:00", Title: "x", Kind: "panel", Description: strings.Repeat("a", 5001)}, "beschreibung", "5000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := ValidateItem(c.in, start, end)
			if c.want == "" {
				if len(errs) > 0 {
					t.Fatalf("errors %v, want none", errs)
				}
				return
			}
			if got := errs[c.field]; !strings.Contains(got, c.want) {
				t.Fatalf("error at %s = %q, want %q (all: %v)", c.field, got, c.want, errs)
			}
		})
	}
}

func TestValidatePeople(t *testing.T) {
	t.Parallel()
	known := map[int64]bool{1: true, 2: true}
	people, errs := ValidatePeople("personen", []string{"1", "", "2"}, []string{"Moderation", "", ""}, known)
	if len(errs) > 0 || len(people) != 2 || people[0] != (Person{1, "Moderation"}) || people[1].ContactID != 2 {
		t.Errorf("people %v, errors %v", people, errs)
	}
	for name, c := range map[string]struct{ ids, fns []string }{
		"unknown id":           {[]string{"3"}, nil},
		"not a number":         {[]string{"1 OR 1=1"}, nil},
		"twice":                {[]string{"1", "1"}, nil},
		"function, no person":  {[]string{""}, []string{"Moderation"}},
		"function with NUL":    {[]string{"1"}, []string{"a\x00"}},
		"function too long":    {[]string{"1"}, []string{strings.Repeat("x", 301)}},
		"negative id":          {[]string{"-1"}, nil},
		"invalid UTF-8 in row": {[]string{"\xff"}, nil},
	} {
		if _, errs := ValidatePeople("personen", c.ids, c.fns, known); errs["personen"] == "" {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestValidateStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status      string
		in          StatusInput
		to          string
		field, want string
	}{
		{StatusDraft, StatusInput{Action: ActionPublish}, StatusPublished, "", ""},
		{StatusDraft, StatusInput{Action: ActionCancel, Notice: "x"}, "", "aktion", "nicht möglich"},
		{StatusPublished, StatusInput{Action: ActionPublish}, "", "aktion", "nicht möglich"},
		{StatusPublished, StatusInput{Action: ActionComplete, ParticipantCount: "170"}, StatusCompleted, "", ""},
		{StatusPublished, StatusInput{Action: ActionComplete}, "", "teilnahme", "wie viele"},
		{StatusPublished, StatusInput{Action: ActionComplete, ParticipantCount: "-1"}, "", "teilnahme", "nicht negativ"},
		{StatusPublished, StatusInput{Action: ActionCancel, Notice: " "}, "", "absage_hinweis", "Hinweis zur Absage"},
		{StatusPublished, StatusInput{Action: ActionCancel, Notice: "Verschoben auf März."}, StatusCancelled, "", ""},
		{StatusCompleted, StatusInput{Action: ActionCancel, Notice: "x"}, "", "aktion", "nicht möglich"},
		{StatusCancelled, StatusInput{Action: ActionPublish}, "", "aktion", "nicht möglich"},
		{StatusPublished, StatusInput{Action: ActionUnpublish}, StatusDraft, "", ""},
		{StatusDraft, StatusInput{Action: ActionUnpublish}, "", "aktion", "nicht möglich"},
		{StatusCompleted, StatusInput{Action: ActionUnpublish}, "", "aktion", "nicht möglich"},
		{StatusDraft, StatusInput{Action: "<script>"}, "", "aktion", "nicht möglich"},
	}
	for _, c := range cases {
		got, errs := ValidateStatus(c.in, c.status)
		if c.want == "" {
			if len(errs) > 0 || got.Status != c.to {
				t.Errorf("%s %+v: %v, errors %v", c.status, c.in, got, errs)
			}
			continue
		}
		if !strings.Contains(errs[c.field], c.want) {
			t.Errorf("%s %+v: error at %s = %q, want %q", c.status, c.in, c.field, errs[c.field], c.want)
		}
	}
}

func TestOutside(t *testing.T) {
	t.Parallel()
	spans := []Span{{"Früh", at("2026-12-10", "09:30"), at("2026-12-10", "11:00")},
		{"Spät", at("2026-12-10", "15:00"), at("2026-12-10", "16:00")}}
	if _, bad := Outside(at("2026-12-10", "09:00"), at("2026-12-10", "16:00"), spans); bad {
		t.Error("both lie within")
	}
	s, bad := Outside(at("2026-12-10", "09:00"), at("2026-12-10", "15:30"), spans)
	if !bad || s.Title != "Spät" {
		t.Fatalf("got %v %v, want Spät outside", s, bad)
	}
	if msg := OutsideMessage(s); !strings.Contains(msg, "„Spät“ (10.12.2026, 15:00 bis 16:00 Uhr)") {
		t.Errorf("message %q", msg)
	}
	// Across the change to winter time: 25 hours from 0:00 to 0:00.
	if got := FormatRange(at("2026-10-24", "22:00"), at("2026-10-25", "23:00")); got != "24.10.2026, 22:00 Uhr bis 25.10.2026, 23:00 Uhr" {
		t.Errorf("FormatRange = %q", got)
	}
}

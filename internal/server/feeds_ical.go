package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/paths"
)

// icalMaxAge is how long caches may keep a calendar file; it holds
// nothing personal.
const icalMaxAge = 5 * time.Minute

// listEventsICS is /veranstaltungen/kalender.ics: every public event,
// filtered like the list (thema, format, land, jahr).
func (s *Server) listEventsICS(w http.ResponseWriter, r *http.Request) error {
	q := parseEventQuery(r.URL.Query())
	f := q.filter(s.now())
	if q.Year == 0 {
		// A subscribed calendar wants what comes and the recent past; a
		// year asked for by name comes whole.
		since := s.now().AddDate(-1, 0, 0)
		f.EndedAfter = &since
	}
	res, err := s.store.PublicEvents(r.Context(), f)
	if err != nil {
		return err
	}
	return s.writeICS(w, "veranstaltungen.ics", s.eventCalendar("RII-Portal – Veranstaltungen", res.Entries))
}

// showEventICS is /veranstaltungen/{event}/kalender.ics: one event.
func (s *Server) showEventICS(w http.ResponseWriter, r *http.Request) error {
	slug, err := eventSlug(r)
	if err != nil {
		return err
	}
	e, err := s.store.PublicEventEntryBySlug(r.Context(), slug)
	if err != nil {
		return err
	}
	return s.writeICS(w, slug+".ics", s.eventCalendar("RII-Portal – "+icalText(e.Title), []store.PublicEventEntry{*e}))
}

// writeICS encodes cal, folds its lines and writes it.
func (s *Server) writeICS(w http.ResponseWriter, filename string, cal *ical.Calendar) error {
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(icalMaxAge.Seconds())))
	_, err := w.Write(foldICS(buf.Bytes()))
	if err != nil {
		s.log.Debug("write calendar", "error", err)
	}
	return nil
}

// eventCalendar is a VCALENDAR with the Berlin time zone and one VEVENT
// per event.
func (s *Server) eventCalendar(name string, entries []store.PublicEventEntry) *ical.Calendar {
	cal := ical.NewCalendar()
	setText(cal.Props, ical.PropProductID, "-//RII-Portal//Veranstaltungen//DE")
	setText(cal.Props, ical.PropVersion, "2.0")
	setText(cal.Props, ical.PropCalendarScale, "GREGORIAN")
	setText(cal.Props, "X-WR-CALNAME", name)
	setText(cal.Props, "X-WR-TIMEZONE", "Europe/Berlin")
	cal.Children = append(cal.Children, berlinTimezone())
	for _, e := range entries {
		cal.Children = append(cal.Children, s.vevent(e))
	}
	return cal
}

// vevent is one event. LOCATION is the venue or "Online", never the link.
func (s *Server) vevent(e store.PublicEventEntry) *ical.Component {
	ev := ical.NewEvent()
	setText(ev.Props, ical.PropUID, "event-"+strconv.FormatInt(e.ID, 10)+"@"+s.cfg.BaseURL.Hostname())
	ev.Props.SetDateTime(ical.PropDateTimeStamp, e.UpdatedAt.UTC())
	ev.Props.SetDateTime(ical.PropLastModified, e.UpdatedAt.UTC())
	ev.Props.SetDateTime(ical.PropDateTimeStart, e.StartsAt.In(event.Berlin))
	ev.Props.SetDateTime(ical.PropDateTimeEnd, e.EndsAt.In(event.Berlin))
	setText(ev.Props, ical.PropSummary, e.Title)
	desc := e.Summary
	if e.Status == event.StatusCancelled {
		desc = strings.TrimSpace("Abgesagt: " + e.CancelNotice + "\n\n" + desc)
	}
	if desc != "" {
		setText(ev.Props, ical.PropDescription, desc)
	}
	loc := e.Place
	if e.Format == event.FormatDigital || loc == "" {
		loc = "Online"
	}
	setText(ev.Props, ical.PropLocation, loc)
	url := ical.NewProp(ical.PropURL)
	url.SetValueType(ical.ValueURI)
	url.Value = s.link(paths.Event(e.Slug))
	ev.Props.Set(url)
	status := ical.EventConfirmed
	if e.Status == event.StatusCancelled {
		status = ical.EventCancelled
	}
	ev.SetStatus(status)
	if len(e.Topics) > 0 {
		cats := ical.NewProp(ical.PropCategories)
		var names []string
		for _, t := range e.Topics {
			names = append(names, icalText(t.Name))
		}
		cats.SetTextList(names)
		ev.Props.Set(cats)
	}
	seq := ical.NewProp(ical.PropSequence)
	seq.Value = strconv.Itoa(e.Version)
	ev.Props.Set(seq)
	return ev.Component
}

// berlinTimezone is the VTIMEZONE of Europe/Berlin since 1996: summer time
// from the last Sunday in March, 02:00, to the last Sunday in October, 03:00.
func berlinTimezone() *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	setText(tz.Props, ical.PropTimezoneID, "Europe/Berlin")
	part := func(name, from, to, tzname, start, rule string) *ical.Component {
		c := ical.NewComponent(name)
		for _, p := range [][2]string{{ical.PropTimezoneOffsetFrom, from}, {ical.PropTimezoneOffsetTo, to},
			{ical.PropTimezoneName, tzname}, {ical.PropDateTimeStart, start}, {ical.PropRecurrenceRule, rule}} {
			prop := ical.NewProp(p[0])
			prop.Value = p[1]
			c.Props.Set(prop)
		}
		return c
	}
	tz.Children = []*ical.Component{
		part(ical.CompTimezoneDaylight, "+0100", "+0200", "CEST", "19700329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
		part(ical.CompTimezoneStandard, "+0200", "+0100", "CET", "19701025T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
	}
	return tz
}

// setText sets a TEXT property from cleaned text.
func setText(props ical.Props, name, text string) {
	p := ical.NewProp(name)
	p.SetText(icalText(text))
	// TEXT is the default of every property set here, X-WR-* included.
	p.Params.Del(ical.ParamValue)
	props.Set(p)
}

// icalText keeps line breaks as \n and drops carriage returns and other
// control characters, which a content line cannot hold.
func icalText(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// foldICS folds content lines longer than 75 octets (RFC 5545, 3.1): a
// CRLF and a space before the next part, never inside a UTF-8 sequence.
// go-ical escapes values but leaves folding to the writer.
func foldICS(in []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(in, []byte("\r\n")) {
		body := bytes.TrimSuffix(line, []byte("\r\n"))
		limit := 75
		for len(body) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(body[cut]) {
				cut--
			}
			out.Write(body[:cut])
			out.WriteString("\r\n ")
			body = body[cut:]
			limit = 74 // the leading space counts
		}
		out.Write(body)
		if bytes.HasSuffix(line, []byte("\r\n")) {
			out.WriteString("\r\n")
		}
	}
	return out.Bytes()
}

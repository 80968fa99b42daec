package server

import (
	"strconv"
	"strings"
	"time"

	"rii/internal/event"
	"rii/internal/report"
	"rii/internal/store"
	"rii/web/layout"
	"rii/web/pages"
	"rii/web/paths"
)

var (
	germanWeekdays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	germanMonths   = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
		"Oktober", "November", "Dezember"}
)

// germanDay is "16. März 2021" in Berlin: the one way days are written
// in running text.
func germanDay(t time.Time) string {
	t = t.In(event.Berlin)
	return strconv.Itoa(t.Day()) + ". " + germanMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// longGermanDate is "Dienstag, 16. März 2021" in Berlin.
func longGermanDate(t time.Time) string {
	return germanWeekdays[t.In(event.Berlin).Weekday()] + ", " + germanDay(t)
}

// eventWhen is "Dienstag, 16. März 2021, 10:00–16:30 Uhr", or with both
// days when an event runs over midnight:
// "Samstag, 24. Oktober 2026, 10:00 Uhr – Sonntag, 25. Oktober 2026, 16:00 Uhr".
func eventWhen(start, end time.Time) string {
	s, e := start.In(event.Berlin), end.In(event.Berlin)
	if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
		return longGermanDate(s) + ", " + s.Format("15:04") + "–" + e.Format("15:04") + " Uhr"
	}
	return longGermanDate(s) + ", " + s.Format("15:04") + " Uhr – " + longGermanDate(e) + ", " + e.Format("15:04") + " Uhr"
}

// clockSpan is "10:00–11:30 Uhr", or "10:00 Uhr" without an end.
func clockSpan(start time.Time, end *time.Time) string {
	if end == nil {
		return start.In(event.Berlin).Format("15:04") + " Uhr"
	}
	return start.In(event.Berlin).Format("15:04") + "–" + end.In(event.Berlin).Format("15:04") + " Uhr"
}

// registrationText says the registration window in words.
func registrationText(opens, closes *time.Time) string {
	switch {
	case opens != nil && closes != nil:
		return "vom " + formatTime(*opens) + " bis zum " + formatTime(*closes)
	case opens != nil:
		return "ab " + formatTime(*opens)
	case closes != nil:
		return "bis zum " + formatTime(*closes)
	}
	return ""
}

// sampleTitle heads the box of an event's note on invented facts; the
// note under it need not say it again.
const sampleTitle = "Beispieldaten"

// withoutLead drops a leading "lead:" from text (as in "Beispieldaten: …"
// under the heading "Beispieldaten"), so the page does not say it twice.
func withoutLead(text, lead string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(text), lead)
	if !ok || !strings.HasPrefix(rest, ":") {
		return text
	}
	return strings.TrimSpace(rest[1:])
}

// eventView turns a public event into its page.
func eventView(frame layout.Frame, d *store.PublicEventDetail) pages.EventView {
	v := pages.EventView{Frame: frame, Title: d.Title, Kind: event.Label(event.Kinds, d.Kind),
		Format: event.Label(event.Formats, d.Format), When: eventWhen(d.StartsAt, d.EndsAt),
		Host: d.Host, Invitation: d.Invitation, Cancelled: d.Status == event.StatusCancelled, CancelNotice: d.CancelNotice,
		SampleNote: withoutLead(d.SampleNote, sampleTitle), Summary: d.Summary, Paragraphs: paragraphs(d.Description),
		Registration: registrationText(d.RegistrationOpensAt, d.RegistrationClosesAt),
		CalendarHref: paths.Event(d.Slug, "kalender.ics"), ListHref: "/veranstaltungen"}
	v.Place = d.Place
	if d.StateName != "" && d.Format != event.FormatDigital {
		v.Place = joinNonEmpty(", ", d.Place, d.StateName)
	}
	switch d.Format {
	case event.FormatDigital:
		v.Place = "Digitale Veranstaltung – den Zugangslink erhalten angemeldete Teilnehmende"
	case event.FormatHybrid:
		v.Place = joinNonEmpty(" – ", v.Place, "auch digital: den Zugangslink erhalten angemeldete Teilnehmende")
	}
	if d.Capacity != nil {
		v.Capacity = strconv.Itoa(*d.Capacity) + " Plätze"
	}
	if d.ParticipantCount != nil {
		v.Participants = strconv.Itoa(*d.ParticipantCount) + " Teilnehmende"
	}
	for _, t := range d.Topics {
		v.Topics = append(v.Topics, pages.Link{Label: t.Name, Href: paths.Topic(t.Slug)})
	}
	contributors := newContributorList()
	for _, it := range d.Programme {
		e := pages.ProgrammeEntry{Time: clockSpan(it.StartsAt, it.EndsAt), Kind: event.Label(event.ItemKinds, it.Kind),
			Title: it.Title, Paragraphs: paragraphs(it.Description), Initiatives: initiativeLinks(it.Initiatives)}
		for _, p := range it.People {
			e.People = append(e.People, personLine(p))
			contributors.add(p, it.Title)
		}
		v.Programme = append(v.Programme, e)
	}
	v.WorkshopSlots = workshopSlots(d.Workshops, contributors)
	v.Contributors = contributors.list
	if d.Report != nil {
		v.Report = &pages.ReportTeaserView{Kicker: d.Report.Kicker, Title: d.Report.Title, Subtitle: d.Report.Subtitle,
			Href: paths.Report(d.Slug)}
	}
	return v
}

// workshopSlots groups workshops by their time slot, in order.
func workshopSlots(ws []store.PublicWorkshop, contributors *contributorList) []pages.WorkshopSlot {
	var slots []pages.WorkshopSlot
	for _, w := range ws {
		slot := clockSpan(w.StartsAt, &w.EndsAt)
		if n := len(slots); n == 0 || slots[n-1].Time != slot {
			slots = append(slots, pages.WorkshopSlot{Time: slot})
		}
		e := pages.WorkshopEntry{ID: strconv.FormatInt(w.ID, 10), Title: w.Title, Time: slot, Place: w.Place,
			Paragraphs: paragraphs(w.Description), Initiatives: initiativeLinks(w.Initiatives), Sample: w.Sample}
		if w.Capacity != nil {
			e.Capacity = strconv.Itoa(*w.Capacity) + " Plätze"
		}
		for _, t := range w.Topics {
			e.Topics = append(e.Topics, pages.Link{Label: t.Name, Href: paths.Topic(t.Slug)})
		}
		for _, p := range w.Moderators {
			e.Moderators = append(e.Moderators, personLine(p))
			contributors.add(p, "Workshop „"+w.Title+"“")
		}
		if w.Results != "" {
			e.Results = report.RenderBelow(w.Results, 6) // under the h5 "Ergebnisse"
		}
		if w.ParticipantCount != nil {
			e.Participants = strconv.Itoa(*w.ParticipantCount) + " Teilnehmende"
		}
		slots[len(slots)-1].Workshops = append(slots[len(slots)-1].Workshops, e)
	}
	return slots
}

// partRole is a person's function for this part, else their general one.
func partRole(p store.StagePersonView) string {
	if p.Role != "" {
		return p.Role
	}
	return p.Function
}

// personLine is a person with their function for this part (partRole) and
// organisation.
func personLine(p store.StagePersonView) pages.PersonLine {
	return pages.PersonLine{Name: p.Name, Detail: joinNonEmpty(", ", partRole(p), p.Organisation)}
}

// initiativeLinks links the (published) initiatives to their profiles.
func initiativeLinks(list []store.InitiativeLink) []pages.Link {
	var out []pages.Link
	for _, i := range list {
		out = append(out, pages.Link{Label: i.Name, Href: paths.Initiative(i.Slug)})
	}
	return out
}

// contributorList collects everyone on stage once, in order of appearance.
// A person's function is the one given for their first part (the
// contact's own function may be years older than the event); a later part
// with another function names it.
type contributorList struct {
	list  []pages.Contributor
	roles []string // the function shown in each person's detail
	index map[int64]int
}

func newContributorList() *contributorList { return &contributorList{index: map[int64]int{}} }

func (c *contributorList) add(p store.StagePersonView, part string) {
	role := partRole(p)
	i, ok := c.index[p.ContactID]
	switch {
	case !ok:
		i = len(c.list)
		c.index[p.ContactID] = i
		c.list = append(c.list, pages.Contributor{Name: p.Name, Detail: joinNonEmpty(", ", role, p.Organisation)})
		c.roles = append(c.roles, role)
	case role != "" && role != c.roles[i]:
		part += " (" + role + ")"
	}
	c.list[i].Parts = append(c.list[i].Parts, part)
}

// profileEvents groups an initiative's parts by event, newest first.
func profileEvents(list []store.InitiativeEvent) []pages.ProfileEvent {
	var out []pages.ProfileEvent
	for _, e := range list {
		href := paths.Event(e.Slug)
		if n := len(out); n == 0 || out[n-1].Href != href {
			out = append(out, pages.ProfileEvent{Title: e.Title, Href: href, When: longGermanDate(e.StartsAt)})
		}
		part := "Vorstellung im Programm: " + e.Part
		if e.What == "workshop" {
			part = "Beitrag zum Workshop „" + e.Part + "“"
		}
		out[len(out)-1].Parts = append(out[len(out)-1].Parts, part)
	}
	return out
}

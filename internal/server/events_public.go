package server

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/layout"
	"rii/web/pages"
	"rii/web/paths"
)

// eventsPerPage is the number of events per page of the list.
const eventsPerPage = 20

// Query parameters of the event list and the calendar feed (thema and land
// as in the directory).
const (
	paramYear   = "jahr"
	paramFormat = "format"
)

var yearCode = regexp.MustCompile(`^20[0-9]{2}$`)

// eventQuery is the query of /veranstaltungen and its feed, parsed: values
// of the wrong shape are dropped, never an error.
type eventQuery struct {
	Year                 int
	Topic, Format, State string
	Page                 int
}

// parseEventQuery reads the filters; each takes one value.
func parseEventQuery(v url.Values) eventQuery {
	q := eventQuery{Page: components.ParsePage(v)}
	if y := v.Get(paramYear); yearCode.MatchString(y) {
		q.Year, _ = strconv.Atoi(y)
	}
	if t := v.Get(paramTopic); len(t) <= 60 && slugCode.MatchString(t) {
		q.Topic = t
	}
	if f := v.Get(paramFormat); event.Known(event.Formats, f) {
		q.Format = f
	}
	if s := v.Get(paramState); stateCode.MatchString(s) {
		q.State = s
	}
	return q
}

// filter is the store filter of the query, without paging.
func (q eventQuery) filter(now time.Time) store.PublicEventFilter {
	return store.PublicEventFilter{Year: q.Year, Topic: q.Topic, Format: q.Format, State: q.State, Now: now}
}

// values encodes the filters canonically, without the page.
func (q eventQuery) values() url.Values {
	v := url.Values{}
	if q.Year != 0 {
		v.Set(paramYear, strconv.Itoa(q.Year))
	}
	for name, val := range map[string]string{paramTopic: q.Topic, paramFormat: q.Format, paramState: q.State} {
		if val != "" {
			v.Set(name, val)
		}
	}
	return v
}

// href is path with the filters.
func (q eventQuery) href(path string) string {
	if enc := q.values().Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// listEvents is /veranstaltungen: upcoming events, then past ones.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := parseEventQuery(r.URL.Query())
	now := s.now()
	f := q.filter(now)
	f.Limit, f.Offset = eventsPerPage, (q.Page-1)*eventsPerPage
	res, err := s.store.PublicEvents(r.Context(), f)
	if err != nil {
		return err
	}
	frame := s.frame(r, pagedTitle("Veranstaltungen", q.Page))
	frame.Description = "Industriedialoge, Regionalkonferenzen und Workshops der Service- und Beratungsstelle für regionale Industrieinitiativen."
	frame.Alternates = []layout.Alternate{{Type: "text/calendar", Title: "Veranstaltungen als Kalender (iCal)",
		Href: q.href("/veranstaltungen/kalender.ics")}}
	return s.render(w, r, pages.EventList(eventListView(frame, q, res, now)))
}

// eventListView builds the list page.
func eventListView(frame layout.Frame, q eventQuery, res *store.PublicEventPage, now time.Time) pages.EventListView {
	v := pages.EventListView{Frame: frame, Heading: eventsHeading(res.Total), CalendarHref: q.href("/veranstaltungen/kalender.ics")}
	v.Filters = eventFilters(q, res.Facets)
	if q.Year != 0 || q.Topic != "" || q.Format != "" || q.State != "" {
		v.ResetHref = "/veranstaltungen"
	}
	for _, e := range res.Entries {
		c := pages.EventCard{Title: e.Title, Href: paths.Event(e.Slug), When: eventWhen(e.StartsAt, e.EndsAt),
			Kind: event.Label(event.Kinds, e.Kind), Format: event.Label(event.Formats, e.Format),
			Place: venue(e.Format, e.Place), Cancelled: e.Status == event.StatusCancelled, CancelNotice: e.CancelNotice}
		if e.HasReport {
			c.ReportHref = paths.Report(e.Slug)
		}
		if e.EndsAt.Before(now) {
			v.Past = append(v.Past, c)
		} else {
			v.Upcoming = append(v.Upcoming, c)
		}
	}
	v.Pager = components.NewPager(url.URL{Path: "/veranstaltungen", RawQuery: q.values().Encode()}, q.Page, eventsPerPage, res.Total)
	if len(res.Entries) == 0 && res.Total > 0 {
		v.FirstPageHref = q.href("/veranstaltungen")
	}
	if v.Pager.Pages > 1 {
		v.Page = "Seite " + strconv.Itoa(q.Page) + " von " + strconv.Itoa(v.Pager.Pages)
	}
	return v
}

// eventsHeading is "Keine Veranstaltung", "1 Veranstaltung", "12 Veranstaltungen".
func eventsHeading(n int) string {
	switch n {
	case 0:
		return "Keine Veranstaltung gefunden"
	case 1:
		return "1 Veranstaltung"
	}
	return thousands(n) + " Veranstaltungen"
}

// eventFilters are the four selects, each with "alle" and the options
// the other filters leave, with their counts. A chosen value stays
// selectable even when nothing matches it.
func eventFilters(q eventQuery, facets []store.FacetValue) []pages.EventFilter {
	chosen := map[string]string{paramYear: "", paramTopic: q.Topic, paramFormat: q.Format, paramState: q.State}
	if q.Year != 0 {
		chosen[paramYear] = strconv.Itoa(q.Year)
	}
	out := []pages.EventFilter{
		{Name: paramYear, Label: "Jahr", Options: []components.Option{{Value: "", Label: "Alle Jahre"}}},
		{Name: paramTopic, Label: "Thema", Options: []components.Option{{Value: "", Label: "Alle Themen"}}},
		{Name: paramFormat, Label: "Format", Options: []components.Option{{Value: "", Label: "Alle Formate"}}},
		{Name: paramState, Label: "Bundesland", Options: []components.Option{{Value: "", Label: "Alle Länder"}}},
	}
	for i := range out {
		f := &out[i]
		found := false
		for _, fv := range facets {
			if fv.Facet != f.Name {
				continue
			}
			name := fv.Name
			if f.Name == paramFormat {
				name = event.Label(event.Formats, fv.Key)
			}
			sel := fv.Key == chosen[f.Name]
			found = found || sel
			f.Options = append(f.Options, components.Option{Value: fv.Key, Label: name + " (" + strconv.Itoa(fv.Count) + ")", Selected: sel})
		}
		if c := chosen[f.Name]; c != "" && !found {
			f.Options = append(f.Options, components.Option{Value: c, Label: c + " (0)", Selected: true})
		}
		f.Options[0].Selected = chosen[f.Name] == ""
	}
	return out
}

// placeLabel is the venue, or "digital" for a digital event: where only
// the place is named (the personal registration page).
func placeLabel(format, place string) string {
	if format == event.FormatDigital {
		return "digital"
	}
	return place
}

// venue is the place beside the format's label in a list ("Digital,
// Berlin" made no sense, and "Digital, digital" said it twice): the venue
// of an event in person or hybrid, nothing for a digital one.
func venue(format, place string) string {
	if format == event.FormatDigital {
		return ""
	}
	return place
}

// eventVisibilities are the contact visibilities a viewer of an event page
// may see: public for everyone, all for the Service-Stelle, officials and
// admins. "Nur Mitglieder der Initiative" means the members of the
// contact's own initiative: memberID names a member for that check
// (store.PublicEvent, reportContactVisible), 0 for anyone else.
func eventVisibilities(u *currentUser) (visibilities []string, memberID int64) {
	switch {
	case u == nil:
		return []string{store.VisibilityPublic}, 0
	case u.Role == account.RoleMember:
		return []string{store.VisibilityPublic}, u.ID
	}
	return []string{store.VisibilityPublic, store.VisibilityMembers, store.VisibilityEditors}, 0
}

// eventSlug reads {event} and checks its shape before asking the database.
func eventSlug(r *http.Request) (string, error) {
	slug := chi.URLParam(r, "event")
	if len(slug) > 100 || !slugPattern.MatchString(slug) {
		return "", errNotFound
	}
	return slug, nil
}

// showEvent is /veranstaltungen/{event}. Drafts are not found, except by
// the Service-Stelle, who sees them as a preview (publishing.go).
func (s *Server) showEvent(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publicEvent(r)
	if errors.Is(err, store.ErrNotFound) {
		return s.showEventPreview(w, r)
	}
	if err != nil {
		return err
	}
	return s.renderEvent(w, r, d, components.NewForm(), http.StatusOK)
}

// publicEvent loads the event of {event} as the viewer may see it.
func (s *Server) publicEvent(r *http.Request) (*store.PublicEventDetail, error) {
	slug, err := eventSlug(r)
	if err != nil {
		return nil, err
	}
	vis, memberID := eventVisibilities(userFrom(r.Context()))
	return s.store.PublicEvent(r.Context(), slug, vis, memberID)
}

// renderEvent renders an event page with the registration form f.
func (s *Server) renderEvent(w http.ResponseWriter, r *http.Request, d *store.PublicEventDetail, f components.Form, status int) error {
	frame := s.frame(r, d.Title)
	frame.Description = d.Summary
	frame.Alternates = []layout.Alternate{{Type: "text/calendar", Title: "Diese Veranstaltung als Kalendereintrag (iCal)",
		Href: paths.Event(d.Slug, "kalender.ics")}}
	v := eventView(frame, d)
	v.JSONLD = s.eventLD(d)
	if err := s.withRegistration(r, &v, d, f); err != nil {
		return err
	}
	return s.renderStatus(w, r, status, pages.Event(v))
}

// joinNonEmpty joins the non-empty parts with sep, each once: a part equal
// to an earlier one but for case is left out ("Digital, digital").
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" && !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, p) }) {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

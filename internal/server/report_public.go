package server

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"rii/internal/account"
	"rii/internal/event"
	"rii/internal/report"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/layout"
	"rii/web/pages"
	"rii/web/paths"
)

const reportsPerPage = 20

// reportFeed is the Atom feed's link for the page head.
var reportFeed = layout.Alternate{Title: "Berichte der Service- und Beratungsstelle (Atom)", Href: "/berichte/feed.atom",
	Type: "application/atom+xml"}

// listReports is /berichte: every published report of a public event,
// newest first.
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) error {
	page := components.ParsePage(r.URL.Query())
	items, total, err := s.store.PublishedReports(r.Context(), reportsPerPage, (page-1)*reportsPerPage, false)
	if err != nil {
		return err
	}
	f := s.frame(r, pagedTitle("Berichte", page))
	f.Description = "Berichte aus den Industriedialogen, Regionalkonferenzen und Workshops der Service- und Beratungsstelle für regionale Industrieinitiativen."
	f.Alternates = []layout.Alternate{reportFeed}
	v := pages.ReportListView{Frame: f, Total: total, FeedHref: reportFeed.Href,
		Pager: components.NewPager(*r.URL, page, reportsPerPage, total)}
	for _, it := range items {
		v.Items = append(v.Items, pages.ReportListItem{Href: paths.Report(it.EventSlug), Kicker: it.Kicker,
			Title: it.Title, Subtitle: it.Subtitle, EventTitle: it.EventTitle, EventDate: germanDay(it.EventStarts),
			EventDateISO: event.DateValue(it.EventStarts)})
	}
	if len(items) == 0 && total > 0 {
		v.FirstPageHref = "/berichte"
	}
	return s.render(w, r, pages.ReportList(v))
}

// showReport is /berichte/{event}: the published report of a public event.
// Drafts are not found, except by the Service-Stelle, who sees them as a
// preview (publishing.go).
func (s *Server) showReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug, err := eventSlug(r)
	if err != nil {
		return err
	}
	ev, err := s.store.EventBySlug(ctx, slug)
	if err != nil {
		return err
	}
	rep, err := s.store.ReportOfEvent(ctx, ev.ID)
	if err != nil {
		return err
	}
	if !event.Public(ev.Status) || rep.Status != event.ReportPublished {
		return s.showReportPreview(w, r, ev, rep)
	}
	var contact *store.Contact
	if rep.ContactID != nil {
		if contact, err = s.store.ContactByID(ctx, *rep.ContactID); err != nil {
			return err
		}
		visible, err := s.reportContactVisible(r, contact)
		if err != nil {
			return err
		}
		if !visible {
			contact = nil
		}
	}
	f := s.frame(r, rep.Title)
	f.Description = rep.Subtitle
	v := reportPageView(f, ev, rep, contact)
	if u := userFrom(ctx); u != nil && (u.Role == account.RoleEditor || u.Role == account.RoleAdmin) {
		v.EditHref = reportBase(ev)
	}
	v.JSONLD = s.reportLD(ev, rep)
	return s.render(w, r, pages.Report(v))
}

// reportContactVisible applies the privacy rule for people on report
// pages, the same as on event pages (eventVisibilities).
func (s *Server) reportContactVisible(r *http.Request, c *store.Contact) (bool, error) {
	vis, memberID := eventVisibilities(userFrom(r.Context()))
	if slices.Contains(vis, c.Visibility) {
		return true, nil
	}
	if c.Visibility != store.VisibilityMembers || memberID == 0 {
		return false, nil
	}
	return s.store.MemberOfContactInitiative(r.Context(), memberID, c.ID)
}

// reportPageView turns a report and its event into the public page.
func reportPageView(f layout.Frame, ev *store.Event, rep *store.Report, c *store.Contact) pages.ReportView {
	v := pages.ReportView{Frame: f, Kicker: rep.Kicker, Title: rep.Title, Subtitle: rep.Subtitle,
		Body: report.Render(rep.Body), SampleNote: rep.SampleNote, EventTitle: ev.Title,
		EventHref: paths.Event(ev.Slug), EventDate: germanDay(ev.StartsAt),
		EventDateISO: event.DateValue(ev.StartsAt), Kind: event.Label(event.Kinds, ev.Kind),
		Format: event.Label(event.Formats, ev.Format), Invitation: ev.Invitation, Host: ev.Host}
	if ev.ParticipantCount != nil {
		v.Participants = strconv.Itoa(*ev.ParticipantCount)
	}
	if rep.PublishedAt != nil {
		v.Published = germanDay(*rep.PublishedAt)
		if d := germanDay(rep.UpdatedAt); d != v.Published {
			v.Updated = d
		}
	}
	if c != nil {
		v.Contact = &pages.ReportContact{Name: c.Name, Role: rep.ContactRole, Email: c.Email}
		if v.Contact.Role == "" {
			v.Contact.Role = c.Function
		}
	}
	return v
}

// reportLD is the schema.org Report of a public report: no people, no
// online link, only what the page shows everyone.
type reportLD struct {
	Context       string     `json:"@context"`
	Type          string     `json:"@type"`
	Headline      string     `json:"headline"`
	Description   string     `json:"description,omitempty"`
	URL           string     `json:"url"`
	InLanguage    string     `json:"inLanguage"`
	Publisher     ldThing    `json:"publisher"`
	About         ldEventRef `json:"about"`
	DatePublished string     `json:"datePublished,omitempty"`
	DateModified  string     `json:"dateModified"`
}

// ldEventRef names the event a report is about.
type ldEventRef struct {
	Type      string `json:"@type"`
	Name      string `json:"name"`
	StartDate string `json:"startDate"`
	URL       string `json:"url"`
}

func (s *Server) reportLD(ev *store.Event, rep *store.Report) reportLD {
	ld := reportLD{Context: "https://schema.org", Type: "Report", Headline: rep.Title, Description: rep.Subtitle,
		URL: s.link(paths.Report(ev.Slug)), InLanguage: "de",
		Publisher: ldThing{Type: "Organization", Name: "Service- und Beratungsstelle für regionale Industrieinitiativen"},
		About: ldEventRef{Type: "Event", Name: ev.Title, StartDate: ev.StartsAt.Format(time.RFC3339),
			URL: s.link(paths.Event(ev.Slug))},
		DateModified: rep.UpdatedAt.Format(time.RFC3339)}
	if rep.PublishedAt != nil {
		ld.DatePublished = rep.PublishedAt.Format(time.RFC3339)
	}
	return ld
}

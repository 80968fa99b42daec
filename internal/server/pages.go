package server

import (
	"net/http"
	"strings"

	"rii/internal/event"
	"rii/web/pages"
	"rii/web/paths"
)

// homeHeading is the start page's h1 – also the kicker of the kick-off
// report, which the start page's teaser therefore leaves out.
const homeHeading = "Regionale Initiativen stärken"

// unlessSame is text, or "" when it only repeats heading.
func unlessSame(text, heading string) string {
	if strings.EqualFold(strings.TrimSpace(text), heading) {
		return ""
	}
	return text
}

// showHome is the start page: what the Service- und Beratungsstelle does.
func (s *Server) showHome(w http.ResponseWriter, r *http.Request) error {
	f := s.frame(r, "")
	f.Description = "Das Portal der Service- und Beratungsstelle für regionale Industrieinitiativen: Initiativen, Industriedialoge, Workshops und Berichte."
	v := pages.HomeView{Frame: f, Heading: homeHeading}
	events, err := s.store.UpcomingEvents(r.Context(), s.now(), 3)
	if err != nil {
		return err
	}
	for _, e := range events {
		v.Events = append(v.Events, pages.HomeEvent{Title: e.Title, Href: paths.Event(e.Slug),
			When: eventWhen(e.StartsAt, e.EndsAt), Kind: joinNonEmpty(", ", event.Label(event.Kinds, e.Kind),
				event.Label(event.Formats, e.Format), venue(e.Format, e.Place))})
	}
	// An event still to come is listed once, as upcoming; its report
	// joins the newest reports once the event has ended.
	reports, err := s.store.LatestReports(r.Context(), s.now(), 3)
	if err != nil {
		return err
	}
	for _, rep := range reports {
		v.Reports = append(v.Reports, pages.HomeReport{Kicker: unlessSame(rep.Kicker, homeHeading), Title: rep.Title,
			Subtitle: rep.Subtitle, Href: paths.Report(rep.EventSlug)})
	}
	return s.render(w, r, pages.Home(v))
}

func (s *Server) showImprint(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Imprint(s.frame(r, "Impressum")))
}

func (s *Server) showPrivacy(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Privacy(s.frame(r, "Datenschutzerklärung"), itoa(int64(s.retentionDays()))+" Tage"))
}

func (s *Server) showAccessibility(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Accessibility(s.frame(r, "Erklärung zur Barrierefreiheit")))
}

func (s *Server) showEasyLanguage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.EasyLanguage(s.frame(r, "Leichte Sprache")))
}

func (s *Server) showContact(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, pages.Contact(s.frame(r, "Kontakt")))
}

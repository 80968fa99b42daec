package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"rii/internal/event"
	"rii/internal/report"
	"rii/internal/store"
	"rii/web/pages"
	"rii/web/paths"
)

// topicInitiatives is how many initiatives a topic page lists before it
// links to the directory.
const topicInitiatives = 20

// listTopics is /themen: every topic with its counts.
func (s *Server) listTopics(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.TopicSummaries(r.Context())
	if err != nil {
		return err
	}
	frame := s.frame(r, "Themen")
	frame.Description = "Die Zukunftsthemen der Industrie: Initiativen, Veranstaltungen und Workshops zu jedem Thema."
	v := pages.TopicsView{Frame: frame}
	for _, t := range list {
		v.Topics = append(v.Topics, pages.TopicCard{Name: t.Name, Href: paths.Topic(t.Slug),
			Description: t.Description, Counts: topicCounts(t)})
	}
	return s.render(w, r, pages.Topics(v))
}

// showTopic is /themen/{topic}: one topic across everything public.
func (s *Server) showTopic(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "topic")
	if len(slug) > 60 || !slugCode.MatchString(slug) {
		return errNotFound
	}
	t, err := s.store.Topic(r.Context(), slug, topicInitiatives)
	if err != nil {
		return err
	}
	frame := s.frame(r, "Thema: "+t.Name)
	frame.Description = "Alles zum Thema " + t.Name + ": Veranstaltungen, Workshops mit ihren Ergebnissen, Berichte und Initiativen."
	v := pages.TopicView{Frame: frame, Name: t.Name, Paragraphs: paragraphs(t.Description), Counts: topicCounts(t.TopicSummary),
		InitiativesHref: "/initiativen?" + url.Values{paramTopic: {t.Slug}}.Encode(),
		MoreLabel:       "Alle Initiativen zum Thema im Verzeichnis (" + thousands(t.Initiatives) + ")"}
	for _, e := range t.Timeline {
		v.Timeline = append(v.Timeline, topicEventView(e))
	}
	for _, i := range t.InitiativeList {
		v.Initiatives = append(v.Initiatives, pages.TopicInitiative{Name: i.Name, Href: paths.Initiative(i.Slug),
			States: joinComma(i.States)})
	}
	return s.render(w, r, pages.Topic(v))
}

// topicEventView is an event of the timeline with its workshops on the topic.
func topicEventView(e store.TopicEvent) pages.TopicEvent {
	href := paths.Event(e.Slug)
	v := pages.TopicEvent{Title: e.Title, Href: href, Summary: e.Summary, Date: germanDay(e.StartsAt),
		DateTime: event.DateValue(e.StartsAt), Cancelled: e.Status == event.StatusCancelled,
		Meta: event.Label(event.Kinds, e.Kind) + " · " + event.Label(event.Formats, e.Format)}
	if !e.OnTopic {
		v.Note = "Die Veranstaltung hatte einen Workshop zu diesem Thema."
	}
	for _, ws := range e.Workshops {
		tw := pages.TopicWorkshop{Title: ws.Title, Href: href + "#workshop-" + itoa(ws.ID), Description: ws.Description}
		if ws.ParticipantCount != nil {
			tw.Participants = strconv.Itoa(*ws.ParticipantCount) + " Teilnehmende"
		}
		if strings.TrimSpace(ws.Results) != "" {
			tw.Results = report.RenderBelow(ws.Results, 5) // under the workshop's h4
		}
		v.Workshops = append(v.Workshops, tw)
	}
	if e.ReportTitle != nil {
		v.ReportTitle, v.ReportHref = *e.ReportTitle, paths.Report(e.Slug)
	}
	return v
}

// topicCounts is "3 Initiativen, 1 Veranstaltung, 2 Workshops".
func topicCounts(t store.TopicSummary) string {
	plural := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return thousands(n) + " " + many
	}
	return plural(t.Initiatives, "Initiative", "Initiativen") + ", " + plural(t.Events, "Veranstaltung", "Veranstaltungen") +
		", " + plural(t.Workshops, "Workshop", "Workshops")
}

package pages

import (
	"html/template"

	"rii/web/layout"
)

// TopicsView is /themen: every topic with its counts.
type TopicsView struct {
	layout.Frame
	Topics []TopicCard
}

// TopicCard is one topic in the list.
type TopicCard struct {
	Name, Href, Description string
	Counts                  string // "3 Initiativen, 1 Veranstaltung, 2 Workshops"
}

// TopicView is /themen/{topic}: one topic across everything.
type TopicView struct {
	layout.Frame
	Name        string
	Paragraphs  []string // the description
	Counts      string
	Timeline    []TopicEvent
	Initiatives []TopicInitiative
	// MoreInitiatives links to the directory filtered by the topic;
	// MoreLabel says how many there are.
	InitiativesHref, MoreLabel string
}

// TopicEvent is an event in a topic's timeline.
type TopicEvent struct {
	Title, Href, Meta, Summary string
	Date, DateTime             string // "16. März 2021", "2021-03-16"
	// Note says why an event not itself on the topic is listed.
	Note        string
	Cancelled   bool
	Workshops   []TopicWorkshop
	ReportTitle string
	ReportHref  string
}

// TopicWorkshop is a workshop on the topic with its results.
type TopicWorkshop struct {
	Title, Href, Description string
	Participants             string // "24 Teilnehmende", "" if unknown
	// Results are rendered and sanitised by internal/report.
	Results template.HTML
}

// TopicInitiative is an initiative working on the topic.
type TopicInitiative struct {
	Name, Href, States string
}

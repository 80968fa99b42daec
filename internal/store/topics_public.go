package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// TopicSummary is a topic of the vocabulary with how much public content
// is on it: published initiatives, events that are not drafts, and the
// workshops of such events.
type TopicSummary struct {
	Slug        string `db:"slug"`
	Name        string `db:"name"`
	Description string `db:"description"`
	Initiatives int    `db:"initiatives"`
	Events      int    `db:"events"`
	Workshops   int    `db:"workshops"`
}

// topicSummaryColumns select a TopicSummary from topics t.
const topicSummaryColumns = `t.slug, t.name, t.description,
	(SELECT count(*) FROM initiative_topics x JOIN initiatives i ON i.id = x.initiative_id
		WHERE x.topic = t.slug AND i.status = 'published')::int AS initiatives,
	(SELECT count(*) FROM event_topics x JOIN events e ON e.id = x.event_id
		WHERE x.topic = t.slug AND e.status <> 'draft')::int AS events,
	(SELECT count(*) FROM workshop_topics x JOIN workshops w ON w.id = x.workshop_id JOIN events e ON e.id = w.event_id
		WHERE x.topic = t.slug AND e.status <> 'draft')::int AS workshops`

// TopicSummaries lists every topic in vocabulary order with its counts.
// One statement.
func (s *Store) TopicSummaries(ctx context.Context) ([]TopicSummary, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+topicSummaryColumns+` FROM topics t ORDER BY t.position, t.name`)
	return collect[TopicSummary](rows, "topic summaries")
}

// TopicWorkshop is a workshop on a topic, with its results (Markdown).
type TopicWorkshop struct {
	ID               int64     `json:"id"`
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	Results          string    `json:"results"`
	StartsAt         time.Time `json:"starts_at"`
	ParticipantCount *int      `json:"participant_count"`
}

// TopicEvent is a public event in a topic's timeline: the event is on the
// topic, or one of its workshops is (then OnTopic is false). Workshops are
// those on the topic; ReportTitle is set when its report is published.
type TopicEvent struct {
	ID          int64           `db:"id"`
	Slug        string          `db:"slug"`
	Title       string          `db:"title"`
	Kind        string          `db:"kind"`
	Format      string          `db:"format"`
	Status      string          `db:"status"`
	StartsAt    time.Time       `db:"starts_at"`
	Summary     string          `db:"summary"`
	OnTopic     bool            `db:"on_topic"`
	ReportTitle *string         `db:"report_title"`
	Workshops   []TopicWorkshop `db:"workshops"`
}

// TopicInitiative is a published initiative working on a topic.
type TopicInitiative struct {
	Slug   string   `db:"slug"`
	Name   string   `db:"name"`
	States []string `db:"states"`
}

// TopicPage is everything public on one topic.
type TopicPage struct {
	TopicSummary
	Timeline       []TopicEvent      // newest first
	InitiativeList []TopicInitiative // the first ones, by name
}

// Topic gathers one topic across everything: its events and workshops as
// a timeline (newest first), each workshop with its results and each
// event with its published report, and the first initiativeLimit
// published initiatives on it, by name. Drafts never appear. An unknown
// slug is ErrNotFound. Three statements, whatever the amount of content.
func (s *Store) Topic(ctx context.Context, slug string, initiativeLimit int) (*TopicPage, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+topicSummaryColumns+` FROM topics t WHERE t.slug = $1`, slug)
	sum, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[TopicSummary])
	if err != nil {
		return nil, wrap(fmt.Sprintf("topic %q", slug), err, ErrNotFound)
	}
	p := &TopicPage{TopicSummary: sum}
	rows, _ = s.db.Query(ctx, `
		SELECT e.id, e.slug, e.title, e.kind, e.format, e.status, e.starts_at, e.summary,
			EXISTS (SELECT 1 FROM event_topics x WHERE x.event_id = e.id AND x.topic = $1) AS on_topic,
			(SELECT r.title FROM reports r WHERE r.event_id = e.id AND r.status = 'published') AS report_title,
			coalesce((SELECT json_agg(json_build_object('id', w.id, 'title', w.title, 'description', w.description,
					'results', w.results, 'starts_at', w.starts_at, 'participant_count', w.participant_count)
					ORDER BY w.starts_at, w.position, w.id)
				FROM workshops w JOIN workshop_topics x ON x.workshop_id = w.id AND x.topic = $1
				WHERE w.event_id = e.id), '[]') AS workshops
		FROM events e
		WHERE e.status <> 'draft' AND (e.id IN (SELECT event_id FROM event_topics WHERE topic = $1)
			OR e.id IN (SELECT w.event_id FROM workshops w JOIN workshop_topics x ON x.workshop_id = w.id WHERE x.topic = $1))
		ORDER BY e.starts_at DESC, e.id DESC`, slug)
	if p.Timeline, err = pgx.CollectRows(rows, pgx.RowToStructByName[TopicEvent]); err != nil {
		return nil, fmt.Errorf("store: topic timeline: %w", err)
	}
	rows, _ = s.db.Query(ctx, `
		SELECT i.slug, i.name,
			`+initiativeStates+` AS states
		FROM initiatives i JOIN initiative_topics x ON x.initiative_id = i.id AND x.topic = $1
		WHERE i.status = 'published'
		ORDER BY i.name COLLATE "de-DE-x-icu", i.id LIMIT $2`, slug, initiativeLimit)
	if p.InitiativeList, err = pgx.CollectRows(rows, pgx.RowToStructByName[TopicInitiative]); err != nil {
		return nil, fmt.Errorf("store: topic initiatives: %w", err)
	}
	return p, nil
}

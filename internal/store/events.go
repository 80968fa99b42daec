package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// EventFields are the editable facts of an event: what the event form edits.
type EventFields struct {
	Title       string    `db:"title"`
	Kind        string    `db:"kind"`
	Format      string    `db:"format"`
	StartsAt    time.Time `db:"starts_at"`
	EndsAt      time.Time `db:"ends_at"`
	Place       string    `db:"place"`
	StateCode   string    `db:"state_code"` // "" for none
	OnlineURL   string    `db:"online_url"`
	Host        string    `db:"host"`
	Invitation  string    `db:"invitation"`
	Summary     string    `db:"summary"`
	Description string    `db:"description"`
	Capacity    *int      `db:"capacity"`
	// Registration window; nil ends are open.
	RegistrationOpensAt  *time.Time `db:"registration_opens_at"`
	RegistrationClosesAt *time.Time `db:"registration_closes_at"`
	ParticipantCount     *int       `db:"participant_count"`
	Topics               []string   `db:"topics"`
	SampleNote           string     `db:"sample_note"`
}

// Event is an event with its status and bookkeeping.
type Event struct {
	ID           int64      `db:"id"`
	Slug         string     `db:"slug"`
	Status       string     `db:"status"`
	CancelNotice string     `db:"cancel_notice"`
	Version      int        `db:"version"`
	PublishedAt  *time.Time `db:"published_at"`
	CreatedAt    time.Time  `db:"created_at"`
	UpdatedAt    time.Time  `db:"updated_at"`
	EventFields
}

// CreateEvent inserts an event; a taken slug is ErrSlugTaken.
func (s *Store) CreateEvent(ctx context.Context, slug, status string, f EventFields, by Actor, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO events (slug, title, kind, format, starts_at, ends_at, place, state_code, online_url, host,
			invitation, summary, description, capacity, registration_opens_at, registration_closes_at,
			participant_count, sample_note, status, published_at, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, ''), $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
			CASE WHEN $19 <> 'draft' THEN $21::timestamptz END, $20, $21, $21)
		RETURNING id`,
		slug, f.Title, f.Kind, f.Format, f.StartsAt, f.EndsAt, f.Place, f.StateCode, f.OnlineURL, f.Host,
		f.Invitation, f.Summary, f.Description, f.Capacity, f.RegistrationOpensAt, f.RegistrationClosesAt,
		f.ParticipantCount, f.SampleNote, status, by.ID, now).Scan(&id)
	if err != nil {
		return 0, wrap("create event", err, nil)
	}
	return id, s.replaceEventTopics(ctx, id, f.Topics)
}

// UpdateEvent saves the facts if the event is still at version; otherwise
// ErrConflict and nothing changes. It returns the new version.
func (s *Store) UpdateEvent(ctx context.Context, id int64, version int, f EventFields, now time.Time) (int, error) {
	var next int
	err := s.db.QueryRow(ctx, `
		UPDATE events SET title = $3, kind = $4, format = $5, starts_at = $6, ends_at = $7, place = $8,
			state_code = nullif($9, ''), online_url = $10, host = $11, invitation = $12, summary = $13,
			description = $14, capacity = $15, registration_opens_at = $16, registration_closes_at = $17,
			participant_count = $18, sample_note = $19, updated_at = $20, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`,
		id, version, f.Title, f.Kind, f.Format, f.StartsAt, f.EndsAt, f.Place, f.StateCode, f.OnlineURL, f.Host,
		f.Invitation, f.Summary, f.Description, f.Capacity, f.RegistrationOpensAt, f.RegistrationClosesAt,
		f.ParticipantCount, f.SampleNote, now).Scan(&next)
	if err != nil {
		return 0, wrap("update event", err, ErrConflict)
	}
	return next, s.replaceEventTopics(ctx, id, f.Topics)
}

// SetEventStatus moves an event to status if it is still at version; the
// notice is kept for a cancellation. It returns the new version.
func (s *Store) SetEventStatus(ctx context.Context, id int64, version int, status, notice string, now time.Time) (int, error) {
	var next int
	err := s.db.QueryRow(ctx, `
		UPDATE events SET status = $3, cancel_notice = CASE WHEN $3 = 'cancelled' THEN $4 ELSE cancel_notice END,
			published_at = CASE WHEN $3 = 'draft' THEN NULL ELSE coalesce(published_at, $5) END,
			updated_at = $5, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`, id, version, status, notice, now).Scan(&next)
	if err != nil {
		return 0, wrap("event status", err, ErrConflict)
	}
	return next, nil
}

func (s *Store) replaceEventTopics(ctx context.Context, id int64, topics []string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM event_topics WHERE event_id = $1`, id); err != nil {
		return fmt.Errorf("store: event topics: %w", err)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO event_topics (event_id, topic)
		SELECT $1, t FROM unnest($2::text[]) t ON CONFLICT DO NOTHING`, id, topics)
	if err != nil {
		return fmt.Errorf("store: event topics: %w", err)
	}
	return nil
}

// eventColumns are the columns of an Event, for RowToStructByName.
const eventColumns = `e.id, e.slug, e.status, e.cancel_notice, e.version, e.published_at, e.created_at, e.updated_at,
	e.title, e.kind, e.format, e.starts_at, e.ends_at, e.place, coalesce(e.state_code, '') AS state_code, e.online_url,
	e.host, e.invitation, e.summary, e.description, e.capacity, e.registration_opens_at, e.registration_closes_at,
	e.participant_count, e.sample_note,
	array(SELECT topic FROM event_topics WHERE event_id = e.id ORDER BY topic) AS topics`

// oneEvent loads the event the condition where selects.
func (s *Store) oneEvent(ctx context.Context, where string, arg any) (*Event, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+eventColumns+` FROM events e WHERE `+where, arg)
	return pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Event])
}

// Event loads an event in any status.
func (s *Store) Event(ctx context.Context, id int64) (*Event, error) {
	e, err := s.oneEvent(ctx, `e.id = $1`, id)
	if err != nil {
		return nil, wrap("event", err, ErrNotFound)
	}
	return e, nil
}

// EventBySlug loads an event in any status by its slug.
func (s *Store) EventBySlug(ctx context.Context, slug string) (*Event, error) {
	e, err := s.oneEvent(ctx, `e.slug = $1`, slug)
	if err != nil {
		return nil, wrap("event by slug", err, ErrNotFound)
	}
	return e, nil
}

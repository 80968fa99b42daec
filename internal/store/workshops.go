package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WorkshopFields are the editable facts of a workshop.
type WorkshopFields struct {
	Title            string        `db:"title"`
	Description      string        `db:"description"`
	StartsAt         time.Time     `db:"starts_at"`
	EndsAt           time.Time     `db:"ends_at"`
	Capacity         *int          `db:"capacity"`
	Place            string        `db:"place"`
	OnlineURL        string        `db:"online_url"`
	Results          string        `db:"results"`
	ParticipantCount *int          `db:"participant_count"`
	Sample           bool          `db:"sample"`
	Position         int           `db:"position"`
	Topics           []string      `db:"topics"`
	Moderators       []StagePerson `db:"moderators"`
	Initiatives      []int64       `db:"initiatives"` // contributing, in order
}

// Workshop is a workshop of an event.
type Workshop struct {
	ID        int64     `db:"id"`
	EventID   int64     `db:"event_id"`
	Version   int       `db:"version"`
	UpdatedAt time.Time `db:"updated_at"`
	WorkshopFields
}

// CreateWorkshop adds a workshop to an event.
func (s *Store) CreateWorkshop(ctx context.Context, eventID int64, f WorkshopFields, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO workshops (event_id, title, description, starts_at, ends_at, capacity, place, online_url, results,
			participant_count, sample, position, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		eventID, f.Title, f.Description, f.StartsAt, f.EndsAt, f.Capacity, f.Place, f.OnlineURL, f.Results,
		f.ParticipantCount, f.Sample, f.Position, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create workshop: %w", err)
	}
	return id, s.replaceWorkshopLinks(ctx, id, f)
}

// UpdateWorkshop saves a workshop of eventID if it is still at version;
// otherwise ErrConflict. It returns the new version.
func (s *Store) UpdateWorkshop(ctx context.Context, eventID, id int64, version int, f WorkshopFields, now time.Time) (int, error) {
	var next int
	err := s.db.QueryRow(ctx, `
		UPDATE workshops SET title = $4, description = $5, starts_at = $6, ends_at = $7, capacity = $8, place = $9,
			online_url = $10, results = $11, participant_count = $12, sample = $13, position = $14, updated_at = $15,
			version = version + 1
		WHERE id = $1 AND event_id = $2 AND version = $3 RETURNING version`,
		id, eventID, version, f.Title, f.Description, f.StartsAt, f.EndsAt, f.Capacity, f.Place, f.OnlineURL,
		f.Results, f.ParticipantCount, f.Sample, f.Position, now).Scan(&next)
	if err = wrap("update workshop", err, ErrConflict); errors.Is(err, ErrConflict) {
		if _, err := s.Workshop(ctx, eventID, id); err != nil {
			return 0, err // gone rather than changed
		}
	}
	if err != nil {
		return 0, err
	}
	return next, s.replaceWorkshopLinks(ctx, id, f)
}

// DeleteWorkshop removes a workshop of an event.
func (s *Store) DeleteWorkshop(ctx context.Context, eventID, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM workshops WHERE id = $1 AND event_id = $2`, id, eventID)
	if err != nil {
		return fmt.Errorf("store: delete workshop: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: delete workshop: %w", ErrNotFound)
	}
	return nil
}

func (s *Store) replaceWorkshopLinks(ctx context.Context, id int64, f WorkshopFields) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM workshop_topics WHERE workshop_id = $1`, id); err != nil {
		return fmt.Errorf("store: workshop topics: %w", err)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO workshop_topics (workshop_id, topic)
		SELECT $1, t FROM unnest($2::text[]) t ON CONFLICT DO NOTHING`, id, f.Topics)
	if err != nil {
		return fmt.Errorf("store: workshop topics: %w", err)
	}
	return s.replacePeopleAndInitiatives(ctx, id, "workshop_moderators", "workshop_id", "workshop_initiatives",
		f.Moderators, f.Initiatives)
}

// workshopColumns are the columns of a Workshop, for RowToStructByName.
const workshopColumns = `w.id, w.event_id, w.version, w.updated_at, w.title, w.description, w.starts_at, w.ends_at,
	w.capacity, w.place, w.online_url, w.results, w.participant_count, w.sample, w.position,
	array(SELECT topic FROM workshop_topics WHERE workshop_id = w.id ORDER BY topic) AS topics,
	coalesce((SELECT jsonb_agg(jsonb_build_object('contact_id', contact_id, 'function', function) ORDER BY position)
		FROM workshop_moderators WHERE workshop_id = w.id), '[]') AS moderators,
	array(SELECT initiative_id FROM workshop_initiatives WHERE workshop_id = w.id ORDER BY position) AS initiatives`

// Workshop loads one workshop of an event.
func (s *Store) Workshop(ctx context.Context, eventID, id int64) (*Workshop, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+workshopColumns+` FROM workshops w
		WHERE w.id = $1 AND w.event_id = $2`, id, eventID)
	w, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[Workshop])
	if err != nil {
		return nil, wrap("workshop", err, ErrNotFound)
	}
	return w, nil
}

// Workshops lists an event's workshops by time slot and position.
func (s *Store) Workshops(ctx context.Context, eventID int64) ([]Workshop, error) {
	rows, err := s.db.Query(ctx, `SELECT `+workshopColumns+` FROM workshops w WHERE w.event_id = $1
		ORDER BY w.starts_at, w.position, w.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: workshops: %w", err)
	}
	return collect[Workshop](rows, "workshops")
}

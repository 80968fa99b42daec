package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// EventFields are the editable facts of an event: what the event form edits.
type EventFields struct {
	Title       string
	Kind        string
	Format      string
	StartsAt    time.Time
	EndsAt      time.Time
	Place       string
	StateCode   string // "" for none
	OnlineURL   string
	Host        string
	Invitation  string
	Summary     string
	Description string
	Capacity    *int
	// Registration window; nil ends are open.
	RegistrationOpensAt  *time.Time
	RegistrationClosesAt *time.Time
	ParticipantCount     *int
	Topics               []string
	SampleNote           string
}

// Event is an event with its status and bookkeeping.
type Event struct {
	ID           int64
	Slug         string
	Status       string
	CancelNotice string
	Version      int
	PublishedAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
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
	if isUniqueViolation(err, "events_slug_key") {
		return 0, fmt.Errorf("store: create event: %w", ErrSlugTaken)
	}
	if err != nil {
		return 0, fmt.Errorf("store: create event: %w", err)
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
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("store: update event: %w", ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("store: update event: %w", err)
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
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("store: event status: %w", ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("store: event status: %w", err)
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

// eventColumns are the columns scanEvent reads, in its order.
const eventColumns = `e.id, e.slug, e.status, e.cancel_notice, e.version, e.published_at, e.created_at, e.updated_at,
	e.title, e.kind, e.format, e.starts_at, e.ends_at, e.place, coalesce(e.state_code, ''), e.online_url, e.host,
	e.invitation, e.summary, e.description, e.capacity, e.registration_opens_at, e.registration_closes_at,
	e.participant_count, e.sample_note,
	array(SELECT topic FROM event_topics WHERE event_id = e.id ORDER BY topic)`

func scanEvent(row pgx.Row) (*Event, error) {
	var e Event
	err := row.Scan(&e.ID, &e.Slug, &e.Status, &e.CancelNotice, &e.Version, &e.PublishedAt, &e.CreatedAt,
		&e.UpdatedAt, &e.Title, &e.Kind, &e.Format, &e.StartsAt, &e.EndsAt, &e.Place, &e.StateCode, &e.OnlineURL,
		&e.Host, &e.Invitation, &e.Summary, &e.Description, &e.Capacity, &e.RegistrationOpensAt,
		&e.RegistrationClosesAt, &e.ParticipantCount, &e.SampleNote, &e.Topics)
	return &e, err
}

// Event loads an event in any status.
func (s *Store) Event(ctx context.Context, id int64) (*Event, error) {
	e, err := scanEvent(s.db.QueryRow(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("store: event: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: event: %w", err)
	}
	return e, nil
}

// EventBySlug loads an event in any status by its slug.
func (s *Store) EventBySlug(ctx context.Context, slug string) (*Event, error) {
	e, err := scanEvent(s.db.QueryRow(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.slug = $1`, slug))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("store: event by slug: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: event by slug: %w", err)
	}
	return e, nil
}

// StagePerson is a contact on stage (or moderating) with their function
// for that item.
type StagePerson struct {
	ContactID int64  `json:"contact_id"`
	Function  string `json:"function"`
}

// ProgrammeItem is one entry of an event's programme.
type ProgrammeItem struct {
	ID          int64
	EventID     int64
	StartsAt    time.Time
	EndsAt      *time.Time
	Title       string
	Kind        string
	Description string
	Position    int
	People      []StagePerson
	Initiatives []int64 // presenting, in order
}

// CreateProgrammeItem adds an item to its event's programme.
func (s *Store) CreateProgrammeItem(ctx context.Context, it ProgrammeItem) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO programme_items (event_id, starts_at, ends_at, title, kind, description, position)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		it.EventID, it.StartsAt, it.EndsAt, it.Title, it.Kind, it.Description, it.Position).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create programme item: %w", err)
	}
	return id, s.replaceItemLinks(ctx, id, it)
}

// UpdateProgrammeItem saves an item of the event it.EventID.
func (s *Store) UpdateProgrammeItem(ctx context.Context, it ProgrammeItem) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE programme_items SET starts_at = $3, ends_at = $4, title = $5, kind = $6, description = $7, position = $8
		WHERE id = $1 AND event_id = $2`,
		it.ID, it.EventID, it.StartsAt, it.EndsAt, it.Title, it.Kind, it.Description, it.Position)
	if err != nil {
		return fmt.Errorf("store: update programme item: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: update programme item: %w", ErrNotFound)
	}
	return s.replaceItemLinks(ctx, it.ID, it)
}

// DeleteProgrammeItem removes an item of an event.
func (s *Store) DeleteProgrammeItem(ctx context.Context, eventID, itemID int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM programme_items WHERE id = $1 AND event_id = $2`, itemID, eventID)
	if err != nil {
		return fmt.Errorf("store: delete programme item: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: delete programme item: %w", ErrNotFound)
	}
	return nil
}

func (s *Store) replaceItemLinks(ctx context.Context, id int64, it ProgrammeItem) error {
	return s.replacePeopleAndInitiatives(ctx, id, "programme_item_people", "item_id",
		"programme_item_initiatives", it.People, it.Initiatives)
}

// replacePeopleAndInitiatives rewrites the people and initiative links of a
// programme item or workshop in two statements each, whatever their number.
// Table names come from the callers above, never from input.
func (s *Store) replacePeopleAndInitiatives(ctx context.Context, id int64, peopleTable, key, initTable string,
	people []StagePerson, initiatives []int64) error {
	contacts := make([]int64, len(people))
	functions := make([]string, len(people))
	for i, p := range people {
		contacts[i], functions[i] = p.ContactID, p.Function
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM ` + peopleTable + ` WHERE ` + key + ` = $1`, []any{id}},
		{`INSERT INTO ` + peopleTable + ` (` + key + `, contact_id, function, position)
			SELECT $1, c, f, n FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS x(c, f, n)
			ON CONFLICT DO NOTHING`, []any{id, contacts, functions}},
		{`DELETE FROM ` + initTable + ` WHERE ` + key + ` = $1`, []any{id}},
		{`INSERT INTO ` + initTable + ` (` + key + `, initiative_id, position)
			SELECT $1, i, n FROM unnest($2::bigint[]) WITH ORDINALITY AS x(i, n) ON CONFLICT DO NOTHING`,
			[]any{id, initiatives}},
	}
	for _, st := range stmts {
		if _, err := s.db.Exec(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("store: %s links: %w", peopleTable, err)
		}
	}
	return nil
}

// ProgrammeItems lists an event's programme in order, with its links.
func (s *Store) ProgrammeItems(ctx context.Context, eventID int64) ([]ProgrammeItem, error) {
	return s.programmeItems(ctx, eventID, 0)
}

// programmeItems loads the items of an event, or only item itemID when it
// is not 0.
func (s *Store) programmeItems(ctx context.Context, eventID, itemID int64) ([]ProgrammeItem, error) {
	rows, err := s.db.Query(ctx, `
		SELECT p.id, p.event_id, p.starts_at, p.ends_at, p.title, p.kind, p.description, p.position,
			coalesce((SELECT jsonb_agg(jsonb_build_object('contact_id', contact_id, 'function', function) ORDER BY position)
				FROM programme_item_people WHERE item_id = p.id), '[]'),
			array(SELECT initiative_id FROM programme_item_initiatives WHERE item_id = p.id ORDER BY position)
		FROM programme_items p WHERE p.event_id = $1 AND ($2::bigint = 0 OR p.id = $2)
		ORDER BY p.starts_at, p.position, p.id`, eventID, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: programme items: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ProgrammeItem, error) {
		var it ProgrammeItem
		err := row.Scan(&it.ID, &it.EventID, &it.StartsAt, &it.EndsAt, &it.Title, &it.Kind, &it.Description,
			&it.Position, &it.People, &it.Initiatives)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: programme items: %w", err)
	}
	return items, nil
}

// WorkshopFields are the editable facts of a workshop.
type WorkshopFields struct {
	Title            string
	Description      string
	StartsAt         time.Time
	EndsAt           time.Time
	Capacity         *int
	Place            string
	OnlineURL        string
	Results          string
	ParticipantCount *int
	Sample           bool
	Position         int
	Topics           []string
	Moderators       []StagePerson
	Initiatives      []int64 // contributing, in order
}

// Workshop is a workshop of an event.
type Workshop struct {
	ID        int64
	EventID   int64
	Version   int
	UpdatedAt time.Time
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
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := s.Workshop(ctx, eventID, id); err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("store: update workshop: %w", ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("store: update workshop: %w", err)
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

// workshopColumns are the columns scanWorkshop reads, in its order.
const workshopColumns = `w.id, w.event_id, w.version, w.updated_at, w.title, w.description, w.starts_at, w.ends_at,
	w.capacity, w.place, w.online_url, w.results, w.participant_count, w.sample, w.position,
	array(SELECT topic FROM workshop_topics WHERE workshop_id = w.id ORDER BY topic),
	coalesce((SELECT jsonb_agg(jsonb_build_object('contact_id', contact_id, 'function', function) ORDER BY position)
		FROM workshop_moderators WHERE workshop_id = w.id), '[]'),
	array(SELECT initiative_id FROM workshop_initiatives WHERE workshop_id = w.id ORDER BY position)`

func scanWorkshop(row pgx.Row) (Workshop, error) {
	var w Workshop
	err := row.Scan(&w.ID, &w.EventID, &w.Version, &w.UpdatedAt, &w.Title, &w.Description, &w.StartsAt, &w.EndsAt,
		&w.Capacity, &w.Place, &w.OnlineURL, &w.Results, &w.ParticipantCount, &w.Sample, &w.Position, &w.Topics,
		&w.Moderators, &w.Initiatives)
	return w, err
}

// Workshop loads one workshop of an event.
func (s *Store) Workshop(ctx context.Context, eventID, id int64) (*Workshop, error) {
	w, err := scanWorkshop(s.db.QueryRow(ctx, `SELECT `+workshopColumns+` FROM workshops w
		WHERE w.id = $1 AND w.event_id = $2`, id, eventID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("store: workshop: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: workshop: %w", err)
	}
	return &w, nil
}

// Workshops lists an event's workshops by time slot and position.
func (s *Store) Workshops(ctx context.Context, eventID int64) ([]Workshop, error) {
	rows, err := s.db.Query(ctx, `SELECT `+workshopColumns+` FROM workshops w WHERE w.event_id = $1
		ORDER BY w.starts_at, w.position, w.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: workshops: %w", err)
	}
	ws, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Workshop, error) { return scanWorkshop(row) })
	if err != nil {
		return nil, fmt.Errorf("store: workshops: %w", err)
	}
	return ws, nil
}

package store

import (
	"context"
	"fmt"
	"time"
)

// StagePerson is a contact on stage (or moderating) with their function
// for that item.
type StagePerson struct {
	ContactID int64  `json:"contact_id"`
	Function  string `json:"function"`
}

// ProgrammeItem is one entry of an event's programme.
type ProgrammeItem struct {
	ID          int64         `db:"id"`
	EventID     int64         `db:"event_id"`
	StartsAt    time.Time     `db:"starts_at"`
	EndsAt      *time.Time    `db:"ends_at"`
	Title       string        `db:"title"`
	Kind        string        `db:"kind"`
	Description string        `db:"description"`
	Position    int           `db:"position"`
	People      []StagePerson `db:"people"`
	Initiatives []int64       `db:"initiatives"` // presenting, in order
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
				FROM programme_item_people WHERE item_id = p.id), '[]') AS people,
			array(SELECT initiative_id FROM programme_item_initiatives WHERE item_id = p.id ORDER BY position) AS initiatives
		FROM programme_items p WHERE p.event_id = $1 AND ($2::bigint = 0 OR p.id = $2)
		ORDER BY p.starts_at, p.position, p.id`, eventID, itemID)
	if err != nil {
		return nil, fmt.Errorf("store: programme items: %w", err)
	}
	return collect[ProgrammeItem](rows, "programme items")
}

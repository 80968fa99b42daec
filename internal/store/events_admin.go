package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// What the Service-Stelle's event pages read besides the events
// themselves: the list, the people and initiatives to choose from, and a
// contact's event roles for the DSGVO export.

// Event list orders.
const (
	EventOrderNewest   = "neueste"  // latest start first
	EventOrderUpcoming = "naechste" // coming ones soonest first, then past ones latest first
)

// EventFilter selects events for the administration's list.
type EventFilter struct {
	Status        string // "" for all
	Order         string // EventOrderNewest (default) or EventOrderUpcoming
	Now           time.Time
	Limit, Offset int
}

// EventRow is one event in the administration's list.
type EventRow struct {
	ID           int64     `db:"id"`
	Title        string    `db:"title"`
	Status       string    `db:"status"`
	Kind         string    `db:"kind"`
	StartsAt     time.Time `db:"starts_at"`
	EndsAt       time.Time `db:"ends_at"`
	Items        int       `db:"items"`
	Workshops    int       `db:"workshops"`
	ReportStatus string    `db:"report_status"` // "" without a report
	Total        int       `db:"total"`         // events under the filter, all pages
}

// ListEvents returns a page of events in any status and how many match.
func (s *Store) ListEvents(ctx context.Context, f EventFilter) ([]EventRow, int, error) {
	order := `e.starts_at DESC, e.id DESC`
	args := []any{f.Status, f.Limit, f.Offset}
	if f.Order == EventOrderUpcoming {
		order = `(e.ends_at < $4), CASE WHEN e.ends_at >= $4 THEN e.starts_at END, e.starts_at DESC, e.id DESC`
		args = append(args, f.Now)
	}
	rows, _ := s.db.Query(ctx, `
		SELECT e.id, e.title, e.status, e.kind, e.starts_at, e.ends_at,
			(SELECT count(*) FROM programme_items WHERE event_id = e.id)::int AS items,
			(SELECT count(*) FROM workshops WHERE event_id = e.id)::int AS workshops,
			coalesce((SELECT status FROM reports WHERE event_id = e.id), '') AS report_status,
			(count(*) OVER ())::int AS total
		FROM events e WHERE ($1 = '' OR e.status = $1)
		ORDER BY `+order+` LIMIT $2 OFFSET $3`, args...)
	list, total, err := collectPage(rows, "list events", func(x EventRow) int { return x.Total })
	if err != nil {
		return nil, 0, err
	}
	total, err = s.totalPastEnd(ctx, total, len(list), f.Offset, "count events",
		`SELECT count(*) FROM events WHERE ($1 = '' OR status = $1)`, f.Status)
	return list, total, err
}

// EventStatusCounts counts the events in each status.
func (s *Store) EventStatusCounts(ctx context.Context) (map[string]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT status, count(*)::int FROM events GROUP BY status`)
	counts := map[string]int{}
	var st string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&st, &n}, func() error { counts[st] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("store: event status counts: %w", err)
	}
	return counts, nil
}

// CompleteEvent marks a published event as held, with how many took part,
// if it is still at version; otherwise ErrConflict. It returns the new
// version.
func (s *Store) CompleteEvent(ctx context.Context, id int64, version, participants int, now time.Time) (int, error) {
	var next int
	err := s.db.QueryRow(ctx, `
		UPDATE events SET status = 'completed', participant_count = $3, updated_at = $4, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`, id, version, participants, now).Scan(&next)
	if err != nil {
		return 0, wrap("complete event", err, ErrConflict)
	}
	return next, nil
}

// ProgrammeItem loads one item of an event, with its links.
func (s *Store) ProgrammeItem(ctx context.Context, eventID, itemID int64) (*ProgrammeItem, error) {
	if itemID <= 0 { // 0 would mean every item
		return nil, fmt.Errorf("store: programme item: %w", ErrNotFound)
	}
	items, err := s.programmeItems(ctx, eventID, itemID)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("store: programme item: %w", ErrNotFound)
	}
	return &items[0], nil
}

// InitiativeChoice is an initiative named in a programme item or workshop.
type InitiativeChoice struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
	Slug string `db:"slug"`
}

// InitiativesByID loads the names of initiatives.
func (s *Store) InitiativesByID(ctx context.Context, ids []int64) (map[int64]InitiativeChoice, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, name, slug FROM initiatives WHERE id = ANY($1)`, ids)
	list, err := collect[InitiativeChoice](rows, "initiatives by id")
	if err != nil {
		return nil, err
	}
	out := make(map[int64]InitiativeChoice, len(list))
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// ContactEventRole is a part a contact person has in an event: on stage
// in a programme item, moderating a workshop, or named under a report.
type ContactEventRole struct {
	EventTitle string    `db:"event_title"`
	EventSlug  string    `db:"event_slug"`
	EventStart time.Time `db:"event_start"`
	Part       string    `db:"part"` // "programme", "workshop" or "report"
	Title      string    `db:"title"`
	Function   string    `db:"function"`
}

// ContactEventRoles lists a contact's event roles, by event date.
func (s *Store) ContactEventRoles(ctx context.Context, contactID int64) ([]ContactEventRole, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT e.title AS event_title, e.slug AS event_slug, e.starts_at AS event_start, 'programme' AS part,
			p.title, pp.function
		FROM programme_item_people pp JOIN programme_items p ON p.id = pp.item_id JOIN events e ON e.id = p.event_id
		WHERE pp.contact_id = $1
		UNION ALL
		SELECT e.title, e.slug, e.starts_at, 'workshop', w.title, wm.function
		FROM workshop_moderators wm JOIN workshops w ON w.id = wm.workshop_id JOIN events e ON e.id = w.event_id
		WHERE wm.contact_id = $1
		UNION ALL
		SELECT e.title, e.slug, e.starts_at, 'report', r.title, r.contact_role
		FROM reports r JOIN events e ON e.id = r.event_id
		WHERE r.contact_id = $1
		ORDER BY event_start, event_slug, part, title`, contactID)
	return collect[ContactEventRole](rows, "contact event roles")
}

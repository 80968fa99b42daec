package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// What the Service-Stelle needs to know before and after publishing: who
// will not appear publicly, whether people registered, and which reports
// the start page shows.

// HiddenPerson is a contact named in an event's programme or workshops
// whose visibility keeps them off public pages.
type HiddenPerson struct {
	ID         int64  `db:"id"`
	Name       string `db:"name"`
	Visibility string `db:"visibility"`
}

// HiddenEventPeople lists the people on stage or moderating at event
// eventID who are not public, once each, by name.
func (s *Store) HiddenEventPeople(ctx context.Context, eventID int64) ([]HiddenPerson, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT DISTINCT c.id, c.name, c.visibility FROM contacts c
		WHERE c.visibility <> 'public' AND c.id IN (
			SELECT p.contact_id FROM programme_item_people p JOIN programme_items it ON it.id = p.item_id
			WHERE it.event_id = $1
			UNION
			SELECT m.contact_id FROM workshop_moderators m JOIN workshops w ON w.id = m.workshop_id
			WHERE w.event_id = $1)
		ORDER BY c.name, c.id`, eventID)
	return collect[HiddenPerson](rows, "hidden event people")
}

// HiddenContacts lists which of the contacts ids are not public.
func (s *Store) HiddenContacts(ctx context.Context, ids []int64) ([]HiddenPerson, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, name, visibility FROM contacts
		WHERE id = ANY($1) AND visibility <> 'public' ORDER BY name, id`, ids)
	return collect[HiddenPerson](rows, "hidden contacts")
}

// ActiveRegistrations counts the registrations of an event that are not
// cancelled or lapsed: people who expect the event to take place.
func (s *Store) ActiveRegistrations(ctx context.Context, eventID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM registrations
		WHERE event_id = $1 AND status NOT IN ('cancelled', 'lapsed')`, eventID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: active registrations: %w", err)
	}
	return n, nil
}

// LatestReports lists the newest published reports for the start page,
// leaving out those whose event is still to come: the start page lists
// such an event once, as upcoming (UpcomingEvents), never also as a report.
func (s *Store) LatestReports(ctx context.Context, now time.Time, limit int) ([]ReportListItem, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT r.id, e.slug AS event_slug, e.title AS event_title, e.starts_at AS event_starts, r.kicker, r.title,
			r.subtitle, '' AS body, r.published_at, r.updated_at, 0 AS total
		FROM reports r JOIN events e ON e.id = r.event_id
		WHERE `+publicReports+` AND NOT (`+upcomingEvent+`)
		ORDER BY r.published_at DESC, r.id DESC LIMIT $2`, now, limit)
	return collect[ReportListItem](rows, "latest reports")
}

// RecordReportStatus adds the report's version made by a status change
// to its history: the status before and after, the text as it stands.
func (s *Store) RecordReportStatus(ctx context.Context, id int64, version int, from, to string, by Actor, now time.Time) error {
	rep, err := s.ReportByID(ctx, id)
	if err != nil {
		return err
	}
	snapshot, err := json.Marshal(rep.ReportFields)
	if err != nil {
		return fmt.Errorf("store: report status revision: %w", err)
	}
	changes := map[string]any{"status": map[string]any{"from": from, "to": to}}
	_, err = s.db.Exec(ctx, `
		INSERT INTO report_revisions (report_id, version, at, actor_id, actor, changes, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, version, now, by.ID, by.Label, changes, snapshot)
	if err != nil {
		return fmt.Errorf("store: report status revision: %w", err)
	}
	return nil
}

// StatusChange is one recorded status change of an object.
type StatusChange struct {
	At    time.Time `db:"at"`
	Actor string    `db:"actor"` // the user's name, never an address
	From  string    `db:"from_status"`
	To    string    `db:"to_status"`
}

// StatusChanges lists the audited status changes (action) of an object,
// newest first.
func (s *Store) StatusChanges(ctx context.Context, objectType, id, action string, limit int) ([]StatusChange, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT a.at, coalesce(u.name, '–') AS actor, coalesce(a.details->>'from', '') AS from_status,
			coalesce(a.details->>'to', '') AS to_status
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
		WHERE a.object_type = $1 AND a.object_id = $2 AND a.action = $3
		ORDER BY a.at DESC, a.id DESC LIMIT $4`, objectType, id, action, limit)
	return collect[StatusChange](rows, "status changes")
}

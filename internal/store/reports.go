package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrReportExists is returned when an event already has its report.
var ErrReportExists = errors.New("report exists")

// ReportFields are the editable content of a report: what the form edits
// and what a revision stores.
type ReportFields struct {
	Kicker      string `json:"kicker"`
	Title       string `json:"title"`
	Subtitle    string `json:"subtitle"`
	Body        string `json:"body"` // Markdown with the portal's extensions
	ContactID   *int64 `json:"contact_id"`
	ContactRole string `json:"contact_role"`
	SampleNote  string `json:"sample_note"`
}

// Report is an event's report with its status and bookkeeping.
type Report struct {
	ID          int64
	EventID     int64
	Status      string
	Version     int
	PublishedAt *time.Time
	UpdatedAt   time.Time
	ReportFields
}

// CreateReport writes the report of an event with its first revision; a
// second report for the same event is ErrReportExists.
func (s *Store) CreateReport(ctx context.Context, eventID int64, status string, f ReportFields, by Actor, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO reports (event_id, kicker, title, subtitle, body, contact_id, contact_role, sample_note, status,
			published_at, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $9 = 'published' THEN $11::timestamptz END, $10, $11, $11)
		RETURNING id`,
		eventID, f.Kicker, f.Title, f.Subtitle, f.Body, f.ContactID, f.ContactRole, f.SampleNote, status, by.ID, now).Scan(&id)
	if isUniqueViolation(err, "reports_event_id_key") {
		return 0, fmt.Errorf("store: create report: %w", ErrReportExists)
	}
	if err != nil {
		return 0, fmt.Errorf("store: create report: %w", err)
	}
	return id, s.addReportRevision(ctx, id, 1, nil, f, by, now)
}

// UpdateReport saves a report if it is still at version; otherwise
// ErrConflict and nothing changes. It returns the new version.
func (s *Store) UpdateReport(ctx context.Context, id int64, version int, f ReportFields, by Actor, now time.Time) (int, error) {
	before, err := s.ReportByID(ctx, id)
	if err != nil {
		return 0, err
	}
	var next int
	err = s.db.QueryRow(ctx, `
		UPDATE reports SET kicker = $3, title = $4, subtitle = $5, body = $6, contact_id = $7, contact_role = $8,
			sample_note = $9, updated_at = $10, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`,
		id, version, f.Kicker, f.Title, f.Subtitle, f.Body, f.ContactID, f.ContactRole, f.SampleNote, now).Scan(&next)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("store: update report: %w", ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("store: update report: %w", err)
	}
	return next, s.addReportRevision(ctx, id, next, &before.ReportFields, f, by, now)
}

// SetReportStatus publishes a report or takes it back to draft if it is
// still at version. It returns the new version.
func (s *Store) SetReportStatus(ctx context.Context, id int64, version int, status string, now time.Time) (int, error) {
	var next int
	err := s.db.QueryRow(ctx, `
		UPDATE reports SET status = $3, published_at = CASE WHEN $3 = 'published' THEN coalesce(published_at, $4) END,
			updated_at = $4, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`, id, version, status, now).Scan(&next)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("store: report status: %w", ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("store: report status: %w", err)
	}
	return next, nil
}

const reportColumns = `id, event_id, status, version, published_at, updated_at, kicker, title, subtitle, body,
	contact_id, contact_role, sample_note`

func scanReport(row pgx.Row, what string) (*Report, error) {
	var r Report
	err := row.Scan(&r.ID, &r.EventID, &r.Status, &r.Version, &r.PublishedAt, &r.UpdatedAt, &r.Kicker, &r.Title,
		&r.Subtitle, &r.Body, &r.ContactID, &r.ContactRole, &r.SampleNote)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return &r, nil
}

// ReportByID loads a report in any status.
func (s *Store) ReportByID(ctx context.Context, id int64) (*Report, error) {
	return scanReport(s.db.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1`, id), "report")
}

// ReportOfEvent loads the report of an event in any status.
func (s *Store) ReportOfEvent(ctx context.Context, eventID int64) (*Report, error) {
	return scanReport(s.db.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE event_id = $1`, eventID), "report of event")
}

// addReportRevision records a version: the changed fields and the whole report.
func (s *Store) addReportRevision(ctx context.Context, id int64, version int, before *ReportFields, after ReportFields, by Actor, now time.Time) error {
	changes := map[string]any{}
	if before != nil {
		changes = diffJSON(*before, after)
	}
	snapshot, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("store: report revision: %w", err)
	}
	_, err = s.db.Exec(ctx, `
		INSERT INTO report_revisions (report_id, version, at, actor_id, actor, changes, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, version, now, by.ID, by.Label, changes, snapshot)
	if err != nil {
		return fmt.Errorf("store: report revision: %w", err)
	}
	return nil
}

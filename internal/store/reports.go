package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

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
	if err != nil {
		return 0, wrap("create report", err, nil)
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
	if err != nil {
		return 0, wrap("update report", err, ErrConflict)
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
	if err != nil {
		return 0, wrap("report status", err, ErrConflict)
	}
	return next, nil
}

const reportColumns = `id, event_id, status, version, published_at, updated_at, kicker, title, subtitle, body,
	contact_id, contact_role, sample_note`

func scanReport(row pgx.Row, what string) (*Report, error) {
	var r Report
	err := row.Scan(&r.ID, &r.EventID, &r.Status, &r.Version, &r.PublishedAt, &r.UpdatedAt, &r.Kicker, &r.Title,
		&r.Subtitle, &r.Body, &r.ContactID, &r.ContactRole, &r.SampleNote)
	if err != nil {
		return nil, wrap(fmt.Sprintf("%s", what), err, ErrNotFound)
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

// ReportListItem is a published report in the public list and the feed.
type ReportListItem struct {
	ID          int64     `db:"id"`
	EventSlug   string    `db:"event_slug"`
	EventTitle  string    `db:"event_title"`
	EventStarts time.Time `db:"event_starts"`
	Kicker      string    `db:"kicker"`
	Title       string    `db:"title"`
	Subtitle    string    `db:"subtitle"`
	Body        string    `db:"body"` // only filled for the feed
	PublishedAt time.Time `db:"published_at"`
	UpdatedAt   time.Time `db:"updated_at"`
	Total       int       `db:"total"`
}

// publicReports is the condition of a report anyone may read: published,
// of an event that is not a draft.
const publicReports = `r.status = 'published' AND e.status <> 'draft'`

// PublishedReports returns one page of the reports anyone may read, newest
// first, and how many there are. withBody also loads the Markdown.
func (s *Store) PublishedReports(ctx context.Context, limit, offset int, withBody bool) ([]ReportListItem, int, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT r.id, e.slug AS event_slug, e.title AS event_title, e.starts_at AS event_starts, r.kicker, r.title,
			r.subtitle, CASE WHEN $3 THEN r.body ELSE '' END AS body, r.published_at, r.updated_at,
			(count(*) OVER ())::int AS total
		FROM reports r JOIN events e ON e.id = r.event_id
		WHERE `+publicReports+`
		ORDER BY r.published_at DESC, r.id DESC LIMIT $1 OFFSET $2`, limit, offset, withBody)
	list, total, err := collectPage(rows, "published reports", func(x ReportListItem) int { return x.Total })
	if err != nil {
		return nil, 0, err
	}
	total, err = s.totalPastEnd(ctx, total, len(list), offset, "count reports",
		`SELECT count(*) FROM reports r JOIN events e ON e.id = r.event_id WHERE `+publicReports)
	return list, total, err
}

// ReportRevisions lists a report's versions, newest first.
func (s *Store) ReportRevisions(ctx context.Context, reportID int64) ([]Revision, error) {
	rows, _ := s.db.Query(ctx, `SELECT version, at, actor, changes, '' AS comment FROM report_revisions
		WHERE report_id = $1 ORDER BY version DESC`, reportID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Revision])
	if err != nil {
		return nil, fmt.Errorf("store: report revisions: %w", err)
	}
	return list, nil
}

// ReportRevisionFields returns the report as it was saved in a version.
func (s *Store) ReportRevisionFields(ctx context.Context, reportID int64, version int) (*ReportFields, error) {
	var raw []byte
	err := s.db.QueryRow(ctx, `SELECT snapshot FROM report_revisions WHERE report_id = $1 AND version = $2`,
		reportID, version).Scan(&raw)
	if err != nil {
		return nil, wrap("report revision", err, ErrNotFound)
	}
	var f ReportFields
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("store: report revision: %w", err)
	}
	return &f, nil
}

// ContactOption is a contact person to choose in a form.
type ContactOption struct {
	ID           int64  `db:"id"`
	Name         string `db:"name"`
	Organisation string `db:"organisation"`
	Visibility   string `db:"visibility"`
}

// ContactOptions lists every contact person by name, for choosing one.
func (s *Store) ContactOptions(ctx context.Context) ([]ContactOption, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, name, organisation, visibility FROM contacts
		ORDER BY name COLLATE "de-DE-x-icu", id`)
	return collect[ContactOption](rows, "contact options")
}

// AddReportImage stores a checked, re-encoded picture for a report.
func (s *Store) AddReportImage(ctx context.Context, reportID int64, img NewImage, now time.Time) (int64, error) {
	sum := sha256.Sum256(img.Data)
	var id int64
	err := s.db.QueryRow(ctx, `
		WITH m AS (INSERT INTO images (content_type, data, width, height, alt, sha256, created_at)
			VALUES ($2, $3, $4, $5, $6, $7, $8) RETURNING id)
		INSERT INTO report_images (report_id, image_id) SELECT $1, id FROM m RETURNING image_id`,
		reportID, img.ContentType, img.Data, img.Width, img.Height, img.Alt, sum[:], now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add report image: %w", err)
	}
	return id, nil
}

// ReportImages describes a report's pictures, oldest first.
func (s *Store) ReportImages(ctx context.Context, reportID int64) ([]ImageInfo, error) {
	rows, err := s.db.Query(ctx, `SELECT m.id, m.width, m.height, m.alt FROM report_images ri
		JOIN images m ON m.id = ri.image_id WHERE ri.report_id = $1 ORDER BY m.id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("store: report images: %w", err)
	}
	defer rows.Close()
	var list []ImageInfo
	for rows.Next() {
		var im ImageInfo
		if err := rows.Scan(&im.ID, &im.Width, &im.Height, &im.Alt); err != nil {
			return nil, fmt.Errorf("store: report images: %w", err)
		}
		list = append(list, im)
	}
	return list, rows.Err()
}

// ReportImage loads a picture of a report; Public says anyone may see it
// (its report is published and its event not a draft). Any other id is
// ErrNotFound.
func (s *Store) ReportImage(ctx context.Context, id int64) (*ServedImage, bool, error) {
	var im ServedImage
	var public bool
	err := s.db.QueryRow(ctx, `
		SELECT m.id, m.content_type, m.data, m.sha256, bool_or(`+publicReports+`)
		FROM images m JOIN report_images ri ON ri.image_id = m.id JOIN reports r ON r.id = ri.report_id
		JOIN events e ON e.id = r.event_id
		WHERE m.id = $1 GROUP BY m.id`, id).Scan(&im.ID, &im.ContentType, &im.Data, &im.SHA256, &public)
	if err != nil {
		return nil, false, wrap("report image", err, ErrNotFound)
	}
	return &im, public, nil
}

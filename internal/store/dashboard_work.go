package store

import (
	"context"
	"time"
)

// Kinds of work waiting for the Service-Stelle (WorkItem.Kind).
const (
	WorkSubmitted    = "submitted"    // proposals waiting for review
	WorkReturned     = "returned"     // profiles sent back to their members
	WorkNoReport     = "no_report"    // past events without a published report
	WorkClosingSoon  = "closing_soon" // events whose registration closes soon
	workItemsPerKind = 10
)

// WorkItem is one thing waiting, with the number of its kind.
type WorkItem struct {
	Kind   string    `db:"kind"`
	ID     int64     `db:"id"`
	Slug   string    `db:"slug"`
	Name   string    `db:"name"`
	Status string    `db:"status"`
	At     time.Time `db:"at"` // since when it waits, or when registration closes
	Total  int       `db:"total"`
}

// Awaiting lists up to ten items of each kind of waiting work, longest
// waiting (or closing first) first, in one statement: proposals submitted
// for review (since their last change), profiles returned to their members,
// events ended before now without a published report, and published events
// whose registration closes between now and soon.
func (s *Store) Awaiting(ctx context.Context, now, soon time.Time) ([]WorkItem, error) {
	rows, _ := s.db.Query(ctx, `
		WITH w AS (
			SELECT 'submitted' AS kind, id, slug, name, status, updated_at AS at FROM initiatives WHERE status = 'submitted'
			UNION ALL
			SELECT 'returned', id, slug, name, status, updated_at FROM initiatives
			WHERE status = 'draft' AND btrim(review_comment) <> ''
			UNION ALL
			SELECT 'no_report', e.id, e.slug, e.title, e.status, e.ends_at FROM events e
			WHERE e.status IN ('published', 'completed') AND e.ends_at < $1
				AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.event_id = e.id AND r.status = 'published')
			UNION ALL
			SELECT 'closing_soon', e.id, e.slug, e.title, e.status, e.registration_closes_at FROM events e
			WHERE e.status = 'published' AND e.registration_closes_at >= $1 AND e.registration_closes_at < $2
		), ranked AS (
			SELECT w.*, (count(*) OVER (PARTITION BY kind))::int AS total,
				row_number() OVER (PARTITION BY kind ORDER BY
					CASE WHEN kind = 'no_report' THEN -extract(epoch FROM at) ELSE extract(epoch FROM at) END, id) AS n
			FROM w
		)
		SELECT kind, id, slug, name, status, at, total FROM ranked WHERE n <= $3 ORDER BY kind, n`,
		now, soon, workItemsPerKind)
	return collect[WorkItem](rows, "awaiting")
}

// RecentChange is one object new or changed since a moment.
type RecentChange struct {
	Kind   string    `db:"kind"` // initiative, event, report
	ID     int64     `db:"id"`   // of the initiative, or of the event (also for a report)
	Slug   string    `db:"slug"`
	Name   string    `db:"name"`
	Status string    `db:"status"`
	New    bool      `db:"new"` // created after the moment; else changed
	At     time.Time `db:"at"`
	// NewTotal and ChangedTotal count the kind's new and changed objects.
	NewTotal     int `db:"new_total"`
	ChangedTotal int `db:"changed_total"`
}

// PreviousSignin is when the user signed in before the latest sign-in, from
// the audit log; ErrNotFound if this is the first.
func (s *Store) PreviousSignin(ctx context.Context, userID int64) (time.Time, error) {
	var at time.Time
	err := s.db.QueryRow(ctx, `SELECT at FROM audit_log WHERE actor_id = $1 AND action = 'signin'
		ORDER BY at DESC, id DESC OFFSET 1 LIMIT 1`, userID).Scan(&at)
	return at, wrap("previous sign-in", err, ErrNotFound)
}

// ChangesSince lists the initiatives, events and reports created or changed
// after since (in any status), up to limit of each kind, newest first, with
// the numbers of each kind: one statement.
func (s *Store) ChangesSince(ctx context.Context, since time.Time, limit int) ([]RecentChange, error) {
	rows, _ := s.db.Query(ctx, `
		WITH c AS (
			SELECT 'initiative' AS kind, id, slug, name, status, created_at > $1 AS new, updated_at AS at
			FROM initiatives WHERE updated_at > $1 OR created_at > $1
			UNION ALL
			SELECT 'event', id, slug, title, status, created_at > $1, updated_at
			FROM events WHERE updated_at > $1 OR created_at > $1
			UNION ALL
			SELECT 'report', e.id, e.slug, r.title, r.status, r.created_at > $1, r.updated_at
			FROM reports r JOIN events e ON e.id = r.event_id WHERE r.updated_at > $1 OR r.created_at > $1
		), ranked AS (
			SELECT c.*, (count(*) FILTER (WHERE new) OVER (PARTITION BY kind))::int AS new_total,
				(count(*) FILTER (WHERE NOT new) OVER (PARTITION BY kind))::int AS changed_total,
				row_number() OVER (PARTITION BY kind ORDER BY at DESC, id DESC) AS n
			FROM c
		)
		SELECT kind, id, slug, name, status, new, at, new_total, changed_total FROM ranked WHERE n <= $2
		ORDER BY kind, n`, since, limit)
	return collect[RecentChange](rows, "changes since")
}

// StaleSummary lists the limit stale profiles (staleProfile) longest
// unconfirmed and counts them all: cheaper than StaleInitiatives, which
// counts each one's members. Stale profiles may be most of them, so
// neither the list nor the count reads the wide rows of them all: the
// list takes the oldest of the confirmed and of the never confirmed from
// their indexes, the count subtracts the published profiles that are not
// stale (recently confirmed or published, few) from all published ones.
func (s *Store) StaleSummary(ctx context.Context, before time.Time, limit int) ([]StaleInitiative, int, error) {
	rows, _ := s.db.Query(ctx, `
		WITH oldest AS (
			(SELECT i.id, i.slug, i.name, i.confirmed_at, i.published_at FROM initiatives i
			WHERE i.status = 'published' AND i.confirmed_at < $1 ORDER BY i.confirmed_at, i.id LIMIT $2)
			UNION ALL
			(SELECT i.id, i.slug, i.name, i.confirmed_at, i.published_at FROM initiatives i
			WHERE i.status = 'published' AND i.confirmed_at IS NULL AND i.published_at < $1 ORDER BY i.published_at, i.id LIMIT $2)
		)
		SELECT id, slug, name, confirmed_at, published_at, 0 AS members, NULL::timestamptz AS last_asked,
			((SELECT count(*) FROM initiatives WHERE status = 'published')
			- (SELECT count(*) FROM initiatives WHERE status = 'published' AND confirmed_at >= $1)
			- (SELECT count(*) FROM initiatives WHERE status = 'published' AND confirmed_at IS NULL
				AND (published_at >= $1 OR published_at IS NULL)))::int AS total
		FROM oldest i ORDER BY `+staleOrder+`, id LIMIT $2`, before, limit)
	list, err := collect[StaleInitiative](rows, "stale summary")
	if err != nil || len(list) == 0 {
		return nil, 0, err
	}
	return list, list[0].Total, nil
}

package store

import (
	"context"
	"time"
)

// ActivityFilter selects audit entries for the dashboard's activity list.
type ActivityFilter struct {
	ObjectType string // "" for every kind
	ObjectID   string // "" for every object (with ObjectType: one object's history)
	Person     string // part of the acting user's name; "" for everyone
	From, To   time.Time
	Limit      int
	Offset     int
}

// Activity is one audit entry as the dashboard shows it: who (the user's
// name, never an address), what, on which object (named when it is an
// initiative, event or report). The client address is never read.
type Activity struct {
	ID         int64     `db:"id"`
	At         time.Time `db:"at"`
	ActorName  string    `db:"actor_name"`
	ActorRole  string    `db:"actor_role"`
	Action     string    `db:"action"`
	ObjectType string    `db:"object_type"`
	ObjectID   string    `db:"object_id"`
	// ObjectName and ObjectSlug name an initiative, or the event of an
	// event or report; EventID is that event's id; Status the object's.
	ObjectName string `db:"object_name"`
	ObjectSlug string `db:"object_slug"`
	EventID    int64  `db:"event_id"`
	Status     string `db:"status"`
	Total      int    `db:"total"`
}

// ListActivity returns one page of audit entries, newest first, with the
// number matching: the page is cut first, then its objects are named. An
// entry of a deleted account shows "gelöschtes Konto", never the address
// the log kept.
func (s *Store) ListActivity(ctx context.Context, f ActivityFilter) ([]Activity, int, error) {
	person := ""
	if f.Person != "" {
		person = "%" + escapeLike(f.Person) + "%"
	}
	rows, _ := s.db.Query(ctx, `
		WITH page AS (
			SELECT a.id, a.at, a.actor_id, a.actor, a.action, a.object_type, a.object_id,
				(count(*) OVER ())::int AS total
			FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
			WHERE ($1 = '' OR a.object_type = $1) AND ($2 = '' OR u.name ILIKE $2)
				AND a.at >= $3 AND a.at < $4 AND ($7 = '' OR a.object_id = $7)
			ORDER BY a.at DESC, a.id DESC LIMIT $5 OFFSET $6
		), ref AS (
			SELECT page.*, CASE WHEN page.object_id ~ '^[0-9]{1,18}$' THEN page.object_id::bigint END AS oid FROM page
		)
		SELECT ref.id, ref.at, coalesce(u.name, CASE WHEN ref.actor LIKE '%@%' THEN 'gelöschtes Konto' ELSE ref.actor END) AS actor_name,
			coalesce(u.role, '') AS actor_role, ref.action, ref.object_type, ref.object_id,
			coalesce(i.name, e.title, re.title, '') AS object_name, coalesce(i.slug, e.slug, re.slug, '') AS object_slug,
			coalesce(e.id, re.id, 0) AS event_id, coalesce(i.status, e.status, r.status, '') AS status, ref.total
		FROM ref LEFT JOIN users u ON u.id = ref.actor_id
		LEFT JOIN initiatives i ON ref.object_type = 'initiative' AND i.id = ref.oid
		LEFT JOIN events e ON ref.object_type = 'event' AND e.id = ref.oid
		LEFT JOIN reports r ON ref.object_type = 'report' AND r.id = ref.oid
		LEFT JOIN events re ON re.id = r.event_id
		ORDER BY ref.at DESC, ref.id DESC`, f.ObjectType, person, f.From, f.To, f.Limit, f.Offset, f.ObjectID)
	return collectPage(rows, "activity", func(x Activity) int { return x.Total })
}

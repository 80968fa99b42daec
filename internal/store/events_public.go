package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// PublicEventFilter narrows the public list of events and the calendar
// feed. Zero values do not filter.
type PublicEventFilter struct {
	Year   int    // calendar year of the start, in Europe/Berlin
	Topic  string // topic slug
	Format string // event.Formats slug
	State  string // Bundesland code
	// Now splits upcoming (not yet ended) from past events.
	Now time.Time
	// Limit 0 lists all (the calendar feed); Offset pages.
	Limit, Offset int
	// EndedAfter, when set, leaves out events that ended before it (the
	// calendar feed keeps a year of the past, not the whole archive).
	EndedAfter *time.Time
}

// PublicEventEntry is one public event in a list or feed.
type PublicEventEntry struct {
	ID           int64     `db:"id"`
	Slug         string    `db:"slug"`
	Title        string    `db:"title"`
	Kind         string    `db:"kind"`
	Format       string    `db:"format"`
	Status       string    `db:"status"`
	CancelNotice string    `db:"cancel_notice"`
	Summary      string    `db:"summary"`
	Place        string    `db:"place"`
	StateName    string    `db:"state_name"`
	StartsAt     time.Time `db:"starts_at"`
	EndsAt       time.Time `db:"ends_at"`
	UpdatedAt    time.Time `db:"updated_at"`
	Version      int       `db:"version"`
	Topics       []Term    `db:"topics"`
	// HasReport: the event's report is published.
	HasReport bool `db:"has_report"`
	Total     int  `db:"total"`
}

// PublicEventPage is one page of the public list with its filter options.
type PublicEventPage struct {
	Total   int
	Entries []PublicEventEntry
	// Facets: years, topics, formats and Länder of public events, each
	// counted under the other filters.
	Facets []FacetValue
}

// publicEventWhere selects public events under a filter; $1 year, $2
// topic, $3 format, $4 state. A facet query passes its own facet as zero.
const publicEventWhere = `e.status <> 'draft'
	AND ($1::int = 0 OR extract(year FROM e.starts_at AT TIME ZONE 'Europe/Berlin') = $1)
	AND ($2::text = '' OR EXISTS (SELECT 1 FROM event_topics x WHERE x.event_id = e.id AND x.topic = $2))
	AND ($3::text = '' OR e.format = $3)
	AND ($4::text = '' OR e.state_code = $4)`

const publicEventColumns = `e.id, e.slug, e.title, e.kind, e.format, e.status, e.cancel_notice, e.summary, e.place,
	coalesce(s.name, '') AS state_name, e.starts_at, e.ends_at, e.updated_at, e.version,
	(SELECT ` + termsJSON + `
		FROM event_topics x JOIN topics t ON t.slug = x.topic WHERE x.event_id = e.id) AS topics,
	EXISTS (SELECT 1 FROM reports r WHERE r.event_id = e.id AND r.status = 'published') AS has_report`

// PublicEvents lists published, completed and cancelled events: upcoming
// ones first (soonest first), then past ones (newest first). Two
// statements: the page and the filter options.
func (s *Store) PublicEvents(ctx context.Context, f PublicEventFilter) (*PublicEventPage, error) {
	limit := any(nil)
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, _ := s.db.Query(ctx, `SELECT `+publicEventColumns+`, count(*) OVER () AS total
		FROM events e LEFT JOIN states s ON s.code = e.state_code
		WHERE `+publicEventWhere+` AND ($8::timestamptz IS NULL OR e.ends_at >= $8)
		ORDER BY e.ends_at < $5, CASE WHEN e.ends_at >= $5 THEN e.starts_at END, e.starts_at DESC, e.id
		LIMIT $6 OFFSET $7`, f.Year, f.Topic, f.Format, f.State, f.Now, limit, f.Offset, f.EndedAfter)
	entries, err := pgx.CollectRows(rows, pgx.RowToStructByName[PublicEventEntry])
	if err != nil {
		return nil, fmt.Errorf("store: public events: %w", err)
	}
	page := &PublicEventPage{Entries: entries}
	if len(entries) > 0 {
		page.Total = entries[0].Total
	} else if f.Offset > 0 {
		// Past the end: count without paging, so the page can say so.
		if err := s.db.QueryRow(ctx, `SELECT count(*) FROM events e WHERE `+publicEventWhere,
			f.Year, f.Topic, f.Format, f.State).Scan(&page.Total); err != nil {
			return nil, fmt.Errorf("store: public events: %w", err)
		}
	}
	if f.Limit == 0 {
		return page, nil
	}
	page.Facets, err = s.publicEventFacets(ctx, f)
	return page, err
}

// publicEventFacets counts the options of each filter under the others.
func (s *Store) publicEventFacets(ctx context.Context, f PublicEventFilter) ([]FacetValue, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT facet, key, name, parent, pos, n, map_n FROM (
		SELECT 'jahr' AS facet, y::text AS key, y::text AS name, '' AS parent, -y AS pos, n, 0 AS map_n FROM (
			SELECT extract(year FROM e.starts_at AT TIME ZONE 'Europe/Berlin')::int AS y, count(*)::int AS n
			FROM events e WHERE `+replaceParam(publicEventWhere, 1)+` GROUP BY 1) a
		UNION ALL
		SELECT 'thema', t.slug, t.name, '', t.position, count(*)::int, 0
		FROM events e JOIN event_topics x ON x.event_id = e.id JOIN topics t ON t.slug = x.topic
		WHERE `+replaceParam(publicEventWhere, 2)+` GROUP BY t.slug, t.name, t.position
		UNION ALL
		SELECT 'format', e.format, e.format, '', 0, count(*)::int, 0
		FROM events e WHERE `+replaceParam(publicEventWhere, 3)+` GROUP BY e.format
		UNION ALL
		SELECT 'land', s.code, s.name, '', 0, count(*)::int, 0
		FROM events e JOIN states s ON s.code = e.state_code
		WHERE `+replaceParam(publicEventWhere, 4)+` GROUP BY s.code, s.name
		) u ORDER BY facet, pos, name COLLATE "de-DE-x-icu"`,
		f.Year, f.Topic, f.Format, f.State, 0, "")
	return collect[FacetValue](rows, "public event facets")
}

// replaceParam points the filter of parameter n (1 year, 2 topic, 3
// format, 4 state) at the neutral $5 (0) or $6 (”) so a facet is counted
// without its own filter. Only the constant clause above is rewritten.
func replaceParam(where string, n int) string {
	old := map[int]string{1: "$1::int = 0", 2: "$2::text = ''", 3: "$3::text = ''", 4: "$4::text = ''"}[n]
	neutral := map[int]string{1: "$5::int = 0", 2: "$6::text = ''", 3: "$6::text = ''", 4: "$6::text = ''"}[n]
	return strings.Replace(where, old, neutral, 1)
}

// StagePersonView is a person on stage or moderating, as a viewer may see
// them: only contacts whose visibility the caller allowed come out of the
// database.
type StagePersonView struct {
	ContactID    int64  `json:"contact_id"`
	Name         string `json:"name"`
	Role         string `json:"role"` // the function for this item or workshop
	Function     string `json:"function"`
	Organisation string `json:"organisation"`
	Visibility   string `json:"visibility"`
}

// InitiativeLink is a published initiative linked from an event.
type InitiativeLink struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// PublicProgrammeItem is an item of a public programme.
type PublicProgrammeItem struct {
	ID          int64             `db:"id"`
	StartsAt    time.Time         `db:"starts_at"`
	EndsAt      *time.Time        `db:"ends_at"`
	Title       string            `db:"title"`
	Kind        string            `db:"kind"`
	Description string            `db:"description"`
	People      []StagePersonView `db:"people"`
	Initiatives []InitiativeLink  `db:"initiatives"`
}

// PublicWorkshop is a workshop on a public event page.
type PublicWorkshop struct {
	ID               int64             `db:"id"`
	Title            string            `db:"title"`
	Description      string            `db:"description"`
	StartsAt         time.Time         `db:"starts_at"`
	EndsAt           time.Time         `db:"ends_at"`
	Capacity         *int              `db:"capacity"`
	Place            string            `db:"place"`
	Results          string            `db:"results"`
	ParticipantCount *int              `db:"participant_count"`
	Sample           bool              `db:"sample"`
	Topics           []Term            `db:"topics"`
	Moderators       []StagePersonView `db:"moderators"`
	Initiatives      []InitiativeLink  `db:"initiatives"`
}

// ReportTeaser is the head of an event's published report.
type ReportTeaser struct {
	Kicker   string `json:"kicker"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
}

// PublicEventDetail is everything an event page shows. It never carries
// the online link.
type PublicEventDetail struct {
	ID                   int64                 `db:"id"`
	Slug                 string                `db:"slug"`
	Title                string                `db:"title"`
	Kind                 string                `db:"kind"`
	Format               string                `db:"format"`
	Status               string                `db:"status"`
	CancelNotice         string                `db:"cancel_notice"`
	StartsAt             time.Time             `db:"starts_at"`
	EndsAt               time.Time             `db:"ends_at"`
	Place                string                `db:"place"`
	StateName            string                `db:"state_name"`
	Host                 string                `db:"host"`
	Invitation           string                `db:"invitation"`
	Summary              string                `db:"summary"`
	Description          string                `db:"description"`
	Capacity             *int                  `db:"capacity"`
	RegistrationOpensAt  *time.Time            `db:"registration_opens_at"`
	RegistrationClosesAt *time.Time            `db:"registration_closes_at"`
	ParticipantCount     *int                  `db:"participant_count"`
	SampleNote           string                `db:"sample_note"`
	UpdatedAt            time.Time             `db:"updated_at"`
	Version              int                   `db:"version"`
	Topics               []Term                `db:"topics"`
	Report               *ReportTeaser         `db:"report"`
	Programme            []PublicProgrammeItem `db:"-"`
	Workshops            []PublicWorkshop      `db:"-"`
}

// peopleJSON aggregates the people of a link table (alias p, joined to
// contacts c) allowed by the visibilities in $2.
const peopleJSON = `coalesce(json_agg(json_build_object('contact_id', c.id, 'name', c.name, 'role', p.function,
	'function', c.function, 'organisation', c.organisation, 'visibility', c.visibility) ORDER BY p.position, c.id)
	FILTER (WHERE c.id IS NOT NULL), '[]')`

// termsJSON aggregates the vocabulary terms (topics) of t in vocabulary order.
const termsJSON = `coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.position, t.name), '[]')`

// initiativesJSON aggregates the published initiatives of a link table l.
const initiativesJSON = `coalesce(json_agg(json_build_object('slug', i.slug, 'name', i.name) ORDER BY l.position, i.id), '[]')`

// PublicEvent loads a public (not draft) event by slug with its programme
// and workshops in three statements, however long the programme. People
// appear only when their visibility is one of visibilities.
//
// A contact "nur Mitglieder der Initiative" (VisibilityMembers) is also
// shown, without VisibilityMembers in visibilities, to memberID (a
// member's user id, or 0) if that member is linked to an initiative the
// contact belongs to.
func (s *Store) PublicEvent(ctx context.Context, slug string, visibilities []string, memberID int64) (*PublicEventDetail, error) {
	return s.eventDetail(ctx, slug, visibilities, memberID, false)
}

// PreviewEvent is PublicEvent for the Service-Stelle's preview: a draft is
// found too. Callers check the viewer may preview.
func (s *Store) PreviewEvent(ctx context.Context, slug string, visibilities []string, memberID int64) (*PublicEventDetail, error) {
	return s.eventDetail(ctx, slug, visibilities, memberID, true)
}

// eventDetail loads an event page's content; drafts only when asked.
func (s *Store) eventDetail(ctx context.Context, slug string, visibilities []string, memberID int64, drafts bool) (*PublicEventDetail, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT e.id, e.slug, e.title, e.kind, e.format, e.status, e.cancel_notice, e.starts_at, e.ends_at, e.place,
			coalesce(s.name, '') AS state_name, e.host, e.invitation, e.summary, e.description, e.capacity,
			e.registration_opens_at, e.registration_closes_at, e.participant_count, e.sample_note, e.updated_at,
			e.version,
			(SELECT `+termsJSON+`
				FROM event_topics x JOIN topics t ON t.slug = x.topic WHERE x.event_id = e.id) AS topics,
			(SELECT json_build_object('kicker', r.kicker, 'title', r.title, 'subtitle', r.subtitle)
				FROM reports r WHERE r.event_id = e.id AND r.status = 'published') AS report
		FROM events e LEFT JOIN states s ON s.code = e.state_code
		WHERE e.slug = $1 AND (e.status <> 'draft' OR $2)`, slug, drafts)
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[PublicEventDetail])
	if err != nil {
		return nil, wrap(fmt.Sprintf("public event %q", slug), err, ErrNotFound)
	}
	rows, _ = s.db.Query(ctx, `
		SELECT it.id, it.starts_at, it.ends_at, it.title, it.kind, it.description,
			(SELECT `+peopleJSON+` FROM programme_item_people p JOIN contacts c ON c.id = p.contact_id
				AND `+contactVisibleSQL+` WHERE p.item_id = it.id) AS people,
			(SELECT `+initiativesJSON+` FROM programme_item_initiatives l JOIN initiatives i ON i.id = l.initiative_id
				AND i.status = 'published' WHERE l.item_id = it.id) AS initiatives
		FROM programme_items it WHERE it.event_id = $1 ORDER BY it.starts_at, it.position, it.id`, d.ID, visibilities, memberID)
	if d.Programme, err = pgx.CollectRows(rows, pgx.RowToStructByName[PublicProgrammeItem]); err != nil {
		return nil, fmt.Errorf("store: public programme: %w", err)
	}
	rows, _ = s.db.Query(ctx, `
		SELECT w.id, w.title, w.description, w.starts_at, w.ends_at, w.capacity, w.place, w.results,
			w.participant_count, w.sample,
			(SELECT `+termsJSON+`
				FROM workshop_topics x JOIN topics t ON t.slug = x.topic WHERE x.workshop_id = w.id) AS topics,
			(SELECT `+peopleJSON+` FROM workshop_moderators p JOIN contacts c ON c.id = p.contact_id
				AND `+contactVisibleSQL+` WHERE p.workshop_id = w.id) AS moderators,
			(SELECT `+initiativesJSON+` FROM workshop_initiatives l JOIN initiatives i ON i.id = l.initiative_id
				AND i.status = 'published' WHERE l.workshop_id = w.id) AS initiatives
		FROM workshops w WHERE w.event_id = $1 ORDER BY w.starts_at, w.position, w.id`, d.ID, visibilities, memberID)
	if d.Workshops, err = pgx.CollectRows(rows, pgx.RowToStructByName[PublicWorkshop]); err != nil {
		return nil, fmt.Errorf("store: public workshops: %w", err)
	}
	return d, nil
}

// InitiativeEvent is a public event an initiative took part in: presenting
// in a programme item or contributing to a workshop.
type InitiativeEvent struct {
	Slug     string    `db:"slug"`
	Title    string    `db:"title"`
	StartsAt time.Time `db:"starts_at"`
	Status   string    `db:"status"`
	// What is "programme" or "workshop"; Part the item's or workshop's title.
	What string `db:"what"`
	Part string `db:"part"`
}

// InitiativeEvents lists the public events and workshops an initiative took
// part in, newest first, in one statement.
func (s *Store) InitiativeEvents(ctx context.Context, initiativeID int64) ([]InitiativeEvent, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT e.slug, e.title, e.starts_at, e.status, x.what, x.part FROM (
			SELECT it.event_id, 'programme' AS what, it.title AS part, it.starts_at
			FROM programme_item_initiatives l JOIN programme_items it ON it.id = l.item_id WHERE l.initiative_id = $1
			UNION ALL
			SELECT w.event_id, 'workshop', w.title, w.starts_at
			FROM workshop_initiatives l JOIN workshops w ON w.id = l.workshop_id WHERE l.initiative_id = $1
		) x JOIN events e ON e.id = x.event_id AND e.status <> 'draft'
		ORDER BY e.starts_at DESC, e.id, x.starts_at, x.what, x.part
		LIMIT 200`, initiativeID)
	return collect[InitiativeEvent](rows, "initiative events")
}

// upcomingEvent is the condition of an event e the start page announces,
// with now as $1: public, not cancelled and not yet ended.
const upcomingEvent = `e.status IN ('published', 'completed') AND e.ends_at >= $1`

// UpcomingEvents lists the next public events that have not ended and are
// not cancelled, soonest first, for the start page.
func (s *Store) UpcomingEvents(ctx context.Context, now time.Time, limit int) ([]PublicEventEntry, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+publicEventColumns+`, 0 AS total
		FROM events e LEFT JOIN states s ON s.code = e.state_code
		WHERE `+upcomingEvent+`
		ORDER BY e.starts_at, e.id LIMIT $2`, now, limit)
	return collect[PublicEventEntry](rows, "upcoming events")
}

// PublicEventEntryBySlug loads one public event as a list entry (for its
// calendar file).
func (s *Store) PublicEventEntryBySlug(ctx context.Context, slug string) (*PublicEventEntry, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+publicEventColumns+`, 1 AS total
		FROM events e LEFT JOIN states s ON s.code = e.state_code
		WHERE e.slug = $1 AND e.status <> 'draft'`, slug)
	e, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[PublicEventEntry])
	if err != nil {
		return nil, wrap(fmt.Sprintf("public event %q", slug), err, ErrNotFound)
	}
	return e, nil
}

// contactVisibleSQL is the visibility rule for contact c with the allowed
// visibilities $2 and the member $3 (see PublicEvent).
const contactVisibleSQL = `(c.visibility = ANY($2::text[]) OR (c.visibility = 'members' AND EXISTS (
	SELECT 1 FROM initiative_contacts ic JOIN user_initiatives ui ON ui.initiative_id = ic.initiative_id
	WHERE ic.contact_id = c.id AND ui.user_id = $3)))`

// MemberOfContactInitiative reports whether user userID is linked to an
// initiative contact contactID belongs to.
func (s *Store) MemberOfContactInitiative(ctx context.Context, userID, contactID int64) (bool, error) {
	var ok bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (
		SELECT 1 FROM initiative_contacts ic JOIN user_initiatives ui ON ui.initiative_id = ic.initiative_id
		WHERE ic.contact_id = $1 AND ui.user_id = $2)`, contactID, userID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: member of contact initiative: %w", err)
	}
	return ok, nil
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ImportError is one problem of an imported row: the column and a German
// message.
type ImportError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ImportRow is one data row of an uploaded file as checked for the preview.
type ImportRow struct {
	Line   int           `json:"line"` // line in the file, the header being line 1
	Name   string        `json:"name"` // for display only: shortened, made valid UTF-8
	Slug   string        `json:"slug,omitempty"`
	Status string        `json:"status,omitempty"`
	Errors []ImportError `json:"errors,omitempty"`
	// Profile is set when the row is valid: exactly what will be created.
	Profile *InitiativeProfile `json:"profile,omitempty"`
}

// ImportedInitiative is one initiative an import created.
type ImportedInitiative struct {
	ID     int64  `json:"id"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Status string `json:"status"`
}

// Import is an uploaded file: pending until confirmed, then its result.
type Import struct {
	ID         int64
	CreatedAt  time.Time
	Filename   string
	Rows       []ImportRow
	Invalid    int
	ImportedAt *time.Time
	Result     []ImportedInitiative
}

// NewImport is a checked upload to keep for its preview.
type NewImport struct {
	CreatedBy    int64
	Filename     string
	Rows         []ImportRow
	Now, Expires time.Time
}

// NewInitiative is one initiative to create in bulk.
type NewInitiative struct {
	Slug, Status string
	Profile      InitiativeProfile
}

// SlugsTakenError says which slugs other initiatives took between the
// preview and the import; it matches ErrSlugTaken.
type SlugsTakenError struct{ Slugs []string }

func (e *SlugsTakenError) Error() string {
	return "slugs taken: " + strings.Join(e.Slugs, ", ")
}

// Unwrap lets errors.Is(err, ErrSlugTaken) hold.
func (e *SlugsTakenError) Unwrap() error { return ErrSlugTaken }

// CreateImport keeps a checked upload and drops the expired ones.
func (s *Store) CreateImport(ctx context.Context, n NewImport) (int64, error) {
	if _, err := s.db.Exec(ctx, `DELETE FROM imports WHERE expires_at < $1`, n.Now); err != nil {
		return 0, fmt.Errorf("store: create import: %w", err)
	}
	invalid := 0
	for _, r := range n.Rows {
		if len(r.Errors) > 0 {
			invalid++
		}
	}
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO imports (created_by, created_at, expires_at, filename, rows, row_count, invalid)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		n.CreatedBy, n.Now, n.Expires, n.Filename, n.Rows, len(n.Rows), invalid).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create import: %w", err)
	}
	return id, nil
}

// Import loads an import that has not expired.
func (s *Store) Import(ctx context.Context, id int64, now time.Time) (*Import, error) {
	return s.loadImport(ctx, "import", ``, id, now)
}

// LockImport loads an import that has not expired and locks it for the
// transaction, so two confirmations cannot both import it.
func (s *Store) LockImport(ctx context.Context, id int64, now time.Time) (*Import, error) {
	return s.loadImport(ctx, "lock import", ` FOR UPDATE`, id, now)
}

func (s *Store) loadImport(ctx context.Context, op, lock string, id int64, now time.Time) (*Import, error) {
	var im Import
	err := s.db.QueryRow(ctx, `
		SELECT id, created_at, filename, rows, invalid, imported_at, coalesce(result, '[]')
		FROM imports WHERE id = $1 AND expires_at > $2`+lock, id, now).Scan(
		&im.ID, &im.CreatedAt, &im.Filename, &im.Rows, &im.Invalid, &im.ImportedAt, &im.Result)
	if err != nil {
		return nil, wrap(fmt.Sprintf("%s", op), err, ErrNotFound)
	}
	return &im, nil
}

// FinishImport records what an import created.
func (s *Store) FinishImport(ctx context.Context, id, by int64, result []ImportedInitiative, now time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE imports SET imported_at = $2, imported_by = $3, result = $4 WHERE id = $1`,
		id, now, by, result)
	if err != nil {
		return fmt.Errorf("store: finish import: %w", err)
	}
	return nil
}

// CreateInitiatives inserts initiatives with their links and first
// revisions in a fixed handful of statements, however many there are. A
// slug another initiative has is a *SlugsTakenError; call it inside InTx
// so that then nothing stays.
func (s *Store) CreateInitiatives(ctx context.Context, list []NewInitiative, by Actor, now time.Time) ([]ImportedInitiative, error) {
	n := len(list)
	slugs, names, statuses := make([]string, n), make([]string, n), make([]string, n)
	shorts, descs, legals, websites := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	years := make([]int32, n)
	for i, x := range list {
		p := x.Profile
		slugs[i], names[i], statuses[i] = x.Slug, p.Name, x.Status
		shorts[i], descs[i], legals[i], websites[i] = p.ShortDescription, p.Description, p.LegalForm, p.Website
		years[i] = int32(p.FoundingYear)
	}
	rows, _ := s.db.Query(ctx, `
		INSERT INTO initiatives (slug, name, status, short_description, description, legal_form, founding_year,
			website, created_by, created_at, updated_at, published_at)
		SELECT u.slug, u.name, u.status, u.short, u.descr, nullif(u.legal, ''), nullif(u.year, 0), nullif(u.website, ''),
			$9::bigint, $10::timestamptz, $10::timestamptz, CASE WHEN u.status = 'published' THEN $10::timestamptz END
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
			WITH ORDINALITY AS u(slug, name, status, short, descr, legal, year, website, n)
		ORDER BY u.n
		ON CONFLICT (slug) DO NOTHING
		RETURNING id, slug`, slugs, names, statuses, shorts, descs, legals, years, websites, by.ID, now)
	ids := map[string]int64{}
	var id int64
	var slug string
	if _, err := pgx.ForEachRow(rows, []any{&id, &slug}, func() error { ids[slug] = id; return nil }); err != nil {
		return nil, fmt.Errorf("store: create initiatives: %w", err)
	}
	out := make([]ImportedInitiative, 0, n)
	var taken []string
	for _, x := range list {
		if id, ok := ids[x.Slug]; ok {
			out = append(out, ImportedInitiative{ID: id, Slug: x.Slug, Name: x.Profile.Name, Status: x.Status})
		} else {
			taken = append(taken, x.Slug)
		}
	}
	if len(taken) > 0 {
		return nil, fmt.Errorf("store: create initiatives: %w", &SlugsTakenError{Slugs: taken})
	}
	if err := s.bulkLinks(ctx, list, out); err != nil {
		return nil, err
	}
	revIDs, snapshots := make([]int64, n), make([]string, n)
	for i, x := range list {
		b, err := json.Marshal(x.Profile)
		if err != nil {
			return nil, fmt.Errorf("store: create initiatives: %w", err)
		}
		revIDs[i], snapshots[i] = out[i].ID, string(b)
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO initiative_revisions (initiative_id, version, at, actor_id, actor, changes, snapshot)
		SELECT u.id, 1, $3, $4, $5, '{}', u.snap::jsonb FROM unnest($1::bigint[], $2::text[]) AS u(id, snap)`,
		revIDs, snapshots, now, by.ID, by.Label)
	if err != nil {
		return nil, fmt.Errorf("store: create initiatives: revisions: %w", err)
	}
	return out, nil
}

// bulkLinks writes the sets and member organisations of new initiatives;
// created[i] is list[i].
func (s *Store) bulkLinks(ctx context.Context, list []NewInitiative, created []ImportedInitiative) error {
	links := []struct {
		table, column string
		values        func(p InitiativeProfile) []string
	}{
		{"initiative_districts", "ags", func(p InitiativeProfile) []string { return p.Districts }},
		{"initiative_topics", "topic", func(p InitiativeProfile) []string { return p.Topics }},
		{"initiative_sectors", "sector", func(p InitiativeProfile) []string { return p.Sectors }},
		{"initiative_target_groups", "target_group", func(p InitiativeProfile) []string { return p.TargetGroups }},
		{"initiative_formats", "format", func(p InitiativeProfile) []string { return p.Formats }},
	}
	for _, l := range links {
		var ids []int64
		var values []string
		for i, x := range list {
			for _, v := range l.values(x.Profile) {
				ids, values = append(ids, created[i].ID), append(values, v)
			}
		}
		if len(ids) == 0 {
			continue
		}
		// Table and column names come from the list above, never from input.
		_, err := s.db.Exec(ctx, `INSERT INTO `+l.table+` (initiative_id, `+l.column+`)
			SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING`, ids, values)
		if err != nil {
			return fmt.Errorf("store: create initiatives: %s: %w", l.table, err)
		}
	}
	var ids []int64
	var names, kinds []string
	var positions []int32
	for i, x := range list {
		for j, m := range x.Profile.Members {
			ids, names, kinds = append(ids, created[i].ID), append(names, m.Name), append(kinds, m.Kind)
			positions = append(positions, int32(j))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.Exec(ctx, `INSERT INTO initiative_members (initiative_id, name, kind, position)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[])`, ids, names, kinds, positions)
	if err != nil {
		return fmt.Errorf("store: create initiatives: members: %w", err)
	}
	return nil
}

// InitiativeName is the name and slug of an existing initiative.
type InitiativeName struct {
	Slug string `db:"slug"`
	Name string `db:"name"`
}

// InitiativesLike lists the initiatives an import could collide with: those
// whose slug is one of bases or a numbered variant of one (base-2, …), and
// those whose name is one of lowerNames, ignoring case.
func (s *Store) InitiativesLike(ctx context.Context, bases, lowerNames []string) ([]InitiativeName, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT slug, name FROM initiatives
		WHERE slug = ANY($1) OR regexp_replace(slug, '-[0-9]+$', '') = ANY($1) OR lower(name) = ANY($2)`,
		bases, lowerNames)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[InitiativeName])
	if err != nil {
		return nil, fmt.Errorf("store: initiatives like: %w", err)
	}
	return list, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Region is a district an initiative covers, with its Land.
type Region struct {
	AGS       string `json:"ags"`
	Name      string `json:"name"`
	StateCode string `json:"state_code"`
	StateName string `json:"state_name"`
}

// InitiativeDetail is everything public about an initiative, with display
// names for the vocabularies: the profile page and the open data read it.
// Contacts are not part of it; see VisibleContacts.
type InitiativeDetail struct {
	ID               int64       `db:"id"`
	Slug             string      `db:"slug"`
	Name             string      `db:"name"`
	Status           string      `db:"status"`
	ShortDescription string      `db:"short_description"`
	Description      string      `db:"description"`
	LegalForm        string      `db:"legal_form"` // name, "" if unknown
	FoundingYear     *int        `db:"founding_year"`
	Website          string      `db:"website"`
	ConfirmedAt      *time.Time  `db:"confirmed_at"`
	PublishedAt      *time.Time  `db:"published_at"`
	UpdatedAt        time.Time   `db:"updated_at"`
	Regions          []Region    `db:"regions"` // by Land, then district, German order
	Topics           []Term      `db:"topics"`
	Sectors          []Term      `db:"sectors"`
	TargetGroups     []Term      `db:"target_groups"`
	Formats          []Term      `db:"formats"`
	Members          []MemberOrg `db:"members"`
}

// detailColumns reads an InitiativeDetail from initiatives i.
const detailColumns = `i.id, i.slug, i.name, i.status, i.short_description, i.description,
	coalesce((SELECT lf.name FROM legal_forms lf WHERE lf.slug = i.legal_form), '') AS legal_form,
	i.founding_year, coalesce(i.website, '') AS website, i.confirmed_at, i.published_at, i.updated_at,
	(SELECT coalesce(json_agg(json_build_object('ags', d.ags, 'name', d.display_name, 'state_code', s.code,
		'state_name', s.name) ORDER BY s.name COLLATE "de-DE-x-icu", d.display_name COLLATE "de-DE-x-icu"), '[]')
		FROM initiative_districts x JOIN districts d ON d.ags = x.ags JOIN states s ON s.code = d.state_code
		WHERE x.initiative_id = i.id) AS regions,
	(SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.position, t.name), '[]')
		FROM initiative_topics x JOIN topics t ON t.slug = x.topic WHERE x.initiative_id = i.id) AS topics,
	(SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.position, t.name), '[]')
		FROM initiative_sectors x JOIN sectors t ON t.slug = x.sector WHERE x.initiative_id = i.id) AS sectors,
	(SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.position, t.name), '[]')
		FROM initiative_target_groups x JOIN target_groups t ON t.slug = x.target_group
		WHERE x.initiative_id = i.id) AS target_groups,
	(SELECT coalesce(json_agg(json_build_object('slug', t.slug, 'name', t.name) ORDER BY t.position, t.name), '[]')
		FROM initiative_formats x JOIN formats t ON t.slug = x.format WHERE x.initiative_id = i.id) AS formats,
	(SELECT coalesce(json_agg(json_build_object('name', m.name, 'kind', m.kind) ORDER BY m.position, m.id), '[]')
		FROM initiative_members m WHERE m.initiative_id = i.id) AS members`

// InitiativeDetail returns an initiative by slug, whatever its status: the
// caller decides who may see it. ErrNotFound if there is none.
func (s *Store) InitiativeDetail(ctx context.Context, slug string) (*InitiativeDetail, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+detailColumns+` FROM initiatives i WHERE i.slug = $1`, slug)
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[InitiativeDetail])
	if err != nil {
		return nil, wrap(fmt.Sprintf("initiative %q", slug), err, ErrNotFound)
	}
	return d, nil
}

// VisibleContact is a contact person as shown on a profile.
type VisibleContact struct {
	Name         string `db:"name"`
	Function     string `db:"function"`
	Organisation string `db:"organisation"`
	Email        string `db:"email"`
	Phone        string `db:"phone"`
	Role         string `db:"role"`
	Visibility   string `db:"visibility"`
}

// VisibleContacts returns the contacts of an initiative whose visibility is
// one of visibilities, in the initiative's order. The caller names what the
// viewer may see; nothing else leaves the database.
func (s *Store) VisibleContacts(ctx context.Context, initiativeID int64, visibilities []string) ([]VisibleContact, error) {
	if len(visibilities) == 0 {
		return nil, nil
	}
	rows, _ := s.db.Query(ctx, `
		SELECT c.name, c.function, c.organisation, c.email, c.phone, ic.role, c.visibility
		FROM initiative_contacts ic JOIN contacts c ON c.id = ic.contact_id
		WHERE ic.initiative_id = $1 AND c.visibility = ANY($2::text[])
		ORDER BY ic.position, c.name COLLATE "de-DE-x-icu", c.id`, initiativeID, visibilities)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[VisibleContact])
	if err != nil {
		return nil, fmt.Errorf("store: visible contacts: %w", err)
	}
	return list, nil
}

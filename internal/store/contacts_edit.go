package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Contact is a contact person as stored, with the consent behind their
// visibility.
type Contact struct {
	ID             int64      `db:"id"`
	Name           string     `db:"name"`
	Function       string     `db:"function"`
	Organisation   string     `db:"organisation"`
	Email          string     `db:"email"`
	Phone          string     `db:"phone"`
	Visibility     string     `db:"visibility"`
	ConsentAt      *time.Time `db:"consent_at"`
	ConsentMethod  string     `db:"consent_method"`
	ConsentPurpose string     `db:"consent_purpose"`
	CreatedAt      time.Time  `db:"created_at"`
	UpdatedAt      time.Time  `db:"updated_at"`
	Version        int        `db:"version"`
}

// Fields returns the editable content of the contact.
func (c *Contact) Fields() NewContact {
	return NewContact{Name: c.Name, Function: c.Function, Organisation: c.Organisation, Email: c.Email, Phone: c.Phone,
		Visibility: c.Visibility, ConsentAt: c.ConsentAt, ConsentMethod: c.ConsentMethod, ConsentPurpose: c.ConsentPurpose}
}

// LinkedContact is a contact person as linked to one initiative.
type LinkedContact struct {
	Contact
	Role     string `db:"role"`
	Position int    `db:"position"`
}

const contactColumns = `c.id, c.name, c.function, c.organisation, c.email, c.phone, c.visibility, c.consent_at,
	c.consent_method, c.consent_purpose, c.created_at, c.updated_at, c.version`

// InitiativeRefBySlug resolves a slug, in any status, to the initiative's
// name and id.
func (s *Store) InitiativeRefBySlug(ctx context.Context, slug string) (*InitiativeRef, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, slug, name, status FROM initiatives WHERE slug = $1`, slug)
	ref, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[InitiativeRef])
	if err != nil {
		return nil, wrap("initiative ref", err, ErrNotFound)
	}
	return &ref, nil
}

// InitiativeContactList returns the contacts of an initiative whose
// visibility is one of visibilities, in the initiative's order.
func (s *Store) InitiativeContactList(ctx context.Context, initiativeID int64, visibilities []string) ([]LinkedContact, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT `+contactColumns+`, ic.role, ic.position
		FROM initiative_contacts ic JOIN contacts c ON c.id = ic.contact_id
		WHERE ic.initiative_id = $1 AND c.visibility = ANY($2::text[])
		ORDER BY ic.position, c.name COLLATE "de-DE-x-icu", c.id`, initiativeID, visibilities)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[LinkedContact])
	if err != nil {
		return nil, fmt.Errorf("store: initiative contacts: %w", err)
	}
	return list, nil
}

// InitiativeContact returns a contact of an initiative; a contact that
// exists but is not linked to it is ErrNotFound.
func (s *Store) InitiativeContact(ctx context.Context, initiativeID, contactID int64) (*LinkedContact, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT `+contactColumns+`, ic.role, ic.position
		FROM initiative_contacts ic JOIN contacts c ON c.id = ic.contact_id
		WHERE ic.initiative_id = $1 AND ic.contact_id = $2`, initiativeID, contactID)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[LinkedContact])
	if err != nil {
		return nil, wrap("initiative contact", err, ErrNotFound)
	}
	return &c, nil
}

// AddInitiativeContact inserts a contact person and links them to the
// initiative, after its other contacts, in one statement.
func (s *Store) AddInitiativeContact(ctx context.Context, initiativeID int64, c NewContact, role string, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		WITH c AS (
			INSERT INTO contacts (name, function, organisation, email, phone, visibility, consent_at, consent_method,
				consent_purpose, created_at, updated_at)
			VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $12) RETURNING id)
		INSERT INTO initiative_contacts (initiative_id, contact_id, role, position)
		SELECT $1, c.id, $11,
			coalesce((SELECT max(position) + 1 FROM initiative_contacts WHERE initiative_id = $1), 0)
		FROM c RETURNING contact_id`,
		initiativeID, c.Name, c.Function, c.Organisation, c.Email, c.Phone, c.Visibility, c.ConsentAt,
		c.ConsentMethod, c.ConsentPurpose, role, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add initiative contact: %w", err)
	}
	return id, nil
}

// UpdateContact saves a contact if it is still at version; otherwise
// ErrConflict and nothing changes. It returns the new version.
func (s *Store) UpdateContact(ctx context.Context, id int64, version int, c NewContact, now time.Time) (int, error) {
	var next int
	err := s.db.QueryRow(ctx, `
		UPDATE contacts SET name = $3, function = $4, organisation = $5, email = $6, phone = $7, visibility = $8,
			consent_at = $9, consent_method = $10, consent_purpose = $11, updated_at = $12, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`,
		id, version, c.Name, c.Function, c.Organisation, c.Email, c.Phone, c.Visibility, c.ConsentAt,
		c.ConsentMethod, c.ConsentPurpose, now).Scan(&next)
	if err != nil {
		return 0, wrap("update contact", err, ErrConflict)
	}
	return next, nil
}

// SetContactRole changes a contact's role at one initiative.
func (s *Store) SetContactRole(ctx context.Context, initiativeID, contactID int64, role string) error {
	tag, err := s.db.Exec(ctx, `UPDATE initiative_contacts SET role = $3 WHERE initiative_id = $1 AND contact_id = $2`,
		initiativeID, contactID, role)
	return execOne(tag, err, "set contact role")
}

// UnlinkContact removes a contact from an initiative and deletes the
// person when no other initiative links to them and they have no part in
// an event or report (a speaker stays on the programme). The contact row is locked
// first, so a link added at the same time cannot be lost to the delete.
func (s *Store) UnlinkContact(ctx context.Context, initiativeID, contactID int64) (deleted bool, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		var id int64
		err := tx.db.QueryRow(ctx, `SELECT id FROM contacts WHERE id = $1 FOR UPDATE`, contactID).Scan(&id)
		if err != nil {
			return wrap("lock contact", err, ErrNotFound)
		}
		tag, err := tx.db.Exec(ctx, `DELETE FROM initiative_contacts WHERE initiative_id = $1 AND contact_id = $2`,
			initiativeID, contactID)
		if err := execOne(tag, err, "unlink contact"); err != nil {
			return err
		}
		tag, err = tx.db.Exec(ctx, `
			DELETE FROM contacts c WHERE c.id = $1
			AND NOT EXISTS (SELECT 1 FROM initiative_contacts ic WHERE ic.contact_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM programme_item_people WHERE contact_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM workshop_moderators WHERE contact_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM reports WHERE contact_id = c.id)`, contactID)
		deleted = tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: unlink contact: %w", err)
	}
	return deleted, nil
}

// ContactByID returns a contact person.
func (s *Store) ContactByID(ctx context.Context, id int64) (*Contact, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+contactColumns+` FROM contacts c WHERE c.id = $1`, id)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Contact])
	if err != nil {
		return nil, wrap("contact", err, ErrNotFound)
	}
	return &c, nil
}

// ContactFilter selects contacts for the Service-Stelle's search.
type ContactFilter struct {
	Query         string // part of the name or e-mail address
	Limit, Offset int
}

// ContactListItem is a row of the search.
type ContactListItem struct {
	Contact
	Initiatives int `db:"initiatives"`
	Total       int `db:"total"`
}

// ListContacts returns one page of contacts, by name in German order, and
// the number of all matching.
func (s *Store) ListContacts(ctx context.Context, f ContactFilter) ([]ContactListItem, int, error) {
	where := `($1 = '' OR c.name ILIKE '%' || $1 || '%' OR c.email ILIKE '%' || $1 || '%')`
	q := escapeLike(f.Query)
	rows, _ := s.db.Query(ctx, `
		SELECT `+contactColumns+`,
			(SELECT count(*) FROM initiative_contacts ic WHERE ic.contact_id = c.id)::int AS initiatives,
			(count(*) OVER ())::int AS total
		FROM contacts c WHERE `+where+`
		ORDER BY c.name COLLATE "de-DE-x-icu", c.id LIMIT $2 OFFSET $3`, q, f.Limit, f.Offset)
	items, total, err := collectPage(rows, "list contacts", func(x ContactListItem) int { return x.Total })
	if err != nil {
		return nil, 0, err
	}
	total, err = s.totalPastEnd(ctx, total, len(items), f.Offset, "count contacts", `SELECT count(*) FROM contacts c WHERE `+where, q)
	return items, total, err
}

// ContactLink is one initiative a contact person is linked to.
type ContactLink struct {
	InitiativeID int64  `db:"initiative_id"`
	Slug         string `db:"slug"`
	Name         string `db:"name"`
	Role         string `db:"role"`
	Position     int    `db:"position"`
}

// ContactLinks lists the initiatives a contact person is linked to.
func (s *Store) ContactLinks(ctx context.Context, contactID int64) ([]ContactLink, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT ic.initiative_id, i.slug, i.name, ic.role, ic.position
		FROM initiative_contacts ic JOIN initiatives i ON i.id = ic.initiative_id
		WHERE ic.contact_id = $1 ORDER BY i.name COLLATE "de-DE-x-icu", i.id`, contactID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[ContactLink])
	if err != nil {
		return nil, fmt.Errorf("store: contact links: %w", err)
	}
	return list, nil
}

// ContactAudit returns every audit entry about a contact, oldest first.
func (s *Store) ContactAudit(ctx context.Context, contactID int64) ([]AuditEntry, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT id, at, actor_id, actor, action, object_type, object_id, details, client_ip FROM audit_log
		WHERE object_type = 'contact' AND object_id = $1 ORDER BY at, id`, strconv.FormatInt(contactID, 10))
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[AuditEntry])
	if err != nil {
		return nil, fmt.Errorf("store: contact audit: %w", err)
	}
	return list, nil
}

// EraseContact deletes a contact person and all their links (DSGVO Art.
// 17). The audit entries about them must stay, so they are anonymised:
// their details keep only the keys in keep, which name fields and ids,
// never values. It returns how many initiatives the person was linked to.
func (s *Store) EraseContact(ctx context.Context, id int64, keep []string) (links int, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		err := tx.db.QueryRow(ctx, `
			WITH c AS (SELECT id FROM contacts WHERE id = $1 FOR UPDATE)
			SELECT count(ic.contact_id)::int FROM c LEFT JOIN initiative_contacts ic ON ic.contact_id = c.id
			GROUP BY c.id`, id).Scan(&links)
		if err != nil {
			return wrap("lock contact", err, ErrNotFound)
		}
		if _, err := tx.db.Exec(ctx, `DELETE FROM contacts WHERE id = $1`, id); err != nil { // links cascade
			return err
		}
		_, err = tx.db.Exec(ctx, `
			UPDATE audit_log SET details = coalesce(
				(SELECT jsonb_object_agg(key, value) FROM jsonb_each(details) WHERE key = ANY($2::text[])), '{}')
			WHERE object_type = 'contact' AND object_id = $1`, strconv.FormatInt(id, 10), keep)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: erase contact: %w", err)
	}
	return links, nil
}

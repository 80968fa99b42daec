package store

import (
	"context"
)

// PickItem is an initiative or a contact person offered in a picker: the
// forms that choose some of hundreds of them search instead of listing all.
type PickItem struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
	// Detail tells items of the same name apart: a contact's organisation.
	Detail string `db:"detail"`
	// Visibility is a contact's (public, members, editors); empty for an
	// initiative.
	Visibility string `db:"visibility"`
	// Exact is set when the item bears the searched name itself, up to
	// case, accents and punctuation (rii_name_key), or the searched address.
	Exact bool `db:"exact"`
}

// FindInitiatives finds up to limit initiatives of any status for the
// query q: those whose name contains it (as a name key, see migration
// 00024) first, then those with a similar word (pg_trgm), the exact name
// before all others.
func (s *Store) FindInitiatives(ctx context.Context, q string, limit int) ([]PickItem, error) {
	rows, _ := s.db.Query(ctx, `
		WITH q AS (SELECT rii_name_key($1) AS k)
		SELECT i.id, i.name, '' AS detail, '' AS visibility, (rii_name_key(i.name) = q.k OR i.slug = $1) AS exact
		FROM initiatives i, q
		WHERE q.k <> '' AND (rii_name_key(i.name) LIKE '%' || q.k || '%' OR q.k <% rii_name_key(i.name) OR i.slug = $1)
		ORDER BY exact DESC, rii_name_key(i.name) LIKE '%' || q.k || '%' DESC,
			word_similarity(q.k, rii_name_key(i.name)) DESC, i.name COLLATE "de-DE-x-icu", i.id
		LIMIT $2`, q, limit)
	return collect[PickItem](rows, "find initiatives")
}

// InitiativeItems loads the initiatives ids as picker items, by name.
func (s *Store) InitiativeItems(ctx context.Context, ids []int64) ([]PickItem, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, name, '' AS detail, '' AS visibility, false AS exact
		FROM initiatives WHERE id = ANY($1) ORDER BY name COLLATE "de-DE-x-icu", id`, ids)
	return collect[PickItem](rows, "initiative items")
}

// FindContacts finds up to limit contact persons by name or organisation,
// as FindInitiatives does; Exact compares the name alone.
func (s *Store) FindContacts(ctx context.Context, q string, limit int) ([]PickItem, error) {
	rows, _ := s.db.Query(ctx, `
		WITH q AS (SELECT rii_name_key($1) AS k)
		SELECT c.id, c.name, c.organisation AS detail, c.visibility, rii_name_key(c.name) = q.k AS exact
		FROM contacts c, q
		WHERE q.k <> '' AND (rii_name_key(c.name || ' ' || c.organisation) LIKE '%' || q.k || '%'
			OR q.k <% rii_name_key(c.name || ' ' || c.organisation))
		ORDER BY exact DESC, rii_name_key(c.name || ' ' || c.organisation) LIKE '%' || q.k || '%' DESC,
			word_similarity(q.k, rii_name_key(c.name || ' ' || c.organisation)) DESC, c.name COLLATE "de-DE-x-icu", c.id
		LIMIT $2`, q, limit)
	return collect[PickItem](rows, "find contacts")
}

// ContactItems loads the contact persons ids as picker items, by name.
func (s *Store) ContactItems(ctx context.Context, ids []int64) ([]PickItem, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, name, organisation AS detail, visibility, false AS exact
		FROM contacts WHERE id = ANY($1) ORDER BY name COLLATE "de-DE-x-icu", id`, ids)
	return collect[PickItem](rows, "contact items")
}

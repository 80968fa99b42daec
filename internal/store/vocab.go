package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Term is one value of a vocabulary.
type Term struct {
	Slug string `db:"slug"`
	Name string `db:"name"`
}

// Vocabularies are the editor-maintained lists a profile or an event
// chooses from, and the (fixed) Länder.
type Vocabularies struct {
	LegalForms, Topics, Sectors, TargetGroups, Formats []Term
	// States are the 16 Länder by code (as States): Slug is the code.
	States []Term
}

// AllVocabularies loads every vocabulary and the Länder in display order,
// in one query.
func (s *Store) AllVocabularies(ctx context.Context) (*Vocabularies, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT 'legal_forms' AS kind, slug, name, position FROM legal_forms
		UNION ALL SELECT 'topics', slug, name, position FROM topics
		UNION ALL SELECT 'sectors', slug, name, position FROM sectors
		UNION ALL SELECT 'target_groups', slug, name, position FROM target_groups
		UNION ALL SELECT 'formats', slug, name, position FROM formats
		UNION ALL SELECT 'states', code::text, name, code::int FROM states
		ORDER BY kind, position, name`)
	type row struct {
		Kind     string `db:"kind"`
		Slug     string `db:"slug"`
		Name     string `db:"name"`
		Position int    `db:"position"`
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, fmt.Errorf("store: vocabularies: %w", err)
	}
	v := &Vocabularies{}
	for _, r := range list {
		t := Term{Slug: r.Slug, Name: r.Name}
		switch r.Kind {
		case "legal_forms":
			v.LegalForms = append(v.LegalForms, t)
		case "topics":
			v.Topics = append(v.Topics, t)
		case "sectors":
			v.Sectors = append(v.Sectors, t)
		case "target_groups":
			v.TargetGroups = append(v.TargetGroups, t)
		case "formats":
			v.Formats = append(v.Formats, t)
		case "states":
			v.States = append(v.States, t)
		}
	}
	return v, nil
}

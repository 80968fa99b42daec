package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Vocab names one of the editor-maintained vocabularies.
type Vocab string

// The vocabularies.
const (
	VocabTopics       Vocab = "topics"
	VocabSectors      Vocab = "sectors"
	VocabTargetGroups Vocab = "target_groups"
	VocabFormats      Vocab = "formats"
	VocabLegalForms   Vocab = "legal_forms"
)

// vocabTable is where a vocabulary lives and which column links initiatives
// to it. These identifiers are the only ones the vocabulary queries put into
// SQL; nothing from a request ever becomes an identifier.
type vocabTable struct {
	table, usageTable, usageColumn string
	description                    bool
}

var vocabTables = map[Vocab]vocabTable{
	VocabTopics:       {"topics", "initiative_topics", "topic", true},
	VocabSectors:      {"sectors", "initiative_sectors", "sector", false},
	VocabTargetGroups: {"target_groups", "initiative_target_groups", "target_group", false},
	VocabFormats:      {"formats", "initiative_formats", "format", false},
	VocabLegalForms:   {"legal_forms", "initiatives", "legal_form", false},
}

// TermInUseError is returned when a term still used by initiatives is to be
// deleted.
type TermInUseError struct{ Uses int }

func (e *TermInUseError) Error() string { return fmt.Sprintf("term used by %d initiatives", e.Uses) }

// VocabTerm is one term with how many initiatives use it.
type VocabTerm struct {
	Slug        string `db:"slug"`
	Name        string `db:"name"`
	Description string `db:"description"`
	Position    int    `db:"position"`
	Uses        int    `db:"uses"`
}

func lookupVocab(v Vocab) (vocabTable, error) {
	t, ok := vocabTables[v]
	if !ok {
		return vocabTable{}, fmt.Errorf("store: unknown vocabulary %q", v)
	}
	return t, nil
}

func (t vocabTable) selectTerms() string {
	desc := "''"
	if t.description {
		desc = "t.description"
	}
	return `SELECT t.slug, t.name, ` + desc + ` AS description, t.position,
		(SELECT count(*) FROM ` + t.usageTable + ` u WHERE u.` + t.usageColumn + ` = t.slug)::int AS uses
		FROM ` + t.table + ` t`
}

// VocabTerms lists a vocabulary in display order with usage counts.
func (s *Store) VocabTerms(ctx context.Context, v Vocab) ([]VocabTerm, error) {
	t, err := lookupVocab(v)
	if err != nil {
		return nil, err
	}
	rows, _ := s.db.Query(ctx, t.selectTerms()+` ORDER BY t.position, t.name`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[VocabTerm])
	if err != nil {
		return nil, fmt.Errorf("store: vocabulary %s: %w", v, err)
	}
	return list, nil
}

// VocabTermBySlug loads one term; ErrNotFound if there is none.
func (s *Store) VocabTermBySlug(ctx context.Context, v Vocab, slug string) (*VocabTerm, error) {
	t, err := lookupVocab(v)
	if err != nil {
		return nil, err
	}
	rows, _ := s.db.Query(ctx, t.selectTerms()+` WHERE t.slug = $1`, slug)
	term, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[VocabTerm])
	if err != nil {
		return nil, wrap(fmt.Sprintf("term %s/%q", v, slug), err, ErrNotFound)
	}
	return term, nil
}

// AddVocabTerm appends a term at the end of a vocabulary. A name or slug
// the vocabulary already has is ErrTermTaken.
func (s *Store) AddVocabTerm(ctx context.Context, v Vocab, slug, name, description string) error {
	t, err := lookupVocab(v)
	if err != nil {
		return err
	}
	var q string
	args := []any{slug, name}
	if t.description {
		q = `INSERT INTO ` + t.table + ` (slug, name, description, position)
			SELECT $1, $2, $3, coalesce(max(position), 0) + 1 FROM ` + t.table
		args = append(args, description)
	} else {
		q = `INSERT INTO ` + t.table + ` (slug, name, position)
			SELECT $1, $2, coalesce(max(position), 0) + 1 FROM ` + t.table
	}
	_, err = s.db.Exec(ctx, q, args...)
	return wrap("add term", err, nil)
}

// RenameVocabTerm changes a term's name (and, for topics, description);
// the slug stays. ErrNotFound if there is no such term, ErrTermTaken if
// another term has the name.
func (s *Store) RenameVocabTerm(ctx context.Context, v Vocab, slug, name, description string) error {
	t, err := lookupVocab(v)
	if err != nil {
		return err
	}
	var tag pgconn.CommandTag
	if t.description {
		tag, err = s.db.Exec(ctx, `UPDATE `+t.table+` SET name = $2, description = $3 WHERE slug = $1`, slug, name, description)
	} else {
		tag, err = s.db.Exec(ctx, `UPDATE `+t.table+` SET name = $2 WHERE slug = $1`, slug, name)
	}
	if err != nil {
		return wrap("rename term", err, nil)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: rename term %s/%q: %w", v, slug, ErrNotFound)
	}
	return nil
}

// DeleteVocabTerm deletes a term no initiative uses. A used term is a
// *TermInUseError (also when the database's foreign key refuses it);
// ErrNotFound if there is no such term.
func (s *Store) DeleteVocabTerm(ctx context.Context, v Vocab, slug string) error {
	t, err := lookupVocab(v)
	if err != nil {
		return err
	}
	var uses int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM `+t.usageTable+` WHERE `+t.usageColumn+` = $1`, slug).Scan(&uses); err != nil {
		return fmt.Errorf("store: delete term: %w", err)
	}
	if uses > 0 {
		return &TermInUseError{Uses: uses}
	}
	tag, err := s.db.Exec(ctx, `DELETE FROM `+t.table+` WHERE slug = $1`, slug)
	if err := wrap("delete term", err, nil); errors.Is(err, ErrTermInUse) {
		return &TermInUseError{Uses: 1} // linked meanwhile
	} else if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: delete term %s/%q: %w", v, slug, ErrNotFound)
	}
	return nil
}

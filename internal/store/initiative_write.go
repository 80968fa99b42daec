package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// MemberOrg is a member organisation of an initiative.
type MemberOrg struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// InitiativeProfile is the editable content of an initiative: what a form
// edits, what a revision stores and what a restore brings back.
type InitiativeProfile struct {
	Name             string      `json:"name"`
	ShortDescription string      `json:"short_description"`
	Description      string      `json:"description"`
	LegalForm        string      `json:"legal_form"`
	FoundingYear     int         `json:"founding_year"` // 0: unknown
	Website          string      `json:"website"`
	Districts        []string    `json:"districts"`
	Topics           []string    `json:"topics"`
	Sectors          []string    `json:"sectors"`
	TargetGroups     []string    `json:"target_groups"`
	Formats          []string    `json:"formats"`
	Members          []MemberOrg `json:"members"`
}

// Normalize sorts the sets so that equal profiles compare equal.
func (p *InitiativeProfile) Normalize() {
	for _, l := range [][]string{p.Districts, p.Topics, p.Sectors, p.TargetGroups, p.Formats} {
		sort.Strings(l)
	}
}

// EditableInitiative is a profile with what editing needs around it.
type EditableInitiative struct {
	ID          int64
	Slug        string
	Status      string
	Version     int
	UpdatedAt   time.Time
	ConfirmedAt *time.Time
	Comment     string
	Profile     InitiativeProfile
}

// Actor names who makes a change, for revisions and the audit log.
type Actor struct {
	ID    *int64
	Label string
}

// CreateInitiative inserts an initiative with its profile and first
// revision; a taken slug is ErrSlugTaken.
func (s *Store) CreateInitiative(ctx context.Context, slug, status string, p InitiativeProfile, by Actor, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO initiatives (slug, name, status, short_description, description, legal_form, founding_year,
			website, created_by, created_at, updated_at, published_at)
		VALUES ($1, $2, $3, $4, $5, nullif($6, ''), nullif($7, 0), nullif($8, ''), $9, $10, $10,
			CASE WHEN $3 = 'published' THEN $10::timestamptz END)
		RETURNING id`,
		slug, p.Name, status, p.ShortDescription, p.Description, p.LegalForm, p.FoundingYear, p.Website, by.ID, now).Scan(&id)
	if err != nil {
		return 0, wrap("create initiative", err, nil)
	}
	if err := s.replaceLinks(ctx, id, p); err != nil {
		return 0, err
	}
	return id, s.addRevision(ctx, id, 1, nil, p, by, now)
}

// UpdateInitiative saves a profile if the initiative is still at version;
// otherwise ErrConflict and nothing changes. It returns the new version.
func (s *Store) UpdateInitiative(ctx context.Context, id int64, version int, p InitiativeProfile, by Actor, now time.Time) (int, error) {
	before, err := s.EditableInitiative(ctx, id)
	if err != nil {
		return 0, err
	}
	var next int
	err = s.db.QueryRow(ctx, `
		UPDATE initiatives SET name = $3, short_description = $4, description = $5, legal_form = nullif($6, ''),
			founding_year = nullif($7, 0), website = nullif($8, ''), updated_at = $9, version = version + 1
		WHERE id = $1 AND version = $2 RETURNING version`,
		id, version, p.Name, p.ShortDescription, p.Description, p.LegalForm, p.FoundingYear, p.Website, now).Scan(&next)
	if err != nil {
		return 0, wrap("update initiative", err, ErrConflict)
	}
	if err := s.replaceLinks(ctx, id, p); err != nil {
		return 0, err
	}
	return next, s.addRevision(ctx, id, next, &before.Profile, p, by, now)
}

// replaceLinks writes the profile's sets and member organisations.
func (s *Store) replaceLinks(ctx context.Context, id int64, p InitiativeProfile) error {
	links := []struct {
		table, column string
		values        []string
	}{
		{"initiative_districts", "ags", p.Districts},
		{"initiative_topics", "topic", p.Topics},
		{"initiative_sectors", "sector", p.Sectors},
		{"initiative_target_groups", "target_group", p.TargetGroups},
		{"initiative_formats", "format", p.Formats},
	}
	for _, l := range links {
		// Table and column names come from the list above, never from input.
		if _, err := s.db.Exec(ctx, `DELETE FROM `+l.table+` WHERE initiative_id = $1`, id); err != nil {
			return fmt.Errorf("store: %s: %w", l.table, err)
		}
		if len(l.values) == 0 {
			continue
		}
		_, err := s.db.Exec(ctx, `INSERT INTO `+l.table+` (initiative_id, `+l.column+`)
			SELECT $1, v FROM unnest($2::text[]) v ON CONFLICT DO NOTHING`, id, l.values)
		if err != nil {
			return fmt.Errorf("store: %s: %w", l.table, err)
		}
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM initiative_members WHERE initiative_id = $1`, id); err != nil {
		return fmt.Errorf("store: members: %w", err)
	}
	for i, m := range p.Members {
		_, err := s.db.Exec(ctx, `INSERT INTO initiative_members (initiative_id, name, kind, position) VALUES ($1, $2, $3, $4)`,
			id, m.Name, m.Kind, i)
		if err != nil {
			return fmt.Errorf("store: members: %w", err)
		}
	}
	return nil
}

// EditableInitiative loads a profile for editing, in any status.
func (s *Store) EditableInitiative(ctx context.Context, id int64) (*EditableInitiative, error) {
	var e EditableInitiative
	var website, legal *string
	var year *int
	err := s.db.QueryRow(ctx, `
		SELECT id, slug, status, version, updated_at, confirmed_at, review_comment, name, short_description,
			description, legal_form, founding_year, website,
			array(SELECT ags FROM initiative_districts WHERE initiative_id = i.id ORDER BY ags),
			array(SELECT topic FROM initiative_topics WHERE initiative_id = i.id ORDER BY topic),
			array(SELECT sector FROM initiative_sectors WHERE initiative_id = i.id ORDER BY sector),
			array(SELECT target_group FROM initiative_target_groups WHERE initiative_id = i.id ORDER BY target_group),
			array(SELECT format FROM initiative_formats WHERE initiative_id = i.id ORDER BY format),
			coalesce((SELECT jsonb_agg(jsonb_build_object('name', name, 'kind', kind) ORDER BY position)
				FROM initiative_members WHERE initiative_id = i.id), '[]')
		FROM initiatives i WHERE id = $1`, id).Scan(
		&e.ID, &e.Slug, &e.Status, &e.Version, &e.UpdatedAt, &e.ConfirmedAt, &e.Comment, &e.Profile.Name,
		&e.Profile.ShortDescription, &e.Profile.Description, &legal, &year, &website,
		&e.Profile.Districts, &e.Profile.Topics, &e.Profile.Sectors, &e.Profile.TargetGroups, &e.Profile.Formats,
		&e.Profile.Members)
	if err != nil {
		return nil, wrap("editable initiative", err, ErrNotFound)
	}
	if legal != nil {
		e.Profile.LegalForm = *legal
	}
	if year != nil {
		e.Profile.FoundingYear = *year
	}
	if website != nil {
		e.Profile.Website = *website
	}
	return &e, nil
}

// InitiativeIDBySlug resolves a slug in any status.
func (s *Store) InitiativeIDBySlug(ctx context.Context, slug string) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `SELECT id FROM initiatives WHERE slug = $1`, slug).Scan(&id)
	if err != nil {
		return 0, wrap("initiative by slug", err, ErrNotFound)
	}
	return id, nil
}

// addRevision records a version: the changed fields and the whole profile.
func (s *Store) addRevision(ctx context.Context, id int64, version int, before *InitiativeProfile, after InitiativeProfile, by Actor, now time.Time) error {
	changes := map[string]any{}
	if before != nil {
		changes = diffJSON(*before, after)
	}
	snapshot, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("store: revision: %w", err)
	}
	_, err = s.db.Exec(ctx, `
		INSERT INTO initiative_revisions (initiative_id, version, at, actor_id, actor, changes, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, version, now, by.ID, by.Label, changes, snapshot)
	if err != nil {
		return fmt.Errorf("store: revision: %w", err)
	}
	return nil
}

// diffJSON lists the fields of two versions of a record (as their JSON
// shows them) that differ, with their values before and after.
func diffJSON(a, b any) map[string]any {
	var ma, mb map[string]any
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	json.Unmarshal(ja, &ma)
	json.Unmarshal(jb, &mb)
	out := map[string]any{}
	for k, va := range ma {
		x, _ := json.Marshal(va)
		y, _ := json.Marshal(mb[k])
		if string(x) != string(y) {
			out[k] = map[string]any{"from": va, "to": mb[k]}
		}
	}
	return out
}

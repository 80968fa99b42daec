package store

import (
	"context"
	"fmt"
	"time"
)

// Contact visibilities: who may see a contact person.
const (
	VisibilityPublic  = "public"  // everyone
	VisibilityMembers = "members" // signed-in members of the initiative, and the Service-Stelle
	VisibilityEditors = "editors" // the Service-Stelle (and officials, who read everything)
)

// NewContact is a contact person with the consent behind their visibility.
type NewContact struct {
	Name, Function, Organisation, Email, Phone string
	Visibility                                 string
	ConsentAt                                  *time.Time
	ConsentMethod, ConsentPurpose              string
}

// CreateContact inserts a contact person.
func (s *Store) CreateContact(ctx context.Context, c NewContact, now time.Time) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		INSERT INTO contacts (name, function, organisation, email, phone, visibility, consent_at, consent_method,
			consent_purpose, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		c.Name, c.Function, c.Organisation, c.Email, c.Phone, c.Visibility, c.ConsentAt, c.ConsentMethod,
		c.ConsentPurpose, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create contact: %w", err)
	}
	return id, nil
}

// LinkContact makes a contact person a contact of an initiative.
func (s *Store) LinkContact(ctx context.Context, initiativeID, contactID int64, role string, position int) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO initiative_contacts (initiative_id, contact_id, role, position) VALUES ($1, $2, $3, $4)
		ON CONFLICT (initiative_id, contact_id) DO UPDATE SET role = excluded.role, position = excluded.position`,
		initiativeID, contactID, role, position)
	if err != nil {
		return fmt.Errorf("store: link contact: %w", err)
	}
	return nil
}

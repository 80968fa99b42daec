package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"rii/internal/registration"
)

// The store's sentinel errors. Callers test them with errors.Is; IsConflict
// groups those that mean "the write collided with what is stored".
var (
	// ErrNotFound is returned when a requested row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict is returned when a record changed since it was read
	// (its version moved on), so the write was refused.
	ErrConflict = errors.New("conflict")
	// ErrSlugTaken is returned when another initiative or event has the slug.
	ErrSlugTaken = errors.New("slug taken")
	// ErrEmailTaken is returned when another account has the address.
	ErrEmailTaken = errors.New("email taken")
	// ErrReportExists is returned when an event already has its report.
	ErrReportExists = errors.New("report exists")
	// ErrTermTaken is returned when a vocabulary already has a term with
	// the name or the slug.
	ErrTermTaken = errors.New("term taken")
	// ErrTermInUse is returned when the database refuses to delete a term
	// that something still refers to.
	ErrTermInUse = errors.New("term in use")
	// ErrTokenInvalid is returned for a link that is unknown, used or expired.
	ErrTokenInvalid = errors.New("token invalid")
)

// IsConflict reports whether err says a write collided with the stored
// state: a stale version, a taken slug, address or term, an existing
// report, a term still in use. HTTP answers these with 409.
func IsConflict(err error) bool {
	var inUse *TermInUseError
	for _, s := range []error{ErrConflict, ErrSlugTaken, ErrEmailTaken, ErrReportExists, ErrTermTaken, ErrTermInUse} {
		if errors.Is(err, s) {
			return true
		}
	}
	return errors.As(err, &inUse)
}

// constraintErrors maps the names of unique and foreign-key constraints
// to the sentinel a violation of them means. A test checks every name
// against the migrated schema.
var constraintErrors = map[string]error{
	"initiatives_slug_key":       ErrSlugTaken,
	"events_slug_key":            ErrSlugTaken,
	"users_email_key":            ErrEmailTaken,
	"reports_event_id_key":       ErrReportExists,
	"event_topics_topic_fkey":    ErrTermInUse,
	"workshop_topics_topic_fkey": ErrTermInUse,
	// Two chosen workshops in one time slot.
	"registration_workshops_registration_id_slot_starts_at_key": registration.ErrWorkshop,
}

func init() {
	for _, t := range vocabTables {
		constraintErrors[t.table+"_pkey"] = ErrTermTaken
		constraintErrors[t.table+"_name_key"] = ErrTermTaken
		constraintErrors[t.usageTable+"_"+t.usageColumn+"_fkey"] = ErrTermInUse
	}
}

// wrap names the operation op on a driver error and maps what the
// store's callers decide on: no rows to none (what "no row" means for op:
// ErrNotFound, ErrConflict or ErrTokenInvalid; nil keeps ErrNoRows), a
// unique or foreign-key violation of a known constraint to its sentinel
// (the driver's error stays in the chain for the log). nil stays nil.
func wrap(op string, err error, none error) error {
	if err == nil {
		return nil
	}
	if none != nil && errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", op, none)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "23505" || pgErr.Code == "23503") {
		if s, ok := constraintErrors[pgErr.ConstraintName]; ok {
			return fmt.Errorf("store: %s: %w: %w", op, s, err)
		}
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// execOne maps "no row changed" to ErrNotFound.
func execOne(tag pgconn.CommandTag, err error, op string) error {
	if err != nil {
		return wrap(op, err, nil)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: %s: %w", op, ErrNotFound)
	}
	return nil
}

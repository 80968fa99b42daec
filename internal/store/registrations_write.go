package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/registration"
)

// Every change that gives or frees a place runs in a transaction that first
// locks its event row (lockEvent). The lock serialises them per event, so
// counting the places held and then writing can never overbook, and the
// waiting list is promoted by exactly one of two racing cancellations.

// NewRegistration is a registration to store.
type NewRegistration struct {
	EventID      int64
	UserID       *int64
	Name         string
	Email        string
	Organisation string
	InitiativeID *int64
	// Workshops are the chosen workshops, at most one per slot.
	Workshops []int64
	Answers   []Answer
	// Source is a registration.Source…; only public registrations are held
	// to the event's registration window.
	Source string
	// Confirmed: the address is known to be the person's (an invitation
	// link, staff), so there is no double opt-in.
	Confirmed bool
	// TokenHash is the hash of the personal link to store with it (or, for
	// an existing registration, to store when the link is sent again).
	TokenHash []byte
	Now       time.Time
}

// RegisterResult is what Register did.
type RegisterResult struct {
	Registration Registration
	// Existing: the address already had an active registration for the
	// event; nothing new was stored.
	Existing bool
	// SendLink: the caller must e-mail the personal link (TokenHash) in the
	// same transaction. False for an existing registration whose link went
	// out less than registration.ResendAfter ago.
	SendLink bool
}

// Register stores a registration, holding a place if the event and every
// chosen workshop have one free, and otherwise putting it in the queue.
// The same address again returns the existing registration. It fails with
// registration.ErrClosed when a public or invited registration comes
// outside the window, and registration.ErrWorkshop for a workshop the event does not
// offer or two in one slot. Call it inside InTx to enqueue the e-mail in
// the same transaction.
func (s *Store) Register(ctx context.Context, in NewRegistration) (RegisterResult, error) {
	var res RegisterResult
	err := s.InTx(ctx, func(tx *Store) error {
		settings, err := tx.lockEvent(ctx, in.EventID)
		if err != nil {
			return err
		}
		if (in.Source == registration.SourcePublic || in.Source == registration.SourceInvitation) && !settings.OpenAt(in.Now) {
			return registration.ErrClosed
		}
		existing, err := tx.oneRegistration(ctx, "existing registration", `SELECT `+registrationColumns+`
			FROM registrations WHERE event_id = $1 AND lower(email) = lower($2)
			AND status IN ('pending', 'confirmed', 'waitlisted') AND anonymised_at IS NULL`, in.EventID, in.Email)
		if err == nil {
			res, err = tx.resend(ctx, existing, in)
			return err
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		fits, err := tx.fits(ctx, in.EventID, in.Workshops, 0, true)
		if err != nil {
			return err
		}
		r, err := tx.insertRegistration(ctx, in, settings.HoldHours, fits)
		if err != nil {
			return err
		}
		res = RegisterResult{Registration: r, SendLink: true}
		return tx.AddRegistrationToken(ctx, r.ID, in.TokenHash, in.Now)
	})
	if err != nil {
		return RegisterResult{}, fmt.Errorf("store: register: %w", err)
	}
	return res, nil
}

// resend stores a new personal link for an existing registration if the
// last one went out long enough ago.
func (s *Store) resend(ctx context.Context, r Registration, in NewRegistration) (RegisterResult, error) {
	res := RegisterResult{Registration: r, Existing: true}
	if in.Now.Sub(r.LinkSentAt) < registration.ResendAfter {
		return res, nil
	}
	if _, err := s.db.Exec(ctx, `UPDATE registrations SET link_sent_at = $2 WHERE id = $1`, r.ID, in.Now); err != nil {
		return res, err
	}
	res.SendLink = true
	return res, s.AddRegistrationToken(ctx, r.ID, in.TokenHash, in.Now)
}

func (s *Store) insertRegistration(ctx context.Context, in NewRegistration, holdHours int, fits bool) (Registration, error) {
	status, confirmedAt := registration.StatusPending, (*time.Time)(nil)
	if in.Confirmed {
		status, confirmedAt = registration.StatusWaitlisted, &in.Now
		if fits {
			status = registration.StatusConfirmed
		}
	}
	source := in.Source
	if source == "" {
		source = registration.SourcePublic
	}
	r, err := s.oneRegistration(ctx, "insert registration", `
		INSERT INTO registrations (event_id, user_id, name, email, organisation, initiative_id, status, holds_place,
			hold_expires_at, created_at, consent_at, confirmed_at, link_sent_at, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $10, $12)
		RETURNING `+registrationColumns,
		in.EventID, in.UserID, in.Name, in.Email, in.Organisation, in.InitiativeID, status, fits,
		in.Now.Add(time.Duration(holdHours)*time.Hour), in.Now, confirmedAt, source)
	if err != nil {
		return r, err
	}
	if len(in.Workshops) > 0 {
		tag, err := s.db.Exec(ctx, `
			INSERT INTO registration_workshops (registration_id, event_id, workshop_id, slot_starts_at)
			SELECT $1, event_id, id, starts_at FROM workshops WHERE event_id = $2 AND id = ANY($3)`,
			r.ID, in.EventID, in.Workshops)
		if err != nil {
			return r, wrap("choose workshops", err, nil)
		}
		if tag.RowsAffected() != int64(len(in.Workshops)) {
			return r, registration.ErrWorkshop
		}
	}
	for _, a := range in.Answers {
		if _, err := s.db.Exec(ctx, `INSERT INTO registration_answers (registration_id, event_id, question_id, answer)
			VALUES ($1, $2, $3, $4)`, r.ID, in.EventID, a.QuestionID, a.Answer); err != nil {
			return r, err
		}
	}
	return r, nil
}

// lockEvent takes the event's registration lock for the transaction and
// returns its settings and counts as they stand under the lock.
func (s *Store) lockEvent(ctx context.Context, eventID int64) (RegistrationSettings, error) {
	// NO KEY UPDATE: registrations are serialised, while inserts that only
	// reference the event (a new workshop, a topic) need not wait. The
	// counts in the select list are taken once the lock is held.
	rows, _ := s.db.Query(ctx, registrationSettingsSQL+` FOR NO KEY UPDATE OF e`, eventID)
	return collectOne[RegistrationSettings](rows, "lock event")
}

// fits reports whether a registration with these workshops finds a place:
// in the event (if withEvent) and in each workshop, not counting
// registration exclude. Call it under lockEvent.
func (s *Store) fits(ctx context.Context, eventID int64, workshops []int64, exclude int64, withEvent bool) (bool, error) {
	if workshops == nil {
		workshops = []int64{}
	}
	var ok bool
	err := s.db.QueryRow(ctx, `
		SELECT (NOT $4 OR e.capacity IS NULL OR e.capacity > (SELECT count(*) FROM registrations r
				WHERE r.event_id = e.id AND r.holds_place AND r.id <> $3))
			AND NOT EXISTS (SELECT 1 FROM workshops w WHERE w.event_id = e.id AND w.id = ANY($2)
				AND w.capacity IS NOT NULL AND w.capacity <= (SELECT count(*) FROM registration_workshops rw
					JOIN registrations r ON r.id = rw.registration_id
					WHERE rw.workshop_id = w.id AND r.holds_place AND r.id <> $3))
		FROM events e WHERE e.id = $1`, eventID, workshops, exclude, withEvent).Scan(&ok)
	return ok, err
}

// lockRegistration locks the event of registration id, then the row, and
// returns it as it stands under the lock.
func (s *Store) lockRegistration(ctx context.Context, id int64) (Registration, error) {
	var eventID int64
	if err := s.db.QueryRow(ctx, `SELECT event_id FROM registrations WHERE id = $1`, id).Scan(&eventID); err != nil {
		return Registration{}, wrap("lock registration", err, ErrNotFound)
	}
	if _, err := s.lockEvent(ctx, eventID); err != nil {
		return Registration{}, err
	}
	return s.oneRegistration(ctx, "lock registration", `SELECT `+registrationColumns+`
		FROM registrations WHERE id = $1 FOR UPDATE`, id)
}

// ConfirmRegistration confirms the address of a pending registration: it
// becomes confirmed if it holds a place or one is free now, waitlisted
// otherwise. changed is false when it was confirmed before; a cancelled or
// lapsed one fails with registration.ErrEnded.
func (s *Store) ConfirmRegistration(ctx context.Context, id int64, now time.Time) (r Registration, changed bool, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		if r, err = tx.lockRegistration(ctx, id); err != nil {
			return err
		}
		if !registration.Active(r.Status) {
			return registration.ErrEnded
		}
		if r.Status != registration.StatusPending {
			return nil
		}
		fits := r.HoldsPlace
		if !fits {
			ws, err := tx.ChosenWorkshops(ctx, id)
			if err != nil {
				return err
			}
			if fits, err = tx.fits(ctx, r.EventID, ws, id, true); err != nil {
				return err
			}
		}
		status := registration.StatusWaitlisted
		if fits {
			status = registration.StatusConfirmed
		}
		changed = true
		r, err = tx.oneRegistration(ctx, "confirm", `UPDATE registrations
			SET status = $2, holds_place = $3, confirmed_at = $4 WHERE id = $1 RETURNING `+registrationColumns,
			id, status, fits, now)
		return err
	})
	if err != nil {
		return r, false, fmt.Errorf("store: confirm registration: %w", err)
	}
	return r, changed, nil
}

// CancelRegistration cancels a registration and gives its place to the
// waiting list; it returns the registrations promoted. Cancelling twice
// changes nothing the second time (changed false).
func (s *Store) CancelRegistration(ctx context.Context, id int64, now time.Time) (changed bool, promoted []Registration, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		r, err := tx.lockRegistration(ctx, id)
		if err != nil {
			return err
		}
		if !registration.Active(r.Status) {
			return nil
		}
		changed = true
		if _, err := tx.db.Exec(ctx, `UPDATE registrations SET status = 'cancelled', holds_place = false, ended_at = $2
			WHERE id = $1`, id, now); err != nil {
			return err
		}
		promoted, err = tx.promote(ctx, r.EventID, now)
		return err
	})
	if err != nil {
		return false, nil, fmt.Errorf("store: cancel registration: %w", err)
	}
	return changed, promoted, nil
}

// ChangeWorkshop puts a registration into workshopID instead of its choice
// in the same slot. A registration holding a place moves only if the new
// workshop has one free (registration.ErrFull otherwise). It returns the
// registrations promoted into the freed place.
func (s *Store) ChangeWorkshop(ctx context.Context, id, workshopID int64, now time.Time) (promoted []Registration, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		r, err := tx.lockRegistration(ctx, id)
		if err != nil {
			return err
		}
		if !registration.Active(r.Status) {
			return registration.ErrEnded
		}
		var slot time.Time
		err = tx.db.QueryRow(ctx, `SELECT starts_at FROM workshops WHERE id = $1 AND event_id = $2`,
			workshopID, r.EventID).Scan(&slot)
		if err != nil {
			return wrap("workshop slot", err, registration.ErrWorkshop)
		}
		if r.HoldsPlace {
			fits, err := tx.fits(ctx, r.EventID, []int64{workshopID}, id, false)
			if err != nil {
				return err
			}
			if !fits {
				return registration.ErrFull
			}
		}
		if _, err := tx.db.Exec(ctx, `DELETE FROM registration_workshops WHERE registration_id = $1 AND slot_starts_at = $2`,
			id, slot); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO registration_workshops (registration_id, event_id, workshop_id, slot_starts_at)
			VALUES ($1, $2, $3, $4)`, id, r.EventID, workshopID, slot); err != nil {
			return err
		}
		promoted, err = tx.promote(ctx, r.EventID, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: change workshop: %w", err)
	}
	return promoted, nil
}

// promote gives free places to the waiting list in first-come order: each
// waitlisted registration whose event place and workshops are free becomes
// confirmed. Call it under lockEvent.
func (s *Store) promote(ctx context.Context, eventID int64, now time.Time) ([]Registration, error) {
	rows, _ := s.db.Query(ctx, `SELECT id FROM registrations WHERE event_id = $1 AND status = 'waitlisted'
		ORDER BY queue_seq`, eventID)
	waiting, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, err
	}
	var promoted []Registration
	for _, id := range waiting {
		ws, err := s.ChosenWorkshops(ctx, id)
		if err != nil {
			return nil, err
		}
		eventFree, err := s.fits(ctx, eventID, nil, 0, true)
		if err != nil || !eventFree {
			return promoted, err
		}
		fits, err := s.fits(ctx, eventID, ws, 0, true)
		if err != nil {
			return nil, err
		}
		if !fits {
			continue
		}
		r, err := s.oneRegistration(ctx, "promote", `UPDATE registrations SET status = 'confirmed', holds_place = true
			WHERE id = $1 RETURNING `+registrationColumns, id)
		if err != nil {
			return nil, err
		}
		promoted = append(promoted, r)
	}
	return promoted, nil
}

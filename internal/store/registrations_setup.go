package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The editors' side of registration: an event's settings, capacities and
// questions. Capacity changes run under the event's registration lock
// (lockEvent) like every change that gives or frees places.

// RegistrationSetup is what editors set about registration for an event:
// the switch, the hold and reminder times, and the capacity of the event and
// of each of its workshops (nil: no limit).
type RegistrationSetup struct {
	Open      bool
	HoldHours int
	LeadHours int
	Capacity  *int
	// Workshops maps each workshop id of the event to its capacity.
	Workshops map[int64]*int
}

// SaveRegistrationSetup stores an event's registration settings if the
// event is still at version (ErrConflict otherwise) and gives places that
// a higher capacity freed to the waiting list. It returns the new version
// and the registrations promoted.
func (s *Store) SaveRegistrationSetup(ctx context.Context, eventID int64, version int, c RegistrationSetup, now time.Time) (next int, promoted []Registration, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.lockEvent(ctx, eventID); err != nil {
			return err
		}
		err := tx.db.QueryRow(ctx, `UPDATE events SET registration_open = $3, registration_hold_hours = $4,
				reminder_lead_hours = $5, capacity = $6, updated_at = $7, version = version + 1
			WHERE id = $1 AND version = $2 RETURNING version`,
			eventID, version, c.Open, c.HoldHours, c.LeadHours, c.Capacity, now).Scan(&next)
		if err != nil {
			return wrap("save registration settings", err, ErrConflict)
		}
		for id, capacity := range c.Workshops {
			// Only a changed capacity moves the workshop's version, so that
			// someone editing the workshop's text meanwhile is not stopped.
			if _, err := tx.db.Exec(ctx, `UPDATE workshops SET capacity = $3, updated_at = $4, version = version + 1
				WHERE id = $1 AND event_id = $2 AND capacity IS DISTINCT FROM $3`, id, eventID, capacity, now); err != nil {
				return err
			}
		}
		promoted, err = tx.promote(ctx, eventID, now)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("store: save registration setup: %w", err)
	}
	return next, promoted, nil
}

// AppendQuestion adds a question after the event's last one and returns
// its id.
func (s *Store) AppendQuestion(ctx context.Context, q Question) (int64, error) {
	err := s.db.QueryRow(ctx, `SELECT coalesce(max(position), 0) + 1 FROM event_questions WHERE event_id = $1`,
		q.EventID).Scan(&q.Position)
	if err != nil {
		return 0, fmt.Errorf("store: append question: %w", err)
	}
	return s.AddQuestion(ctx, q)
}

// EventQuestion returns question id of event eventID, or ErrNotFound.
func (s *Store) EventQuestion(ctx context.Context, eventID, id int64) (Question, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, event_id, kind, label, options, required, position
		FROM event_questions WHERE id = $1 AND event_id = $2`, id, eventID)
	return collectOne[Question](rows, "event question")
}

// QuestionAnswers counts the answers given to a question.
func (s *Store) QuestionAnswers(ctx context.Context, id int64) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM registration_answers WHERE question_id = $1`, id).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: question answers: %w", err)
	}
	return n, nil
}

// DeleteQuestion removes a question of an event, with its answers.
func (s *Store) DeleteQuestion(ctx context.Context, eventID, id int64) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM event_questions WHERE id = $1 AND event_id = $2`, id, eventID)
	return execOne(tag, err, "delete question")
}

// MoveQuestion moves a question one place up (by -1) or down (by 1) in its
// event's order; at either end nothing changes. The positions are then
// 1…n again.
func (s *Store) MoveQuestion(ctx context.Context, eventID, id int64, by int) error {
	err := s.InTx(ctx, func(tx *Store) error {
		rows, _ := tx.db.Query(ctx, `SELECT id FROM event_questions WHERE event_id = $1
			ORDER BY position, id FOR UPDATE`, eventID)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		at := -1
		for i, q := range ids {
			if q == id {
				at = i
			}
		}
		if at < 0 {
			return ErrNotFound
		}
		if to := at + by; to >= 0 && to < len(ids) {
			ids[at], ids[to] = ids[to], ids[at]
		}
		_, err = tx.db.Exec(ctx, `UPDATE event_questions q SET position = o.n
			FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, n) WHERE q.id = o.id AND q.position <> o.n`, ids)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: move question: %w", err)
	}
	return nil
}

// RegistrationContext is what an event's registration pages work from: its
// settings with the places held, its workshops with theirs, its questions.
type RegistrationContext struct {
	RegistrationSettings
	// Workshops in slot order (as RegistrationWorkshops).
	Workshops []WorkshopPlaces `db:"workshops"`
	// Questions in order (as EventQuestions).
	Questions []Question `db:"questions"`
}

// RegistrationContext loads the registration context of event eventID in
// one statement, or ErrNotFound. The workshops and questions come as JSON
// objects keyed by the Go field names.
func (s *Store) RegistrationContext(ctx context.Context, eventID int64) (RegistrationContext, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT st.id, st.status, st.registration_open, st.registration_opens_at, st.registration_closes_at,
			st.starts_at, st.capacity, st.registration_hold_hours, st.reminder_lead_hours, st.held, st.waiting,
			coalesce((SELECT json_agg(json_build_object('ID', w.id, 'Title', w.title, 'StartsAt', w.starts_at,
					'EndsAt', w.ends_at, 'Capacity', w.capacity,
					'Held', (SELECT count(*) FROM registration_workshops rw JOIN registrations r ON r.id = rw.registration_id
						WHERE rw.workshop_id = w.id AND r.holds_place))
				ORDER BY w.starts_at, w.position, w.id)
				FROM workshops w WHERE w.event_id = st.id), '[]') AS workshops,
			coalesce((SELECT json_agg(json_build_object('ID', q.id, 'EventID', q.event_id, 'Kind', q.kind,
					'Label', q.label, 'Options', q.options, 'Required', q.required, 'Position', q.position)
				ORDER BY q.position, q.id)
				FROM event_questions q WHERE q.event_id = st.id), '[]') AS questions
		FROM (`+registrationSettingsSQL+`) st`, eventID)
	return collectOne[RegistrationContext](rows, "registration context")
}

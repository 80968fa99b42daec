package store

import (
	"context"
	"fmt"
	"time"
)

// The staff's lists of registrations: filtered, counted, paged, exported,
// and the check-in at the door.

// Participant filters beyond the statuses.
const (
	// FilterAttended selects the registrations checked in at the door.
	FilterAttended = "attended"
)

// ParticipantFilter selects an event's registrations. Status is a
// registration status, FilterAttended, or "" for all; WorkshopID 0 for
// every workshop; Query a part of the name or e-mail address.
type ParticipantFilter struct {
	EventID    int64
	WorkshopID int64
	Status     string
	Query      string
	Limit      int // 0: no limit
	Offset     int
}

// Participant is a registration with its workshops' titles and its place
// on the waiting list (0 when not waiting).
type Participant struct {
	Registration
	Workshops       []string `db:"workshops"`
	WaitingPosition int      `db:"waiting_position"`
}

// participantWhere is the filter of Participants and ParticipantCounts;
// $1 event, $2 workshop (0: any), $3 query (” : any).
const participantWhere = `r.event_id = $1 AND r.anonymised_at IS NULL
	AND ($2 = 0 OR EXISTS (SELECT 1 FROM registration_workshops rw WHERE rw.registration_id = r.id AND rw.workshop_id = $2))
	AND ($3 = '' OR strpos(lower(r.name), lower($3)) > 0 OR strpos(lower(r.email), lower($3)) > 0)`

// Participants lists the registrations the filter selects, by name, and
// how many there are in all.
func (s *Store) Participants(ctx context.Context, f ParticipantFilter) ([]Participant, int, error) {
	limit := any(nil)
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, _ := s.db.Query(ctx, `
		SELECT `+registrationColumns+`,
			array(SELECT w.title FROM registration_workshops rw JOIN workshops w ON w.id = rw.workshop_id
				WHERE rw.registration_id = r.id ORDER BY rw.slot_starts_at) AS workshops,
			CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM registrations o WHERE o.event_id = r.event_id
				AND o.status = 'waitlisted' AND o.queue_seq <= r.queue_seq) ELSE 0 END::int AS waiting_position
		FROM registrations r
		WHERE `+participantWhere+`
			AND ($4 = '' OR ($4 = 'attended' AND r.attended_at IS NOT NULL) OR r.status = $4)
		ORDER BY lower(r.name) COLLATE "de-DE-x-icu", r.id LIMIT $5 OFFSET $6`,
		f.EventID, f.WorkshopID, f.Query, f.Status, limit, f.Offset)
	list, err := collect[Participant](rows, "participants")
	if err != nil {
		return nil, 0, err
	}
	var total int
	err = s.db.QueryRow(ctx, `SELECT count(*) FROM registrations r WHERE `+participantWhere+`
		AND ($4 = '' OR ($4 = 'attended' AND r.attended_at IS NOT NULL) OR r.status = $4)`,
		f.EventID, f.WorkshopID, f.Query, f.Status).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("store: participants: %w", err)
	}
	return list, total, nil
}

// ParticipantCounts counts the registrations the filter selects (its
// Status aside) per status, and under FilterAttended those checked in.
func (s *Store) ParticipantCounts(ctx context.Context, f ParticipantFilter) (map[string]int, error) {
	rows, err := s.db.Query(ctx, `SELECT r.status, count(*)::int, count(r.attended_at)::int FROM registrations r
		WHERE `+participantWhere+` GROUP BY r.status`, f.EventID, f.WorkshopID, f.Query)
	if err != nil {
		return nil, fmt.Errorf("store: participant counts: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var status string
		var n, attended int
		if err := rows.Scan(&status, &n, &attended); err != nil {
			return nil, fmt.Errorf("store: participant counts: %w", err)
		}
		counts[status] += n
		counts[FilterAttended] += attended
	}
	return counts, rows.Err()
}

// EventRegistration returns registration id if it belongs to event
// eventID, or ErrNotFound.
func (s *Store) EventRegistration(ctx context.Context, eventID, id int64) (Registration, error) {
	return s.oneRegistration(ctx, "event registration", `SELECT `+registrationColumns+` FROM registrations
		WHERE id = $1 AND event_id = $2 AND anonymised_at IS NULL`, id, eventID)
}

// EventAnswers returns the answers of every registration of an event, by
// registration id.
func (s *Store) EventAnswers(ctx context.Context, eventID int64) (map[int64][]Answer, error) {
	rows, err := s.db.Query(ctx, `SELECT registration_id, question_id, answer FROM registration_answers
		WHERE event_id = $1 ORDER BY registration_id, question_id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: event answers: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Answer{}
	for rows.Next() {
		var id int64
		var a Answer
		if err := rows.Scan(&id, &a.QuestionID, &a.Answer); err != nil {
			return nil, fmt.Errorf("store: event answers: %w", err)
		}
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// SetAttended checks a confirmed registration in at the door (attended
// true) or takes that back, and makes the attended count the participant
// count of the event and of its workshops. Under the event's lock, two taps
// at once count once. changed is false when it was so already;
// ErrNotFound when the registration is not a confirmed one of the event.
func (s *Store) SetAttended(ctx context.Context, eventID, id int64, attended bool, now time.Time) (changed bool, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.lockEvent(ctx, eventID); err != nil {
			return err
		}
		r, err := tx.EventRegistration(ctx, eventID, id)
		if err != nil {
			return err
		}
		if r.Status != "confirmed" {
			return ErrNotFound
		}
		if changed = (r.AttendedAt != nil) != attended; !changed {
			return nil
		}
		var at *time.Time
		if attended {
			at = &now
		}
		if _, err := tx.db.Exec(ctx, `UPDATE registrations SET attended_at = $2 WHERE id = $1`, id, at); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `UPDATE events SET participant_count = (SELECT count(*) FROM registrations
			WHERE event_id = $1 AND attended_at IS NOT NULL) WHERE id = $1`, eventID); err != nil {
			return err
		}
		_, err = tx.db.Exec(ctx, `UPDATE workshops w SET participant_count = (SELECT count(*)
			FROM registration_workshops rw JOIN registrations r ON r.id = rw.registration_id
			WHERE rw.workshop_id = w.id AND r.attended_at IS NOT NULL)
			WHERE w.id IN (SELECT workshop_id FROM registration_workshops WHERE registration_id = $1)`, id)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: set attended: %w", err)
	}
	return changed, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LapseHolds ends the pending registrations of event eventID whose hold
// expired by now and gives the freed places to the waiting list. It returns
// the registrations promoted. Running it twice changes nothing more.
func (s *Store) LapseHolds(ctx context.Context, eventID int64, now time.Time) (lapsed int, promoted []Registration, err error) {
	err = s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.lockEvent(ctx, eventID); err != nil {
			return err
		}
		tag, err := tx.db.Exec(ctx, `UPDATE registrations SET status = 'lapsed', holds_place = false, ended_at = $2
			WHERE event_id = $1 AND status = 'pending' AND hold_expires_at <= $2`, eventID, now)
		if err != nil {
			return err
		}
		lapsed = int(tag.RowsAffected())
		promoted, err = tx.promote(ctx, eventID, now)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("store: lapse holds: %w", err)
	}
	return lapsed, promoted, nil
}

// EventsWithLapsedHolds lists the events that have pending registrations
// whose hold expired by now.
func (s *Store) EventsWithLapsedHolds(ctx context.Context, now time.Time) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT event_id FROM registrations
		WHERE status = 'pending' AND hold_expires_at <= $1 ORDER BY event_id`, now)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: events with lapsed holds: %w", err)
	}
	return ids, nil
}

// ClaimReminders locks up to limit confirmed registrations due for their
// reminder at now (the event starts within its reminder lead) and not yet
// reminded, skipping rows another instance holds. Call it inside InTx, then
// enqueue each e-mail and MarkReminded in the same transaction: a reminder
// is then queued exactly once.
func (s *Store) ClaimReminders(ctx context.Context, now time.Time, limit int) ([]Registration, error) {
	rows, _ := s.db.Query(ctx, `
		WITH due AS (
			SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id
			WHERE r.status = 'confirmed' AND r.reminded_at IS NULL AND r.anonymised_at IS NULL
			  AND e.status = 'published' AND e.starts_at > $1
			  AND e.starts_at - make_interval(hours => e.reminder_lead_hours) <= $1
			ORDER BY r.id LIMIT $2 FOR UPDATE OF r SKIP LOCKED)
		SELECT `+registrationColumns+` FROM registrations WHERE id IN (SELECT id FROM due) ORDER BY id`, now, limit)
	return collect[Registration](rows, "claim reminders")
}

// MarkReminded records that registration id's reminder was queued at now.
func (s *Store) MarkReminded(ctx context.Context, id int64, now time.Time) error {
	if _, err := s.db.Exec(ctx, `UPDATE registrations SET reminded_at = $2 WHERE id = $1`, id, now); err != nil {
		return fmt.Errorf("store: mark reminded: %w", err)
	}
	return nil
}

// AnonymiseRegistrations erases the personal data of every registration of
// events that ended before cutoff: name, e-mail, organisation, the link to a
// user, the answers, the personal links and every e-mail about it in the
// outbox. The rows stay with their status, workshops and attendance, so the
// counts stay. It returns how many registrations it anonymised.
func (s *Store) AnonymiseRegistrations(ctx context.Context, cutoff, now time.Time) (int, error) {
	var n int
	err := s.InTx(ctx, func(tx *Store) error {
		const expired = `SELECT r.id FROM registrations r JOIN events e ON e.id = r.event_id
			WHERE e.ends_at < $1 AND r.anonymised_at IS NULL`
		for _, sql := range []string{
			`DELETE FROM outbox WHERE registration_id IN (` + expired + `)`,
			`DELETE FROM registration_answers WHERE registration_id IN (` + expired + `)`,
			`DELETE FROM registration_tokens WHERE registration_id IN (` + expired + `)`,
			// Invitations name people too; their e-mails go with them (cascade).
			`DELETE FROM registration_invitations WHERE event_id IN (SELECT id FROM events WHERE ends_at < $1)`,
		} {
			if _, err := tx.db.Exec(ctx, sql, cutoff); err != nil {
				return err
			}
		}
		tag, err := tx.db.Exec(ctx, `UPDATE registrations SET name = '', email = '', organisation = '', user_id = NULL,
			anonymised_at = $2 WHERE id IN (`+expired+`)`, cutoff, now)
		n = int(tag.RowsAffected())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: anonymise registrations: %w", err)
	}
	return n, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Registration is one person's registration for an event
// (migrations/00012_registrations.sql explains each column).
type Registration struct {
	ID            int64      `db:"id"`
	EventID       int64      `db:"event_id"`
	UserID        *int64     `db:"user_id"`
	Name          string     `db:"name"`
	Email         string     `db:"email"`
	Organisation  string     `db:"organisation"`
	InitiativeID  *int64     `db:"initiative_id"`
	Status        string     `db:"status"`
	HoldsPlace    bool       `db:"holds_place"`
	QueueSeq      int64      `db:"queue_seq"`
	HoldExpiresAt time.Time  `db:"hold_expires_at"`
	CreatedAt     time.Time  `db:"created_at"`
	ConfirmedAt   *time.Time `db:"confirmed_at"`
	EndedAt       *time.Time `db:"ended_at"`
	LinkSentAt    time.Time  `db:"link_sent_at"`
	RemindedAt    *time.Time `db:"reminded_at"`
	AttendedAt    *time.Time `db:"attended_at"`
	Source        string     `db:"source"`
}

// registrationColumns are the columns of Registration.
const registrationColumns = `id, event_id, user_id, name, email, organisation, initiative_id, status, holds_place,
	queue_seq, hold_expires_at, created_at, confirmed_at, ended_at, link_sent_at, reminded_at, attended_at, source`

// RegistrationSettings are an event's registration facts, as the public
// page, the form and the store's capacity checks need them.
type RegistrationSettings struct {
	EventID   int64      `db:"id"`
	Status    string     `db:"status"`
	Open      bool       `db:"registration_open"`
	OpensAt   *time.Time `db:"registration_opens_at"`
	ClosesAt  *time.Time `db:"registration_closes_at"`
	StartsAt  time.Time  `db:"starts_at"`
	Capacity  *int       `db:"capacity"`
	HoldHours int        `db:"registration_hold_hours"`
	LeadHours int        `db:"reminder_lead_hours"`
	// Held counts the registrations holding a place (pending ones with a
	// place included).
	Held int `db:"held"`
	// Waiting counts the waiting list.
	Waiting int `db:"waiting"`
}

// OpenAt reports whether the event takes registrations at now: published,
// switched open, inside its window and not yet begun.
func (r RegistrationSettings) OpenAt(now time.Time) bool {
	return r.Status == "published" && r.Open && now.Before(r.StartsAt) &&
		(r.OpensAt == nil || !now.Before(*r.OpensAt)) && (r.ClosesAt == nil || now.Before(*r.ClosesAt))
}

// PlacesLeft is the number of free places, nil when the event has no limit.
func (r RegistrationSettings) PlacesLeft() *int { return placesLeft(r.Capacity, r.Held) }

func placesLeft(capacity *int, held int) *int {
	if capacity == nil {
		return nil
	}
	n := max(*capacity-held, 0)
	return &n
}

const registrationSettingsSQL = `
	SELECT e.id, e.status, e.registration_open, e.registration_opens_at, e.registration_closes_at, e.starts_at,
		e.capacity, e.registration_hold_hours, e.reminder_lead_hours,
		(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.holds_place)::int AS held,
		(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')::int AS waiting
	FROM events e WHERE e.id = $1`

// RegistrationSettings returns the registration facts of event id, or
// ErrNotFound.
func (s *Store) RegistrationSettings(ctx context.Context, eventID int64) (RegistrationSettings, error) {
	rows, _ := s.db.Query(ctx, registrationSettingsSQL, eventID)
	return collectOne[RegistrationSettings](rows, "registration settings")
}

// WorkshopPlaces is a workshop offered at registration, with its slot and
// free places.
type WorkshopPlaces struct {
	ID       int64     `db:"id"`
	Title    string    `db:"title"`
	StartsAt time.Time `db:"starts_at"`
	EndsAt   time.Time `db:"ends_at"`
	Capacity *int      `db:"capacity"`
	Held     int       `db:"held"`
}

// PlacesLeft is the number of free places, nil when unlimited.
func (w WorkshopPlaces) PlacesLeft() *int { return placesLeft(w.Capacity, w.Held) }

// Full reports whether no place is free.
func (w WorkshopPlaces) Full() bool { p := w.PlacesLeft(); return p != nil && *p == 0 }

// RegistrationWorkshops lists the workshops of an event in slot order with
// the places held in each.
func (s *Store) RegistrationWorkshops(ctx context.Context, eventID int64) ([]WorkshopPlaces, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT w.id, w.title, w.starts_at, w.ends_at, w.capacity,
			(SELECT count(*) FROM registration_workshops rw JOIN registrations r ON r.id = rw.registration_id
				WHERE rw.workshop_id = w.id AND r.holds_place)::int AS held
		FROM workshops w WHERE w.event_id = $1 ORDER BY w.starts_at, w.position, w.id`, eventID)
	return collect[WorkshopPlaces](rows, "registration workshops")
}

// Question is one of an event's registration questions.
type Question struct {
	ID       int64    `db:"id"`
	EventID  int64    `db:"event_id"`
	Kind     string   `db:"kind"`
	Label    string   `db:"label"`
	Options  []string `db:"options"`
	Required bool     `db:"required"`
	Position int      `db:"position"`
}

// EventQuestions lists an event's registration questions in order.
func (s *Store) EventQuestions(ctx context.Context, eventID int64) ([]Question, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, event_id, kind, label, options, required, position
		FROM event_questions WHERE event_id = $1 ORDER BY position, id`, eventID)
	return collect[Question](rows, "event questions")
}

// AddQuestion appends a question to an event and returns its id.
func (s *Store) AddQuestion(ctx context.Context, q Question) (int64, error) {
	if q.Options == nil {
		q.Options = []string{}
	}
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO event_questions (event_id, kind, label, options, required, position)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, q.EventID, q.Kind, q.Label, q.Options, q.Required, q.Position).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: add question: %w", err)
	}
	return id, nil
}

// Registration returns registration id, or ErrNotFound.
func (s *Store) Registration(ctx context.Context, id int64) (Registration, error) {
	return s.oneRegistration(ctx, "registration", `SELECT `+registrationColumns+` FROM registrations WHERE id = $1`, id)
}

// RegistrationByToken returns the registration of a personal link's token
// hash, or ErrTokenInvalid. Anonymised registrations have no links left.
func (s *Store) RegistrationByToken(ctx context.Context, hash []byte) (Registration, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+registrationColumns+` FROM registrations
		WHERE id = (SELECT registration_id FROM registration_tokens WHERE token_hash = $1)`, hash)
	return collectOneOr[Registration](rows, "registration by token", ErrTokenInvalid)
}

func (s *Store) oneRegistration(ctx context.Context, op, sql string, args ...any) (Registration, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	return collectOne[Registration](rows, op)
}

// ChosenWorkshops returns the ids of the workshops a registration chose.
func (s *Store) ChosenWorkshops(ctx context.Context, registrationID int64) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT workshop_id FROM registration_workshops
		WHERE registration_id = $1 ORDER BY slot_starts_at`, registrationID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: chosen workshops: %w", err)
	}
	return ids, nil
}

// Answer is a registration's answer to one question.
type Answer struct {
	QuestionID int64  `db:"question_id"`
	Answer     string `db:"answer"`
}

// RegistrationAnswers returns a registration's answers.
func (s *Store) RegistrationAnswers(ctx context.Context, registrationID int64) ([]Answer, error) {
	rows, _ := s.db.Query(ctx, `SELECT question_id, answer FROM registration_answers
		WHERE registration_id = $1 ORDER BY question_id`, registrationID)
	return collect[Answer](rows, "registration answers")
}

// WaitlistPosition is the 1-based place of a waitlisted registration on its
// event's waiting list, 0 if it is not waiting.
func (s *Store) WaitlistPosition(ctx context.Context, r Registration) (int, error) {
	if r.Status != "waitlisted" {
		return 0, nil
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM registrations
		WHERE event_id = $1 AND status = 'waitlisted' AND queue_seq <= $2`, r.EventID, r.QueueSeq).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: waitlist position: %w", err)
	}
	return n, nil
}

// AddRegistrationToken stores the hash of another personal link.
func (s *Store) AddRegistrationToken(ctx context.Context, registrationID int64, hash []byte, now time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO registration_tokens (token_hash, registration_id, created_at)
		VALUES ($1, $2, $3)`, hash, registrationID, now)
	if err != nil {
		return fmt.Errorf("store: add registration token: %w", err)
	}
	return nil
}

// RegistrationConfig is what editors set about registration for an event.
type RegistrationConfig struct {
	Open      bool
	HoldHours int
	LeadHours int
}

// SetRegistrationConfig stores an event's registration settings.
func (s *Store) SetRegistrationConfig(ctx context.Context, eventID int64, c RegistrationConfig) error {
	tag, err := s.db.Exec(ctx, `UPDATE events SET registration_open = $2, registration_hold_hours = $3,
		reminder_lead_hours = $4 WHERE id = $1`, eventID, c.Open, c.HoldHours, c.LeadHours)
	return execOne(tag, err, "set registration config")
}

// InitiativeMatch is the published initiative a name was matched to.
type InitiativeMatch struct {
	InitiativeChoice
	// Exact is set when the initiative bears the name itself, up to case,
	// accents and punctuation (rii_name_key, migration 00024), or as slug;
	// otherwise it is only the closest name, to be suggested.
	Exact bool `db:"exact"`
}

// PublishedInitiativeMatch finds the published initiative meant by name,
// for the public registration form: the one bearing it (Exact), otherwise
// the closest name as the pickers find it (containing it, else with a
// similar word); ErrNotFound if none is close. Only published initiatives
// answer: the form must not reveal a draft.
func (s *Store) PublishedInitiativeMatch(ctx context.Context, name string) (InitiativeMatch, error) {
	rows, _ := s.db.Query(ctx, `
		WITH q AS (SELECT rii_name_key($1) AS k)
		SELECT i.id, i.name, i.slug, (rii_name_key(i.name) = q.k OR i.slug = $1) AS exact
		FROM initiatives i, q
		WHERE i.status = 'published' AND q.k <> ''
			AND (rii_name_key(i.name) LIKE '%' || q.k || '%' OR q.k <% rii_name_key(i.name) OR i.slug = $1)
		ORDER BY exact DESC, rii_name_key(i.name) LIKE '%' || q.k || '%' DESC,
			word_similarity(q.k, rii_name_key(i.name)) DESC, i.name COLLATE "de-DE-x-icu", i.id
		LIMIT 1`, name)
	return collectOne[InitiativeMatch](rows, "published initiative match")
}

// RegistrationEvent is what a registration's pages and e-mails say about
// its event, the online link included: only for the registered person.
type RegistrationEvent struct {
	PublicEventEntry
	OnlineURL string `db:"online_url"`
}

// RegistrationEventByID loads the event of a registration.
func (s *Store) RegistrationEventByID(ctx context.Context, id int64) (RegistrationEvent, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+publicEventColumns+`, 1 AS total, e.online_url
		FROM events e LEFT JOIN states s ON s.code = e.state_code WHERE e.id = $1`, id)
	return collectOne[RegistrationEvent](rows, "registration event")
}

// UserRegistration is one of a signed-in person's registrations.
type UserRegistration struct {
	ID         int64     `db:"id"`
	EventTitle string    `db:"title"`
	EventSlug  string    `db:"slug"`
	StartsAt   time.Time `db:"starts_at"`
	EndsAt     time.Time `db:"ends_at"`
	Status     string    `db:"status"`
}

// UserRegistrations lists the registrations a user made signed in or
// under their (confirmed) account address, newest event first.
func (s *Store) UserRegistrations(ctx context.Context, userID int64, email string) ([]UserRegistration, error) {
	rows, _ := s.db.Query(ctx, `SELECT r.id, e.title, e.slug, e.starts_at, e.ends_at, r.status
		FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE (r.user_id = $1 OR lower(r.email) = lower($2)) AND r.anonymised_at IS NULL
		ORDER BY e.starts_at DESC, r.id DESC LIMIT 100`, userID, email)
	return collect[UserRegistration](rows, "user registrations")
}

// ClaimLinkResend returns registration id if it belongs to the user (as in
// UserRegistrations), is active and its link went out at least
// registration.ResendAfter before now, and records now as the new sending;
// otherwise ErrNotFound.
func (s *Store) ClaimLinkResend(ctx context.Context, id, userID int64, email string, now time.Time, after time.Duration) (Registration, error) {
	return s.oneRegistration(ctx, "claim link resend", `UPDATE registrations SET link_sent_at = $4
		WHERE id = $1 AND (user_id = $2 OR lower(email) = lower($3)) AND anonymised_at IS NULL
		  AND status IN ('pending', 'confirmed', 'waitlisted') AND link_sent_at <= $4::timestamptz - make_interval(secs => $5)
		RETURNING `+registrationColumns, id, userID, email, now, after.Seconds())
}

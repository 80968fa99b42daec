package server

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/paths"
)

// Periods of the registration jobs.
const (
	lapseEvery     = 5 * time.Minute
	remindEvery    = 10 * time.Minute
	anonymiseEvery = 24 * time.Hour
	remindBatch    = 200
)

// mailLink sends the personal link: to confirm a new registration, or
// again for an address that had registered before (saying nothing more).
func (s *Server) mailLink(ctx context.Context, tx *store.Store, ev store.RegistrationEvent, reg store.Registration, token string, existing bool) error {
	subject, intro := "Bitte bestätigen Sie Ihre Anmeldung: "+ev.Title,
		"vielen Dank für Ihre Anmeldung zu „"+ev.Title+"“.\n\nBitte bestätigen Sie sie über diesen Link:"
	if existing {
		subject, intro = "Ihre Anmeldung: "+ev.Title,
			"für diese E-Mail-Adresse besteht bereits eine Anmeldung zu „"+ev.Title+"“.\n\nÜber diesen Link sehen und ändern Sie sie:"
	}
	body := "Guten Tag " + reg.Name + ",\n\n" + intro + "\n\n" + store.LinkPlaceholder + "\n\nTermin: " + eventWhen(ev.StartsAt, ev.EndsAt) + " Uhr"
	if !existing {
		body += "\n\nOhne Bestätigung verfällt die Anmeldung am " + reg.HoldExpiresAt.In(event.Berlin).Format("02.01.2006 um 15:04") + " Uhr."
	}
	_, err := tx.EnqueueRegistrationMail(ctx, reg.ID, reg.Email, subject, body+mailFooter, s.sealLink(paths.Registration(token)), nil)
	return err
}

// mailStatus tells the person their place (with the calendar file and,
// for a digital event, the online link) or their place on the waiting list.
func (s *Server) mailStatus(ctx context.Context, tx *store.Store, reg store.Registration) error {
	return s.mailAbout(ctx, tx, reg, "")
}

// mailPromoted tells each promoted person that they have a place now.
func (s *Server) mailPromoted(ctx context.Context, tx *store.Store, promoted []store.Registration) error {
	for _, reg := range promoted {
		if err := s.mailAbout(ctx, tx, reg, "Ein Platz ist frei geworden: Sie sind von der Warteliste nachgerückt.\n\n"); err != nil {
			return err
		}
	}
	return nil
}

// mailAbout writes the status e-mail of reg with a fresh personal link.
func (s *Server) mailAbout(ctx context.Context, tx *store.Store, reg store.Registration, lead string) error {
	ev, err := tx.RegistrationEventByID(ctx, reg.EventID)
	if err != nil {
		return err
	}
	token, hash := newToken()
	if err := tx.AddRegistrationToken(ctx, reg.ID, hash, s.now()); err != nil {
		return err
	}
	var subject, text string
	var att *store.Attachment
	switch reg.Status {
	case registration.StatusConfirmed:
		subject, text = "Anmeldung bestätigt: "+ev.Title, "Ihre Anmeldung ist bestätigt."
		att = s.registrationICS(ev)
	default:
		pos, err := tx.WaitlistPosition(ctx, reg)
		if err != nil {
			return err
		}
		subject = "Warteliste: " + ev.Title
		text = "Die Veranstaltung ist ausgebucht. Sie stehen auf Platz " + itoa(int64(pos)) + " der Warteliste; wird ein Platz frei, rücken Sie automatisch nach und erhalten eine E-Mail."
	}
	body := "Guten Tag " + reg.Name + ",\n\n" + lead + text + "\n\n" + eventFacts(ev, reg.Status == registration.StatusConfirmed) +
		"\n\nIhre Anmeldung ansehen, den Workshop wechseln oder stornieren:\n" + store.LinkPlaceholder
	_, err = tx.EnqueueRegistrationMail(ctx, reg.ID, reg.Email, subject, body+mailFooter, s.sealLink(paths.Registration(token)), att)
	return err
}

// eventFacts are the lines on date, time and place of an e-mail; the
// online link only for a confirmed place.
func eventFacts(ev store.RegistrationEvent, confirmed bool) string {
	lines := []string{"Veranstaltung: " + ev.Title, "Termin: " + eventWhen(ev.StartsAt, ev.EndsAt) + " Uhr (Ortszeit Berlin)"}
	if ev.Format != event.FormatDigital && ev.Place != "" {
		lines = append(lines, "Ort: "+ev.Place)
	}
	if confirmed && ev.OnlineURL != "" && ev.Format != event.FormatInPerson {
		lines = append(lines, "Online-Zugang: "+ev.OnlineURL)
	}
	return strings.Join(lines, "\n")
}

// registrationICS is the calendar file of the event for a confirmed
// person: the public entry, with the online link in its description.
func (s *Server) registrationICS(ev store.RegistrationEvent) *store.Attachment {
	cal := s.eventCalendar("RII-Portal – "+icalText(ev.Title), []store.PublicEventEntry{ev.PublicEventEntry})
	if ev.OnlineURL != "" && ev.Format != event.FormatInPerson {
		for _, c := range cal.Children {
			if c.Name == ical.CompEvent {
				desc := strings.TrimSpace(ev.Summary + "\n\nOnline-Zugang: " + ev.OnlineURL)
				setText(c.Props, ical.PropDescription, desc)
			}
		}
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil // a calendar we built ourselves always encodes; the e-mail goes without it otherwise
	}
	return &store.Attachment{Name: ev.Slug + ".ics", Type: "text/calendar; charset=utf-8", Content: string(foldICS(buf.Bytes()))}
}

// promoting runs change in a transaction and mails the registrations it
// promoted from the waiting list, in the same transaction.
func (s *Server) promoting(ctx context.Context, change func(tx *store.Store) ([]store.Registration, error)) error {
	return s.store.InTx(ctx, func(tx *store.Store) error {
		promoted, err := change(tx)
		if err != nil {
			return err
		}
		return s.mailPromoted(ctx, tx, promoted)
	})
}

// lapseHolds is the job that ends unconfirmed holds and promotes.
func (s *Server) lapseHolds(ctx context.Context, now time.Time) error {
	ids, err := s.store.EventsWithLapsedHolds(ctx, now)
	if err != nil {
		return err
	}
	for _, id := range ids {
		err := s.promoting(ctx, func(tx *store.Store) ([]store.Registration, error) {
			_, promoted, err := tx.LapseHolds(ctx, id, now)
			return promoted, err
		})
		if err != nil {
			return err
		}
	}
	s.notifyMail()
	return nil
}

// remindRegistrations is the job that queues each reminder exactly once:
// claimed rows are locked, and reminded_at is set in the outbox's transaction.
func (s *Server) remindRegistrations(ctx context.Context, now time.Time) error {
	for {
		n := 0
		err := s.store.InTx(ctx, func(tx *store.Store) error {
			due, err := tx.ClaimReminders(ctx, now, remindBatch)
			n = len(due)
			for _, reg := range due {
				if err != nil {
					break
				}
				err = s.mailReminder(ctx, tx, reg, now)
			}
			return err
		})
		if err != nil || n < remindBatch {
			s.notifyMail()
			return err
		}
	}
}

func (s *Server) mailReminder(ctx context.Context, tx *store.Store, reg store.Registration, now time.Time) error {
	ev, err := tx.RegistrationEventByID(ctx, reg.EventID)
	if err != nil {
		return err
	}
	token, hash := newToken()
	if err := tx.AddRegistrationToken(ctx, reg.ID, hash, now); err != nil {
		return err
	}
	body := "Guten Tag " + reg.Name + ",\n\nwir erinnern Sie an Ihre Teilnahme:\n\n" + eventFacts(ev, true) +
		"\n\nKönnen Sie nicht teilnehmen? Bitte stornieren Sie, damit jemand von der Warteliste nachrücken kann:\n" +
		store.LinkPlaceholder
	if _, err := tx.EnqueueRegistrationMail(ctx, reg.ID, reg.Email, "Erinnerung: "+ev.Title, body+mailFooter,
		s.sealLink(paths.Registration(token)), s.registrationICS(ev)); err != nil {
		return err
	}
	return tx.MarkReminded(ctx, reg.ID, now)
}

// anonymiseRegistrations is the retention job.
func (s *Server) anonymiseRegistrations(ctx context.Context, now time.Time) error {
	_, err := s.store.AnonymiseRegistrations(ctx, now.AddDate(0, 0, -s.retentionDays()), now)
	return err
}

// retentionDays is how long registrations keep their personal data after the event.
func (s *Server) retentionDays() int {
	if s.cfg.RegistrationRetentionDays > 0 {
		return s.cfg.RegistrationRetentionDays
	}
	return registration.DefaultRetentionDays
}

package server

import (
	"context"

	"rii/internal/event"
	"rii/internal/store"
)

// E-mails that follow what staff did to registrations. Each is queued in
// the transaction of the change, and names its registration, so that
// anonymising the registration deletes it.

// mailStaffPromoted tells each registration promoted from the waiting list
// that it now has a place.
func (s *Server) mailStaffPromoted(ctx context.Context, tx *store.Store, promoted []store.Registration) error {
	if len(promoted) == 0 {
		return nil
	}
	e, err := tx.Event(ctx, promoted[0].EventID)
	if err != nil {
		return err
	}
	for _, r := range promoted {
		body := "Guten Tag " + r.Name + ",\n\nfür „" + e.Title + "“ am " + event.FormatRange(e.StartsAt, e.EndsAt) +
			" ist ein Platz frei geworden: Ihre Anmeldung ist jetzt bestätigt. Sie brauchen nichts weiter zu tun." +
			"\n\nWenn Sie doch nicht kommen können, stornieren Sie bitte über den Link aus Ihrer Anmeldebestätigung, " +
			"damit der Platz an die nächste Person geht." + mailFooter
		if _, err := tx.EnqueueRegistrationMail(ctx, r.ID, r.Email, "Sie haben einen Platz: "+e.Title, body, nil); err != nil {
			return err
		}
	}
	return nil
}

// mailStaffAdded sends a person whom staff registered their personal link.
func (s *Server) mailStaffAdded(ctx context.Context, tx *store.Store, e *store.Event, r store.Registration, token string) error {
	state := "Ihre Anmeldung ist bestätigt."
	if r.Status == "waitlisted" {
		state = "Die Veranstaltung ist ausgebucht; Sie stehen auf der Warteliste und erhalten eine E-Mail, sobald ein Platz frei wird."
	}
	body := "Guten Tag " + r.Name + ",\n\ndie Service-Stelle hat Sie für „" + e.Title + "“ am " +
		event.FormatRange(e.StartsAt, e.EndsAt) + " angemeldet. " + state +
		"\n\nUnter diesem persönlichen Link sehen Sie Ihre Anmeldung und können sie stornieren:\n" +
		s.link("/anmeldung/"+token) + "\n\nBitte geben Sie den Link nicht weiter." + mailFooter
	_, err := tx.EnqueueRegistrationMail(ctx, r.ID, r.Email, "Ihre Anmeldung: "+e.Title, body, nil)
	return err
}

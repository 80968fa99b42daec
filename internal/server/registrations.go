package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// maxRegistrationPosts bounds registration posts per client in the
// throttle window (counted in signin_failures under their own key).
const maxRegistrationPosts = 20

func registrationClientKey(ip string) string { return "anmeldung:" + ip }

// registrationParts loads what the registration form of an event needs.
func (s *Server) registrationParts(ctx context.Context, eventID int64) (store.RegistrationSettings, [][]store.WorkshopPlaces, []store.Question, error) {
	rc, err := s.store.RegistrationContext(ctx, eventID)
	return rc.RegistrationSettings, parallelSlots(rc.Workshops), rc.Questions, err
}

// withRegistration adds the registration section to an event page: for
// upcoming events, with the form f (a signed-in person finds it prefilled).
func (s *Server) withRegistration(r *http.Request, v *pages.EventView, d *store.PublicEventDetail, f components.Form) error {
	now := s.now()
	if !d.StartsAt.After(now) {
		return nil
	}
	settings, slots, qs, err := s.registrationParts(r.Context(), d.ID)
	if err != nil {
		return err
	}
	if u := userFrom(r.Context()); u != nil && f.Values["email"] == "" && f.OK() {
		f.Values["name"], f.Values["email"] = u.Name, u.Email
	}
	v.RegistrationForm = registrationFormView(d.Slug, f, settings, slots, qs, now)
	return nil
}

// createRegistration is the posted form of an event page.
func (s *Server) createRegistration(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	d, err := s.publicEvent(r)
	if err != nil {
		return err
	}
	// Every post counts, recorded before it is handled (as sign-ins are).
	_, allowed, err := s.store.ReserveSigninAttempt(ctx, now, store.AttemptLimit{
		Key: registrationClientKey(s.clientIP(r)), Since: now.Add(-throttleWindow), Max: maxRegistrationPosts})
	if err != nil {
		return err
	}
	if !allowed {
		f := components.NewForm()
		f.Fail("name", "Zu viele Anmeldungen von Ihrem Anschluss. Bitte versuchen Sie es in einer Viertelstunde noch einmal.")
		return s.renderEvent(w, r, d, f, http.StatusTooManyRequests)
	}
	settings, slots, qs, err := s.registrationParts(ctx, d.ID)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := parseRegistration(r.PostForm, slots, qs)
	sent := paths.Event(d.Slug, "anmeldung", "gesendet")
	if in.Honeypot {
		http.Redirect(w, r, sent, http.StatusSeeOther)
		return nil
	}
	nr, err := s.newRegistration(ctx, d.ID, &in, now)
	if err != nil {
		return err
	}
	if !settings.OpenAt(now) {
		in.Form.Fail("name", "Die Anmeldung zu dieser Veranstaltung ist geschlossen.")
	}
	if in.Form.OK() {
		err = s.register(ctx, nr)
		if errors.Is(err, registration.ErrClosed) || errors.Is(err, registration.ErrWorkshop) {
			in.Form.Fail("name", "Die Anmeldung ist gerade nicht möglich. Bitte prüfen Sie Ihre Auswahl.")
		} else if err != nil {
			return err
		}
	}
	if !in.Form.OK() {
		return s.renderEvent(w, r, d, in.Form, http.StatusUnprocessableEntity)
	}
	http.Redirect(w, r, sent, http.StatusSeeOther)
	return nil
}

// newRegistration turns a checked form into a registration; an unknown
// initiative becomes a field error, with the closest published name as a
// suggestion.
func (s *Server) newRegistration(ctx context.Context, eventID int64, in *registrationInput, now time.Time) (store.NewRegistration, error) {
	nr := store.NewRegistration{EventID: eventID, Name: in.Name, Email: in.Email, Organisation: in.Org,
		Workshops: in.Workshops, Answers: in.Answers, Source: registration.SourcePublic, Now: now}
	if u := userFrom(ctx); u != nil {
		nr.UserID = &u.ID
	}
	if in.Initiative != "" {
		ini, err := s.store.PublishedInitiativeMatch(ctx, in.Initiative)
		switch {
		case errors.Is(err, store.ErrNotFound):
			in.Form.Fail("initiative", "Diese Initiative steht nicht im Verzeichnis. Bitte prüfen Sie den Namen oder lassen Sie das Feld leer.")
		case err != nil:
			return nr, err
		case !ini.Exact:
			in.Form.Fail("initiative", "Diese Initiative steht nicht im Verzeichnis. Meinten Sie „"+ini.Name+
				"“? Dann tragen Sie bitte diesen Namen ein, sonst lassen Sie das Feld leer.")
		default:
			nr.InitiativeID = &ini.ID
		}
	}
	return nr, nil
}

// register stores a registration and, in the same transaction, the e-mail
// with the personal link: new, or sent again for the same address.
func (s *Server) register(ctx context.Context, nr store.NewRegistration) error {
	token, hash := newToken()
	nr.TokenHash = hash
	// Read before the transaction: the event lock is held from Register to
	// the commit, so everything done under it keeps others waiting.
	ev, err := s.store.RegistrationEventByID(ctx, nr.EventID)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		res, err := tx.Register(ctx, nr)
		if err != nil || !res.SendLink {
			return err
		}
		return s.mailLink(ctx, tx, ev, res.Registration, token, res.Existing)
	})
	if err == nil {
		s.notifyMail()
	}
	return err
}

// showRegistrationSent is the neutral answer to a registration.
func (s *Server) showRegistrationSent(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publicEvent(r)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.RegistrationSent(pages.RegistrationSentView{Frame: s.frame(r, "Anmeldung gesendet"),
		EventTitle: d.Title, EventHref: paths.Event(d.Slug)}))
}

package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/pages"
	"rii/web/paths"
)

// accountRegistrations lists the signed-in person's own registrations for
// the account page: made signed in, or under the account's address.
func (s *Server) accountRegistrations(r *http.Request) ([]pages.AccountRegistration, error) {
	u := userFrom(r.Context())
	list, err := s.store.UserRegistrations(r.Context(), u.ID, u.Email)
	if err != nil {
		return nil, err
	}
	out := make([]pages.AccountRegistration, 0, len(list))
	for _, reg := range list {
		row := pages.AccountRegistration{Event: reg.EventTitle, EventHref: paths.Event(reg.EventSlug),
			When: eventWhen(reg.StartsAt, reg.EndsAt), Status: registration.StatusLabel(reg.Status)}
		if registration.Active(reg.Status) && reg.StartsAt.After(s.now()) {
			row.ResendAction = paths.AccountRegistration(reg.ID, "link")
		}
		out = append(out, row)
	}
	return out, nil
}

// resendRegistrationLink e-mails the personal link of one's own
// registration again (at most every registration.ResendAfter).
func (s *Server) resendRegistrationLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	token, hash := newToken()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		reg, err := tx.ClaimLinkResend(ctx, id, u.ID, u.Email, s.now(), registration.ResendAfter)
		if err != nil {
			return err
		}
		if err := tx.AddRegistrationToken(ctx, reg.ID, hash, s.now()); err != nil {
			return err
		}
		ev, err := tx.RegistrationEventByID(ctx, reg.EventID)
		if err != nil {
			return err
		}
		return s.mailLink(ctx, tx, ev, reg, token, true)
	})
	// Someone else's registration and a link sent moments ago look alike.
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	s.notifyMail()
	s.flash(r, "Wenn die Anmeldung aktiv ist, haben wir Ihnen den Link per E-Mail geschickt (höchstens alle 10 Minuten).")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
	return nil
}

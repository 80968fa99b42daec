package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Notices of the personal page after a change, by query parameter.
var registrationNotices = map[string]string{
	"bestaetigt": "Ihre E-Mail-Adresse ist bestätigt.",
	"gewechselt": "Ihre Workshop-Wahl ist gespeichert.",
	"storniert":  "Ihre Anmeldung ist storniert.",
}

// personalRegistration reads the registration of the link /anmeldung/{token}.
func (s *Server) personalRegistration(r *http.Request) (store.Registration, string, error) {
	token := chi.URLParam(r, "token")
	if len(token) != 43 {
		return store.Registration{}, "", errNotFound
	}
	reg, err := s.store.RegistrationByToken(r.Context(), hashToken(token))
	if errors.Is(err, store.ErrTokenInvalid) {
		return reg, "", errNotFound
	}
	return reg, token, err
}

// showRegistration is the personal page: never cached, never indexed.
func (s *Server) showRegistration(w http.ResponseWriter, r *http.Request) error {
	reg, token, err := s.personalRegistration(r)
	if err != nil {
		return err
	}
	f := components.NewForm()
	return s.renderRegistration(w, r, reg, token, f, registrationNotices[r.URL.RawQuery], http.StatusOK)
}

func (s *Server) renderRegistration(w http.ResponseWriter, r *http.Request, reg store.Registration, token string,
	f components.Form, notice string, status int) error {
	ctx := r.Context()
	ev, err := s.store.RegistrationEventByID(ctx, reg.EventID)
	if err != nil {
		return err
	}
	ws, chosen, err := s.chosenWorkshops(ctx, reg)
	if err != nil {
		return err
	}
	pos, err := s.store.WaitlistPosition(ctx, reg)
	if err != nil {
		return err
	}
	base := paths.Registration(token)
	v := pages.RegistrationView{Frame: s.frame(r, "Ihre Anmeldung"), Form: f, Notice: notice,
		EventTitle: ev.Title, EventHref: paths.Event(ev.Slug), When: eventWhen(ev.StartsAt, ev.EndsAt),
		Place: placeLabel(ev.Format, ev.Place), Name: reg.Name, Email: reg.Email, Org: reg.Organisation,
		Status: registration.StatusLabel(reg.Status), StatusNote: statusNote(reg, pos),
		Pending: reg.Status == registration.StatusPending, Active: registration.Active(reg.Status),
		ConfirmAction: base + "/bestaetigen", WorkshopAction: base + "/workshop", CancelAction: base + "/stornieren"}
	if reg.Status == registration.StatusConfirmed && ev.Format != event.FormatInPerson {
		v.OnlineURL = ev.OnlineURL
	}
	if ev.StartsAt.After(s.now()) {
		for i, slot := range parallelSlots(ws) {
			c := pages.WorkshopChoice{Name: workshopField + strconv.Itoa(i+1), Legend: "Workshop " + slotLabel(slot)[len("die Workshops "):]}
			for _, w := range slot {
				sel := slices.Contains(chosen, w.ID)
				label := w.Title
				if w.Full() && !sel {
					label += " (ausgebucht)"
				}
				c.Options = append(c.Options, components.Option{Value: strconv.FormatInt(w.ID, 10), Label: label, Selected: sel})
			}
			v.Slots = append(v.Slots, c)
		}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.renderStatus(w, r, status, pages.Registration(v))
}

// statusNote explains the status in a sentence.
func statusNote(reg store.Registration, pos int) string {
	switch reg.Status {
	case registration.StatusPending:
		return "Bitte bestätigen Sie Ihre Anmeldung mit der Schaltfläche unten."
	case registration.StatusConfirmed:
		return "Ihr Platz ist reserviert. Sie erhalten vor der Veranstaltung eine Erinnerung."
	case registration.StatusWaitlisted:
		return "Sie stehen auf Platz " + strconv.Itoa(pos) + " der Warteliste. Wird ein Platz frei, rücken Sie automatisch nach und erhalten eine E-Mail."
	}
	return ""
}

// confirmRegistration is the double opt-in: a button on the personal page.
func (s *Server) confirmRegistration(w http.ResponseWriter, r *http.Request) error {
	reg, token, err := s.personalRegistration(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		reg, changed, err := tx.ConfirmRegistration(ctx, reg.ID, s.now())
		if err != nil || !changed {
			return err
		}
		return s.mailStatus(ctx, tx, reg)
	})
	if errors.Is(err, registration.ErrEnded) {
		return s.redirectPersonal(w, r, token, "")
	}
	if err != nil {
		return err
	}
	s.notifyMail()
	return s.redirectPersonal(w, r, token, "bestaetigt")
}

// chosenWorkshops loads the workshops of reg's event and the ids of those
// reg chose.
func (s *Server) chosenWorkshops(ctx context.Context, reg store.Registration) ([]store.WorkshopPlaces, []int64, error) {
	ws, err := s.store.RegistrationWorkshops(ctx, reg.EventID)
	if err != nil {
		return nil, nil, err
	}
	chosen, err := s.store.ChosenWorkshops(ctx, reg.ID)
	return ws, chosen, err
}

// changeRegistrationWorkshop saves the workshop chosen per slot.
func (s *Server) changeRegistrationWorkshop(w http.ResponseWriter, r *http.Request) error {
	reg, token, err := s.personalRegistration(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ws, chosen, err := s.chosenWorkshops(ctx, reg)
	if err != nil {
		return err
	}
	f := components.NewForm()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		for i, slot := range parallelSlots(ws) {
			name := workshopField + strconv.Itoa(i+1)
			id, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
			if slices.Contains(chosen, id) || !containsWorkshop(slot, id) {
				continue
			}
			promoted, err := tx.ChangeWorkshop(ctx, reg.ID, id, s.now())
			if errors.Is(err, registration.ErrFull) {
				f.Fail(name, "Dieser Workshop ist ausgebucht. Bitte wählen Sie einen anderen.")
				return err
			}
			if err != nil {
				return err
			}
			if err := s.mailPromoted(ctx, tx, promoted); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, registration.ErrFull):
		return s.renderRegistration(w, r, reg, token, f, "", http.StatusConflict)
	case errors.Is(err, registration.ErrEnded):
		return s.redirectPersonal(w, r, token, "")
	case err != nil:
		return err
	}
	s.notifyMail()
	return s.redirectPersonal(w, r, token, "gewechselt")
}

func containsWorkshop(slot []store.WorkshopPlaces, id int64) bool {
	return slices.ContainsFunc(slot, func(w store.WorkshopPlaces) bool { return w.ID == id })
}

// cancelRegistration cancels after the person ticked that they are sure;
// the first waiting person moves up and is told by e-mail.
func (s *Server) cancelRegistration(w http.ResponseWriter, r *http.Request) error {
	reg, token, err := s.personalRegistration(r)
	if err != nil {
		return err
	}
	if r.PostFormValue("sicher") != "ja" {
		f := components.NewForm()
		f.Fail("sicher", "Bitte bestätigen Sie, dass Sie Ihre Anmeldung stornieren möchten.")
		return s.renderRegistration(w, r, reg, token, f, "", http.StatusUnprocessableEntity)
	}
	ctx := r.Context()
	err = s.promoting(ctx, func(tx *store.Store) ([]store.Registration, error) {
		_, promoted, err := tx.CancelRegistration(ctx, reg.ID, s.now())
		return promoted, err
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	return s.redirectPersonal(w, r, token, "storniert")
}

func (s *Server) redirectPersonal(w http.ResponseWriter, r *http.Request, token, notice string) error {
	to := paths.Registration(token)
	if notice != "" {
		to += "?" + notice
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

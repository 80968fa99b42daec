package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// The invitee's side of an invitation: the personal link shows the event
// and registers (the address counts as confirmed) or declines.

func (s *Server) invitationLink(r *http.Request) (store.Invitation, *store.Event, error) {
	inv, err := s.store.InvitationByToken(r.Context(), hashToken(chi.URLParam(r, "token")))
	if errors.Is(err, store.ErrTokenInvalid) {
		return inv, nil, errNotFound
	}
	if err != nil {
		return inv, nil, err
	}
	e, err := s.store.Event(r.Context(), inv.EventID)
	return inv, e, err
}

func (s *Server) showInvitationLink(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvitationLink(w, r, http.StatusOK, components.NewForm())
}

func (s *Server) renderInvitationLink(w http.ResponseWriter, r *http.Request, status int, f components.Form) error {
	inv, e, err := s.invitationLink(r)
	if err != nil {
		return err
	}
	ws, err := s.store.RegistrationWorkshops(r.Context(), e.ID)
	if err != nil {
		return err
	}
	v := pages.InvitationLinkView{Frame: s.frame(r, "Einladung: "+e.Title), EventTitle: e.Title,
		EventWhen: eventWhen(e.StartsAt, e.EndsAt) + " Uhr", EventHref: "/veranstaltungen/" + e.Slug, Name: inv.Name,
		Email: inv.Email, Action: r.URL.Path, Form: f, Slots: staffSlots(ws, f, nil), PrivacyHref: "/datenschutz"}
	switch inv.Status {
	case "registered":
		v.Answered = "Sie sind angemeldet. Die Bestätigung mit Ihrem persönlichen Link ist per E-Mail unterwegs."
	case "declined":
		v.Answered = "Sie haben abgesagt. Vielen Dank für Ihre Rückmeldung."
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.renderStatus(w, r, status, pages.InvitationLink(v))
}

// updateInvitationLink registers or declines, once.
func (s *Server) updateInvitationLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	inv, e, err := s.invitationLink(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if inv.Status != "sent" {
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		return nil
	}
	ws, err := s.store.RegistrationWorkshops(ctx, e.ID)
	if err != nil {
		return err
	}
	accept := r.PostForm.Get("aktion") != "absagen"
	f := components.NewForm()
	_, _, org := checkPerson(&f, inv.Name, inv.Email, r.PostForm.Get("organisation"))
	chosen := readSlots(&f, r, ws)
	if accept && r.PostForm.Get("einwilligung") != "ja" {
		f.Fail("einwilligung", "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, um sich anzumelden.")
	}
	if accept && !f.OK() {
		return s.renderInvitationLink(w, r, http.StatusUnprocessableEntity, f)
	}
	_, hash := newToken()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if !accept {
			return tx.AnswerInvitation(ctx, inv.ID, "declined", nil, s.now())
		}
		res, err := tx.Register(ctx, store.NewRegistration{EventID: e.ID, Name: inv.Name, Email: inv.Email, Organisation: org,
			Workshops: chosen, Source: registration.SourceInvitation, Confirmed: true, TokenHash: hash, Now: s.now()})
		if err != nil {
			return err
		}
		if err := tx.AnswerInvitation(ctx, inv.ID, "registered", &res.Registration.ID, s.now()); err != nil || res.Existing {
			return err
		}
		return s.mailStatus(ctx, tx, res.Registration)
	})
	if errors.Is(err, registration.ErrWorkshop) {
		f.Fail("einwilligung", "Bitte wählen Sie je Zeitfenster höchstens einen Workshop.")
		return s.renderInvitationLink(w, r, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	s.notifyMail()
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	return nil
}

package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
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
	rc, err := s.store.RegistrationContext(r.Context(), e.ID)
	if err != nil {
		return err
	}
	settings, ws, qs := rc.RegistrationSettings, rc.Workshops, rc.Questions
	v := pages.InvitationLinkView{Frame: s.frame(r, "Einladung: "+e.Title), EventTitle: e.Title,
		EventWhen: eventWhen(e.StartsAt, e.EndsAt) + " Uhr", EventHref: paths.Event(e.Slug), Name: inv.Name,
		Email: inv.Email, Action: r.URL.Path, Form: f, Slots: staffSlots(ws, f, nil), PrivacyHref: "/datenschutz",
		Closed: closedMessage(settings, s.now())}
	for _, q := range qs {
		v.Questions = append(v.Questions, pages.RegistrationQuestion{Name: questionField + strconv.FormatInt(q.ID, 10),
			Label: q.Label, Kind: q.Kind, Options: q.Options, Required: q.Required})
	}
	switch inv.Status {
	case "registered":
		v.Answered = "Sie sind angemeldet. Die E-Mail mit der Bestätigung und Ihrem persönlichen Link " + s.mailState(1) + "."
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
	rc, err := s.store.RegistrationContext(ctx, e.ID)
	if err != nil {
		return err
	}
	settings, ws, qs := rc.RegistrationSettings, rc.Workshops, rc.Questions
	accept := r.PostForm.Get("aktion") != "absagen"
	f := components.NewForm()
	_, _, org := checkPerson(&f, inv.Name, inv.Email, r.PostForm.Get("organisation"))
	chosen := readSlots(&f, r, ws)
	answers := readAnswers(&f, r.PostForm, qs)
	if accept && r.PostForm.Get("einwilligung") != "ja" {
		f.Fail("einwilligung", "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, um sich anzumelden.")
	}
	if msg := closedMessage(settings, s.now()); accept && msg != "" {
		f.Fail("einwilligung", msg)
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
			Workshops: chosen, Answers: answers, Source: registration.SourceInvitation, Confirmed: true, TokenHash: hash, Now: s.now()})
		if err != nil {
			return err
		}
		if err := tx.AnswerInvitation(ctx, inv.ID, "registered", &res.Registration.ID, s.now()); err != nil || res.Existing {
			return err
		}
		return s.mailStatus(ctx, tx, res.Registration)
	})
	if errors.Is(err, registration.ErrClosed) {
		f.Fail("einwilligung", "Die Anmeldung zu dieser Veranstaltung ist geschlossen.")
		return s.renderInvitationLink(w, r, http.StatusUnprocessableEntity, f)
	}
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

// readAnswers checks the answers to the event's questions as the public
// form does (required ones enforced), keeping what was typed in f.
func readAnswers(f *components.Form, v url.Values, questions []store.Question) []store.Answer {
	var out []store.Answer
	for _, q := range questions {
		name := questionField + strconv.FormatInt(q.ID, 10)
		f.Values[name] = v.Get(name)
		a, msg := checkAnswer(q, strings.TrimSpace(v.Get(name)))
		if msg != "" {
			f.Fail(name, msg)
		} else if a != "" {
			out = append(out, store.Answer{QuestionID: q.ID, Answer: a})
		}
	}
	return out
}

// closedMessage says in German why registration is not possible at now,
// "" while it is open.
func closedMessage(settings store.RegistrationSettings, now time.Time) string {
	switch {
	case settings.OpenAt(now):
		return ""
	case settings.Status == "published" && settings.Open && settings.OpensAt != nil && now.Before(*settings.OpensAt):
		return "Die Anmeldung zu dieser Veranstaltung öffnet am " + settings.OpensAt.In(event.Berlin).Format("02.01.2006 um 15:04") + " Uhr."
	default:
		return "Die Anmeldung zu dieser Veranstaltung ist geschlossen."
	}
}

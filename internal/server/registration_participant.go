package server

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"rii/internal/account"
	"rii/internal/input"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// One participant: the page (officials read it), adding a person by hand,
// moving between workshops within capacity, cancelling on their behalf.

// participantView builds the page of registration reg; mf is the move
// form, cf the cancel form.
func (s *Server) participantView(r *http.Request, e *store.Event, reg store.Registration, mf, cf components.Form) (pages.ParticipantView, error) {
	ctx := r.Context()
	rc, err := s.store.RegistrationContext(ctx, e.ID)
	if err != nil {
		return pages.ParticipantView{}, err
	}
	ws, qs := rc.Workshops, rc.Questions
	chosen, err := s.store.ChosenWorkshops(ctx, reg.ID)
	if err != nil {
		return pages.ParticipantView{}, err
	}
	answers, err := s.store.RegistrationAnswers(ctx, reg.ID)
	if err != nil {
		return pages.ParticipantView{}, err
	}
	pos, err := s.store.WaitlistPosition(ctx, reg)
	if err != nil {
		return pages.ParticipantView{}, err
	}
	titles := ""
	for _, w := range ws {
		if slices.Contains(chosen, w.ID) {
			titles += sep(titles) + w.Title
		}
	}
	href := participantHref(e.ID, reg.ID)
	v := pages.ParticipantView{Frame: s.frame(r, reg.Name+": Anmeldung"), Nav: registrationNav(e, ""),
		Name: reg.Name, Email: reg.Email, CanEdit: canEditRegistrations(r), Active: registration.Active(reg.Status),
		MoveAction: href + "/workshop", MoveForm: mf, Slots: staffSlots(ws, mf, chosen),
		CancelAction: href + "/stornieren", CancelForm: cf, BackHref: participantsHref(e.ID)}
	v.Facts = []pages.Fact{{Label: "E-Mail-Adresse", Value: reg.Email}, {Label: "Organisation", Value: orDash(reg.Organisation)},
		{Label: "Status", Value: participantStatus(store.Participant{Registration: reg, WaitingPosition: pos})},
		{Label: "Workshops", Value: orDash(titles)}, {Label: "Angemeldet am", Value: formatTime(reg.CreatedAt)},
		{Label: "Bestätigt am", Value: optTime(reg.ConfirmedAt)}, {Label: "Quelle", Value: sourceLabel(reg.Source)},
		{Label: "Anwesend", Value: attendedLabel(reg.AttendedAt)}}
	for _, q := range qs {
		for _, a := range answers {
			if a.QuestionID == q.ID {
				v.Answers = append(v.Answers, pages.Fact{Label: q.Label, Value: a.Answer})
			}
		}
	}
	return v, nil
}

func sep(s string) string {
	if s == "" {
		return ""
	}
	return ", "
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func (s *Server) showParticipant(w http.ResponseWriter, r *http.Request) error {
	e, reg, err := s.adminRegistration(r)
	if err != nil {
		return err
	}
	return s.renderParticipant(w, r, http.StatusOK, e, reg, components.NewForm(), components.NewForm())
}

// renderParticipant shows the page of registration reg with the move form
// mf and the cancel form cf.
func (s *Server) renderParticipant(w http.ResponseWriter, r *http.Request, status int, e *store.Event,
	reg store.Registration, mf, cf components.Form) error {
	v, err := s.participantView(r, e, reg, mf, cf)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, status, pages.Participant(v))
}

// postedSlots reads the workshop chosen per slot of event eventID from the
// posted form into f.
func (s *Server) postedSlots(r *http.Request, eventID int64, f *components.Form) ([]int64, error) {
	ws, err := s.store.RegistrationWorkshops(r.Context(), eventID)
	if err != nil {
		return nil, err
	}
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	return readSlots(f, r, ws), nil
}

// errRegistered: the address has an active registration for the event.
var errRegistered = errors.New("already registered")

// createParticipant registers a person by hand: the address counts as
// confirmed; without a free place the person waits.
func (s *Server) createParticipant(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := components.NewForm()
	name, email, org := checkPerson(&f, r.PostForm.Get("name"), r.PostForm.Get("email"), r.PostForm.Get("organisation"))
	chosen, err := s.postedSlots(r, e.ID, &f)
	if err != nil {
		return err
	}
	if !f.OK() {
		return s.renderParticipants(w, r, http.StatusUnprocessableEntity, f)
	}
	_, hash := newToken() // Register keeps a link; the e-mail brings a fresh one
	var res store.RegisterResult
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if res, err = tx.Register(ctx, store.NewRegistration{EventID: e.ID, Name: name, Email: email, Organisation: org,
			Workshops: chosen, Source: registration.SourceManual, Confirmed: true, TokenHash: hash, Now: s.now()}); err != nil {
			return err
		}
		if res.Existing {
			return errRegistered // roll back the link Register may have stored
		}
		if err := s.mailStatus(ctx, tx, res.Registration); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "registration.create", Object: "registration", ID: itoa(res.Registration.ID), Details: map[string]any{"event": e.ID, "status": res.Registration.Status}})
	})
	if errors.Is(err, registration.ErrWorkshop) {
		f.Fail("name", "Bitte wählen Sie je Zeitfenster höchstens einen Workshop dieser Veranstaltung.")
	} else if errors.Is(err, errRegistered) {
		f.Fail("email", "Für diese E-Mail-Adresse gibt es schon eine Anmeldung zu dieser Veranstaltung.")
	} else if err != nil {
		return err
	}
	if !f.OK() {
		return s.renderParticipants(w, r, http.StatusUnprocessableEntity, f)
	}
	s.notifyMail()
	s.flash(r, name+" ist angemeldet: "+registration.StatusLabel(res.Registration.Status)+".")
	http.Redirect(w, r, participantsHref(e.ID), http.StatusSeeOther)
	return nil
}

// checkPerson checks a person's name, address and organisation into f's
// fields name, email and organisation.
func checkPerson(f *components.Form, rawName, rawEmail, rawOrg string) (name, email, org string) {
	f.Values["name"], f.Values["email"], f.Values["organisation"] = rawName, rawEmail, rawOrg
	name, err := account.ValidateName(rawName)
	if err != nil {
		f.Fail("name", err.Error())
	}
	if email, err = account.NormalizeEmail(rawEmail); err != nil {
		f.Fail("email", err.Error())
	}
	org, msg := input.Rule{Subject: "Die Organisation", Max: 300}.Check(rawOrg)
	if msg != "" {
		f.Fail("organisation", msg)
	}
	return name, email, org
}

// readSlots reads the workshop chosen per slot ("" for none).
func readSlots(f *components.Form, r *http.Request, ws []store.WorkshopPlaces) []int64 {
	var chosen []int64
	for _, sl := range staffSlots(ws, components.NewForm(), nil) {
		raw := r.PostForm.Get(sl.Field.Name)
		f.Values[sl.Field.Name] = raw
		if raw == "" {
			continue
		}
		ok := false
		for _, o := range sl.Options[1:] {
			ok = ok || o.Value == raw
		}
		if !ok {
			f.Fail(sl.Field.Name, "Bitte wählen Sie einen Workshop aus der Liste.")
			continue
		}
		id, _ := strconv.ParseInt(raw, 10, 64)
		chosen = append(chosen, id)
	}
	return chosen
}

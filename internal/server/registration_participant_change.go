package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
)

// Staff's changes to one registration, and the CSV export of all.

// updateParticipantWorkshop moves a person to the workshops chosen, each
// within its capacity; places freed go to the waiting list.
func (s *Server) updateParticipantWorkshop(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, reg, err := s.adminRegistration(r)
	if err != nil {
		return err
	}
	f := components.NewForm()
	chosen, err := s.postedSlots(r, e.ID, &f)
	if err != nil {
		return err
	}
	if f.OK() && len(chosen) == 0 {
		f.Fail("workshop", "Bitte wählen Sie den Workshop, in den die Person wechseln soll.")
	}
	if f.OK() {
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			var promoted []store.Registration
			for _, id := range chosen {
				p, err := tx.ChangeWorkshop(ctx, reg.ID, id, s.now())
				if err != nil {
					return err
				}
				promoted = append(promoted, p...)
			}
			if err := s.mailPromoted(ctx, tx, promoted); err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "registration.workshop", Object: "registration", ID: itoa(reg.ID), Details: map[string]any{"event": e.ID, "workshops": chosen, "promoted": len(promoted)}})
		})
		switch {
		case errors.Is(err, registration.ErrFull):
			f.Fail("workshop", "Der gewählte Workshop ist voll. Die Person bleibt in ihrem bisherigen Workshop.")
		case errors.Is(err, registration.ErrEnded):
			f.Fail("workshop", "Diese Anmeldung ist storniert oder verfallen; der Workshop lässt sich nicht mehr ändern.")
		case err != nil:
			return err
		}
	}
	if !f.OK() {
		return s.renderParticipant(w, r, http.StatusUnprocessableEntity, e, reg, f, components.NewForm())
	}
	s.notifyMail()
	s.flash(r, "Der Workshop von "+reg.Name+" ist geändert.")
	http.Redirect(w, r, participantHref(e.ID, reg.ID), http.StatusSeeOther)
	return nil
}

// cancelParticipant cancels on the person's behalf once confirmed; the
// first person waiting gets the place and an e-mail.
func (s *Server) cancelParticipant(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, reg, err := s.adminRegistration(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		cf := components.NewForm()
		cf.Fail("bestaetigt", "Bitte bestätigen Sie, dass Sie die Anmeldung von "+reg.Name+" stornieren wollen.")
		return s.renderParticipant(w, r, http.StatusUnprocessableEntity, e, reg, components.NewForm(), cf)
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		changed, promoted, err := tx.CancelRegistration(ctx, reg.ID, s.now())
		if err != nil || !changed {
			return err
		}
		if err := s.mailPromoted(ctx, tx, promoted); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "registration.cancel", Object: "registration", ID: itoa(reg.ID), Details: map[string]any{"event": e.ID, "promoted": len(promoted)}})
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, "Die Anmeldung von "+reg.Name+" ist storniert.")
	http.Redirect(w, r, participantsHref(e.ID), http.StatusSeeOther)
	return nil
}

// listParticipantsCSV exports every registration of the event for Excel
// (semicolons, CRLF, UTF-8 with BOM), one column per question. Each export
// is audited with who and when.
func (s *Server) listParticipantsCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	rows, _, err := s.store.Participants(ctx, store.ParticipantFilter{EventID: e.ID})
	if err != nil {
		return err
	}
	qs, err := s.store.EventQuestions(ctx, e.ID)
	if err != nil {
		return err
	}
	answers, err := s.store.EventAnswers(ctx, e.ID)
	if err != nil {
		return err
	}
	body, err := participantsCSV(rows, qs, answers)
	if err != nil {
		return err
	}
	if err := s.audit(r, s.store, auditEntry{Action: "registration.export", Object: "event", ID: itoa(e.ID), Details: map[string]any{"rows": len(rows)}}); err != nil {
		return err
	}
	return sendCSV(w, "teilnehmende-"+e.Slug+"-"+s.now().In(berlin).Format(time.DateOnly)+".csv", body)
}

// participantsCSV writes the export: fixed columns, then the questions.
func participantsCSV(rows []store.Participant, qs []store.Question, answers map[int64][]store.Answer) ([]byte, error) {
	header := []string{"Name", "E-Mail", "Organisation", "Status", "Workshops", "Angemeldet am", "Bestätigt am",
		"Anwesend", "Quelle"}
	for _, q := range qs {
		header = append(header, q.Label)
	}
	out := append(make([][]string, 0, len(rows)+1), header)
	for _, p := range rows {
		attended := ""
		if p.AttendedAt != nil {
			attended = formatTime(*p.AttendedAt)
		}
		row := []string{p.Name, p.Email, p.Organisation, participantStatus(p), strings.Join(p.Workshops, ", "),
			formatTime(p.CreatedAt), optTime(p.ConfirmedAt), attended, sourceLabel(p.Source)}
		for _, q := range qs {
			a := ""
			for _, x := range answers[p.ID] {
				if x.QuestionID == q.ID {
					a = x.Answer
				}
			}
			row = append(row, a)
		}
		out = append(out, row)
	}
	return writeCSV(excelCSV, out)
}

package server

import (
	"context"
	"net/http"
	"strconv"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// The questions of an event's registration form: added (or the suggested
// question on support needs in one click), moved, deleted. Each change is
// audited on the event.

// createQuestion appends a checked question.
func (s *Server) createQuestion(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	qf := components.NewForm()
	for _, k := range []string{"art", "frage", "optionen", "pflicht"} {
		qf.Values[k] = pf.Get(k)
	}
	q, errs := registration.ValidateQuestion(registration.QuestionInput{Kind: pf.Get("art"), Label: pf.Get("frage"),
		Options: pf.Get("optionen"), Required: pf.Get("pflicht") == "ja"})
	failAll(&qf, event.Errors(errs), []string{"art", "frage", "optionen"})
	if !qf.OK() {
		v, err := s.setupView(r, e, components.Form{}, qf)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.RegistrationSetup(v))
	}
	if err := s.appendQuestion(r, e.ID, q); err != nil {
		return err
	}
	s.flash(r, "Die Frage „"+q.Label+"“ steht jetzt im Anmeldeformular.")
	return toQuestions(w, r, e.ID)
}

func (s *Server) appendQuestion(r *http.Request, eventID int64, q registration.Question) error {
	return s.changeQuestions(r, eventID, "registration.question.create", func(ctx context.Context, tx *store.Store) (map[string]any, error) {
		id, err := tx.AppendQuestion(ctx, store.Question{EventID: eventID, Kind: q.Kind, Label: q.Label,
			Options: q.Options, Required: q.Required})
		return map[string]any{"question": id, "label": q.Label}, err
	})
}

// changeQuestions runs change on the questions of event eventID and audits
// it as action with the details change returns, in one transaction.
func (s *Server) changeQuestions(r *http.Request, eventID int64, action string,
	change func(context.Context, *store.Store) (map[string]any, error)) error {
	ctx := r.Context()
	return s.store.InTx(ctx, func(tx *store.Store) error {
		details, err := change(ctx, tx)
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: action, Object: "event", ID: itoa(eventID), Details: details})
	})
}

// toQuestions redirects to the question list of event eventID.
func toQuestions(w http.ResponseWriter, r *http.Request, eventID int64) error {
	http.Redirect(w, r, registrationHref(eventID)+"#fragen", http.StatusSeeOther)
	return nil
}

// createAccessibilityQuestion adds the suggested yes/no question on support
// needs, unless the event has it already.
func (s *Server) createAccessibilityQuestion(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	qs, err := s.store.EventQuestions(r.Context(), e.ID)
	if err != nil {
		return err
	}
	msg := "Die Frage zur Barrierefreiheit steht jetzt im Anmeldeformular."
	if hasQuestion(qs, registration.AccessibilityQuestion) {
		msg = "Die Frage zur Barrierefreiheit steht schon im Anmeldeformular."
	} else if err := s.appendQuestion(r, e.ID, registration.Question{Kind: registration.QuestionYesNo,
		Label: registration.AccessibilityQuestion, Options: []string{}}); err != nil {
		return err
	}
	s.flash(r, msg)
	return toQuestions(w, r, e.ID)
}

func hasQuestion(qs []store.Question, label string) bool {
	for _, q := range qs {
		if q.Label == label {
			return true
		}
	}
	return false
}

// updateQuestionPosition moves a question one place up or down.
func (s *Server) updateQuestionPosition(w http.ResponseWriter, r *http.Request) error {
	e, q, err := s.adminQuestion(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	by := map[string]int{"hoch": -1, "runter": 1}[r.PostForm.Get("richtung")]
	if by == 0 {
		return s.renderSetupMessage(w, r, e, "Bitte wählen Sie, ob die Frage nach oben oder nach unten rücken soll.")
	}
	err = s.changeQuestions(r, e.ID, "registration.question.move", func(ctx context.Context, tx *store.Store) (map[string]any, error) {
		return map[string]any{"question": q.ID, "by": by}, tx.MoveQuestion(ctx, e.ID, q.ID, by)
	})
	if err != nil {
		return err
	}
	return toQuestions(w, r, e.ID)
}

// deleteQuestion removes a question and its answers once the editor
// confirmed it.
func (s *Server) deleteQuestion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, q, err := s.adminQuestion(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		n, err := s.store.QuestionAnswers(ctx, q.ID)
		if err != nil {
			return err
		}
		v, err := s.setupView(r, e, components.Form{}, components.NewForm())
		if err != nil {
			return err
		}
		v.ConfirmDelete = &pages.QuestionRow{Label: q.Label, DeleteAction: questionHref(e.ID, q.ID, "loeschen")}
		v.ConfirmDeleteMsg = "Soll die Frage „" + q.Label + "“ wirklich gelöscht werden? " + strconv.Itoa(n) +
			" Antworten darauf gehen damit verloren."
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.RegistrationSetup(v))
	}
	err = s.changeQuestions(r, e.ID, "registration.question.delete", func(ctx context.Context, tx *store.Store) (map[string]any, error) {
		return map[string]any{"question": q.ID, "label": q.Label}, tx.DeleteQuestion(ctx, e.ID, q.ID)
	})
	if err != nil {
		return err
	}
	s.flash(r, "Die Frage „"+q.Label+"“ ist gelöscht.")
	return toQuestions(w, r, e.ID)
}

// renderSetupMessage shows the settings page with a message at the
// question list (422).
func (s *Server) renderSetupMessage(w http.ResponseWriter, r *http.Request, e *store.Event, msg string) error {
	qf := components.NewForm()
	qf.Fail("frage", msg)
	v, err := s.setupView(r, e, components.Form{}, qf)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.RegistrationSetup(v))
}

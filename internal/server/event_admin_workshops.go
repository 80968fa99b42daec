package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// The workshops of an event: parallel ones share a time slot within the
// event; after it, their results and participant counts. Workshops carry a
// version: a save over someone else's is a 409 with both versions.

// adminWorkshop loads the event and the workshop in the URL; a workshop
// of another event is not found.
func (s *Server) adminWorkshop(r *http.Request) (*store.Event, *store.Workshop, error) {
	e, id, err := s.adminPart(r, "workshop")
	if err != nil {
		return nil, nil, err
	}
	ws, err := s.store.Workshop(r.Context(), e.ID, id)
	return e, ws, err
}

// workshopView builds the workshop form; ws is nil for a new workshop.
func (s *Server) workshopView(r *http.Request, e *store.Event, ws *store.Workshop, f components.Form, l partPickers) (pages.PartEditView, error) {
	c, err := s.loadVocabularies(r.Context())
	if err != nil {
		return pages.PartEditView{}, err
	}
	href := paths.AdminEvent(e.ID)
	v := pages.PartEditView{Event: e.Title, EventHref: href + "#workshops", EventTimes: event.FormatRange(e.StartsAt, e.EndsAt),
		Form: f, Topics: c.topicOptions(f.Value("themen")), Delete: components.NewForm(), Workshop: true}
	if ws == nil {
		v.Frame = s.frame(r, "Neuer Workshop: "+e.Title)
		v.Heading, v.Action, v.Submit = "Neuer Workshop", href+"/workshops/neu", "Workshop anlegen"
	} else {
		v.Frame = s.frame(r, ws.Title+": Workshop bearbeiten")
		v.Heading, v.Action, v.Submit = "Workshop bearbeiten", paths.AdminEvent(e.ID, "workshops", paths.ID(ws.ID)), "Speichern"
		v.DeleteAction, v.DeleteLabel = v.Action+"/loeschen", "Workshop löschen"
	}
	return v, s.partPickerViews(r, l, f, &v)
}

// workshopForm fills the form from a stored workshop.
func workshopForm(ws *store.Workshop) components.Form {
	f := components.Encode(event.WorkshopInput{Title: ws.Title, Description: ws.Description,
		Date: event.DateValue(ws.StartsAt), StartClock: event.ClockValue(ws.StartsAt), EndClock: event.ClockValue(ws.EndsAt),
		Capacity: optInt(ws.Capacity), Place: ws.Place, OnlineURL: ws.OnlineURL, Results: ws.Results,
		ParticipantCount: optInt(ws.ParticipantCount), Topics: ws.Topics})
	f.Values["version"] = strconv.Itoa(ws.Version)
	if ws.Sample {
		f.Values["beispieldaten"] = "ja"
	}
	return f
}

// readWorkshopForm reads and checks the posted workshop of event e; a
// picker's search (pickerRoundTrip) is not checked.
func (s *Server) readWorkshopForm(r *http.Request, e *store.Event) (store.WorkshopFields, components.Form, partPickers, error) {
	if err := r.ParseForm(); err != nil {
		return store.WorkshopFields{}, components.Form{}, partPickers{}, err
	}
	f := pages.WorkshopFormFields.Read(r.PostForm)
	l := readPartPickers(r.PostForm)
	if pickerRoundTrip(r.PostForm) {
		return store.WorkshopFields{}, f, l, nil
	}
	c, err := s.loadVocabularies(r.Context())
	if err != nil {
		return store.WorkshopFields{}, f, l, err
	}
	var in event.WorkshopInput
	components.Decode(f, &in)
	in.Sample = f.Value("beispieldaten") == "ja"
	x, errs := event.ValidateWorkshop(in, e.StartsAt, e.EndsAt, c.eventLists().Topics)
	failAll(&f, errs, pages.WorkshopFormFields.Names())
	_, _, people, inits, err := s.settlePartPickers(r, l, &f, true)
	wf := store.WorkshopFields{Title: x.Title, Description: x.Description, StartsAt: x.StartsAt, EndsAt: x.EndsAt,
		Capacity: x.Capacity, Place: x.Place, OnlineURL: x.OnlineURL, Results: x.Results, ParticipantCount: x.ParticipantCount,
		Sample: x.Sample, Topics: x.Topics, Moderators: people, Initiatives: inits}
	return wf, f, l, err
}

func (s *Server) newWorkshop(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	f := components.NewForm()
	f.Values["datum"] = event.DateValue(e.StartsAt)
	v, err := s.workshopView(r, e, nil, f, storedPickers(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, r, pages.PartEdit(v))
}

func (s *Server) createWorkshop(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	wf, f, l, err := s.readWorkshopForm(r, e)
	if err != nil {
		return err
	}
	if pickerRoundTrip(r.PostForm) || !f.OK() {
		return s.renderWorkshopStatus(w, r, formStatus(f), e, nil, f, l)
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, err := tx.CreateWorkshop(ctx, e.ID, wf, s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "workshop.create", Object: "workshop", ID: itoa(id), Details: map[string]any{"event": e.ID}})
	})
	if err != nil {
		return err
	}
	if err := s.warnHidden(r, stageIDs(wf.Moderators)...); err != nil {
		return err
	}
	s.flash(r, "Der Workshop ist angelegt.")
	http.Redirect(w, r, paths.AdminEvent(e.ID)+"#workshops", http.StatusSeeOther)
	return nil
}

func (s *Server) renderWorkshopStatus(w http.ResponseWriter, r *http.Request, status int, e *store.Event, ws *store.Workshop, f components.Form, l partPickers) error {
	v, err := s.workshopView(r, e, ws, f, l)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, status, pages.PartEdit(v))
}

func (s *Server) editWorkshop(w http.ResponseWriter, r *http.Request) error {
	e, ws, err := s.adminWorkshop(r)
	if err != nil {
		return err
	}
	return s.renderWorkshopStatus(w, r, http.StatusOK, e, ws, workshopForm(ws), storedPickers(ws.Moderators, ws.Initiatives))
}

// updateWorkshop saves a workshop unless someone saved in between: then
// 409 with both versions, and what was typed stays in the form.
func (s *Server) updateWorkshop(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, ws, err := s.adminWorkshop(r)
	if err != nil {
		return err
	}
	wf, f, l, err := s.readWorkshopForm(r, e)
	if err != nil {
		return err
	}
	if pickerRoundTrip(r.PostForm) || !f.OK() {
		return s.renderWorkshopStatus(w, r, formStatus(f), e, ws, f, l)
	}
	wf.Position = ws.Position
	version, _ := strconv.Atoi(f.Value("version"))
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		next, err := tx.UpdateWorkshop(ctx, e.ID, ws.ID, version, wf, s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "workshop.update", Object: "workshop", ID: itoa(ws.ID), Details: map[string]any{"event": e.ID, "version": next}})
	})
	if errors.Is(err, store.ErrConflict) {
		saved, err := s.store.Workshop(ctx, e.ID, ws.ID)
		if err != nil {
			return err
		}
		f.Values["version"] = strconv.Itoa(saved.Version)
		v, err := s.workshopView(r, e, saved, f, l)
		if err != nil {
			return err
		}
		v.Conflict, err = s.conflictView(ctx, "workshop", ws.ID, "den Workshop", saved.UpdatedAt,
			workshopConflictRows(saved.WorkshopFields, wf))
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusConflict, pages.PartEdit(v))
	}
	if err != nil {
		return err
	}
	if err := s.warnHidden(r, stageIDs(wf.Moderators)...); err != nil {
		return err
	}
	s.flash(r, "Der Workshop ist gespeichert.")
	http.Redirect(w, r, paths.AdminEvent(e.ID)+"#workshops", http.StatusSeeOther)
	return nil
}

// workshopConflictRows shows the saved and the typed workshop side by side.
func workshopConflictRows(saved, yours store.WorkshopFields) []pages.ConflictField {
	show := func(w store.WorkshopFields) []string {
		return []string{w.Title, w.Description, event.FormatRange(w.StartsAt, w.EndsAt), optInt(w.Capacity), w.Place,
			w.OnlineURL, w.Results, optInt(w.ParticipantCount), yesNo(w.Sample), strings.Join(w.Topics, ", ")}
	}
	return pairRows([]string{"Titel", "Beschreibung", "Zeit", "Plätze", "Ort", "Online-Link", "Ergebnisse",
		"Teilnehmende", "Beispieldaten", "Themen"}, show(saved), show(yours))
}

// deleteWorkshop removes a workshop once the editor confirmed it.
func (s *Server) deleteWorkshop(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, ws, err := s.adminWorkshop(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		return s.renderDeleteUnconfirmed(w, r, ws.Moderators, ws.Initiatives, "den Workshop",
			func(l partPickers) (pages.PartEditView, error) { return s.workshopView(r, e, ws, workshopForm(ws), l) })
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteWorkshop(ctx, e.ID, ws.ID); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "workshop.delete", Object: "workshop", ID: itoa(ws.ID), Details: map[string]any{"event": e.ID, "title": ws.Title}})
	})
	if err != nil {
		return err
	}
	s.flash(r, "Der Workshop ist gelöscht.")
	http.Redirect(w, r, paths.AdminEvent(e.ID)+"#workshops", http.StatusSeeOther)
	return nil
}

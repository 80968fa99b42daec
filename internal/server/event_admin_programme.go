package server

import (
	"net/http"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// The programme of an event: items with their time, kind, the people on
// stage and the initiatives presenting. Items carry no version: two
// editors rarely edit the same item, and the last save wins.

// adminItem loads the event and the item in the URL; an item of another
// event is not found.
func (s *Server) adminItem(r *http.Request) (*store.Event, *store.ProgrammeItem, error) {
	e, id, err := s.adminPart(r, "item")
	if err != nil {
		return nil, nil, err
	}
	it, err := s.store.ProgrammeItem(r.Context(), e.ID, id)
	return e, it, err
}

// itemView builds the programme item form; it is nil for a new item.
func (s *Server) itemView(r *http.Request, e *store.Event, it *store.ProgrammeItem, f components.Form, l partPickers) (pages.PartEditView, error) {
	href := paths.AdminEvent(e.ID)
	v := pages.PartEditView{Event: e.Title, EventHref: href + "#programm", EventTimes: event.FormatRange(e.StartsAt, e.EndsAt),
		Form: f, Kinds: eventOptions(event.ItemKinds, f.Value("art"), ""), Delete: components.NewForm()}
	if it == nil {
		v.Frame = s.frame(r, "Neuer Programmpunkt: "+e.Title)
		v.Heading, v.Action, v.Submit = "Neuer Programmpunkt", href+"/programm/neu", "Programmpunkt anlegen"
	} else {
		v.Frame = s.frame(r, it.Title+": Programmpunkt bearbeiten")
		v.Heading, v.Action, v.Submit = "Programmpunkt bearbeiten", paths.AdminEvent(e.ID, "programm", paths.ID(it.ID)), "Speichern"
		v.DeleteAction, v.DeleteLabel = v.Action+"/loeschen", "Programmpunkt löschen"
	}
	return v, s.partPickerViews(r, l, f, &v)
}

// readItemForm reads and checks the posted item of event e; a picker's
// search (pickerRoundTrip) is not checked.
func (s *Server) readItemForm(r *http.Request, e *store.Event) (store.ProgrammeItem, components.Form, partPickers, error) {
	if err := r.ParseForm(); err != nil {
		return store.ProgrammeItem{}, components.Form{}, partPickers{}, err
	}
	f := pages.ItemFormFields.Read(r.PostForm)
	l := readPartPickers(r.PostForm)
	if pickerRoundTrip(r.PostForm) {
		return store.ProgrammeItem{}, f, l, nil
	}
	var in event.ItemInput
	components.Decode(f, &in)
	facts, errs := event.ValidateItem(in, e.StartsAt, e.EndsAt)
	failAll(&f, errs, pages.ItemFormFields.Names())
	_, _, people, inits, err := s.settlePartPickers(r, l, &f, true)
	it := store.ProgrammeItem{EventID: e.ID, StartsAt: facts.StartsAt, EndsAt: facts.EndsAt, Title: facts.Title,
		Kind: facts.Kind, Description: facts.Description, People: people, Initiatives: inits}
	return it, f, l, err
}

func (s *Server) newItem(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	f := components.NewForm()
	f.Values["datum"], f.Values["art"] = event.DateValue(e.StartsAt), "keynote"
	v, err := s.itemView(r, e, nil, f, storedPickers(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, r, pages.PartEdit(v))
}

func (s *Server) createItem(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	it, f, l, err := s.readItemForm(r, e)
	if err != nil {
		return err
	}
	if pickerRoundTrip(r.PostForm) || !f.OK() {
		return s.renderItemInvalid(w, r, e, nil, f, l)
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, err := tx.CreateProgrammeItem(ctx, it)
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "programme.create", Object: "programme_item", ID: itoa(id), Details: map[string]any{"event": e.ID}})
	})
	if err != nil {
		return err
	}
	if err := s.warnHidden(r, stageIDs(it.People)...); err != nil {
		return err
	}
	s.flash(r, "Der Programmpunkt ist angelegt.")
	http.Redirect(w, r, paths.AdminEvent(e.ID)+"#programm", http.StatusSeeOther)
	return nil
}

// renderItemInvalid shows the posted item again: after a picker's search
// (200), or with its errors (422).
func (s *Server) renderItemInvalid(w http.ResponseWriter, r *http.Request, e *store.Event, it *store.ProgrammeItem, f components.Form, l partPickers) error {
	v, err := s.itemView(r, e, it, f, l)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, formStatus(f), pages.PartEdit(v))
}

// formStatus is 200 for a form shown again without errors (after a
// picker's search), 422 for one with errors.
func formStatus(f components.Form) int {
	if f.OK() {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// itemForm fills the form from a stored item.
func itemForm(it *store.ProgrammeItem) components.Form {
	in := event.ItemInput{Title: it.Title, Kind: it.Kind, Description: it.Description,
		Date: event.DateValue(it.StartsAt), StartClock: event.ClockValue(it.StartsAt)}
	if it.EndsAt != nil {
		in.EndClock = event.ClockValue(*it.EndsAt)
	}
	return components.Encode(in)
}

func (s *Server) editItem(w http.ResponseWriter, r *http.Request) error {
	e, it, err := s.adminItem(r)
	if err != nil {
		return err
	}
	v, err := s.itemView(r, e, it, itemForm(it), storedPickers(it.People, it.Initiatives))
	if err != nil {
		return err
	}
	return s.render(w, r, pages.PartEdit(v))
}

func (s *Server) updateItem(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, old, err := s.adminItem(r)
	if err != nil {
		return err
	}
	it, f, l, err := s.readItemForm(r, e)
	if err != nil {
		return err
	}
	if pickerRoundTrip(r.PostForm) || !f.OK() {
		return s.renderItemInvalid(w, r, e, old, f, l)
	}
	it.ID, it.Position = old.ID, old.Position
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateProgrammeItem(ctx, it); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "programme.update", Object: "programme_item", ID: itoa(it.ID), Details: map[string]any{"event": e.ID}})
	})
	if err != nil {
		return err
	}
	if err := s.warnHidden(r, stageIDs(it.People)...); err != nil {
		return err
	}
	s.flash(r, "Der Programmpunkt ist gespeichert.")
	http.Redirect(w, r, paths.AdminEvent(e.ID)+"#programm", http.StatusSeeOther)
	return nil
}

// deleteItem removes an item once the editor confirmed it.
func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, it, err := s.adminItem(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		return s.renderDeleteUnconfirmed(w, r, it.People, it.Initiatives, "den Programmpunkt",
			func(l partPickers) (pages.PartEditView, error) { return s.itemView(r, e, it, itemForm(it), l) })
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.DeleteProgrammeItem(ctx, e.ID, it.ID); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "programme.delete", Object: "programme_item", ID: itoa(it.ID), Details: map[string]any{"event": e.ID, "title": it.Title}})
	})
	if err != nil {
		return err
	}
	s.flash(r, "Der Programmpunkt ist gelöscht.")
	http.Redirect(w, r, paths.AdminEvent(e.ID)+"#programm", http.StatusSeeOther)
	return nil
}

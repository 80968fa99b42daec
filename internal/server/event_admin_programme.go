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

var itemFieldOrder = []string{"titel", "art", "datum", "beginn_zeit", "ende_zeit", "beschreibung", "personen", "initiativen"}

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
func (s *Server) itemView(r *http.Request, e *store.Event, it *store.ProgrammeItem, f components.Form, l partLinks) (pages.PartEditView, error) {
	href := paths.AdminEvent(e.ID)
	v := pages.PartEditView{Event: e.Title, EventHref: href + "#programm", EventTimes: event.FormatRange(e.StartsAt, e.EndsAt),
		Form: f, Kinds: eventOptions(event.ItemKinds, f.Value("art"), ""), PeopleLabel: "Personen auf der Bühne",
		InitiativesLabel: "Initiativen, die sich vorstellen", Delete: components.NewForm()}
	if it == nil {
		v.Frame = s.frame(r, "Neuer Programmpunkt: "+e.Title)
		v.Heading, v.Action, v.Submit = "Neuer Programmpunkt", href+"/programm/neu", "Programmpunkt anlegen"
	} else {
		v.Frame = s.frame(r, it.Title+": Programmpunkt bearbeiten")
		v.Heading, v.Action, v.Submit = "Programmpunkt bearbeiten", paths.AdminEvent(e.ID, "programm", paths.ID(it.ID)), "Speichern"
		v.DeleteAction, v.DeleteLabel = v.Action+"/loeschen", "Programmpunkt löschen"
	}
	return v, s.partRows(r, l, &v)
}

// readItemForm reads and checks the posted item of event e.
func (s *Server) readItemForm(r *http.Request, e *store.Event) (store.ProgrammeItem, components.Form, partLinks, error) {
	if err := r.ParseForm(); err != nil {
		return store.ProgrammeItem{}, components.Form{}, partLinks{}, err
	}
	pf := r.PostForm
	f := components.NewForm()
	for _, k := range []string{"titel", "art", "datum", "beginn_zeit", "ende_zeit", "beschreibung"} {
		f.Values[k] = pf.Get(k)
	}
	facts, errs := event.ValidateItem(event.ItemInput{Date: pf.Get("datum"), StartClock: pf.Get("beginn_zeit"),
		EndClock: pf.Get("ende_zeit"), Title: pf.Get("titel"), Kind: pf.Get("art"), Description: pf.Get("beschreibung")},
		e.StartsAt, e.EndsAt)
	failAll(&f, errs, itemFieldOrder)
	l := readPartLinks(pf, &f)
	people, inits, err := s.resolvePartLinks(r, l, &f)
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
	v, err := s.itemView(r, e, nil, f, partLinks{})
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
	if !f.OK() {
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

func (s *Server) renderItemInvalid(w http.ResponseWriter, r *http.Request, e *store.Event, it *store.ProgrammeItem, f components.Form, l partLinks) error {
	v, err := s.itemView(r, e, it, f, l)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.PartEdit(v))
}

// itemForm fills the form from a stored item.
func itemForm(it *store.ProgrammeItem) components.Form {
	f := components.NewForm()
	f.Values["titel"], f.Values["art"], f.Values["beschreibung"] = it.Title, it.Kind, it.Description
	f.Values["datum"], f.Values["beginn_zeit"] = event.DateValue(it.StartsAt), event.ClockValue(it.StartsAt)
	if it.EndsAt != nil {
		f.Values["ende_zeit"] = event.ClockValue(*it.EndsAt)
	}
	return f
}

func (s *Server) editItem(w http.ResponseWriter, r *http.Request) error {
	e, it, err := s.adminItem(r)
	if err != nil {
		return err
	}
	f := itemForm(it)
	l, err := s.storedLinks(r, it.People, it.Initiatives)
	if err != nil {
		return err
	}
	v, err := s.itemView(r, e, it, f, l)
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
	if !f.OK() {
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
			func(l partLinks) (pages.PartEditView, error) { return s.itemView(r, e, it, itemForm(it), l) })
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

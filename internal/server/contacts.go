package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// The contacts of one initiative, edited by those who may edit the
// initiative (canEdit). The form's pure logic is in contacts_form.go, the
// Service-Stelle's DSGVO pages in contacts_dsgvo.go.

// contactInitiative loads the initiative in the URL and checks the user
// may edit it and so its contacts.
func (s *Server) contactInitiative(r *http.Request) (*store.InitiativeRef, error) {
	slug := chi.URLParam(r, "slug")
	if !plausibleSlug(slug) {
		return nil, errNotFound
	}
	ref, err := s.store.InitiativeRefBySlug(r.Context(), slug)
	if err != nil {
		return nil, err
	}
	ok, err := s.canEdit(r, ref.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, s.refuseInitiative(r, ref)
	}
	return ref, nil
}

// plausibleSlug rejects what cannot be a slug before it reaches the
// database (invalid UTF-8 or NUL would be a driver error, not a 404).
func plausibleSlug(s string) bool {
	if s == "" || len(s) > 300 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// allVisibilities: those who may edit an initiative manage all its
// contacts, whatever their visibility; the visibility governs only who
// else sees a person (profile, event and report pages).
var allVisibilities = []string{store.VisibilityPublic, store.VisibilityMembers, store.VisibilityEditors}

// contactOf loads the contact in the URL; it must belong to the
// initiative in the URL.
func (s *Server) contactOf(r *http.Request, ref *store.InitiativeRef) (*store.LinkedContact, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	return s.store.InitiativeContact(r.Context(), ref.ID, id)
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.contactInitiative(r)
	if err != nil {
		return err
	}
	list, err := s.store.InitiativeContactList(r.Context(), ref.ID, allVisibilities)
	if err != nil {
		return err
	}
	v := pages.ContactListView{Frame: s.frame(r, "Ansprechpersonen: "+ref.Name), Initiative: ref.Name,
		NewHref: paths.Initiative(ref.Slug, "kontakte", "neu"), ProfileHref: paths.Initiative(ref.Slug),
		EditHref: paths.Initiative(ref.Slug, "bearbeiten")}
	for _, c := range list {
		v.Rows = append(v.Rows, pages.ContactRow{Name: c.Name, Role: c.Role, Function: c.Function,
			Organisation: c.Organisation, Email: c.Email, Phone: c.Phone, Visibility: visibilityLabel(c.Visibility),
			Consent: consentSummary(c.Fields()), Href: paths.Initiative(ref.Slug, "kontakte", paths.ID(c.ID))})
	}
	return s.render(w, r, pages.ContactList(v))
}

// contactEditView builds the form page; c is nil for a new contact.
func (s *Server) contactEditView(r *http.Request, ref *store.InitiativeRef, c *store.LinkedContact, f components.Form) pages.ContactEditView {
	v := pages.ContactEditView{Initiative: ref.Name, Form: f, CancelHref: paths.Initiative(ref.Slug, "kontakte"),
		Visibilities: visibilityOptions(f.Value("sichtbarkeit")), ConsentMethods: consentMethodOptions(f.Value("einwilligung_art")),
		Remove: components.NewForm()}
	if c == nil {
		v.Frame = s.frame(r, "Neue Ansprechperson: "+ref.Name)
		v.Heading, v.Action, v.Submit = "Neue Ansprechperson", paths.Initiative(ref.Slug, "kontakte", "neu"), "Ansprechperson anlegen"
		return v
	}
	v.Frame = s.frame(r, c.Name+": Ansprechperson bearbeiten")
	v.Heading, v.Action, v.Submit = "Ansprechperson bearbeiten", paths.Initiative(ref.Slug, "kontakte", paths.ID(c.ID)), "Speichern"
	v.RemoveAction = v.Action + "/entfernen"
	return v
}

func (s *Server) newContact(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.contactInitiative(r)
	if err != nil {
		return err
	}
	// No visibility is chosen beforehand: whoever adds a person decides
	// who may see them (validateContact insists).
	return s.render(w, r, pages.ContactEdit(s.contactEditView(r, ref, nil, components.NewForm())))
}

// createContact stores a new contact and links it to the initiative.
func (s *Server) createContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ref, err := s.contactInitiative(r)
	if err != nil {
		return err
	}
	in, f, err := readContactForm(r, s.now())
	if err != nil {
		return err
	}
	if !f.OK() {
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ContactEdit(s.contactEditView(r, ref, nil, f)))
	}
	var id int64
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, err = tx.AddInitiativeContact(ctx, ref.ID, in.NewContact, in.Role, s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "contact.created", Object: "contact", ID: itoa(id), Details: map[string]any{"initiative": ref.ID, "visibility": in.Visibility}})
	})
	if err != nil {
		return err
	}
	s.flash(r, "Die Ansprechperson ist angelegt. Sichtbar: "+visibilityLabel(in.Visibility)+".")
	http.Redirect(w, r, paths.Initiative(ref.Slug, "kontakte"), http.StatusSeeOther)
	return nil
}

func (s *Server) editContact(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.contactInitiative(r)
	if err != nil {
		return err
	}
	c, err := s.contactOf(r, ref)
	if err != nil {
		return err
	}
	f := components.Form{Values: contactValues(c), Errors: map[string]string{}}
	return s.render(w, r, pages.ContactEdit(s.contactEditView(r, ref, c, f)))
}

// updateContact saves the contact unless someone saved in between: then
// 409 with both versions, and the typed values are kept.
func (s *Server) updateContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ref, err := s.contactInitiative(r)
	if err != nil {
		return err
	}
	c, err := s.contactOf(r, ref)
	if err != nil {
		return err
	}
	in, f, err := readContactForm(r, s.now())
	if err != nil {
		return err
	}
	if !f.OK() {
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ContactEdit(s.contactEditView(r, ref, c, f)))
	}
	version, _ := strconv.Atoi(f.Value("version"))
	changed := changedContactFields(contactInput{c.Fields(), c.Role}, in)
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if version != c.Version {
			return store.ErrConflict
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.UpdateContact(ctx, c.ID, version, in.NewContact, s.now()); err != nil {
			return err
		}
		if err := tx.SetContactRole(ctx, ref.ID, c.ID, in.Role); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "contact.updated", Object: "contact", ID: itoa(c.ID), Details: map[string]any{"initiative": ref.ID, "fields": changed, "visibility": in.Visibility}})
	})
	if errors.Is(err, store.ErrConflict) {
		return s.renderContactConflict(w, r, ref, c.ID, f, in)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Die Änderungen an der Ansprechperson sind gespeichert. Sichtbar: "+visibilityLabel(in.Visibility)+".")
	http.Redirect(w, r, paths.Initiative(ref.Slug, "kontakte"), http.StatusSeeOther)
	return nil
}

// renderContactConflict shows the saved version next to the typed one and
// moves the form to the saved version: saving again is a deliberate
// overwrite.
func (s *Server) renderContactConflict(w http.ResponseWriter, r *http.Request, ref *store.InitiativeRef, id int64, f components.Form, yours contactInput) error {
	saved, err := s.store.InitiativeContact(r.Context(), ref.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		s.flash(r, "Die Ansprechperson wurde inzwischen entfernt. Ihre Änderungen sind nicht gespeichert.")
		http.Redirect(w, r, paths.Initiative(ref.Slug, "kontakte"), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	f.Values["version"] = strconv.Itoa(saved.Version)
	v := s.contactEditView(r, ref, saved, f)
	v.Conflict, err = s.conflictView(r.Context(), "contact", id, "die Ansprechperson", saved.UpdatedAt,
		contactConflictRows(contactInput{saved.Fields(), saved.Role}, yours))
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusConflict, pages.ContactEdit(v))
}

// deleteContact removes the contact from the initiative in the URL, and
// deletes the person when no other initiative links to them.
func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ref, err := s.contactInitiative(r)
	if err != nil {
		return err
	}
	c, err := s.contactOf(r, ref)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("bestaetigt") != "ja" {
		v := s.contactEditView(r, ref, c, components.Form{Values: contactValues(c), Errors: map[string]string{}})
		v.Remove.Fail("bestaetigt", "Bitte bestätigen Sie, dass Sie die Ansprechperson entfernen möchten.")
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ContactEdit(v))
	}
	var deleted bool
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		deleted, err = tx.UnlinkContact(ctx, ref.ID, c.ID)
		if err != nil {
			return err
		}
		details := map[string]any{"initiative": ref.ID}
		if err := s.audit(r, tx, auditEntry{Action: "contact.unlinked", Object: "contact", ID: itoa(c.ID), Details: details}); err != nil {
			return err
		}
		if !deleted {
			return nil
		}
		return s.audit(r, tx, auditEntry{Action: "contact.deleted", Object: "contact", ID: itoa(c.ID), Details: details})
	})
	if err != nil {
		return err
	}
	if deleted {
		s.flash(r, "Die Ansprechperson ist entfernt und gelöscht, weil sie mit keiner anderen Initiative verknüpft war.")
	} else {
		s.flash(r, "Die Ansprechperson ist aus dieser Initiative entfernt. Bei anderen Initiativen bleibt sie eingetragen.")
	}
	http.Redirect(w, r, paths.Initiative(ref.Slug, "kontakte"), http.StatusSeeOther)
	return nil
}

package server

import (
	"net/http"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Contact persons who belong to no initiative — speakers and moderators —
// created by the Service-Stelle with the same form and consent rules as an
// initiative's contacts (contacts_form.go).

const newStandaloneContactPath = "/verwaltung/kontakte/neu"

func (s *Server) standaloneContactView(r *http.Request, f components.Form) pages.ContactEditView {
	return pages.ContactEditView{Frame: s.frame(r, "Neue Ansprechperson"), Heading: "Neue Ansprechperson",
		Initiative: "Ohne Initiative, zum Beispiel für Programm und Workshops", Action: newStandaloneContactPath,
		Submit: "Ansprechperson anlegen", CancelHref: "/verwaltung/kontakte", Form: f, Standalone: true,
		Visibilities: visibilityOptions(f.Value("sichtbarkeit")), ConsentMethods: consentMethodOptions(f.Value("einwilligung_art")),
		Remove: components.NewForm()}
}

func (s *Server) newStandaloneContact(w http.ResponseWriter, r *http.Request) error {
	// No visibility is chosen beforehand (as for an initiative's contacts):
	// whoever enters a person decides who may see them.
	return s.render(w, r, pages.ContactEdit(s.standaloneContactView(r, components.NewForm())))
}

// createStandaloneContact stores a contact person linked to no initiative;
// programme items and workshops can then name them.
func (s *Server) createStandaloneContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	in, f, err := readContactForm(r, s.now())
	if err != nil {
		return err
	}
	if !f.OK() {
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ContactEdit(s.standaloneContactView(r, f)))
	}
	var id int64
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if id, err = tx.CreateContact(ctx, in.NewContact, s.now()); err != nil {
			return err
		}
		// "contact.created" like the initiatives' contacts, so the DSGVO
		// page names it the same way.
		return s.audit(r, tx, auditEntry{Action: "contact.created", Object: "contact", ID: itoa(id), Details: map[string]any{"visibility": in.Visibility}})
	})
	if err != nil {
		return err
	}
	s.flash(r, "Die Ansprechperson ist angelegt. Sie steht jetzt in der Auswahl für Programmpunkte und Workshops.")
	http.Redirect(w, r, paths.AdminContact(id), http.StatusSeeOther)
	return nil
}

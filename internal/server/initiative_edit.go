package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// emptyMemberRows is how many blank rows the form offers for new member
// organisations (the form works without JavaScript, so rows are fixed).
const emptyMemberRows = 3

// canEdit is the object check behind every profile edit: editors and admins
// edit all initiatives, members only those they are linked to, officials
// none (they read, they change nothing).
func (s *Server) canEdit(r *http.Request, initiativeID int64) (bool, error) {
	u := userFrom(r.Context())
	switch {
	case u == nil:
		return false, nil
	case u.Role == account.RoleEditor || u.Role == account.RoleAdmin:
		return true, nil
	case u.Role == account.RoleMember:
		return s.store.IsLinked(r.Context(), u.ID, initiativeID)
	}
	return false, nil
}

// editableFromSlug loads the initiative in the URL and checks the user may
// edit it.
func (s *Server) editableFromSlug(r *http.Request) (*store.EditableInitiative, error) {
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
	return s.store.EditableInitiative(r.Context(), ref.ID)
}

// refuseInitiative is the answer to a user who may not edit ref: 403 where
// the user may know it exists (it is published, or they may read drafts),
// otherwise 404 as for an unknown slug, so members cannot probe for
// unpublished initiatives.
func (s *Server) refuseInitiative(r *http.Request, ref *store.InitiativeRef) error {
	if ref.Status == initiative.StatusPublished {
		return errForbidden
	}
	ok, err := s.maySeeDraft(r, ref.ID)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	return errForbidden
}

func (s *Server) editInitiative(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableFromSlug(r)
	if err != nil {
		return err
	}
	voc, err := s.loadVocabularies(r.Context())
	if err != nil {
		return err
	}
	f := profileForm(e.Profile)
	f.Values["version"] = strconv.Itoa(e.Version)
	v, err := s.initiativeEditView(r, voc, f, editingLabels(e))
	if err != nil {
		return err
	}
	s.withReview(r, &v, e)
	v.ConfirmAction, v.Confirmed = paths.Initiative(e.Slug, "bestaetigen"), "noch nie"
	if e.ConfirmedAt != nil {
		v.Confirmed = formatTime(*e.ConfirmedAt)
	}
	return s.render(w, r, pages.InitiativeEdit(v))
}

// updateInitiative saves the profile unless someone saved in between: then
// 409 with both versions, and nothing the user typed is lost.
func (s *Server) updateInitiative(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableFromSlug(r)
	if err != nil {
		return err
	}
	voc, in, f, err := s.readProfileForm(r)
	if err != nil {
		return err
	}
	labels := editingLabels(e)
	if pickerRoundTrip(r.PostForm) || !f.OK() {
		return s.renderProfileForm(w, r, voc, f, labels, e)
	}
	version, _ := strconv.Atoi(f.Value("version"))
	p := profileFromInput(in)
	submit := r.PostForm.Get("aktion") == "einreichen" && s.mayResubmit(r, e)
	err = s.saveProfile(r, e, version, p, submit)
	if errors.Is(err, store.ErrConflict) {
		return s.renderConflict(w, r, voc, e, f, p, labels)
	}
	if err != nil {
		return err
	}
	if submit {
		s.notifyMail()
		s.flash(r, "Das Profil ist erneut zur Prüfung eingereicht. Die Service-Stelle ist benachrichtigt und meldet sich, sobald sie es geprüft hat.")
		http.Redirect(w, r, paths.Initiative(e.Slug, "bearbeiten"), http.StatusSeeOther)
		return nil
	}
	s.flash(r, "Das Profil ist gespeichert.")
	http.Redirect(w, r, paths.Initiative(e.Slug), http.StatusSeeOther)
	return nil
}

// withReview adds where the profile stands in the review to its form: the
// Service-Stelle's comment after a return, and for members of a draft the
// button that hands it in (again).
func (s *Server) withReview(r *http.Request, v *pages.InitiativeEditView, e *store.EditableInitiative) {
	v.Status, v.ReviewComment = e.Status, e.Comment
	if s.mayResubmit(r, e) {
		v.SubmitLabel = "Zur Prüfung einreichen"
		if e.Comment != "" {
			v.SubmitLabel = "Erneut zur Prüfung einreichen"
		}
	}
}

// mayResubmit reports whether the user hands e in for review from its
// form: members, for a draft (editors publish from the review page).
func (s *Server) mayResubmit(r *http.Request, e *store.EditableInitiative) bool {
	u := userFrom(r.Context())
	return u != nil && u.Role == account.RoleMember && e.Status == initiative.StatusDraft
}

// saveProfile saves p over version of e and, if submit, hands it in for
// review and tells the Service-Stelle, in one transaction. Submitting an
// unchanged profile makes no empty version; the status change alone is
// still tied to version (else store.ErrConflict).
func (s *Server) saveProfile(r *http.Request, e *store.EditableInitiative, version int, p store.InitiativeProfile, submit bool) error {
	ctx := r.Context()
	return s.store.InTx(ctx, func(tx *store.Store) error {
		if submit {
			// Written first: a version conflict below rolls it back.
			if err := s.tellServiceStelle(r, tx, p.Name, e.Slug, s.actor(r).Label, e.Comment != ""); err != nil {
				return err
			}
		}
		next := version
		if !submit || !sameProfile(e.Profile, p) {
			var err error
			if next, err = tx.UpdateInitiative(ctx, e.ID, version, p, s.actor(r), s.now()); err != nil {
				return err
			}
			if err := s.audit(r, tx, auditEntry{Action: "initiative.updated", Object: "initiative", ID: itoa(e.ID), Details: map[string]any{"version": next}}); err != nil {
				return err
			}
		}
		if !submit {
			return nil
		}
		if _, err := tx.SetInitiativeStatus(ctx, e.ID, next, initiative.StatusSubmitted, "", s.actor(r), s.now()); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "initiative.status_changed", Object: "initiative", ID: itoa(e.ID),
			Details: map[string]any{"from": e.Status, "to": initiative.StatusSubmitted}})
	})
}

// sameProfile reports whether two profiles hold the same content.
func sameProfile(a, b store.InitiativeProfile) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// renderProfileForm shows the posted form of e (nil for a new initiative)
// again: after the region search (200, nothing checked), or with its
// errors (422).
func (s *Server) renderProfileForm(w http.ResponseWriter, r *http.Request, voc vocabularies, f components.Form, l editLabels, e *store.EditableInitiative) error {
	v, err := s.initiativeEditView(r, voc, f, l)
	if err != nil {
		return err
	}
	if e != nil {
		s.withReview(r, &v, e)
	}
	status := http.StatusUnprocessableEntity
	if f.OK() {
		status = http.StatusOK
	}
	return s.renderStatus(w, r, status, pages.InitiativeEdit(v))
}

// renderConflict shows the saved version next to the user's, keeps the
// typed values, and moves the form to the saved version: saving again is
// a deliberate overwrite.
func (s *Server) renderConflict(w http.ResponseWriter, r *http.Request, voc vocabularies, e *store.EditableInitiative, f components.Form, yours store.InitiativeProfile, labels editLabels) error {
	saved, err := s.store.EditableInitiative(r.Context(), e.ID)
	if err != nil {
		return err
	}
	f.Values["version"] = strconv.Itoa(saved.Version)
	v, err := s.initiativeEditView(r, voc, f, labels)
	if err != nil {
		return err
	}
	s.withReview(r, &v, saved)
	v.Conflict, err = s.conflictView(r.Context(), "initiative", e.ID, "das Profil", saved.UpdatedAt,
		initiativeConflictRows(saved.Profile, yours, voc.names()))
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusConflict, pages.InitiativeEdit(v))
}

func (s *Server) newInitiative(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()).Role == account.RoleOfficial {
		return errForbidden
	}
	voc, err := s.loadVocabularies(r.Context())
	if err != nil {
		return err
	}
	v, err := s.initiativeEditView(r, voc, components.NewForm(), newLabels(userFrom(r.Context()).Role))
	if err != nil {
		return err
	}
	return s.render(w, r, pages.InitiativeEdit(v))
}

// createInitiative stores a proposal: a member's goes to review (and the
// member is linked to it), an editor's starts as a draft.
func (s *Server) createInitiative(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(ctx)
	if u.Role == account.RoleOfficial {
		return errForbidden
	}
	voc, in, f, err := s.readProfileForm(r)
	if err != nil {
		return err
	}
	labels := newLabels(u.Role)
	if pickerRoundTrip(r.PostForm) || !f.OK() {
		return s.renderProfileForm(w, r, voc, f, labels, nil)
	}
	status := initiative.StatusDraft
	if u.Role == account.RoleMember {
		status = initiative.StatusSubmitted
	}
	p := profileFromInput(in)
	var id int64
	var slug string
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, slug, err = createWithFreeSlug(r, tx, p, status, s.actor(r), s)
		if err != nil {
			return err
		}
		if u.Role == account.RoleMember {
			if err := tx.AddUserInitiative(ctx, u.ID, id); err != nil {
				return err
			}
			if err := s.tellServiceStelle(r, tx, p.Name, slug, u.Name, false); err != nil {
				return err
			}
		}
		return s.audit(r, tx, auditEntry{Action: "initiative.created", Object: "initiative", ID: itoa(id), Details: map[string]any{"status": status}})
	})
	if err != nil {
		return err
	}
	if status == initiative.StatusSubmitted {
		s.notifyMail()
		s.flash(r, "Vielen Dank! Die Initiative ist zur Prüfung eingereicht. Die Service-Stelle meldet sich, sobald sie veröffentlicht ist.")
	} else {
		s.flash(r, "Der Entwurf ist angelegt.")
	}
	http.Redirect(w, r, paths.Initiative(slug, "bearbeiten"), http.StatusSeeOther)
	return nil
}

// createWithFreeSlug inserts under the name's slug, or the first free one
// of slug-2, slug-3 …; the unique index decides, not a prior check.
func createWithFreeSlug(r *http.Request, tx *store.Store, p store.InitiativeProfile, status string, by store.Actor, s *Server) (int64, string, error) {
	base := initiative.Slugify(p.Name)
	for n := 1; n <= 50; n++ {
		slug := base
		if n > 1 {
			slug = base + "-" + strconv.Itoa(n)
		}
		var id int64
		err := tx.InTx(r.Context(), func(sp *store.Store) error { // a savepoint: a taken slug must not abort the transaction
			var err error
			id, err = sp.CreateInitiative(r.Context(), slug, status, p, by, s.now())
			return err
		})
		if errors.Is(err, store.ErrSlugTaken) {
			continue
		}
		return id, slug, err
	}
	return 0, "", errors.New("no free slug for " + base)
}

// actor names the signed-in user for revisions.
func (s *Server) actor(r *http.Request) store.Actor {
	u := userFrom(r.Context())
	if u == nil {
		return store.Actor{Label: "System"}
	}
	return store.Actor{ID: &u.ID, Label: u.Name}
}

// readProfileForm reads and validates the posted profile against the
// vocabularies, which it returns for the page.
func (s *Server) readProfileForm(r *http.Request) (vocabularies, initiative.Input, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return vocabularies{}, initiative.Input{}, components.Form{}, err
	}
	voc, err := s.loadVocabularies(r.Context())
	if err != nil {
		return voc, initiative.Input{}, components.Form{}, err
	}
	f := pages.InitiativeFormFields.Read(r.PostForm)
	expandLands(&f, r.PostForm["kreise_land"], voc.districts)
	if pickerRoundTrip(r.PostForm) {
		f.Values["version"] = r.PostForm.Get("version")
		return voc, initiative.Input{}, f, nil // only the region search: nothing checked
	}
	var in initiative.Input
	components.Decode(f, &in)
	in.Website = strings.TrimSpace(in.Website)
	f.Values["website"] = in.Website
	f.Values["version"] = r.PostForm.Get("version")
	failAll(&f, initiative.Validate(in, voc.sets(), s.now().In(berlin).Year()), pages.InitiativeFormFields.Names())
	return voc, in, f, nil
}

package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"rii/internal/store"
	"rii/web/pages"
	"rii/web/paths"
)

// confirmView shows the one-click confirmation behind a link.
func (s *Server) showConfirmation(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	ini, err := s.store.ConfirmationInitiative(r.Context(), hashToken(token), s.now())
	if errors.Is(err, store.ErrTokenInvalid) {
		return s.linkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	linkPageHeaders(w)
	return s.render(w, r, pages.Confirm(pages.ConfirmView{Frame: s.frame(r, "Profil bestätigen"), Name: ini.Name,
		ProfileHref: paths.Initiative(ini.Slug), EditHref: paths.Initiative(ini.Slug, "bearbeiten"), Action: paths.Confirm(token)}))
}

// createConfirmation confirms the profile; the link is spent in the same
// transaction.
func (s *Server) createConfirmation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	linkPageHeaders(w)
	hash := hashToken(chi.URLParam(r, "token"))
	ini, err := s.store.ConfirmationInitiative(ctx, hash, s.now())
	if errors.Is(err, store.ErrTokenInvalid) {
		return s.linkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, uid, err := tx.UseConfirmationToken(ctx, hash, s.now())
		if err != nil {
			return err
		}
		if err := tx.ConfirmInitiative(ctx, id, s.now()); err != nil {
			return err
		}
		var actor *store.User
		if uid != nil {
			if actor, err = tx.UserByID(ctx, *uid); err != nil {
				return err
			}
		}
		return s.audit(r, tx, actor, "initiative.confirmed", "initiative", itoa(id), map[string]any{"via": "link"})
	})
	if errors.Is(err, store.ErrTokenInvalid) {
		return s.linkInvalid(w, r)
	}
	if err != nil {
		return err
	}
	return s.render(w, r, pages.Confirm(pages.ConfirmView{Frame: s.frame(r, "Profil bestätigt"), Name: ini.Name,
		ProfileHref: paths.Initiative(ini.Slug), Done: true}))
}

// confirmInitiative lets whoever may edit a profile confirm it is current.
func (s *Server) confirmInitiative(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.editableFromSlug(r)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := tx.ConfirmInitiative(ctx, e.ID, s.now()); err != nil {
			return err
		}
		return s.audit(r, tx, nil, "initiative.confirmed", "initiative", itoa(e.ID), nil)
	})
	if err != nil {
		return err
	}
	s.flash(r, "Danke! Das Profil ist als aktuell bestätigt.")
	http.Redirect(w, r, paths.Initiative(e.Slug, "bearbeiten"), http.StatusSeeOther)
	return nil
}

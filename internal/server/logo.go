package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"rii/internal/input"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// checkAlt validates the alternative text of a picture; "" means fine.
func checkAlt(alt string) string {
	n := utf8.RuneCountInString(alt)
	switch {
	case !utf8.ValidString(alt) || input.HasControl(alt, false):
		return "Der Alternativtext enthält ungültige Zeichen."
	case strings.TrimSpace(alt) == "":
		return "Bitte beschreiben Sie das Logo mit einem Alternativtext, zum Beispiel „Logo der Initiative“ und ihr Name."
	case n > maxAltRunes:
		return "Der Alternativtext darf höchstens 300 Zeichen lang sein (jetzt " + strconv.Itoa(n) + ")."
	}
	return ""
}

// editLogo shows the current logo and the upload form.
func (s *Server) editLogo(w http.ResponseWriter, r *http.Request) error {
	e, err := s.editableFromSlug(r)
	if err != nil {
		return err
	}
	cur, err := s.store.InitiativeLogo(r.Context(), e.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	f := components.NewForm()
	if cur != nil {
		f.Values["alt"] = cur.Alt
	}
	return s.render(w, r, pages.Logo(s.logoView(r, e, cur, f)))
}

// updateLogo stores an uploaded logo: the file and its alternative text
// checked, the picture re-encoded, the old logo deleted, all audited.
func (s *Server) updateLogo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.editableFromSlug(r)
	if err != nil {
		return err
	}
	up, err := readUpload(r, "datei", maxLogoBytes)
	if err != nil {
		return err
	}
	f := components.NewForm()
	f.Values["alt"] = up.Fields["alt"]
	img, msg := processLogo(up.File)
	if up.TooLarge {
		msg = "Die Datei ist größer als 2 MB. Bitte wählen Sie eine kleinere Datei."
	}
	if msg != "" {
		f.Fail("datei", msg)
	}
	if msg := checkAlt(up.Fields["alt"]); msg != "" {
		f.Fail("alt", msg)
	}
	if !f.OK() {
		cur, err := s.store.InitiativeLogo(ctx, e.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Logo(s.logoView(r, e, cur, f)))
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, old, err := tx.SetInitiativeLogo(ctx, e.ID, store.NewImage{ContentType: img.contentType, Data: img.data,
			Width: img.width, Height: img.height, Alt: strings.TrimSpace(up.Fields["alt"])}, s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, nil, "initiative.logo_updated", "initiative", itoa(e.ID), map[string]any{
			"image": id, "replaced": old, "type": img.contentType, "width": img.width, "height": img.height, "bytes": len(img.data)})
	})
	if err != nil {
		return err
	}
	s.flash(r, "Das Logo ist gespeichert.")
	http.Redirect(w, r, paths.Initiative(e.Slug, "logo"), http.StatusSeeOther)
	return nil
}

// deleteLogo removes the logo, if there is one.
func (s *Server) deleteLogo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.editableFromSlug(r)
	if err != nil {
		return err
	}
	var old int64
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if old, err = tx.RemoveInitiativeLogo(ctx, e.ID, s.now()); err != nil || old == 0 {
			return err
		}
		return s.audit(r, tx, nil, "initiative.logo_removed", "initiative", itoa(e.ID), map[string]any{"image": old})
	})
	if err != nil {
		return err
	}
	if old == 0 {
		s.flash(r, "Für diese Initiative ist kein Logo hinterlegt.")
	} else {
		s.flash(r, "Das Logo ist entfernt.")
	}
	http.Redirect(w, r, paths.Initiative(e.Slug, "logo"), http.StatusSeeOther)
	return nil
}

// logoView builds the logo page.
func (s *Server) logoView(r *http.Request, e *store.EditableInitiative, cur *store.ImageInfo, f components.Form) pages.LogoView {
	base := paths.Initiative(e.Slug)
	v := pages.LogoView{Frame: s.frame(r, "Logo: "+e.Profile.Name), Name: e.Profile.Name, ProfileHref: base,
		EditHref: base + "/bearbeiten", Action: base + "/logo", RemoveAction: base + "/logo/entfernen", Form: f}
	if cur != nil {
		w, h := cur.Width, cur.Height
		if w > 300 || h > 300 { // shown at most 300 pixels on the long side
			w, h = max(1, w*300/max(w, h)), max(1, h*300/max(w, h))
		}
		v.Current = &pages.LogoPicture{Src: paths.Image(cur.ID), Alt: cur.Alt, Width: w, Height: h}
	}
	return v
}

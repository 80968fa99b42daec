package server

import (
	"net/http"
	"strings"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/pages"
)

// createReportImage stores a picture for the report with its required
// alternative text, checked and re-encoded like a logo, and hands back the
// Markdown line that shows it. Without alt text nothing is saved.
func (s *Server) createReportImage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, rep, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	up, err := readUpload(r, "datei", maxLogoBytes)
	if err != nil {
		return err
	}
	alt := strings.TrimSpace(up.Fields["alt"])
	v, err := s.reportEditView(r, ev, rep, reportFormOf(rep, ev))
	if err != nil {
		return err
	}
	v.ImageForm.Values["alt"] = up.Fields["alt"]
	img, msg := processLogo(up.File)
	switch {
	case rep == nil:
		msg = "Bitte speichern Sie den Bericht zuerst; dann können Sie Bilder hochladen."
	case up.TooLarge:
		msg = "Die Datei ist größer als 2 MB. Bitte wählen Sie eine kleinere Datei."
	}
	if msg != "" {
		v.ImageForm.Fail("datei", msg)
	}
	if alt == "" {
		v.ImageForm.Fail("alt", "Bitte beschreiben Sie das Bild mit einem Alternativtext: Was zeigt es, für Menschen, die es nicht sehen? Zum Beispiel „Podium der Auftaktveranstaltung mit vier Personen“.")
	} else if msg := checkAlt(up.Fields["alt"]); msg != "" {
		v.ImageForm.Fail("alt", msg)
	}
	if !v.ImageForm.OK() {
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ReportEdit(v))
	}
	var id int64
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, err = tx.AddReportImage(ctx, rep.ID, store.NewImage{ContentType: img.contentType, Data: img.data,
			Width: img.width, Height: img.height, Alt: alt}, s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, nil, "report.image", "report", itoa(rep.ID), map[string]any{"image": id,
			"type": img.contentType, "width": img.width, "height": img.height, "bytes": len(img.data)})
	})
	if err != nil {
		return err
	}
	s.flash(r, "Das Bild ist gespeichert. Fügen Sie es mit dieser Zeile in den Text ein: "+imageSnippet(id, alt))
	http.Redirect(w, r, reportBase(ev)+"#bilder", http.StatusSeeOther)
	return nil
}

// showReportImage serves a report's picture: to everyone once its report
// is public, before that only to the Service-Stelle and officials (others
// get 404, so an id reveals nothing).
func (s *Server) showReportImage(w http.ResponseWriter, r *http.Request, id int64) error {
	img, public, err := s.store.ReportImage(r.Context(), id)
	if err != nil {
		return err
	}
	cache := publicImageCache
	if !public {
		u := userFrom(r.Context())
		if u == nil || u.Role == account.RoleMember {
			return errNotFound
		}
		cache = privateImageCache
	}
	writeImage(w, r, img, cache)
	return nil
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// showImportTemplate serves the example file.
func (s *Server) showImportTemplate(w http.ResponseWriter, r *http.Request) error {
	body, err := importTemplate()
	if err != nil {
		return err
	}
	return sendCSV(w, "initiativen-vorlage.csv", body)
}

// importID reads the {id} of an import URL.
func importID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, errNotFound
	}
	return id, nil
}

// importFormView builds the upload page from the vocabularies.
func (s *Server) importFormView(r *http.Request, f components.Form) (pages.ImportFormView, error) {
	v, err := s.loadVocabularies(r.Context())
	if err != nil {
		return pages.ImportFormView{}, err
	}
	ds := v.districts
	view := pages.ImportFormView{Frame: s.frame(r, "Initiativen importieren"), Form: f,
		TemplateHref: "/verwaltung/initiativen/import/vorlage.csv"}
	for _, c := range importColumns {
		view.Columns = append(view.Columns, pages.ImportColumn{Key: c.key, Content: c.content, Example: c.example, Required: c.required})
	}
	districts := make([]store.Term, 0, len(ds))
	for _, d := range ds {
		districts = append(districts, store.Term{Slug: d.AGS, Name: d.DisplayName + " (" + d.StateName + ")"})
	}
	for _, l := range []struct {
		col, label string
		terms      []store.Term
	}{{"rechtsform", "Rechtsformen", v.LegalForms}, {"themen", "Zukunftsthemen", v.Topics}, {"branchen", "Branchen", v.Sectors},
		{"zielgruppen", "Zielgruppen", v.TargetGroups}, {"formate", "Formate", v.Formats}, {"kreise", "Kreise und kreisfreie Städte", districts}} {
		voc := pages.ImportVocabulary{ID: "werte-" + l.col, Label: l.label, Column: l.col}
		for _, t := range l.terms {
			voc.Terms = append(voc.Terms, pages.ImportTerm{Key: t.Slug, Name: t.Name})
		}
		view.Vocabularies = append(view.Vocabularies, voc)
	}
	return view, nil
}

// newImport shows the upload form.
func (s *Server) newImport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.importFormView(r, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.ImportForm(v))
}

// createImport checks an uploaded file and keeps it for the preview; a
// file that cannot be read as a whole is refused on the form (422).
func (s *Server) createImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	up, err := readUpload(r, "datei", maxImportBytes)
	if err != nil {
		return err
	}
	var recs []importRecord
	msg := ""
	switch {
	case up.TooLarge:
		msg = "Die Datei ist größer als 2 MB. Bitte teilen Sie sie auf mehrere Dateien auf."
	case len(up.File) == 0 && up.Filename == "":
		msg = "Bitte wählen Sie eine CSV-Datei aus."
	default:
		recs, msg = parseImportFile(up.File)
	}
	if msg != "" {
		f := components.NewForm()
		f.Fail("datei", msg)
		v, err := s.importFormView(r, f)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ImportForm(v))
	}
	voc, err := s.loadVocabularies(ctx)
	if err != nil {
		return err
	}
	bases, names := importKeys(recs)
	existing, err := s.store.InitiativesLike(ctx, bases, names)
	if err != nil {
		return err
	}
	rows := checkImportRows(recs, newImportLookup(voc.Vocabularies, voc.districts), existing, s.now().In(berlin).Year())
	id, err := s.store.CreateImport(ctx, store.NewImport{CreatedBy: userFrom(ctx).ID, Filename: up.Filename, Rows: rows,
		Now: s.now(), Expires: s.now().Add(importLifetime)})
	if err != nil {
		return err
	}
	http.Redirect(w, r, paths.Import(id), http.StatusSeeOther)
	return nil
}

// showImport shows an import's preview, or once imported, its report.
func (s *Server) showImport(w http.ResponseWriter, r *http.Request) error {
	id, err := importID(r)
	if err != nil {
		return err
	}
	im, err := s.store.Import(r.Context(), id, s.now())
	if err != nil {
		return err
	}
	if im.ImportedAt != nil {
		return s.render(w, r, pages.ImportReport(s.importReportView(r, im)))
	}
	return s.render(w, r, pages.ImportPreview(s.importPreviewView(r, im, "")))
}

// updateImport creates every row of a checked file in one transaction, or
// none: a file with errors is refused, and a slug taken since the preview
// rolls everything back.
func (s *Server) updateImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := importID(r)
	if err != nil {
		return err
	}
	var im *store.Import
	var created []store.ImportedInitiative
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if im, err = tx.LockImport(ctx, id, s.now()); err != nil || im.ImportedAt != nil || im.Invalid > 0 {
			return err
		}
		list := make([]store.NewInitiative, len(im.Rows))
		for i, row := range im.Rows {
			list[i] = store.NewInitiative{Slug: row.Slug, Status: row.Status, Profile: *row.Profile}
		}
		if created, err = tx.CreateInitiatives(ctx, list, s.actor(r), s.now()); err != nil {
			return err
		}
		if err := tx.FinishImport(ctx, id, userFrom(ctx).ID, created, s.now()); err != nil {
			return err
		}
		drafts, live := countStatuses(created)
		return s.audit(r, tx, auditEntry{Action: "initiative.imported", Object: "import", ID: itoa(id), Details: map[string]any{
			"file": im.Filename, "created": len(created), "drafts": drafts, "published": live}})
	})
	var taken *store.SlugsTakenError
	switch {
	case errors.As(err, &taken):
		problem := "Seit der Vorschau wurden Initiativen unter diesen Adressen angelegt: /initiativen/" +
			strings.Join(taken.Slugs, ", /initiativen/") + ". Bitte laden Sie die Datei erneut hoch; die Vorschau vergibt dann freie Adressen."
		return s.renderStatus(w, r, http.StatusConflict, pages.ImportPreview(s.importPreviewView(r, im, problem)))
	case err != nil:
		return err
	case im.Invalid > 0:
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ImportPreview(s.importPreviewView(r, im,
			"Die Datei enthält Fehler. Importiert wird nur eine fehlerfreie Datei.")))
	case im.ImportedAt != nil:
		s.flash(r, "Diese Datei ist bereits importiert.")
	default:
		s.flash(r, strconv.Itoa(len(created))+" Initiativen sind importiert.")
	}
	http.Redirect(w, r, paths.Import(id), http.StatusSeeOther)
	return nil
}

// countStatuses counts drafts and published initiatives.
func countStatuses(list []store.ImportedInitiative) (drafts, live int) {
	for _, c := range list {
		if c.Status == initiative.StatusPublished {
			live++
		} else {
			drafts++
		}
	}
	return drafts, live
}

// importPreviewView builds the preview; problem explains a refused
// confirmation, and hides the confirm form.
func (s *Server) importPreviewView(r *http.Request, im *store.Import, problem string) pages.ImportPreviewView {
	v := pages.ImportPreviewView{Frame: s.frame(r, "Vorschau des Imports"), Filename: im.Filename,
		Uploaded: formatTime(im.CreatedAt), Total: len(im.Rows), Invalid: im.Invalid, Problem: problem}
	v.Valid = v.Total - v.Invalid
	if im.Invalid == 0 && problem == "" {
		v.Action = paths.Import(im.ID)
	}
	v.Rows = make([]pages.ImportPreviewRow, 0, len(im.Rows))
	for _, row := range im.Rows {
		pr := pages.ImportPreviewRow{Line: strconv.Itoa(row.Line), Anchor: "zeile-" + strconv.Itoa(row.Line), Name: row.Name}
		if row.Slug != "" {
			pr.Path, pr.Status = paths.Initiative(row.Slug), initiative.StatusLabel(row.Status)
			if row.Status == initiative.StatusPublished {
				v.Live++
			} else {
				v.Drafts++
			}
		}
		for _, e := range row.Errors {
			pr.Errors = append(pr.Errors, pages.ImportRowError{Column: columnLabel(e.Field), Message: e.Message})
		}
		v.Rows = append(v.Rows, pr)
	}
	return v
}

// importReportView lists what an import created, with links.
func (s *Server) importReportView(r *http.Request, im *store.Import) pages.ImportReportView {
	v := pages.ImportReportView{Frame: s.frame(r, "Import abgeschlossen"), Filename: im.Filename,
		ImportedAt: formatTime(*im.ImportedAt)}
	v.Drafts, v.Live = countStatuses(im.Result)
	for _, c := range im.Result {
		v.Rows = append(v.Rows, pages.ImportReportRow{Name: c.Name, Href: paths.Initiative(c.Slug),
			EditHref: paths.Initiative(c.Slug, "bearbeiten"), Status: initiative.StatusLabel(c.Status)})
	}
	return v
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"rii/internal/event"
	"rii/internal/report"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// reportTarget loads the event of a /verwaltung/veranstaltungen/{eventID}/bericht
// URL and its report, nil while it has none.
func (s *Server) reportTarget(r *http.Request) (*store.Event, *store.Report, error) {
	ev, err := s.adminEvent(r)
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.store.ReportOfEvent(r.Context(), ev.ID)
	if errors.Is(err, store.ErrNotFound) {
		return ev, nil, nil
	}
	return ev, rep, err
}

// storedReport is reportTarget for the pages about an existing report:
// while the event has none, they are not found.
func (s *Server) storedReport(r *http.Request) (*store.Event, *store.Report, error) {
	ev, rep, err := s.reportTarget(r)
	if err != nil {
		return nil, nil, err
	}
	if rep == nil {
		return nil, nil, errNotFound
	}
	return ev, rep, nil
}

// reportBase is the editor's URL for an event's report.
func reportBase(ev *store.Event) string { return paths.AdminEvent(ev.ID, "bericht") }

// editReport shows the report form; for an event without a report, a new
// one titled like the event.
func (s *Server) editReport(w http.ResponseWriter, r *http.Request) error {
	ev, rep, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	v, err := s.reportEditView(r, ev, rep, reportFormOf(rep, ev))
	if err != nil {
		return err
	}
	return s.render(w, r, pages.ReportEdit(v))
}

// updateReport previews the typed report (button "Vorschau": nothing is
// saved) or saves it (button "Speichern"): created as a draft if the event
// has none, otherwise updated unless someone saved in between (409).
func (s *Server) updateReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, rep, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	fields, f, err := s.readReportForm(r)
	if err != nil {
		return err
	}
	if preview := r.PostForm.Get("aktion") == "vorschau"; preview || !f.OK() {
		v, err := s.reportEditView(r, ev, rep, f)
		if err != nil {
			return err
		}
		status := http.StatusUnprocessableEntity
		if preview {
			v.Preview = reportPreview(fields)
			status = previewStatus(f)
		}
		return s.renderStatus(w, r, status, pages.ReportEdit(v))
	}
	version, _ := strconv.Atoi(f.Value("version"))
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if rep == nil {
			id, err := tx.CreateReport(ctx, ev.ID, event.ReportDraft, fields, s.actor(r), s.now())
			if err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "report.create", Object: "report", ID: itoa(id), Details: map[string]any{"event": ev.ID}})
		}
		next, err := tx.UpdateReport(ctx, rep.ID, version, fields, s.actor(r), s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "report.update", Object: "report", ID: itoa(rep.ID), Details: map[string]any{"event": ev.ID, "version": next}})
	})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrReportExists) {
		return s.renderReportConflict(w, r, ev, f, fields)
	}
	if err != nil {
		return err
	}
	if fields.ContactID != nil {
		if err := s.warnHidden(r, *fields.ContactID); err != nil {
			return err
		}
	}
	s.flash(r, "Der Bericht ist gespeichert.")
	http.Redirect(w, r, reportBase(ev), http.StatusSeeOther)
	return nil
}

// previewStatus is 200 for a preview of a valid form, else 422.
func previewStatus(f components.Form) int {
	if f.OK() {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// renderReportConflict shows what the other person saved next to the typed
// text, keeps every typed value and moves the form to the saved version:
// saving again is a deliberate overwrite.
func (s *Server) renderReportConflict(w http.ResponseWriter, r *http.Request, ev *store.Event, f components.Form, yours store.ReportFields) error {
	saved, err := s.store.ReportOfEvent(r.Context(), ev.ID)
	if err != nil {
		return err
	}
	f.Values["version"] = strconv.Itoa(saved.Version)
	v, err := s.reportEditView(r, ev, saved, f)
	if err != nil {
		return err
	}
	v.Conflict, err = s.conflictView(r.Context(), "report", saved.ID, "den Bericht", saved.UpdatedAt,
		reportConflictRows(saved.ReportFields, yours, contactNames(v.Contacts)))
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusConflict, pages.ReportEdit(v))
}

// readReportForm reads and validates the posted report.
func (s *Server) readReportForm(r *http.Request) (store.ReportFields, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return store.ReportFields{}, components.Form{}, err
	}
	f := pages.ReportFormFields.Read(r.PostForm)
	f.Values["version"] = r.PostForm.Get("version")
	var in report.Input
	components.Decode(f, &in)
	errs := report.Validate(in)
	fields := store.ReportFields{Kicker: strings.TrimSpace(in.Kicker), Title: strings.TrimSpace(in.Title),
		Subtitle: strings.TrimSpace(in.Subtitle), Body: strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n")),
		ContactRole: strings.TrimSpace(in.ContactRole), SampleNote: strings.TrimSpace(strings.ReplaceAll(in.SampleNote, "\r\n", "\n"))}
	if c := strings.TrimSpace(in.Contact); c != "" {
		id, perr := strconv.ParseInt(c, 10, 64)
		found := false
		if perr == nil && id > 0 {
			_, err := s.store.ContactByID(r.Context(), id)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return fields, f, err
			}
			found = err == nil
		}
		if found {
			fields.ContactID = &id
		} else {
			errs[report.FieldContact] = "Bitte wählen Sie eine Ansprechperson aus der Liste."
		}
	}
	failAll(&f, errs, pages.ReportFormFields.Names())
	return fields, f, nil
}

// reportFormOf is the report form as stored (or new, titled like the event).
func reportFormOf(rep *store.Report, ev *store.Event) components.Form {
	if rep == nil {
		return components.Encode(report.Input{Title: ev.Title})
	}
	f := reportForm(rep.ReportFields)
	f.Values["version"] = itoa(int64(rep.Version))
	return f
}

// reportForm fills the form from a stored report, as if it had been typed.
func reportForm(rf store.ReportFields) components.Form {
	in := report.Input{Kicker: rf.Kicker, Title: rf.Title, Subtitle: rf.Subtitle, Body: rf.Body,
		ContactRole: rf.ContactRole, SampleNote: rf.SampleNote}
	if rf.ContactID != nil {
		in.Contact = itoa(*rf.ContactID)
	}
	return components.Encode(in)
}

// reportPreview renders the typed report as the public page would.
func reportPreview(f store.ReportFields) *pages.ReportPreview {
	return &pages.ReportPreview{Kicker: f.Kicker, Title: f.Title, Subtitle: f.Subtitle, Body: report.Render(f.Body),
		SampleNote: f.SampleNote}
}

// reportEditView builds the editor page around the report form.
func (s *Server) reportEditView(r *http.Request, ev *store.Event, rep *store.Report, f components.Form) (pages.ReportEditView, error) {
	opts, err := s.store.ContactOptions(r.Context())
	if err != nil {
		return pages.ReportEditView{}, err
	}
	base := reportBase(ev)
	v := pages.ReportEditView{Frame: s.frame(r, "Bericht: "+ev.Title), EventTitle: ev.Title,
		EventDate: germanDay(ev.StartsAt), Action: base, StatusAction: base + "/status", ImageAction: base + "/bilder",
		HistoryHref: base + "/verlauf", EventAdminHref: paths.AdminEvent(ev.ID),
		Status: "noch nicht angelegt", Form: f, ImageForm: components.NewForm(), StatusForm: components.NewForm()}
	v.Contacts = append(v.Contacts, components.Option{Value: "", Label: "– keine Ansprechperson –", Selected: f.Value(report.FieldContact) == ""})
	for _, c := range opts {
		v.Contacts = append(v.Contacts, contactPickerOption(c, f.Value(report.FieldContact) == itoa(c.ID)))
	}
	if rep == nil {
		return v, nil
	}
	v.Exists, v.Version = true, strconv.Itoa(rep.Version)
	v.Status = reportStatusLabel(rep.Status)
	if rep.Status == event.ReportPublished && event.Public(ev.Status) {
		v.PublicHref = paths.Report(ev.Slug)
	} else {
		v.PreviewHref = paths.Report(ev.Slug)
	}
	v.StatusActions = []pages.StatusAction{{Value: "veroeffentlichen", Label: "Bericht veröffentlichen …", Primary: true}}
	if rep.Status == event.ReportPublished {
		v.StatusActions = []pages.StatusAction{{Value: "zurueckziehen", Label: "Zurück in den Entwurf"}}
	}
	imgs, err := s.store.ReportImages(r.Context(), rep.ID)
	if err != nil {
		return v, err
	}
	for _, im := range imgs {
		v.Images = append(v.Images, pages.ReportImageRow{Src: paths.Image(im.ID), Alt: im.Alt, Snippet: imageSnippet(im.ID, im.Alt)})
	}
	return v, nil
}

// imageSnippet is the Markdown line that shows a stored picture.
func imageSnippet(id int64, alt string) string {
	alt = strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(alt)
	return "![" + alt + "](/bilder/" + itoa(id) + ")"
}

// reportStatusLabel is the German name of a report status.
func reportStatusLabel(status string) string {
	if status == event.ReportPublished {
		return "veröffentlicht"
	}
	return "Entwurf"
}

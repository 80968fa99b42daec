package server

import (
	"errors"
	"net/http"
	"sort"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// updateReportStatus publishes a report or takes it back to draft. A report
// is published only when its event is public.
func (s *Server) updateReportStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, rep, err := s.storedReport(r)
	if err != nil {
		return err
	}
	action, version := r.PostFormValue("aktion"), r.PostFormValue("version")
	to := map[string]string{"veroeffentlichen": event.ReportPublished, "zurueckziehen": event.ReportDraft}[action]
	if to == event.ReportPublished && rep.Status != to {
		if done, err := s.confirmedReportPublish(w, r, ev, rep); done || err != nil {
			return err
		}
	}
	sf := components.NewForm()
	switch {
	case to == "" || to == rep.Status:
		sf.Fail("status", "Diese Aktion ist im aktuellen Status nicht möglich.")
	case to == event.ReportPublished && !event.Public(ev.Status):
		sf.Fail("status", reportNeedsEvent)
	}
	n, _ := strconv.Atoi(version)
	conflict := false
	if sf.OK() {
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			next, err := tx.SetReportStatus(ctx, rep.ID, n, to, s.now())
			if err != nil {
				return err
			}
			if err := tx.RecordReportStatus(ctx, rep.ID, next, rep.Status, to, s.actor(r), s.now()); err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "report.status", Object: "report", ID: itoa(rep.ID), Details: map[string]any{"from": rep.Status, "to": to, "version": next,
				"before_event_end": to == event.ReportPublished && ev.EndsAt.After(s.now())}})
		})
		if conflict = errors.Is(err, store.ErrConflict); conflict {
			sf.Fail("status", "Der Bericht wurde inzwischen geändert. Bitte prüfen Sie den aktuellen Stand und wählen Sie die Aktion erneut.")
		} else if err != nil {
			return err
		}
	}
	if !sf.OK() {
		v, err := s.reportEditView(r, ev, rep, reportFormOf(rep, ev))
		if err != nil {
			return err
		}
		v.StatusForm = sf
		status := http.StatusUnprocessableEntity
		if conflict {
			status = http.StatusConflict
		}
		return s.renderStatus(w, r, status, pages.ReportEdit(v))
	}
	s.flash(r, reportStatusMessage(to))
	http.Redirect(w, r, reportBase(ev), http.StatusSeeOther)
	return nil
}

// reportStatusMessage is the flash after a status change.
func reportStatusMessage(to string) string {
	if to == event.ReportDraft {
		return "Der Bericht ist zurück im Entwurf und nicht mehr öffentlich."
	}
	return "Der Bericht ist veröffentlicht."
}

// showReportHistory lists the report's versions with what changed.
func (s *Server) showReportHistory(w http.ResponseWriter, r *http.Request) error {
	ev, rep, err := s.storedReport(r)
	if err != nil {
		return err
	}
	revs, err := s.store.ReportRevisions(r.Context(), rep.ID)
	if err != nil {
		return err
	}
	opts, err := s.store.ContactOptions(r.Context())
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, c := range opts {
		names[itoa(c.ID)] = c.Name
	}
	role := userFrom(r.Context()).Role
	canRestore := role == account.RoleEditor || role == account.RoleAdmin
	base := reportBase(ev)
	v := pages.ReportHistoryView{Frame: s.frame(r, "Verlauf des Berichts: "+ev.Title), Title: rep.Title,
		EventTitle: ev.Title, Status: reportStatusLabel(rep.Status), EditHref: base}
	for _, rev := range revs {
		row := pages.RevisionRow{Version: rev.Version, At: formatTime(rev.At), Actor: rev.Actor, Current: rev.Version == rep.Version}
		_, statusOnly := rev.Changes["status"]
		if canRestore && !row.Current && !statusOnly {
			row.RestoreHref = paths.AdminEvent(ev.ID, "bericht", "verlauf", strconv.Itoa(rev.Version))
		}
		keys := make([]string, 0, len(rev.Changes))
		for k := range rev.Changes {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return reportFieldOrder[keys[i]] < reportFieldOrder[keys[j]] })
		for _, k := range keys {
			c := rev.Changes[k]
			row.Changes = append(row.Changes, pages.ConflictField{Label: reportFieldLabels[k],
				Saved: reportValue(k, c.From, names), Yours: reportValue(k, c.To, names)})
		}
		v.Revisions = append(v.Revisions, row)
	}
	return s.render(w, r, pages.ReportHistory(v))
}

// restoreReportRevision saves an earlier version's text as the newest one.
func (s *Server) restoreReportRevision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ev, rep, err := s.storedReport(r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(chi.URLParam(r, "version"))
	if err != nil {
		return errNotFound
	}
	old, err := s.store.ReportRevisionFields(ctx, rep.ID, version)
	if err != nil {
		return err
	}
	if old.ContactID != nil { // the person may have been erased since
		if _, err := s.store.ContactByID(ctx, *old.ContactID); errors.Is(err, store.ErrNotFound) {
			old.ContactID = nil
		} else if err != nil {
			return err
		}
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		next, err := tx.UpdateReport(ctx, rep.ID, rep.Version, *old, s.actor(r), s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "report.restore", Object: "report", ID: itoa(rep.ID), Details: map[string]any{"from_version": version, "version": next}})
	})
	switch {
	case errors.Is(err, store.ErrConflict):
		s.flash(r, "Der Bericht wurde gerade geändert. Bitte prüfen Sie den Verlauf und stellen Sie die Version erneut her.")
	case err != nil:
		return err
	default:
		s.flash(r, "Version "+strconv.Itoa(version)+" ist wiederhergestellt (als neue Version).")
	}
	http.Redirect(w, r, reportBase(ev)+"/verlauf", http.StatusSeeOther)
	return nil
}

// reportFieldLabels name the fields of a report in the history.
var reportFieldLabels = map[string]string{"status": "Status", "kicker": "Dachzeile", "title": "Titel", "subtitle": "Untertitel",
	"body": "Text", "contact_id": "Ansprechperson", "contact_role": "Rolle der Ansprechperson", "sample_note": "Hinweis auf Beispieldaten"}

// reportFieldOrder is the order of the fields on the form.
var reportFieldOrder = map[string]int{"status": 0, "kicker": 1, "title": 2, "subtitle": 3, "body": 4, "contact_id": 5, "contact_role": 6, "sample_note": 7}

// reportValue shows a stored value of a report field.
func reportValue(field string, v any, names map[string]string) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case float64:
		id := strconv.FormatInt(int64(x), 10)
		if n, ok := names[id]; ok && field == "contact_id" {
			return n
		}
		return id
	case string:
		if x == "" {
			return "–"
		}
		if field == "status" {
			return reportStatusLabel(x)
		}
		return x
	}
	return "–"
}

// reportConflictRows shows the saved and the typed version side by side.
func reportConflictRows(saved, yours store.ReportFields, names map[string]string) []pages.ConflictField {
	contact := func(id *int64) string {
		if id == nil {
			return "–"
		}
		return reportValue("contact_id", float64(*id), names)
	}
	rows := []pages.ConflictField{
		{Label: "Dachzeile", Saved: saved.Kicker, Yours: yours.Kicker},
		{Label: "Titel", Saved: saved.Title, Yours: yours.Title},
		{Label: "Untertitel", Saved: saved.Subtitle, Yours: yours.Subtitle},
		{Label: "Text", Saved: saved.Body, Yours: yours.Body},
		{Label: "Ansprechperson", Saved: contact(saved.ContactID), Yours: contact(yours.ContactID)},
		{Label: "Rolle der Ansprechperson", Saved: saved.ContactRole, Yours: yours.ContactRole},
		{Label: "Hinweis auf Beispieldaten", Saved: saved.SampleNote, Yours: yours.SampleNote},
	}
	return rows
}

// contactNames maps the contact options' values to the people's names.
func contactNames(opts []components.Option) map[string]string {
	names := map[string]string{}
	for _, o := range opts {
		names[o.Value] = o.Label
	}
	return names
}

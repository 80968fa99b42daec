package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"rii/internal/event"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// The Service-Stelle's event pages: the list, the facts of one event with
// the overview of its programme, workshops and report, and its status.
// Programme items and workshops are in event_admin_programme.go and
// event_admin_workshops.go.

const adminEventsPerPage = 25

// errOutside stops saving new event times that would leave a workshop
// outside them.
var errOutside = errors.New("workshop outside the event")

// adminEvent loads the event in the URL, in any status.
func (s *Server) adminEvent(r *http.Request) (*store.Event, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "eventID"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errNotFound
	}
	return s.store.Event(r.Context(), id)
}

func (s *Server) listAdminEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status := q.Get("status")
	if !event.Known(event.Statuses, status) {
		status = ""
	}
	order := store.EventOrderNewest
	if q.Get("sortierung") == store.EventOrderUpcoming {
		order = store.EventOrderUpcoming
	}
	page := components.ParsePage(q)
	rows, total, err := s.store.ListEvents(r.Context(), store.EventFilter{Status: status, Order: order, Now: s.now(),
		Limit: adminEventsPerPage, Offset: (page - 1) * adminEventsPerPage})
	if err != nil {
		return err
	}
	counts, err := s.store.EventStatusCounts(r.Context())
	if err != nil {
		return err
	}
	v := pages.EventAdminListView{Frame: s.frame(r, "Veranstaltungen verwalten"), Total: total,
		Pager: components.NewPager(*r.URL, page, adminEventsPerPage, total)}
	link := func(st, ord string) string {
		q := url.Values{}
		if st != "" {
			q.Set("status", st)
		}
		if ord == store.EventOrderUpcoming {
			q.Set("sortierung", ord)
		}
		if len(q) == 0 {
			return "/verwaltung/veranstaltungen"
		}
		return "/verwaltung/veranstaltungen?" + q.Encode()
	}
	all := 0
	for _, n := range counts {
		all += n
	}
	v.Statuses = append(v.Statuses, pages.StatusTab{Label: "Alle", Href: link("", order), Count: all, Current: status == ""})
	for _, st := range event.Statuses {
		v.Statuses = append(v.Statuses, pages.StatusTab{Label: st.Label, Href: link(st.Slug, order), Count: counts[st.Slug],
			Current: status == st.Slug})
	}
	v.Orders = []pages.StatusTab{
		{Label: "Neueste zuerst", Href: link(status, store.EventOrderNewest), Current: order == store.EventOrderNewest},
		{Label: "Nächste zuerst", Href: link(status, store.EventOrderUpcoming), Current: order == store.EventOrderUpcoming},
	}
	for _, e := range rows {
		report := "–"
		if e.ReportStatus != "" {
			report = reportStatusLabel(e.ReportStatus)
		}
		v.Rows = append(v.Rows, pages.EventAdminRow{Title: e.Title, Href: paths.AdminEvent(e.ID),
			When: event.FormatRange(e.StartsAt, e.EndsAt), Kind: event.Label(event.Kinds, e.Kind),
			Status: event.Label(event.Statuses, e.Status), Report: report, Items: e.Items, Workshops: e.Workshops})
	}
	return s.render(w, r, pages.EventAdminList(v))
}

// slugFromTitle makes an event's address from its title with the directory's
// rules (initiative.Slugify), but the events' reserved words and fallback.
func slugFromTitle(title string) string {
	s := strings.Trim(strings.TrimPrefix(initiative.Slugify("x "+title), "x"), "-")
	if s == "" || event.ReservedSlugs[s] {
		s = strings.Trim("veranstaltung-"+s, "-")
	}
	return s
}

func (s *Server) newEvent(w http.ResponseWriter, r *http.Request) error {
	f := components.NewForm()
	f.Values["art"], f.Values["format"] = "industriedialog", event.FormatDigital
	v, err := s.eventEditView(r, nil, f, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.EventEdit(v))
}

// createEvent stores a new event as a draft under the address typed or
// made from the title; a taken address is a field error.
func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	in, f, err := readEventForm(r)
	if err != nil {
		return err
	}
	choices, err := s.loadVocabularies(r.Context())
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.Slug) == "" && strings.TrimSpace(in.Title) != "" && validUTF8(in.Title) {
		in.Slug = slugFromTitle(in.Title)
	}
	facts, errs := event.ValidateEvent(in, choices.eventLists(), true)
	failAll(&f, errs, pages.EventFormFields.Names())
	var id int64
	if f.OK() {
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			if id, err = tx.CreateEvent(ctx, facts.Slug, event.StatusDraft, eventStoreFields(facts), s.actor(r), s.now()); err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "event.create", Object: "event", ID: itoa(id), Details: map[string]any{"slug": facts.Slug}})
		})
		if errors.Is(err, store.ErrSlugTaken) {
			f.Values["adresse"] = facts.Slug
			f.Fail("adresse", "Die Adresse „"+facts.Slug+"“ ist schon vergeben. Bitte wählen Sie eine andere.")
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		v, err := s.eventEditView(r, nil, f, components.NewForm())
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.EventEdit(v))
	}
	s.flash(r, "Die Veranstaltung ist als Entwurf angelegt. Fügen Sie jetzt Programm und Workshops hinzu.")
	http.Redirect(w, r, paths.AdminEvent(id), http.StatusSeeOther)
	return nil
}

func (s *Server) editEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	v, err := s.eventEditView(r, e, eventForm(e), components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.EventEdit(v))
}

// updateEvent saves the facts unless someone saved in between (409 with
// both versions) or the new times would leave a workshop outside them.
func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	in, f, err := readEventForm(r)
	if err != nil {
		return err
	}
	f.Values["adresse"] = e.Slug
	choices, err := s.loadVocabularies(r.Context())
	if err != nil {
		return err
	}
	facts, errs := event.ValidateEvent(in, choices.eventLists(), false)
	failAll(&f, errs, pages.EventFormFields.Names())
	fields := eventStoreFields(facts)
	if f.OK() {
		version, _ := strconv.Atoi(f.Value("version"))
		var outside event.Span
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			ws, err := tx.Workshops(ctx, e.ID)
			if err != nil {
				return err
			}
			if sp, bad := event.Outside(facts.StartsAt, facts.EndsAt, workshopSpans(ws)); bad {
				outside = sp
				return errOutside
			}
			next, err := tx.UpdateEvent(ctx, e.ID, version, fields, s.now())
			if err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "event.update", Object: "event", ID: itoa(e.ID), Details: map[string]any{"version": next}})
		})
		switch {
		case errors.Is(err, errOutside) && outside.StartsAt.Before(facts.StartsAt):
			f.Fail("beginn_datum", event.OutsideMessage(outside))
		case errors.Is(err, errOutside):
			f.Fail("ende_datum", event.OutsideMessage(outside))
		case errors.Is(err, store.ErrConflict):
			return s.renderEventConflict(w, r, e.ID, f, fields, choices)
		case err != nil:
			return err
		}
	}
	if !f.OK() {
		v, err := s.eventEditView(r, e, f, components.NewForm())
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.EventEdit(v))
	}
	s.flash(r, "Die Angaben zur Veranstaltung sind gespeichert.")
	http.Redirect(w, r, paths.AdminEvent(e.ID), http.StatusSeeOther)
	return nil
}

func workshopSpans(ws []store.Workshop) []event.Span {
	out := make([]event.Span, 0, len(ws))
	for _, w := range ws {
		out = append(out, event.Span{Title: w.Title, StartsAt: w.StartsAt, EndsAt: w.EndsAt})
	}
	return out
}

// renderEventConflict shows the saved facts next to the typed ones and
// moves the form to the saved version: saving again is a deliberate
// overwrite.
func (s *Server) renderEventConflict(w http.ResponseWriter, r *http.Request, id int64, f components.Form, yours store.EventFields, c vocabularies) error {
	saved, err := s.store.Event(r.Context(), id)
	if err != nil {
		return err
	}
	f.Values["version"] = strconv.Itoa(saved.Version)
	v, err := s.eventEditView(r, saved, f, components.NewForm())
	if err != nil {
		return err
	}
	v.Conflict, err = s.conflictView(r.Context(), "event", id, "die Veranstaltung", saved.UpdatedAt,
		eventConflictRows(saved.EventFields, yours, c))
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusConflict, pages.EventEdit(v))
}

// updateEventStatus publishes (once confirmed), completes, cancels or
// unpublishes an event.
func (s *Server) updateEventStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	sf := components.NewForm()
	sf.Values["teilnahme"], sf.Values["absage_hinweis"] = pf.Get("teilnahme"), pf.Get("absage_hinweis")
	change, errs := event.ValidateStatus(event.StatusInput{Action: pf.Get("aktion"), ParticipantCount: pf.Get("teilnahme"),
		Notice: pf.Get("absage_hinweis")}, e.Status)
	if len(errs) == 0 && change.Status == event.StatusPublished && pf.Get("bestaetigt") != "ja" {
		http.Redirect(w, r, paths.AdminEvent(e.ID, "veroeffentlichen"), http.StatusSeeOther)
		return nil
	}
	failAll(&sf, errs, []string{"aktion", "teilnahme", "absage_hinweis"})
	status := http.StatusUnprocessableEntity
	if sf.OK() {
		version, _ := strconv.Atoi(pf.Get("version"))
		err = s.changeEventStatus(r, e, version, change)
		switch {
		case errors.Is(err, store.ErrConflict):
			status = http.StatusConflict
			sf.Fail("aktion", "Inzwischen hat jemand anderes die Veranstaltung geändert. Bitte prüfen Sie den aktuellen Stand und versuchen Sie es erneut.")
		case errors.Is(err, errHasRegistrations):
			sf.Fail("aktion", "Für diese Veranstaltung haben sich schon Personen angemeldet; sie kann deshalb nicht zurück in den Entwurf. Findet sie nicht statt, sagen Sie sie ab.")
		case err != nil:
			return err
		}
	}
	if !sf.OK() {
		if e, err = s.store.Event(ctx, e.ID); err != nil {
			return err
		}
		v, err := s.eventEditView(r, e, eventForm(e), sf)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, status, pages.EventEdit(v))
	}
	s.flash(r, eventStatusMessage(change.Status))
	http.Redirect(w, r, paths.AdminEvent(e.ID), http.StatusSeeOther)
	return nil
}

// errHasRegistrations stops taking an event back to draft once people registered.
var errHasRegistrations = errors.New("event has registrations")

// changeEventStatus makes a validated status change at version, audited,
// in one transaction.
func (s *Server) changeEventStatus(r *http.Request, e *store.Event, version int, change event.StatusChange) error {
	ctx := r.Context()
	return s.store.InTx(ctx, func(tx *store.Store) error {
		var err error
		switch change.Status {
		case event.StatusCompleted:
			_, err = tx.CompleteEvent(ctx, e.ID, version, *change.ParticipantCount, s.now())
		case event.StatusDraft:
			n, cerr := tx.ActiveRegistrations(ctx, e.ID)
			if cerr != nil {
				return cerr
			}
			if n > 0 {
				return errHasRegistrations
			}
			_, err = tx.SetEventStatus(ctx, e.ID, version, change.Status, change.Notice, s.now())
		default:
			_, err = tx.SetEventStatus(ctx, e.ID, version, change.Status, change.Notice, s.now())
		}
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "event.status", Object: "event", ID: itoa(e.ID), Details: map[string]any{"from": e.Status, "to": change.Status}})
	})
}

// eventStatusMessage is the flash after a status change.
func eventStatusMessage(to string) string {
	if to == event.StatusDraft {
		return "Die Veranstaltung ist zurück im Entwurf: Ihre Seite und ein veröffentlichter Bericht sind nicht mehr öffentlich."
	}
	return "Der Status ist jetzt „" + event.Label(event.Statuses, to) + "“."
}

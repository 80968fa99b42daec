package server

import (
	"errors"
	"net/http"

	"rii/internal/account"
	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Safe publishing: the Service-Stelle previews drafts at their public
// address, confirms each publication on a page of its own (working without
// JavaScript) and can take it back.
//
// A preview is 200 only for editors, officials and admins; everyone else
// gets the same 404 as for an address that does not exist. It is never
// stored: it is "no-store" and only drawn for a signed-in user, whom the
// page cache never serves (pagecache.go); the anonymous 404 is not cached
// at all, since the cache keeps nothing but public 200s.

// canPreview reports whether u may see drafts at their public address.
func canPreview(u *currentUser) bool {
	return u != nil && (u.Role == account.RoleEditor || u.Role == account.RoleOfficial || u.Role == account.RoleAdmin)
}

// previewHeaders keep a preview out of every cache and search engine.
func previewHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
}

// hiddenNames lists the people's names.
func hiddenNames(people []store.HiddenPerson) []string {
	out := make([]string, 0, len(people))
	for _, p := range people {
		out = append(out, p.Name)
	}
	return out
}

// showEventPreview shows a draft event as visitors will see it once it is
// published: only public people, no registration, no calendar file.
func (s *Server) showEventPreview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !canPreview(userFrom(ctx)) {
		return errNotFound
	}
	slug, err := eventSlug(r)
	if err != nil {
		return err
	}
	d, err := s.store.PreviewEvent(ctx, slug, []string{store.VisibilityPublic}, 0)
	if err != nil {
		return err
	}
	if event.Public(d.Status) {
		return errNotFound // published meanwhile: the public page answers
	}
	hidden, err := s.store.HiddenEventPeople(ctx, d.ID)
	if err != nil {
		return err
	}
	frame := s.frame(r, "Vorschau: "+d.Title)
	frame.NoIndex = true
	v := eventView(frame, d)
	v.CalendarHref = ""
	v.Preview = &pages.PreviewBanner{What: "Diese Veranstaltung", Reason: "Sie ist ein Entwurf.",
		Hidden: hiddenNames(hidden), AdminHref: paths.AdminEvent(d.ID), PublishHref: paths.AdminEvent(d.ID, "veroeffentlichen")}
	previewHeaders(w)
	return s.render(w, r, pages.Event(v))
}

// showReportPreview shows a report that is not public yet (a draft, or
// the report of a draft event) as visitors will see it.
func (s *Server) showReportPreview(w http.ResponseWriter, r *http.Request, ev *store.Event, rep *store.Report) error {
	ctx := r.Context()
	if !canPreview(userFrom(ctx)) {
		return errNotFound
	}
	b := &pages.PreviewBanner{What: "Dieser Bericht", Reason: "Er ist ein Entwurf.", AdminHref: reportBase(ev)}
	if rep.Status == event.ReportPublished {
		b.Reason = "Die Veranstaltung ist noch ein Entwurf; veröffentlichen Sie zuerst die Veranstaltung."
	} else {
		b.PublishHref = reportBase(ev) + "/veroeffentlichen"
	}
	contact, err := s.reportContactFor(r, rep)
	if err != nil {
		return err
	}
	if contact != nil && contact.Visibility != store.VisibilityPublic {
		b.Hidden, contact = []string{contact.Name}, nil
	}
	f := s.frame(r, "Vorschau: "+rep.Title)
	f.NoIndex = true
	v := reportPageView(f, ev, rep, contact)
	v.Preview = b
	previewHeaders(w)
	return s.render(w, r, pages.Report(v))
}

// reportContactFor loads the report's contact person, nil without one.
func (s *Server) reportContactFor(r *http.Request, rep *store.Report) (*store.Contact, error) {
	if rep.ContactID == nil {
		return nil, nil
	}
	return s.store.ContactByID(r.Context(), *rep.ContactID)
}

// newEventPublish is the confirmation page before an event goes public.
func (s *Server) newEventPublish(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	v, err := s.eventPublishView(r, e)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.PublishConfirm(v))
}

// eventPublishView says what publishing the event means and who will not
// appear on its page.
func (s *Server) eventPublishView(r *http.Request, e *store.Event) (pages.PublishConfirmView, error) {
	hidden, err := s.store.HiddenEventPeople(r.Context(), e.ID)
	if err != nil {
		return pages.PublishConfirmView{}, err
	}
	v := pages.PublishConfirmView{Frame: s.frame(r, "Veröffentlichen: "+e.Title), Heading: "Veranstaltung veröffentlichen?",
		Subject: "„" + e.Title + "“, " + event.FormatRange(e.StartsAt, e.EndsAt),
		Facts: []string{"Die Seite ist danach für alle unter " + s.link(paths.Event(e.Slug)) + " erreichbar und erscheint in der Liste der Veranstaltungen, im Kalender und in der Suche.",
			"Solange sich niemand angemeldet hat, können Sie die Veröffentlichung mit „Zurück in den Entwurf“ zurücknehmen."},
		Hidden: hiddenNames(hidden), Action: paths.AdminEvent(e.ID, "status"), Version: itoa(int64(e.Version)),
		Submit: "Jetzt veröffentlichen", PreviewHref: paths.Event(e.Slug), CancelHref: paths.AdminEvent(e.ID), Form: components.NewForm()}
	if e.Status != event.StatusDraft {
		v.Done = "Die Veranstaltung ist bereits veröffentlicht (Status: " + event.Label(event.Statuses, e.Status) + ")."
	}
	return v, nil
}

// newReportPublish is the confirmation page before a report goes public.
func (s *Server) newReportPublish(w http.ResponseWriter, r *http.Request) error {
	ev, rep, err := s.storedReport(r)
	if err != nil {
		return err
	}
	v, err := s.reportPublishView(r, ev, rep, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.PublishConfirm(v))
}

// reportPublishView says what publishing the report means; before its
// event has ended it asks for an explicit confirmation.
func (s *Server) reportPublishView(r *http.Request, ev *store.Event, rep *store.Report, f components.Form) (pages.PublishConfirmView, error) {
	base := reportBase(ev)
	v := pages.PublishConfirmView{Frame: s.frame(r, "Bericht veröffentlichen: "+ev.Title), Heading: "Bericht veröffentlichen?",
		Subject: "„" + rep.Title + "“ zur Veranstaltung „" + ev.Title + "“",
		Facts: []string{"Der Bericht erscheint danach unter „Berichte“, im Feed und auf der Seite der Veranstaltung: " + s.link(paths.Report(ev.Slug)) + ".",
			"Sie können die Veröffentlichung jederzeit mit „Zurück in den Entwurf“ zurücknehmen."},
		Action: base + "/status", Version: itoa(int64(rep.Version)), Submit: "Jetzt veröffentlichen",
		PreviewHref: paths.Report(ev.Slug), CancelHref: base, Form: f}
	switch {
	case rep.Status == event.ReportPublished:
		v.Done = "Der Bericht ist bereits veröffentlicht."
	case !event.Public(ev.Status):
		v.Blocked = reportNeedsEvent
	case ev.EndsAt.After(s.now()):
		v.Early = "Die Veranstaltung endet erst am " + eventWhen(ev.StartsAt, ev.EndsAt) + ". Bis dahin zeigt die Startseite sie als kommende Veranstaltung und den Bericht nicht; unter „Berichte“ und bei der Veranstaltung erscheint er sofort. Bitte bestätigen Sie ausdrücklich, dass er schon jetzt erscheinen soll."
	}
	contact, err := s.reportContactFor(r, rep)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return v, err
	}
	if contact != nil && contact.Visibility != store.VisibilityPublic {
		v.Hidden = []string{contact.Name + " (Ansprechperson)"}
	}
	return v, nil
}

// reportNeedsEvent explains why a report of a draft event cannot go public.
const reportNeedsEvent = "Der Bericht kann erst veröffentlicht werden, wenn die Veranstaltung veröffentlicht ist. Veröffentlichen Sie zuerst die Veranstaltung."

// confirmedReportPublish checks the confirmations a report's publication
// needs. Without the general one it sends the editor to the confirmation
// page; without the one for an event not yet ended it shows that page
// again with the question marked. done is true when it has answered.
func (s *Server) confirmedReportPublish(w http.ResponseWriter, r *http.Request, ev *store.Event, rep *store.Report) (done bool, err error) {
	if r.PostFormValue("bestaetigt") != "ja" {
		http.Redirect(w, r, reportBase(ev)+"/veroeffentlichen", http.StatusSeeOther)
		return true, nil
	}
	if !event.Public(ev.Status) || !ev.EndsAt.After(s.now()) || r.PostFormValue("vorzeitig") == "ja" {
		return false, nil
	}
	f := components.NewForm()
	f.Fail("vorzeitig", "Die Veranstaltung ist noch nicht vorbei. Bitte bestätigen Sie, dass der Bericht trotzdem schon jetzt erscheinen soll.")
	v, err := s.reportPublishView(r, ev, rep, f)
	if err != nil {
		return true, err
	}
	return true, s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.PublishConfirm(v))
}

// statusHistoryLimit bounds the status changes an event page lists.
const statusHistoryLimit = 20

// fillPublishing adds to the event's page who will not appear publicly and
// the history of its status, from the audit log.
func (s *Server) fillPublishing(r *http.Request, e *store.Event, v *pages.EventEditView) error {
	hidden, err := s.store.HiddenEventPeople(r.Context(), e.ID)
	if err != nil {
		return err
	}
	v.Hidden = hiddenNames(hidden)
	changes, err := s.store.StatusChanges(r.Context(), "event", itoa(e.ID), "event.status", statusHistoryLimit)
	if err != nil {
		return err
	}
	for _, c := range changes {
		v.StatusHistory = append(v.StatusHistory, pages.StatusChangeRow{At: formatTime(c.At), Actor: c.Actor,
			From: event.Label(event.Statuses, c.From), To: event.Label(event.Statuses, c.To)})
	}
	return nil
}

// notPublicMark is how pickers and lists mark a person who will not
// appear on public pages.
const notPublicMark = "erscheint nicht öffentlich"

// contactPickerOption is a contact in a picker of people: name and
// organisation, marked when the person will not appear publicly.
func contactPickerOption(c store.ContactOption, selected bool) components.Option {
	label := c.Name
	if c.Organisation != "" {
		label += " (" + c.Organisation + ")"
	}
	if c.Visibility != store.VisibilityPublic {
		label += " – " + notPublicMark
	}
	return components.Option{Value: itoa(c.ID), Label: label, Selected: selected}
}

// notPublicNote explains, at a chosen person, why they will not appear.
func notPublicNote(name, visibility string) string {
	return name + " " + notPublicMark + " (sichtbar: " + visibilityLabel(visibility) + ")."
}

// warnHidden warns the editor after saving a programme item, workshop or
// report that names people who will not appear publicly.
func (s *Server) warnHidden(r *http.Request, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	hidden, err := s.store.HiddenContacts(r.Context(), ids)
	if err != nil || len(hidden) == 0 {
		return err
	}
	names := make([]string, 0, len(hidden))
	for _, h := range hidden {
		names = append(names, h.Name+" (sichtbar: "+visibilityLabel(h.Visibility)+")")
	}
	s.warn(r, "Erscheint nicht öffentlich: "+joinNonEmpty(", ", names...)+
		". Die öffentliche Seite nennt diese Person nicht. Soll sie genannt werden, ändern Sie mit ihrer Einwilligung die Sichtbarkeit.")
	return nil
}

// stageIDs are the contacts of people on stage or moderating.
func stageIDs(people []store.StagePerson) []int64 {
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		ids = append(ids, p.ContactID)
	}
	return ids
}

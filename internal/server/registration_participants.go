package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"rii/internal/account"
	"rii/internal/event"
	"rii/internal/input"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// The participants of an event (issue 9): filtered by status and workshop,
// searched by name, paged and counted; editors add a person by hand, move
// people between workshops and cancel for them. Officials read the same
// lists and change nothing.

const participantsPerPage = 50

func participantsHref(eventID int64) string { return paths.AdminEvent(eventID, "teilnehmende") }

// participantHref is the page of registration registrationID, or a form
// action below it.
func participantHref(eventID, registrationID int64, below ...string) string {
	return paths.AdminEvent(eventID, append([]string{"teilnehmende", itoa(registrationID)}, below...)...)
}

// participantStatuses are the filters in page order with their labels.
var participantStatuses = []event.Option{{Slug: registration.StatusPending, Label: "Unbestätigt"},
	{Slug: registration.StatusConfirmed, Label: "Bestätigt"}, {Slug: registration.StatusWaitlisted, Label: "Warteliste"},
	{Slug: registration.StatusCancelled, Label: "Storniert"}, {Slug: registration.StatusLapsed, Label: "Verfallen"},
	{Slug: store.FilterAttended, Label: "Anwesend"}}

// canEditRegistrations reports whether the viewer may change
// registrations: editors and admins, not officials.
func canEditRegistrations(r *http.Request) bool {
	u := userFrom(r.Context())
	return u != nil && (u.Role == account.RoleEditor || u.Role == account.RoleAdmin)
}

// participantFilter reads the list's query: suche, status, workshop.
func participantFilter(q url.Values, eventID int64, ws []store.WorkshopPlaces) (store.ParticipantFilter, components.Form) {
	f := store.ParticipantFilter{EventID: eventID}
	form := components.NewForm()
	if s, msg := (input.Rule{Subject: "Die Suche", Max: 200}).Check(q.Get("suche")); msg == "" {
		f.Query, form.Values["suche"] = s, s
	}
	if event.Known(participantStatuses, q.Get("status")) {
		f.Status = q.Get("status")
	}
	id, _ := strconv.ParseInt(q.Get("workshop"), 10, 64)
	for _, w := range ws {
		if w.ID == id {
			f.WorkshopID, form.Values["workshop"] = id, q.Get("workshop")
		}
	}
	return f, form
}

// filterLink is the list with the filter changed to status.
func filterLink(base string, f store.ParticipantFilter, status string) string {
	q := url.Values{}
	if f.Query != "" {
		q.Set("suche", f.Query)
	}
	if f.WorkshopID != 0 {
		q.Set("workshop", itoa(f.WorkshopID))
	}
	if status != "" {
		q.Set("status", status)
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

func (s *Server) listParticipants(w http.ResponseWriter, r *http.Request) error {
	return s.renderParticipants(w, r, http.StatusOK, components.NewForm())
}

// renderParticipants draws the list with the add form af.
func (s *Server) renderParticipants(w http.ResponseWriter, r *http.Request, status int, af components.Form) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	ws, err := s.store.RegistrationWorkshops(ctx, e.ID)
	if err != nil {
		return err
	}
	f, form := participantFilter(r.URL.Query(), e.ID, ws)
	page := components.ParsePage(r.URL.Query())
	f.Limit, f.Offset = participantsPerPage, (page-1)*participantsPerPage
	rows, total, err := s.store.Participants(ctx, f)
	if err != nil {
		return err
	}
	counts, err := s.store.ParticipantCounts(ctx, f)
	if err != nil {
		return err
	}
	base := participantsHref(e.ID)
	v := pages.ParticipantsView{Frame: s.frame(r, "Teilnehmende: "+e.Title), Nav: registrationNav(e, base),
		Filter: form, Total: total, Pager: components.NewPager(*r.URL, page, participantsPerPage, total),
		ExportHref: base + ".csv", CanEdit: canEditRegistrations(r), AddAction: base + "/neu", AddForm: af,
		AddSlots: staffSlots(ws, af, nil)}
	all := 0
	for _, st := range participantStatuses[:5] {
		all += counts[st.Slug]
	}
	v.Statuses = append(v.Statuses, pages.StatusTab{Label: "Alle (" + strconv.Itoa(all) + ")", Href: filterLink(base, f, ""), Current: f.Status == ""})
	for _, st := range participantStatuses {
		v.Statuses = append(v.Statuses, pages.StatusTab{Label: st.Label + " (" + strconv.Itoa(counts[st.Slug]) + ")",
			Href: filterLink(base, f, st.Slug), Current: f.Status == st.Slug})
	}
	v.Workshops = append(v.Workshops, components.Option{Value: "", Label: "Alle Workshops", Selected: f.WorkshopID == 0})
	for _, w := range ws {
		v.Workshops = append(v.Workshops, components.Option{Value: itoa(w.ID), Label: w.Title, Selected: w.ID == f.WorkshopID})
	}
	for _, p := range rows {
		v.Rows = append(v.Rows, participantRow(p, e.ID))
	}
	return s.renderStatus(w, r, status, pages.Participants(v))
}

// participantStatus is a registration's status as staff read it.
func participantStatus(p store.Participant) string {
	label := registration.StatusLabel(p.Status)
	if p.WaitingPosition > 0 {
		label += " (Platz " + strconv.Itoa(p.WaitingPosition) + ")"
	}
	return label
}

func participantRow(p store.Participant, eventID int64) pages.ParticipantRow {
	return pages.ParticipantRow{Name: p.Name, Email: p.Email, Organisation: p.Organisation, Status: participantStatus(p),
		Workshops: strings.Join(p.Workshops, ", "), Registered: formatTime(p.CreatedAt), Source: sourceLabel(p.Source),
		Attended: attendedLabel(p.AttendedAt), Href: participantHref(eventID, p.ID)}
}

func sourceLabel(source string) string {
	switch source {
	case registration.SourceInvitation:
		return "Einladung"
	case registration.SourceManual:
		return "von Hand"
	}
	return "Formular"
}

func attendedLabel(at *time.Time) string {
	if at == nil {
		return "–"
	}
	return formatTime(*at)
}

// staffSlots builds one workshop choice per time slot; chosen are the
// workshops a registration has (nil for a new one), f the form's values.
func staffSlots(ws []store.WorkshopPlaces, f components.Form, chosen []int64) []pages.SlotField {
	var out []pages.SlotField
	for i := 0; i < len(ws); {
		j := i
		for j < len(ws) && ws[j].StartsAt.Equal(ws[i].StartsAt) {
			j++
		}
		name := "workshop-" + strconv.FormatInt(ws[i].StartsAt.Unix(), 10)
		sel := f.Value(name)
		opts := []components.Option{{Value: "", Label: "kein Workshop", Selected: sel == ""}}
		for _, w := range ws[i:j] {
			label := w.Title
			if left := w.PlacesLeft(); left != nil {
				label += " (" + strconv.Itoa(*left) + " frei)"
			}
			on := sel == itoa(w.ID) || (sel == "" && slices.Contains(chosen, w.ID))
			opts = append(opts, components.Option{Value: itoa(w.ID), Label: label, Selected: on})
			opts[0].Selected = opts[0].Selected && !on
		}
		out = append(out, pages.SlotField{Options: opts, Field: components.Field{Name: name,
			Label: "Workshop " + event.FormatRange(ws[i].StartsAt, ws[i].EndsAt)}})
		i = j
	}
	return out
}

// adminRegistration loads the event and the registration in the URL.
func (s *Server) adminRegistration(r *http.Request) (*store.Event, store.Registration, error) {
	e, id, err := s.adminPart(r, "registration")
	if err != nil {
		return nil, store.Registration{}, err
	}
	reg, err := s.store.EventRegistration(r.Context(), e.ID, id)
	return e, reg, err
}

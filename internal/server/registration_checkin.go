package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"rii/internal/input"
	"rii/internal/store"
	"rii/web/pages"
	"rii/web/paths"
)

// The check-in at the door (issue 9): on a phone, search by name, one tap
// per person (a plain form post), undo. The attended count becomes the
// participant count of the event and its workshops.

const checkInRows = 40

func checkInHref(eventID int64) string { return paths.AdminEvent(eventID, "einlass") }

func (s *Server) showCheckIn(w http.ResponseWriter, r *http.Request) error {
	return s.renderCheckIn(w, r, http.StatusOK, r.URL.Query().Get("suche"), "")
}

// renderCheckIn draws the door's page for the search q with a message.
func (s *Server) renderCheckIn(w http.ResponseWriter, r *http.Request, status int, q, msg string) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	q, bad := input.Rule{Subject: "Die Suche", Max: 200}.Check(q)
	if bad != "" {
		q = ""
	}
	f := store.ParticipantFilter{EventID: e.ID, Status: "confirmed", Query: q, Limit: checkInRows + 1}
	rows, _, err := s.store.Participants(ctx, f)
	if err != nil {
		return err
	}
	counts, err := s.store.ParticipantCounts(ctx, store.ParticipantFilter{EventID: e.ID})
	if err != nil {
		return err
	}
	href := checkInHref(e.ID)
	v := pages.CheckInView{Frame: s.frame(r, "Einlass: "+e.Title), Nav: registrationNav(e, href), Query: q,
		Attended: counts[store.FilterAttended], Expected: counts["confirmed"], CanEdit: canEditRegistrations(r),
		Action: href, Message: msg, More: len(rows) > checkInRows}
	for _, p := range rows[:min(len(rows), checkInRows)] {
		row := pages.CheckInRow{Name: p.Name, Organisation: p.Organisation, Workshops: strings.Join(p.Workshops, ", "),
			Attended: p.AttendedAt != nil, Action: paths.AdminEvent(e.ID, "einlass", itoa(p.ID)), ID: "person-" + itoa(p.ID)}
		if p.AttendedAt != nil {
			row.AttendedAt = formatTime(*p.AttendedAt)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.renderStatus(w, r, status, pages.CheckIn(v))
}

// createCheckIn and deleteCheckIn check a person in and take it back.
func (s *Server) createCheckIn(w http.ResponseWriter, r *http.Request) error {
	return s.setAttended(w, r, true)
}

func (s *Server) deleteCheckIn(w http.ResponseWriter, r *http.Request) error {
	return s.setAttended(w, r, false)
}

// setAttended records the tap; a second tap (or two at once) changes
// nothing more. Back on the page, the search stays.
func (s *Server) setAttended(w http.ResponseWriter, r *http.Request, attended bool) error {
	ctx := r.Context()
	e, reg, err := s.adminRegistration(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	q := r.PostForm.Get("suche")
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		changed, err := tx.SetAttended(ctx, e.ID, reg.ID, attended, s.now())
		if err != nil || !changed {
			return err
		}
		action := "registration.checkin"
		if !attended {
			action = "registration.checkin.undo"
		}
		return s.audit(r, tx, auditEntry{Action: action, Object: "registration", ID: itoa(reg.ID), Details: map[string]any{"event": e.ID}})
	})
	if errors.Is(err, store.ErrNotFound) {
		return s.renderCheckIn(w, r, http.StatusUnprocessableEntity, q,
			reg.Name+" hat keine bestätigte Anmeldung und kann nicht eingecheckt werden.")
	}
	if err != nil {
		return err
	}
	if attended {
		s.flash(r, reg.Name+" ist eingecheckt.")
	} else {
		s.flash(r, "Check-in von "+reg.Name+" zurückgenommen.")
	}
	target := checkInHref(e.ID)
	if q != "" {
		target += "?" + url.Values{"suche": {q}}.Encode()
	}
	http.Redirect(w, r, target+"#person-"+itoa(reg.ID), http.StatusSeeOther)
	return nil
}

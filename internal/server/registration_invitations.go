package server

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Invitations (issue 9): editors paste or upload a list of names and
// addresses; each person gets an e-mail with a personal link, queued in the
// transaction that stores the invitation. The link counts as confirmation
// of the address. Officials read the list.

const maxInvitees = 1000

func invitationsHref(eventID int64) string { return paths.AdminEvent(eventID, "einladungen") }

type invitee struct{ Name, Email string }

// parseInvitees reads "Name; E-Mail" lines (also comma or tab separated,
// as Excel saves them, with or without a header). It returns the people
// and a German message per bad line.
func parseInvitees(text string) ([]invitee, []string) {
	text = strings.TrimPrefix(strings.ReplaceAll(text, "\r\n", "\n"), "\uFEFF")
	first, _, _ := strings.Cut(text, "\n")
	comma := ';'
	if strings.Count(first, "\t") > 0 {
		comma = '\t'
	} else if !strings.Contains(first, ";") && strings.Contains(first, ",") {
		comma = ','
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	var out []invitee
	var bad []string
	seen := map[string]bool{}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, append(bad, "Zeile "+strconv.Itoa(line)+": Die Liste lässt sich nicht lesen.")
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 {
			bad = append(bad, "Zeile "+strconv.Itoa(line)+": Bitte geben Sie Name und E-Mail-Adresse an, getrennt durch ein Semikolon.")
			continue
		}
		email, err := account.NormalizeEmail(rec[1])
		if err != nil && line == 1 && !strings.Contains(rec[1], "@") {
			continue // a header
		}
		name, nerr := account.ValidateName(rec[0])
		switch {
		case err != nil:
			bad = append(bad, "Zeile "+strconv.Itoa(line)+": „"+strings.TrimSpace(rec[1])+"“ ist keine gültige E-Mail-Adresse.")
		case nerr != nil:
			bad = append(bad, "Zeile "+strconv.Itoa(line)+": "+nerr.Error())
		case !seen[email]:
			seen[email] = true
			out = append(out, invitee{Name: name, Email: email})
		}
	}
	return out, bad
}

func invitationStatusLabel(status string) string {
	switch status {
	case "registered":
		return "angemeldet"
	case "declined":
		return "abgesagt"
	}
	return "versandt"
}

func (s *Server) listInvitations(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvitations(w, r, http.StatusOK, components.NewForm())
}

func (s *Server) renderInvitations(w http.ResponseWriter, r *http.Request, status int, f components.Form) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	list, err := s.store.Invitations(r.Context(), e.ID)
	if err != nil {
		return err
	}
	href := invitationsHref(e.ID)
	v := pages.InvitationsView{Frame: s.frame(r, "Einladungen: "+e.Title), Nav: registrationNav(e, href), Action: href,
		Form: f, CanEdit: canEditRegistrations(r), Counts: map[string]int{}}
	for _, inv := range list {
		v.Counts[inv.Status]++
		v.Rows = append(v.Rows, pages.InvitationRow{Name: inv.Name, Email: inv.Email, Status: invitationStatusLabel(inv.Status),
			Sent: formatTime(inv.CreatedAt), Answered: optTime(inv.RespondedAt)})
	}
	return s.renderStatus(w, r, status, pages.Invitations(v))
}

// createInvitations invites everyone on the pasted or uploaded list who
// was not invited before.
func (s *Server) createInvitations(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return err
	}
	text := r.PostFormValue("liste")
	if file, _, err := r.FormFile("datei"); err == nil {
		var buf bytes.Buffer
		_, err = io.Copy(&buf, io.LimitReader(file, 1<<20))
		file.Close()
		if err != nil {
			return err
		}
		text = buf.String()
	}
	f := components.NewForm()
	f.Values["liste"] = r.PostFormValue("liste")
	people, bad := parseInvitees(text)
	switch {
	case len(bad) > 0:
		f.Fail("liste", strings.Join(bad[:min(len(bad), 5)], " "))
	case len(people) == 0:
		f.Fail("liste", "Bitte fügen Sie eine Liste ein oder laden Sie eine Datei hoch: je Zeile Name und E-Mail-Adresse.")
	case len(people) > maxInvitees:
		f.Fail("liste", "Bitte laden Sie höchstens 1000 Personen auf einmal ein.")
	}
	if !f.OK() {
		return s.renderInvitations(w, r, http.StatusUnprocessableEntity, f)
	}
	sent, err := s.invite(r, e, people)
	if err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, strconv.Itoa(sent)+" Einladungen verschickt; "+strconv.Itoa(len(people)-sent)+" Adressen waren schon eingeladen.")
	http.Redirect(w, r, invitationsHref(e.ID), http.StatusSeeOther)
	return nil
}

// invite stores an invitation with its e-mail for each person not invited
// to event e before, in one transaction, and returns how many it sent.
func (s *Server) invite(r *http.Request, e *store.Event, people []invitee) (sent int, err error) {
	ctx := r.Context()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		for _, p := range people {
			token, hash := newToken()
			inv, created, err := tx.CreateInvitation(ctx, e.ID, store.NewInvitation{Name: p.Name, Email: p.Email, TokenHash: hash},
				&userFrom(ctx).ID, s.now())
			if err != nil {
				return err
			}
			if !created {
				continue
			}
			sent++
			body := "Guten Tag " + p.Name + ",\n\nSie sind herzlich eingeladen zu „" + e.Title + "“ am " + eventWhen(e.StartsAt, e.EndsAt) +
				" Uhr.\n\nÜber Ihren persönlichen Link melden Sie sich an oder sagen ab:\n" + store.LinkPlaceholder +
				"\n\nBitte geben Sie den Link nicht weiter." + mailFooter
			if err := tx.EnqueueInvitationMail(ctx, inv.ID, p.Email, "Einladung: "+e.Title, body, s.sealLink(paths.EventInvitation(token))); err != nil {
				return err
			}
		}
		return s.audit(r, tx, auditEntry{Action: "registration.invite", Object: "event", ID: itoa(e.ID), Details: map[string]any{"invited": sent, "listed": len(people)}})
	})
	return sent, err
}

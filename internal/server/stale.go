package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Re-confirmation of profiles: after staleAfter without confirmation (or,
// never confirmed, since its publication; store.StaleInitiatives) a
// profile is listed; links in the reminder work once for confirmLinkLifetime.
const (
	staleAfter          = 365 * 24 * time.Hour
	confirmLinkLifetime = 30 * 24 * time.Hour
	stalePerPage        = 50
)

func (s *Server) listStale(w http.ResponseWriter, r *http.Request) error {
	v, err := s.staleView(r, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.Stale(v))
}

func (s *Server) staleView(r *http.Request, f components.Form) (pages.StaleView, error) {
	page := components.ParsePage(r.URL.Query())
	rows, total, err := s.store.StaleInitiatives(r.Context(), s.now().Add(-staleAfter), stalePerPage, (page-1)*stalePerPage)
	if err != nil {
		return pages.StaleView{}, err
	}
	role := userFrom(r.Context()).Role
	v := pages.StaleView{Frame: s.frame(r, "Profile ohne Bestätigung"), Total: total, Form: f,
		Pager: components.NewPager(*r.URL, page, stalePerPage, total), CanSend: role == account.RoleEditor || role == account.RoleAdmin}
	for _, row := range rows {
		sr := pages.StaleRow{ID: itoa(row.ID), Name: row.Name, Href: paths.Initiative(row.Slug), Members: row.Members,
			Confirmed: "nie", LastAsked: "–"}
		switch {
		case row.ConfirmedAt != nil:
			sr.Confirmed = formatTime(*row.ConfirmedAt)
		case row.PublishedAt != nil:
			sr.Confirmed = "nie (veröffentlicht am " + formatTime(*row.PublishedAt) + ")"
		}
		if row.LastAsked != nil {
			sr.LastAsked = formatTime(*row.LastAsked)
		}
		v.Rows = append(v.Rows, sr)
	}
	return v, nil
}

// createReminders e-mails the linked members of the chosen profiles, each
// with a personal single-use link, through the outbox in one transaction.
func (s *Server) createReminders(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := components.NewForm()
	var ids []int64
	for _, raw := range r.PostForm["initiativen"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			f.Fail("initiativen", "Bitte wählen Sie Profile aus der Liste.")
			break
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 && f.OK() {
		f.Fail("initiativen", "Bitte wählen Sie mindestens ein Profil, dessen Mitglieder erinnert werden sollen.")
	}
	if !f.OK() {
		v, err := s.staleView(r, f)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Stale(v))
	}
	sent, err := s.sendReminders(r, ids)
	if err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, fmt.Sprintf("%d Erinnerungen %s.", sent, s.mailState(sent)))
	http.Redirect(w, r, "/verwaltung/initiativen/veraltet", http.StatusSeeOther)
	return nil
}

// sendReminders queues, in one transaction, a reminder with a fresh
// confirmation link to every member of the initiatives ids (one deleted
// meanwhile is skipped) and records each request. It returns how many
// mails are queued.
func (s *Server) sendReminders(r *http.Request, ids []int64) (sent int, err error) {
	ctx := r.Context()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		now := s.now()
		for _, id := range ids {
			e, err := tx.EditableInitiative(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // deleted meanwhile
			}
			if err != nil {
				return err
			}
			members, err := tx.LinkedMembers(ctx, id)
			if err != nil {
				return err
			}
			for _, m := range members {
				token, hash := newToken()
				if err := tx.CreateConfirmationToken(ctx, hash, id, m.ID, now, now.Add(confirmLinkLifetime)); err != nil {
					return err
				}
				if err := s.enqueueLinkMail(r, tx, m.Email, "Ist Ihr Profil im RII-Portal noch aktuell?",
					reminderMail(m.Name, e.Profile.Name, store.LinkPlaceholder, s.link(paths.Initiative(e.Slug, "bearbeiten"))),
					s.link(paths.Confirm(token))); err != nil {
					return err
				}
				sent++
			}
			if err := s.audit(r, tx, auditEntry{Action: "initiative.reconfirmation_requested", Object: "initiative", ID: itoa(id), Details: map[string]any{"recipients": len(members)}}); err != nil {
				return err
			}
		}
		return nil
	})
	return sent, err
}

func reminderMail(name, initiative, confirm, edit string) string {
	return fmt.Sprintf(`Guten Tag %s,

das Profil „%s“ im Verzeichnis der regionalen Industrieinitiativen wurde seit über einem Jahr nicht bestätigt.

Sind die Angaben noch aktuell? Dann genügt ein Klick auf diesen Link und die Bestätigung dort:
%s

Hat sich etwas geändert, überarbeiten Sie das Profil bitte nach der Anmeldung:
%s

Der Bestätigungslink gilt 30 Tage und nur einmal.`, name, initiative, confirm, edit)
}

package server

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/initiative"
	"rii/internal/input"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

const initiativesPerPage = 50

// listAdminInitiatives is the Service-Stelle's list of every initiative.
func (s *Server) listAdminInitiatives(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	status := q.Get("status")
	if initiative.StatusLabel(status) == status {
		status = "" // unknown: all
	}
	page := components.ParsePage(q)
	query := cleanQuery(q.Get("q"), 200)
	rows, total, err := s.store.ListInitiatives(r.Context(), store.InitiativeFilter{Status: status, Query: query,
		Limit: initiativesPerPage, Offset: (page - 1) * initiativesPerPage})
	if err != nil {
		return err
	}
	counts, err := s.store.StatusCounts(r.Context())
	if err != nil {
		return err
	}
	u := userFrom(r.Context())
	v := pages.AdminInitiativesView{Frame: s.frame(r, "Initiativen verwalten"), Query: query, Total: total,
		Pager: components.NewPager(*r.URL, page, initiativesPerPage, total), CanNew: u.Role != account.RoleOfficial}
	all := 0
	for _, n := range counts {
		all += n
	}
	v.Statuses = append(v.Statuses, pages.StatusTab{Label: "Alle", Href: "/verwaltung/initiativen", Count: all, Current: status == ""})
	for _, st := range []string{initiative.StatusSubmitted, initiative.StatusDraft, initiative.StatusPublished, initiative.StatusArchived} {
		v.Statuses = append(v.Statuses, pages.StatusTab{Label: initiative.StatusLabel(st), Count: counts[st],
			Href: "/verwaltung/initiativen?status=" + st, Current: status == st})
	}
	for _, row := range rows {
		confirmed := "nie"
		if row.ConfirmedAt != nil {
			confirmed = formatTime(*row.ConfirmedAt)
		}
		v.Rows = append(v.Rows, pages.AdminInitiativeRow{Name: row.Name, Status: initiative.StatusLabel(row.Status),
			Updated: formatTime(row.UpdatedAt), Confirmed: confirmed, ProfileHref: paths.Initiative(row.Slug),
			ManageHref: paths.Initiative(row.Slug, "verlauf")})
	}
	return s.render(w, r, pages.AdminInitiatives(v))
}

// Review actions: the values of the buttons on the review page.
const (
	actionPublish = "veroeffentlichen"
	actionReturn  = "zurueckgeben"
	actionArchive = "archivieren"
)

// reviewActions are the status changes an editor can make from a status
// with the publish and archive buttons; returning has its own form (its
// comment is required), see canReturn.
func reviewActions(status string) []pages.StatusAction {
	switch status {
	case initiative.StatusSubmitted, initiative.StatusDraft:
		return []pages.StatusAction{{Value: actionPublish, Label: "Veröffentlichen", Primary: true},
			{Value: actionArchive, Label: "Archivieren"}}
	case initiative.StatusPublished:
		return []pages.StatusAction{{Value: actionArchive, Label: "Archivieren"}}
	default:
		return []pages.StatusAction{{Value: actionPublish, Label: "Wieder veröffentlichen", Primary: true}}
	}
}

// canReturn reports whether a profile in status can be returned to its
// members with a comment: a proposal in review, or a published profile
// (which goes offline until it is resubmitted and published again).
func canReturn(status string) bool {
	return status == initiative.StatusSubmitted || status == initiative.StatusPublished
}

// manageView builds the review and history page.
func (s *Server) manageView(r *http.Request, e *store.EditableInitiative, f components.Form) (pages.InitiativeManageView, error) {
	revs, err := s.store.Revisions(r.Context(), e.ID)
	if err != nil {
		return pages.InitiativeManageView{}, err
	}
	voc, err := s.loadVocabularies(r.Context())
	if err != nil {
		return pages.InitiativeManageView{}, err
	}
	names := voc.names()
	role := userFrom(r.Context()).Role
	canChange := role == account.RoleEditor || role == account.RoleAdmin
	v := pages.InitiativeManageView{Frame: s.frame(r, "Prüfen und Verlauf: "+e.Profile.Name), Name: e.Profile.Name,
		Status: initiative.StatusLabel(e.Status), ProfileHref: paths.Initiative(e.Slug), EditHref: paths.Initiative(e.Slug, "bearbeiten"),
		Action: paths.Initiative(e.Slug, "status"), CanChange: canChange, Actions: reviewActions(e.Status), Form: f,
		Version: strconv.Itoa(e.Version), CanReturn: canReturn(e.Status)}
	if v.Proposer, err = s.proposerLine(r.Context(), e.ID); err != nil {
		return v, err
	}
	steps := revisionSteps(revs)
	for i, rev := range revs {
		row := pages.RevisionRow{Version: rev.Version, At: formatTime(rev.At), Actor: rev.Actor, Current: rev.Version == e.Version,
			Step: steps[i], Comment: rev.Comment}
		if canChange && !row.Current {
			row.RestoreHref = paths.Initiative(e.Slug, "verlauf", strconv.Itoa(rev.Version))
		}
		keys := make([]string, 0, len(rev.Changes))
		for k := range rev.Changes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			c := rev.Changes[k]
			from, to := displayValue(c.From, names), displayValue(c.To, names)
			if k == "status" {
				from, to = initiative.StatusLabel(from), initiative.StatusLabel(to)
			}
			row.Changes = append(row.Changes, pages.ConflictField{Label: fieldLabel(k), Saved: from, Yours: to})
		}
		v.Revisions = append(v.Revisions, row)
	}
	return v, nil
}

// fieldLabel is the German name of a profile field in the history.
func fieldLabel(k string) string {
	labels := map[string]string{"status": "Status", "name": "Name", "short_description": "Kurzbeschreibung", "description": "Beschreibung",
		"legal_form": "Rechtsform", "founding_year": "Gründungsjahr", "website": "Website", "districts": "Regionen",
		"topics": "Themen", "sectors": "Branchen", "target_groups": "Zielgruppen", "formats": "Formate", "members": "Mitglieder"}
	if l, ok := labels[k]; ok {
		return l
	}
	return k
}

// displayValue shows a stored JSON value with names for slugs.
func displayValue(v any, names map[string]string) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		if n, ok := names[x]; ok {
			return n
		}
		if x == "" {
			return "–"
		}
		return x
	case float64:
		if x == 0 {
			return "–"
		}
		return strconv.Itoa(int(x))
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				parts = append(parts, fmt.Sprint(m["name"])+" ("+initiative.MemberKindLabel(fmt.Sprint(m["kind"]))+")")
				continue
			}
			parts = append(parts, displayValue(e, names))
		}
		if len(parts) == 0 {
			return "–"
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// manageFromSlug loads the initiative of the URL for the review pages.
func (s *Server) manageFromSlug(r *http.Request) (*store.EditableInitiative, error) {
	id, err := s.store.InitiativeIDBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return nil, err
	}
	return s.store.EditableInitiative(r.Context(), id)
}

func (s *Server) showInitiativeManage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.manageFromSlug(r)
	if err != nil {
		return err
	}
	v, err := s.manageView(r, e, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.InitiativeManage(v))
}

// updateInitiativeStatus publishes, returns (with a comment the members get
// by e-mail) or archives an initiative.
func (s *Server) updateInitiativeStatus(w http.ResponseWriter, r *http.Request) error {
	e, err := s.manageFromSlug(r)
	if err != nil {
		return err
	}
	f, action, status, comment, version := parseReview(r, e)
	if !f.OK() {
		v, err := s.manageView(r, e, f)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.InitiativeManage(v))
	}
	err = s.changeInitiativeStatus(r, e, version, status, comment, action)
	if errors.Is(err, store.ErrConflict) {
		return s.renderStatusConflict(w, r, e, f)
	}
	if err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, "Status von „"+e.Profile.Name+"“: "+initiative.StatusLabel(status)+". Die Nachricht an die Initiative "+s.mailState(1)+".")
	http.Redirect(w, r, paths.Initiative(e.Slug, "verlauf"), http.StatusSeeOther)
	return nil
}

// changeInitiativeStatus moves initiative e to status with the editor's
// comment, tells the members and records it, in one transaction, if
// version is still the current one (else store.ErrConflict).
//
// The e-mails are written before the version-checked change on purpose: a
// conflict then rolls them back with it, which the tests rely on to prove
// that nothing is sent for a step that did not happen.
func (s *Server) changeInitiativeStatus(r *http.Request, e *store.EditableInitiative, version int, status, comment, action string) error {
	ctx := r.Context()
	step := map[string]reviewStep{actionReturn: stepReturned, actionPublish: stepPublished, actionArchive: stepArchived}[action]
	return s.store.InTx(ctx, func(tx *store.Store) error {
		if err := s.tellMembers(r, tx, e, step, comment); err != nil {
			return err
		}
		if _, err := tx.SetInitiativeStatus(ctx, e.ID, version, status, comment, s.actor(r), s.now()); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "initiative.status_changed", Object: "initiative", ID: itoa(e.ID), Details: map[string]any{"from": e.Status, "to": status, "comment": comment}})
	})
}

// commentOK reports whether a review comment is at most 5000 characters
// of typed text.
func commentOK(raw string) bool {
	_, msg := input.Rule{Max: 5000, Lines: true}.Check(raw)
	return msg == ""
}

// parseReview reads and checks the review form: the action, the status it
// leads to, the comment and the version the reviewer saw.
func parseReview(r *http.Request, e *store.EditableInitiative) (f components.Form, action, status, comment string, version int) {
	f = components.NewForm()
	f.Values["kommentar"] = r.PostFormValue("kommentar")
	comment = strings.TrimSpace(f.Values["kommentar"])
	targets := map[string]string{actionPublish: initiative.StatusPublished, actionReturn: initiative.StatusDraft,
		actionArchive: initiative.StatusArchived}
	action = r.PostFormValue("aktion")
	// The version the reviewer saw: only that one may change status.
	version, _ = strconv.Atoi(r.PostFormValue("version"))
	status, known := targets[action]
	allowed := action == actionReturn && canReturn(e.Status)
	for _, a := range reviewActions(e.Status) {
		allowed = allowed || a.Value == action
	}
	switch {
	case !known || !allowed:
		f.Fail("aktion", "Diese Aktion ist im aktuellen Status nicht möglich. Bitte wählen Sie eine der angebotenen Schaltflächen.")
	case action == actionReturn && comment == "":
		f.Fail("kommentar", "Bitte schreiben Sie der Initiative, was sie ändern soll.")
	case !commentOK(f.Values["kommentar"]):
		f.Fail("kommentar", "Die Anmerkung ist zu lang oder enthält ungültige Zeichen (höchstens 5000 Zeichen).")
	}
	if action != actionReturn {
		comment = "" // only the return form has a comment
	}
	return f, action, status, comment, version
}

// renderStatusConflict answers a status change for a version that is no
// longer current (a member saved, or another editor acted) with 409 and
// the page as it is now, to review again.
func (s *Server) renderStatusConflict(w http.ResponseWriter, r *http.Request, e *store.EditableInitiative, f components.Form) error {
	cur, err := s.store.EditableInitiative(r.Context(), e.ID)
	if err != nil {
		return err
	}
	f.Fail("aktion", "Das Profil wurde inzwischen geändert. Bitte prüfen Sie den aktuellen Stand (siehe Verlauf) und wählen Sie die Aktion erneut.")
	v, err := s.manageView(r, cur, f)
	if err != nil {
		return err
	}
	return s.renderStatus(w, r, http.StatusConflict, pages.InitiativeManage(v))
}

// restoreRevision saves an earlier version's profile as the newest version.
func (s *Server) restoreRevision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.manageFromSlug(r)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(chi.URLParam(r, "version"))
	if err != nil {
		return errNotFound
	}
	old, err := s.store.RevisionProfile(ctx, e.ID, version)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		next, err := tx.UpdateInitiative(ctx, e.ID, e.Version, *old, s.actor(r), s.now())
		if err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "initiative.restored", Object: "initiative", ID: itoa(e.ID), Details: map[string]any{"from_version": version, "version": next}})
	})
	if errors.Is(err, store.ErrConflict) {
		s.flash(r, "Das Profil wurde gerade geändert. Bitte prüfen Sie den Verlauf und stellen Sie die Version erneut her.")
	} else if err != nil {
		return err
	} else {
		s.flash(r, "Version "+strconv.Itoa(version)+" ist wiederhergestellt (als neue Version).")
	}
	http.Redirect(w, r, paths.Initiative(e.Slug, "verlauf"), http.StatusSeeOther)
	return nil
}

// revisionSteps names what each version of revs (newest first) was, for
// the history: created, submitted (again, after a return), returned,
// published, archived, or edited.
func revisionSteps(revs []store.Revision) []string {
	steps := make([]string, len(revs))
	returned := false
	for i := len(revs) - 1; i >= 0; i-- { // oldest first: "again" needs the past
		rev := revs[i]
		c, changed := rev.Changes["status"]
		to, _ := c.To.(string)
		switch {
		case !changed && len(rev.Changes) == 0 && i == len(revs)-1:
			steps[i] = "Angelegt"
		case !changed:
			steps[i] = "Bearbeitet"
		case to == initiative.StatusSubmitted && returned:
			steps[i] = "Erneut zur Prüfung eingereicht"
		case to == initiative.StatusSubmitted:
			steps[i] = "Zur Prüfung eingereicht"
		case to == initiative.StatusDraft:
			steps[i], returned = "Zurückgegeben", true
		case to == initiative.StatusPublished:
			steps[i] = "Veröffentlicht"
		case to == initiative.StatusArchived:
			steps[i] = "Archiviert"
		default:
			steps[i] = "Status geändert"
		}
	}
	return steps
}

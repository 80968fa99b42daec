package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

const usersPerPage = 25

func (s *Server) showAdmin(w http.ResponseWriter, r *http.Request) error {
	role := userFrom(r.Context()).Role
	// Officials read: the dashboard, the lists of initiatives and of stale
	// profiles; the texts promise them only what they may do.
	v := pages.AdminHomeView{Frame: s.frame(r, "Verwaltung"), Areas: []pages.AdminArea{
		{Title: "Dashboard", Text: "Kennzahlen, Entwicklung, Abdeckung, Themen, Vernetzung und Aktivität – mit CSV-Downloads und Tätigkeitsbericht.", Href: dashPath},
		{Title: "Initiativen", Text: "Alle Initiativen mit Status; eingereichte prüfen, veröffentlichen, zurückgeben oder archivieren; Verlauf jedes Profils.", Href: "/verwaltung/initiativen"},
		{Title: "Profile ohne Bestätigung", Text: "Profile, die seit einem Jahr nicht bestätigt wurden; Erinnerung an die Mitglieder senden.", Href: "/verwaltung/initiativen/veraltet"},
	}}
	if role == account.RoleOfficial {
		v.Areas[1].Text = "Alle Initiativen mit ihrem Status und dem Verlauf jedes Profils lesen."
		v.Areas[2].Text = "Profile lesen, die seit einem Jahr nicht bestätigt wurden, und sehen, wann die Mitglieder erinnert wurden."
	}
	if role == account.RoleEditor || role == account.RoleAdmin {
		v.Areas = append(v.Areas,
			pages.AdminArea{Title: "Veranstaltungen", Text: "Veranstaltungen anlegen und veröffentlichen, Programm und Workshops pflegen, Berichte schreiben.", Href: "/verwaltung/veranstaltungen"},
			pages.AdminArea{Title: "Initiativen importieren", Text: "Viele Initiativen auf einmal aus einer CSV-Datei anlegen – mit Vorschau und Prüfung jeder Zeile.", Href: "/verwaltung/initiativen/import"},
			pages.AdminArea{Title: "Begriffe", Text: "Themen, Branchen, Zielgruppen, Formate und Rechtsformen pflegen.", Href: "/verwaltung/begriffe"},
			pages.AdminArea{Title: "Ansprechpersonen (DSGVO)", Text: "Personen suchen, alles über sie exportieren oder sie auf Anfrage löschen.", Href: "/verwaltung/kontakte"},
			pages.AdminArea{Title: "Person einladen", Text: "Mitarbeitende von Initiativen, der Service-Stelle oder des Ministeriums einladen.", Href: "/verwaltung/benutzer/einladen"})
	}
	if role == account.RoleAdmin {
		v.Areas = append(v.Areas,
			pages.AdminArea{Title: "Benutzerkonten", Text: "Konten suchen, Rollen ändern, Initiativen zuordnen, sperren und entsperren.", Href: "/verwaltung/benutzer"},
			pages.AdminArea{Title: "Postausgang", Text: "Alle E-Mails, die das Portal verschickt hat oder noch verschickt.", Href: "/verwaltung/postausgang"})
	}
	return s.render(w, r, pages.AdminHome(v))
}

// roleOptions lists the roles with selected marked; unknown filters select none.
func roleOptions(selected string, withAll bool) []components.Option {
	var opts []components.Option
	if withAll {
		opts = append(opts, components.Option{Value: "", Label: "Alle Rollen", Selected: selected == ""})
	}
	for _, r := range account.Roles {
		opts = append(opts, components.Option{Value: string(r), Label: r.Label(), Selected: string(r) == selected})
	}
	return opts
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page := components.ParsePage(q)
	f := store.UserFilter{Query: cleanQuery(q.Get("q"), 200), Limit: usersPerPage, Offset: (page - 1) * usersPerPage}
	if role := account.Role(q.Get("rolle")); role.Valid() {
		f.Role = role
	}
	states := []components.Option{{Value: "", Label: "Alle", Selected: true}}
	for _, st := range []account.State{account.StateInvited, account.StateActive, account.StateDisabled} {
		sel := q.Get("status") == string(st)
		if sel {
			f.State, states[0].Selected = st, false
		}
		states = append(states, components.Option{Value: string(st), Label: st.Label(), Selected: sel})
	}
	items, total, err := s.store.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	v := pages.UserListView{Frame: s.frame(r, "Benutzerkonten"), Query: f.Query, RoleOptions: roleOptions(string(f.Role), true),
		StateOptions: states, Total: total, Pager: components.NewPager(*r.URL, page, usersPerPage, total)}
	for _, it := range items {
		v.Rows = append(v.Rows, pages.UserRow{Name: it.Name, Email: it.Email, Role: it.Role.Label(), State: it.State.Label(),
			TwoFactor: yesNo(it.TOTPEnabled()), Initiatives: it.Initiatives, Href: "/verwaltung/benutzer/" + itoa(it.ID)})
	}
	return s.render(w, r, pages.UserList(v))
}

func yesNo(b bool) string {
	if b {
		return "eingerichtet"
	}
	return "nicht eingerichtet"
}

// initiativeOptions lists all initiatives with the chosen ones checked.
func (s *Server) initiativeOptions(r *http.Request, chosen map[int64]bool) ([]components.Option, error) {
	all, err := s.store.AllInitiativeRefs(r.Context())
	if err != nil {
		return nil, err
	}
	opts := make([]components.Option, 0, len(all))
	for _, i := range all {
		opts = append(opts, components.Option{Value: itoa(i.ID), Label: i.Name, Selected: chosen[i.ID]})
	}
	return opts, nil
}

// parseInitiatives reads the checked initiative ids; anything that is not
// an id of an existing initiative is an error at the field.
func (s *Server) parseInitiatives(r *http.Request, f *components.Form) (ids []int64, chosen map[int64]bool, err error) {
	all, err := s.store.AllInitiativeRefs(r.Context())
	if err != nil {
		return nil, nil, err
	}
	known := map[int64]bool{}
	for _, i := range all {
		known[i.ID] = true
	}
	chosen = map[int64]bool{}
	for _, raw := range r.PostForm["initiativen"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !known[id] {
			f.Fail("initiativen", "Bitte wählen Sie nur Initiativen aus der Liste.")
			continue
		}
		if !chosen[id] {
			chosen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, chosen, nil
}

func (s *Server) newInvitation(w http.ResponseWriter, r *http.Request) error {
	v, err := s.inviteView(r, components.NewForm(), nil)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.Invite(v))
}

func (s *Server) inviteView(r *http.Request, f components.Form, chosen map[int64]bool) (pages.InviteView, error) {
	opts, err := s.initiativeOptions(r, chosen)
	return pages.InviteView{Frame: s.frame(r, "Person einladen"), Form: f, RoleOptions: roleOptions(f.Value("rolle"), false),
		Initiatives: opts, OnlyMembers: userFrom(r.Context()).Role != account.RoleAdmin}, err
}

// createInvitation creates the invited account, its link and the e-mail in
// one transaction. Editors invite members only.
func (s *Server) createInvitation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	me := userFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := components.NewForm()
	for _, k := range []string{"name", "email", "rolle"} {
		f.Values[k] = r.PostForm.Get(k)
	}
	name, err := account.ValidateName(f.Values["name"])
	if err != nil {
		f.Fail("name", err.Error())
	}
	email, err := account.NormalizeEmail(f.Values["email"])
	if err != nil {
		f.Fail("email", err.Error())
	}
	role := account.Role(f.Values["rolle"])
	if !role.Valid() || (me.Role != account.RoleAdmin && role != account.RoleMember) {
		f.Fail("rolle", "Bitte wählen Sie eine Rolle aus der Liste.")
	}
	ids, chosen, err := s.parseInitiatives(r, &f)
	if err != nil {
		return err
	}
	if len(ids) > 0 && role != account.RoleMember {
		f.Fail("initiativen", "Initiativen werden nur Mitgliedern zugeordnet.")
	}
	var id int64
	if f.OK() {
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			now := s.now()
			id, err = tx.CreateUser(ctx, store.NewUser{Email: email, Name: name, Role: role, State: account.StateInvited, Now: now})
			if err != nil {
				return err
			}
			if err := tx.SetUserInitiatives(ctx, id, ids); err != nil {
				return err
			}
			if err := s.sendInvitation(r, tx, id, email, name, role); err != nil {
				return err
			}
			return s.audit(r, tx, nil, "user.invited", "user", itoa(id), map[string]any{"email": email, "role": string(role), "initiatives": ids})
		})
		if errors.Is(err, store.ErrEmailTaken) {
			f.Fail("email", "Für diese E-Mail-Adresse besteht bereits ein Konto.")
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		v, err := s.inviteView(r, f, chosen)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Invite(v))
	}
	s.notifyMail()
	s.flash(r, "Die Einladung an "+email+" ist unterwegs.")
	if me.Role == account.RoleAdmin {
		http.Redirect(w, r, "/verwaltung/benutzer/"+itoa(id), http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/verwaltung/benutzer/einladen", http.StatusSeeOther)
	}
	return nil
}

// sendInvitation replaces any open invitation link with a new one and
// writes the e-mail, inside tx.
func (s *Server) sendInvitation(r *http.Request, tx *store.Store, id int64, email, name string, role account.Role) error {
	ctx, now := r.Context(), s.now()
	if err := tx.RevokeTokens(ctx, id, store.PurposeInvitation, now); err != nil {
		return err
	}
	token, hash := newToken()
	if err := tx.CreateToken(ctx, hash, id, store.PurposeInvitation, now, now.Add(invitationLifetime)); err != nil {
		return err
	}
	return s.enqueueMail(r, tx, email, "Einladung in das RII-Portal",
		invitationMail(name, userFrom(ctx).Name, role.Label(), s.link("/einladung/"+token)))
}

// userParam loads the account named in the URL.
func (s *Server) userParam(r *http.Request) (*store.User, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	return s.store.UserByID(r.Context(), id)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

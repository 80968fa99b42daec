package server

import (
	"errors"
	"fmt"
	"net/http"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

func (s *Server) newInvitation(w http.ResponseWriter, r *http.Request) error {
	p := newPick("initiativen", nil, nil)
	picker, err := s.settlePick(r.Context(), s.initiativePicks(), &p, false)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.Invite(s.inviteView(r, components.NewForm(), picker)))
}

func (s *Server) inviteView(r *http.Request, f components.Form, initiatives components.Picker) pages.InviteView {
	return pages.InviteView{Frame: s.frame(r, "Person einladen"), Form: f, RoleOptions: roleOptions(f.Value("rolle"), false),
		Initiatives: initiativePicker(initiatives, f, "Mitglieder bearbeiten die Profile der hier gewählten Initiativen."),
		OnlyMembers: userFrom(r.Context()).Role != account.RoleAdmin}
}

// initiativePicker labels the picker of a member's initiatives.
func initiativePicker(p components.Picker, f components.Form, hint string) components.Picker {
	p.Label, p.Hint, p.SearchLabel = "Initiativen (nur für Mitglieder)", hint, "Initiative suchen (Name oder Teil davon)"
	if msg := f.Error(p.Name); msg != "" {
		p.Error = msg
	}
	return p
}

// createInvitation creates the invited account, its link and the e-mail in
// one transaction. Editors invite members only.
func (s *Server) createInvitation(w http.ResponseWriter, r *http.Request) error {
	me := userFrom(r.Context())
	in, f, picker, err := s.readInvitation(r, me.Role)
	if err != nil {
		return err
	}
	if pickerRoundTrip(r.PostForm) {
		return s.render(w, r, pages.Invite(s.inviteView(r, f, picker)))
	}
	var id int64
	if f.OK() {
		id, err = s.inviteUser(r, in)
		if errors.Is(err, store.ErrEmailTaken) {
			f.Fail("email", "Für diese E-Mail-Adresse besteht bereits ein Konto.")
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Invite(s.inviteView(r, f, picker)))
	}
	s.notifyMail()
	s.flash(r, "Die Einladung an "+in.email+" "+s.mailState(1)+".")
	if me.Role == account.RoleAdmin {
		http.Redirect(w, r, paths.AdminUser(id), http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/verwaltung/benutzer/einladen", http.StatusSeeOther)
	}
	return nil
}

// invitation is a checked invitation form.
type invitation struct {
	name, email string
	role        account.Role
	initiatives []int64
}

// readInvitation reads and checks the invitation form; who invites bounds
// the roles (only an admin invites beyond members). A picker's search
// (pickerRoundTrip) is not checked.
func (s *Server) readInvitation(r *http.Request, inviter account.Role) (invitation, components.Form, components.Picker, error) {
	if err := r.ParseForm(); err != nil {
		return invitation{}, components.Form{}, components.Picker{}, err
	}
	f := components.NewForm()
	for _, k := range []string{"name", "email", "rolle"} {
		f.Values[k] = r.PostForm.Get(k)
	}
	p := readPick(r.PostForm, "initiativen")
	roundTrip := pickerRoundTrip(r.PostForm)
	picker, err := s.settlePick(r.Context(), s.initiativePicks(), &p, !roundTrip)
	var in invitation
	if err != nil || roundTrip {
		return in, f, picker, err
	}
	if in.name, err = account.ValidateName(f.Values["name"]); err != nil {
		f.Fail("name", err.Error())
	}
	if in.email, err = account.NormalizeEmail(f.Values["email"]); err != nil {
		f.Fail("email", err.Error())
	}
	in.role = account.Role(f.Values["rolle"])
	if !in.role.Valid() || (inviter != account.RoleAdmin && in.role != account.RoleMember) {
		f.Fail("rolle", "Bitte wählen Sie eine Rolle aus der Liste.")
	}
	if picker.Error != "" {
		f.Fail("initiativen", picker.Error)
	}
	in.initiatives = chosenIDs(picker)
	if len(in.initiatives) > 0 && in.role != account.RoleMember {
		f.Fail("initiativen", "Initiativen werden nur Mitgliedern zugeordnet.")
	}
	return in, f, picker, nil
}

// inviteUser creates the invited account with its initiatives, queues the
// invitation and records it, in one transaction. A known address is
// store.ErrEmailTaken.
func (s *Server) inviteUser(r *http.Request, in invitation) (id int64, err error) {
	ctx := r.Context()
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		id, err = tx.CreateUser(ctx, store.NewUser{Email: in.email, Name: in.name, Role: in.role,
			State: account.StateInvited, Now: s.now()})
		if err != nil {
			return err
		}
		if err := tx.SetUserInitiatives(ctx, id, in.initiatives); err != nil {
			return err
		}
		if err := s.sendInvitation(r, tx, id, in.email, in.name, in.role); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "user.invited", Object: "user", ID: itoa(id),
			Details: map[string]any{"email": in.email, "role": string(in.role), "initiatives": in.initiatives}})
	})
	return id, err
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
	return s.enqueueLinkMail(r, tx, email, "Einladung in das RII-Portal",
		invitationMail(name, userFrom(ctx).Name, role.Label(), store.LinkPlaceholder), s.link(paths.AccountInvitation(token)))
}

func invitationMail(name, inviter, role, link string) string {
	return fmt.Sprintf(`Guten Tag %s,

%s hat Sie in das RII-Portal der Service- und Beratungsstelle für regionale Industrieinitiativen eingeladen (Rolle: %s).

Über diesen Link legen Sie Ihr Passwort fest und richten Ihr Konto ein:

%s

Der Link gilt 72 Stunden und nur einmal. Erwarten Sie keine Einladung, können Sie diese E-Mail ignorieren.`, name, inviter, role, link)
}

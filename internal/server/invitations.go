package server

import (
	"errors"
	"net/http"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

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
		http.Redirect(w, r, paths.AdminUser(id), http.StatusSeeOther)
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

package server

import (
	"net/http"
	"slices"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// linkedPicker is the picker of the initiatives u is linked to.
func (s *Server) linkedPicker(r *http.Request, u *store.User) (components.Picker, error) {
	linked, err := s.store.UserInitiatives(r.Context(), u.ID)
	if err != nil {
		return components.Picker{}, err
	}
	ids := make([]int64, 0, len(linked))
	for _, i := range linked {
		ids = append(ids, i.ID)
	}
	p := newPick("initiativen", ids, nil)
	return s.settlePick(r.Context(), s.initiativePicks(), &p, false)
}

// userEditView builds the admin view of one account.
func (s *Server) userEditView(r *http.Request, u *store.User, f components.Form, picker components.Picker) (pages.UserEditView, error) {
	ctx := r.Context()
	if f.Value("rolle") == "" {
		f.Values["rolle"] = string(u.Role)
	}
	entries, err := s.store.ListAudit(ctx, store.AuditFilter{ObjectType: "user", ObjectID: itoa(u.ID), Limit: 50})
	if err != nil {
		return pages.UserEditView{}, err
	}
	v := pages.UserEditView{
		Frame: s.frame(r, u.Name), ID: u.ID, Name: u.Name, Email: u.Email, State: u.State.Label(),
		Since: formatTime(u.CreatedAt), TwoFactor: yesNo(u.TOTPEnabled()), Form: f,
		RoleOptions: roleOptions(f.Value("rolle"), false), Initiatives: initiativePicker(picker, f, ""),
		Self: u.ID == userFrom(ctx).ID, Disabled: u.State == account.StateDisabled, Invited: u.State == account.StateInvited,
		Action: paths.AdminUser(u.ID),
	}
	for _, e := range entries {
		v.Audit = append(v.Audit, pages.AuditRow{At: formatTime(e.At), Actor: e.Actor, Action: auditLabel(e.Action), ClientIP: e.ClientIP})
	}
	return v, nil
}

func (s *Server) editUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	picker, err := s.linkedPicker(r, u)
	if err != nil {
		return err
	}
	v, err := s.userEditView(r, u, components.NewForm(), picker)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.UserEdit(v))
}

// updateUser changes role and initiatives. A new role ends the person's
// sessions: their next sign-in gets a fresh session with the new rights.
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := components.NewForm()
	role := u.Role
	if u.ID != userFrom(ctx).ID {
		f.Values["rolle"] = r.PostForm.Get("rolle")
		role = account.Role(f.Values["rolle"])
		if !role.Valid() {
			f.Fail("rolle", "Bitte wählen Sie eine Rolle aus der Liste.")
		}
	}
	p := readPick(r.PostForm, "initiativen")
	roundTrip := pickerRoundTrip(r.PostForm)
	picker, err := s.settlePick(ctx, s.initiativePicks(), &p, !roundTrip)
	if err != nil {
		return err
	}
	if roundTrip {
		v, err := s.userEditView(r, u, f, picker)
		if err != nil {
			return err
		}
		return s.render(w, r, pages.UserEdit(v))
	}
	if picker.Error != "" {
		f.Fail("initiativen", picker.Error)
	}
	ids := chosenIDs(picker)
	if len(ids) > 0 && role != account.RoleMember {
		f.Fail("initiativen", "Initiativen werden nur Mitgliedern zugeordnet. Entfernen Sie die Auswahl oder wählen Sie die Rolle Mitglied.")
	}
	if !f.OK() {
		v, err := s.userEditView(r, u, f, picker)
		if err != nil {
			return err
		}
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.UserEdit(v))
	}
	if err := s.changeUser(r, u, role, ids); err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, "Die Änderungen an "+u.Name+" sind gespeichert.")
	http.Redirect(w, r, paths.AdminUser(u.ID), http.StatusSeeOther)
	return nil
}

// changeUser gives user u the initiatives ids and the role, in one
// transaction, recording each change; a changed role ends u's sessions,
// so the new rights apply at once.
func (s *Server) changeUser(r *http.Request, u *store.User, role account.Role, ids []int64) error {
	ctx := r.Context()
	return s.store.InTx(ctx, func(tx *store.Store) error {
		before, err := tx.UserInitiatives(ctx, u.ID)
		if err != nil {
			return err
		}
		var beforeIDs []int64
		for _, i := range before {
			beforeIDs = append(beforeIDs, i.ID)
		}
		slices.Sort(beforeIDs)
		slices.Sort(ids)
		if !slices.Equal(beforeIDs, ids) {
			if err := tx.SetUserInitiatives(ctx, u.ID, ids); err != nil {
				return err
			}
			if err := s.audit(r, tx, auditEntry{Action: "user.initiatives_changed", Object: "user", ID: itoa(u.ID), Details: map[string]any{"from": beforeIDs, "to": ids}}); err != nil {
				return err
			}
		}
		if role == u.Role {
			return nil
		}
		if err := tx.SetRole(ctx, u.ID, role, s.now()); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		if err := s.audit(r, tx, auditEntry{Action: "user.role_changed", Object: "user", ID: itoa(u.ID), Details: map[string]any{"from": string(u.Role), "to": string(role)}}); err != nil {
			return err
		}
		return s.notifyHolder(r, tx, u, noticeRole(u.Role.Label(), role.Label()))
	})
}

// setUserDisabled returns the handler that disables or enables an account;
// disabling ends all its sessions at once.
func (s *Server) setUserDisabled(disabled bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		u, err := s.userParam(r)
		if err != nil {
			return err
		}
		if u.ID == userFrom(ctx).ID {
			return errForbidden // an admin cannot lock themselves out
		}
		action, msg := "user.enabled", " ist wieder freigeschaltet."
		if disabled {
			action, msg = "user.disabled", " ist gesperrt; alle Sitzungen sind beendet."
		}
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			if err := tx.SetState(ctx, u.ID, disabled, s.now()); err != nil {
				return err
			}
			if _, err := tx.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: action, Object: "user", ID: itoa(u.ID)})
		})
		if err != nil {
			return err
		}
		s.flash(r, "Das Konto von "+u.Name+msg)
		http.Redirect(w, r, paths.AdminUser(u.ID), http.StatusSeeOther)
		return nil
	}
}

func (s *Server) resendInvitation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := s.userParam(r)
	if err != nil {
		return err
	}
	if u.State != account.StateInvited {
		s.flash(r, "Das Konto ist bereits eingerichtet; eine Einladung ist nicht nötig.")
		http.Redirect(w, r, paths.AdminUser(u.ID), http.StatusSeeOther)
		return nil
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		if err := s.sendInvitation(r, tx, u.ID, u.Email, u.Name, u.Role); err != nil {
			return err
		}
		return s.audit(r, tx, auditEntry{Action: "user.invited", Object: "user", ID: itoa(u.ID), Details: map[string]any{"resent": true}})
	})
	if err != nil {
		return err
	}
	s.notifyMail()
	s.flash(r, "Die Einladung wurde erneut gesendet.")
	http.Redirect(w, r, paths.AdminUser(u.ID), http.StatusSeeOther)
	return nil
}

// auditLabel is the German description of an audit action.
func auditLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return action
}

var auditLabels = map[string]string{
	"signin":                        "Anmeldung",
	"signin.failed":                 "Anmeldung fehlgeschlagen",
	"signin.throttled":              "Anmeldung wegen zu vieler Fehlversuche gesperrt",
	"signin.second_factor_failed":   "falscher Bestätigungscode",
	"signin.recovery_code_used":     "Wiederherstellungscode benutzt",
	"signout":                       "Abmeldung",
	"user.invited":                  "eingeladen",
	"user.invitation_used":          "Einladung angenommen",
	"user.password_reset_requested": "Zurücksetzen des Passworts angefordert",
	"user.password_reset_used":      "Passwort zurückgesetzt",
	"user.password_changed":         "Passwort geändert",
	"user.totp_enabled":             "zweiten Faktor eingerichtet",
	"user.totp_disabled":            "zweiten Faktor ausgeschaltet",
	"user.recovery_codes_renewed":   "neue Wiederherstellungscodes",
	"user.sessions_ended":           "andere Sitzungen beendet",
	"user.role_changed":             "Rolle geändert",
	"user.initiatives_changed":      "Initiativen geändert",
	"user.disabled":                 "gesperrt",
	"user.enabled":                  "entsperrt",
}

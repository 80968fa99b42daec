package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

const usersPerPage = 25

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
			TwoFactor: yesNo(it.TOTPEnabled()), Initiatives: it.Initiatives, Href: paths.AdminUser(it.ID)})
	}
	return s.render(w, r, pages.UserList(v))
}

func yesNo(b bool) string {
	if b {
		return "eingerichtet"
	}
	return "nicht eingerichtet"
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

package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// AdminHomeView is /verwaltung: the areas the user may manage.
type AdminHomeView struct {
	layout.Frame
	Areas []AdminArea
}

// AdminArea is one entry of the administration overview.
type AdminArea struct {
	Title, Text, Href string
}

// UserListView is the admins' list of accounts.
type UserListView struct {
	layout.Frame
	Query                     string
	RoleOptions, StateOptions []components.Option
	Rows                      []UserRow
	Total                     int
	Pager                     components.Pager
}

// UserRow is one account in the list.
type UserRow struct {
	Name, Email, Role, State, TwoFactor, Href string
	Initiatives                               int
}

// InviteView is the invitation form.
type InviteView struct {
	layout.Frame
	Form        components.Form
	RoleOptions []components.Option
	Initiatives components.Picker
	// OnlyMembers is set for editors, who invite members only.
	OnlyMembers bool
}

// UserEditView is an admin's view of one account.
type UserEditView struct {
	layout.Frame
	ID                        int64
	Name, Email, State, Since string
	TwoFactor                 string
	Form                      components.Form
	RoleOptions               []components.Option
	Initiatives               components.Picker
	Self                      bool
	Disabled, Invited         bool
	Action                    string
	Audit                     []AuditRow
}

// AuditRow is one line of an audit trail.
type AuditRow struct {
	At, Actor, Action, ClientIP string
}

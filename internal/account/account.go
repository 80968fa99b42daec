// Package account is the vocabulary of users: roles, states, and the pure
// rules for e-mail addresses and passwords. It imports nothing internal.
package account

import (
	"errors"
	"net/mail"
	"rii/internal/input"
	"strings"
	"unicode/utf8"
)

// Role is what a signed-in user may do (see DESIGN.md, "Who uses it").
type Role string

// The roles, from least to most privileged.
const (
	RoleMember   Role = "member"
	RoleEditor   Role = "editor"
	RoleOfficial Role = "official"
	RoleAdmin    Role = "admin"
)

// Roles lists every role in display order.
var Roles = []Role{RoleMember, RoleEditor, RoleOfficial, RoleAdmin}

// Label is the German name of the role.
func (r Role) Label() string {
	switch r {
	case RoleMember:
		return "Mitglied einer Initiative"
	case RoleEditor:
		return "Redaktion (Service-Stelle)"
	case RoleOfficial:
		return "Ministerium (nur lesen)"
	case RoleAdmin:
		return "Administration"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// RequiresTOTP reports whether the role must sign in with a second factor.
// Members may choose it; everyone who sees others' personal data must use it.
func (r Role) RequiresTOTP() bool { return r != RoleMember }

// State is the lifecycle of an account.
type State string

// The states of an account.
const (
	StateInvited  State = "invited"
	StateActive   State = "active"
	StateDisabled State = "disabled"
)

// Label is the German name of the state.
func (s State) Label() string {
	switch s {
	case StateInvited:
		return "eingeladen"
	case StateActive:
		return "aktiv"
	case StateDisabled:
		return "gesperrt"
	}
	return string(s)
}

// ErrInvalidEmail is returned for a malformed e-mail address.
var ErrInvalidEmail = errors.New("Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de.")

// NormalizeEmail trims and lower-cases an address and checks its form; the
// database stores addresses in this form so that uniqueness is
// case-insensitive.
func NormalizeEmail(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrInvalidEmail
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " <>\"(),;:\\[]\r\n\t") {
		return "", ErrInvalidEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", ErrInvalidEmail
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", ErrInvalidEmail
	}
	return s, nil
}

// ValidateName checks a person's display name.
func ValidateName(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		return "", errors.New("Bitte geben Sie einen Namen ein.")
	case !utf8.ValidString(s):
		return "", errors.New("Der Name enthält ungültige Zeichen.")
	case utf8.RuneCountInString(s) > 200:
		return "", errors.New("Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if input.HasControl(s, false) {
		return "", errors.New("Der Name enthält ungültige Zeichen.")
	}
	return s, nil
}

package server

import (
	"context"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/paths"
)

// Where people land after signing in when no page asked for them back.
const (
	adminLanding      = "/verwaltung"
	totpSetupPath     = "/konto/zwei-faktor"
	memberListLanding = "/konto#initiativen" // the list of one's initiatives on the account page
	memberNoneLanding = "/konto"
)

// landing is where a signed-in user's work is: the administration for
// editors and admins, the dashboard for officials, and for members their
// initiative (or the list of them).
func (s *Server) landing(ctx context.Context, u *store.User) (string, error) {
	switch u.Role {
	case account.RoleOfficial:
		return dashPath, nil // officials come to review the activity
	case account.RoleEditor, account.RoleAdmin:
		return adminLanding, nil
	}
	inis, err := s.store.UserInitiatives(ctx, u.ID)
	switch {
	case err != nil:
		return "", err
	case len(inis) == 1:
		return paths.Initiative(inis[0].Slug), nil
	case len(inis) > 1:
		return memberListLanding, nil
	}
	return memberNoneLanding, nil
}

// afterSignin is the page to send u to once signed in: the second
// factor's setup if their role needs one they lack (nothing else is open to
// them yet), else a safe page that asked for them (weiter=…), else their
// landing.
func (s *Server) afterSignin(ctx context.Context, u *store.User, next string) (string, error) {
	if u.Role.RequiresTOTP() && !u.TOTPEnabled() {
		return totpSetupPath, nil
	}
	if target := safeNext(next); target != "" {
		return target, nil
	}
	return s.landing(ctx, u)
}

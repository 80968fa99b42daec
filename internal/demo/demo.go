// Package demo fills an empty installation with demo content: the real facts
// of the kick-off event of 16 March 2021 (../shared/reference) and, where
// gaps had to be filled, sample data marked as such. Later parts of the
// portal add their content to Seed.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"rii/internal/account"
	"rii/internal/store"
)

// Account is a demo sign-in, printed once when the demo is seeded.
type Account struct {
	Role     account.Role
	Email    string
	Password string
}

// Result says what Seed did.
type Result struct {
	// Seeded is false when the installation already had its demo content.
	Seeded bool
	// Accounts are the demo sign-ins; their passwords exist nowhere else.
	Accounts []Account
}

// people are the demo accounts, one per role (sample data: invented names
// on the reserved example domain).
var people = []struct {
	role        account.Role
	email, name string
	initiative  string
}{
	{account.RoleAdmin, "admin@beispiel.example", "Demo Administration", ""},
	{account.RoleEditor, "redaktion@beispiel.example", "Demo Redaktion (Service-Stelle)", ""},
	{account.RoleOfficial, "ministerium@beispiel.example", "Demo Ministerium", ""},
	{account.RoleMember, "mitglied@beispiel.example", "Demo Mitglied Ems-Achse", "wachstumsregion-ems-achse"},
}

// Seed adds the demo content once per installation, in one transaction:
// either all of it lands or none, and two processes starting together seed
// once.
func Seed(ctx context.Context, st *store.Store) (Result, error) {
	var res Result
	err := st.InTx(ctx, func(tx *store.Store) error {
		claimed, err := tx.ClaimDemoSeed(ctx)
		if err != nil || !claimed {
			return err
		}
		now := time.Now()
		ids, err := seedInitiatives(ctx, tx, now)
		if err != nil {
			return err
		}
		if err := seedEvents(ctx, tx, ids, now); err != nil {
			return err
		}
		if err := seedProposal(ctx, tx, now); err != nil {
			return err
		}
		for _, p := range people {
			pw := account.GeneratePassword()
			hash, err := account.HashPassword(pw)
			if err != nil {
				return err
			}
			id, err := tx.CreateUser(ctx, store.NewUser{Email: p.email, Name: p.name, Role: p.role,
				State: account.StateActive, PasswordHash: hash, Now: now})
			if err != nil {
				return err
			}
			if p.initiative != "" {
				if err := tx.SetUserInitiatives(ctx, id, []int64{ids.initiatives[p.initiative]}); err != nil {
					return err
				}
			}
			res.Accounts = append(res.Accounts, Account{Role: p.role, Email: p.email, Password: pw})
		}
		res.Seeded = true
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("demo: seed: %w", err)
	}
	return res, nil
}

// Banner is the one-time terminal message with the demo sign-ins.
func Banner(baseURL string, accounts []Account) string {
	var b strings.Builder
	b.WriteString("\n================================================================\n")
	b.WriteString(" RII-Portal – Demo-Inhalte angelegt. Anmeldung: " + baseURL + "/anmelden\n")
	b.WriteString(" Diese Passwörter werden nur jetzt angezeigt:\n\n")
	for _, a := range accounts {
		fmt.Fprintf(&b, "   %-28s %-30s %s\n", a.Role.Label(), a.Email, a.Password)
	}
	b.WriteString("\n Redaktion, Ministerium und Administration richten bei der ersten\n")
	b.WriteString(" Anmeldung den zweiten Faktor (Authenticator-App) ein.\n")
	b.WriteString("================================================================\n\n")
	return b.String()
}

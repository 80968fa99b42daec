package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"rii/internal/account"
	"rii/internal/config"
	"rii/internal/store"
)

// user runs account commands: `rii user add` creates the first admin of a
// new installation (and any other account) from the command line.
func user(ctx context.Context, log *slog.Logger, cfg *config.Config, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usageErr("rii user add -email ADDRESS -name NAME [-role admin|editor|official|member] [-password-stdin]")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	email := fs.String("email", "", "e-mail address (sign-in name)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "admin", "admin, editor, official or member")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	if err := fs.Parse(args[1:]); err != nil {
		return usageErr("%v", err)
	}
	addr, err := account.NormalizeEmail(*email)
	if err != nil {
		return fmt.Errorf("-email: %w", err)
	}
	display, err := account.ValidateName(*name)
	if err != nil {
		return fmt.Errorf("-name: %w", err)
	}
	r := account.Role(*role)
	if !r.Valid() {
		return fmt.Errorf("-role %q: must be admin, editor, official or member", *role)
	}
	pw, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
		if err := account.ValidatePassword(pw, addr, display); err != nil {
			return fmt.Errorf("password: %w", err)
		}
	} else {
		pw, generated = account.GeneratePassword(), true
	}
	hash, err := account.HashPassword(pw)
	if err != nil {
		return err
	}

	pool, done, err := connect(ctx, log, cfg, true)
	if err != nil {
		return err
	}
	defer done()
	st := store.New(pool)
	err = st.InTx(ctx, func(tx *store.Store) error {
		now := time.Now()
		id, err := tx.CreateUser(ctx, store.NewUser{Email: addr, Name: display, Role: r, State: account.StateActive, PasswordHash: hash, Now: now})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{At: now, Actor: "Kommandozeile", Action: "user.created", ObjectType: "user",
			ObjectID: fmt.Sprint(id), Details: map[string]any{"email": addr, "role": string(r)}})
	})
	if errors.Is(err, store.ErrEmailTaken) {
		return fmt.Errorf("an account with %s exists already", addr)
	}
	if err != nil {
		return err
	}
	fmt.Printf("Konto angelegt: %s (%s)\n", addr, r.Label())
	if generated {
		fmt.Printf("Passwort (wird nur jetzt angezeigt): %s\n", pw)
	}
	if r.RequiresTOTP() {
		fmt.Println("Bei der ersten Anmeldung wird der zweite Faktor (Authenticator-App) eingerichtet.")
	}
	return nil
}

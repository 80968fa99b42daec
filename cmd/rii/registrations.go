package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"rii/internal/config"
	"rii/internal/store"
)

// registrations runs `rii registrations anonymise`: the retention job by
// hand, for the period of RII_REGISTRATION_RETENTION_DAYS or -days.
func registrations(ctx context.Context, log *slog.Logger, cfg *config.Config, args []string) error {
	if len(args) == 0 || args[0] != "anonymise" {
		return usageErr("rii registrations anonymise [-days N]")
	}
	fs := flag.NewFlagSet("registrations anonymise", flag.ContinueOnError)
	days := fs.Int("days", cfg.RegistrationRetentionDays, "anonymise registrations of events that ended more than N days ago")
	if err := fs.Parse(args[1:]); err != nil {
		return usageErr("%v", err)
	}
	if *days < 1 {
		return fmt.Errorf("-days %d: must be at least 1", *days)
	}
	pool, done, err := connect(ctx, log, cfg, true)
	if err != nil {
		return err
	}
	defer done()
	now := time.Now()
	n, err := store.New(pool).AnonymiseRegistrations(ctx, now.AddDate(0, 0, -*days), now)
	if err != nil {
		return err
	}
	fmt.Printf("%d Anmeldungen anonymisiert (Veranstaltungen, die vor mehr als %d Tagen endeten)\n", n, *days)
	return nil
}

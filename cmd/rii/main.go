// Command rii is the RII-Portal: one binary that serves the portal, migrates
// its database, seeds demo content and runs a local development database.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"rii/internal/config"
)

const usage = `RII-Portal – Portal der Service- und Beratungsstelle für regionale Industrieinitiativen

Usage:
  rii serve              migrate the database, then serve HTTP (needs DATABASE_URL)
  rii dev                like serve, with a local PostgreSQL cluster under RII_DATA_DIR when
                         DATABASE_URL is unset, and demo content on first start (make run)
  rii migrate up|down|status
                         apply all pending migrations, roll back the last one, or list them
  rii seed [-synthetic N [-contacts C] [-events M]]
                         add the demo content to an installation that has none yet, or N
                         generated initiatives (sample data) for load tests
  rii user add -email ADDRESS -name NAME [-role admin|editor|official|member] [-password-stdin]
                         create an account (the first admin of a new installation); prints a
                         generated password once unless -password-stdin is given
  rii registrations anonymise [-days N]
                         erase the personal data of registrations for events that ended more
                         than N days ago (default RII_REGISTRATION_RETENTION_DAYS)
  rii dev-db url         print the connection URL of the local development cluster
  rii backup FILE        write a consistent dump of the whole portal database (pg_dump custom
                         format, images included) to FILE, which must not exist yet
  rii restore FILE       load a dump made by rii backup into an empty database

Configuration comes from environment variables:
`

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rii:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Print(usage)
		for _, v := range config.Vars {
			fmt.Printf("  %-22s %s (default: %s)\n", v.Name, v.Meaning, orNote(v))
		}
		return nil
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	// SIGTERM (from an orchestrator) and SIGINT (Ctrl-C) both mean: finish
	// running requests, then stop.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	switch args[0] {
	case "serve":
		return serve(ctx, log, cfg)
	case "dev":
		return dev(ctx, log, cfg)
	case "migrate":
		return migrate(ctx, log, cfg, args[1:])
	case "seed":
		return seed(ctx, log, cfg, args[1:])
	case "user":
		return user(ctx, log, cfg, args[1:])
	case "registrations":
		return registrations(ctx, log, cfg, args[1:])
	case "dev-db":
		return devDB(ctx, cfg, args[1:])
	case "backup":
		return backup(ctx, log, cfg, args[1:])
	case "restore":
		return restore(ctx, log, cfg, args[1:])
	default:
		return fmt.Errorf("unknown command %q (see: rii help)", args[0])
	}
}

func orNote(v config.Var) string {
	if v.Default == "" {
		return v.Note
	}
	return v.Default
}

func newLogger(cfg *config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// errUsage marks a wrong command line.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, strings.TrimSpace(fmt.Sprintf(format, a...)))
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/config"
	"rii/internal/demo"
	"rii/internal/mail"
	"rii/internal/server"
	"rii/internal/store"
	"rii/migrations"
)

// serve migrates and serves the database named by DATABASE_URL.
func serve(ctx context.Context, log *slog.Logger, cfg *config.Config) error {
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is not set (for a local development database use: make run)")
	}
	if len(cfg.SecretKeys) == 0 {
		return errors.New("RII_SECRET_KEYS is not set: it protects second factors and e-mailed links; make one with: openssl rand -base64 32")
	}
	return serveDB(ctx, log, cfg, cfg.DatabaseURL, false)
}

// serveDB connects, migrates, optionally seeds demo content and serves until
// ctx ends.
func serveDB(ctx context.Context, log *slog.Logger, cfg *config.Config, dbURL string, seedDemo bool) error {
	log.Info("starting RII-Portal", slog.Any("config", cfg))
	pool, err := openPool(ctx, log, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := migrations.Up(ctx, pool); err != nil {
		return err
	}
	var seeded demo.Result
	if seedDemo {
		if seeded, err = demo.Seed(ctx, store.New(pool)); err != nil {
			return err
		}
	}
	worker, err := mail.New(cfg, store.New(pool), log)
	if err != nil {
		return err
	}
	srv, err := server.New(pool, server.Options{Config: cfg, Logger: log, SchemaVersion: migrations.Latest(), MailNotify: worker.Notify})
	if err != nil {
		return err
	}
	worker.Observe = srv.MailDelivered
	// The worker stops after the HTTP server: a request that enqueued a
	// message during shutdown still gets it sent, or it waits in the outbox.
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	workerDone := make(chan struct{})
	go func() { worker.Run(workerCtx); close(workerDone) }()
	go srv.RunJobs(ctx)
	go srv.WatchContent(ctx)
	if cfg.PprofListen != "" {
		go servePprof(ctx, log, cfg.PprofListen)
	}
	defer func() { stopWorker(); <-workerDone }()
	if cfg.MetricsAddr != "" {
		go func() {
			err := server.Run(ctx, log, cfg.MetricsAddr, srv.Metrics(), cfg.ShutdownTimeout, func(a net.Addr) {
				log.Info("metrics ready", slog.String("listen", a.String()))
			})
			if err != nil {
				log.Error("metrics listener", slog.Any("error", err))
			}
		}()
	}

	return server.Run(ctx, log, cfg.ListenAddr, srv.Handler(), cfg.ShutdownTimeout, func(a net.Addr) {
		log.Info("portal ready", slog.String("url", cfg.BaseURL.String()), slog.String("listen", a.String()))
		if seeded.Seeded {
			fmt.Print(demo.Banner(cfg.BaseURL.String(), seeded.Accounts))
		}
	})
}

// openPool connects and waits up to 30 s for the database, so the portal and
// its database can be started together.
func openPool(ctx context.Context, log *slog.Logger, dbURL string) (*pgxpool.Pool, error) {
	pc, err := store.PoolConfig(dbURL)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err = pool.Ping(ctx)
		if err == nil {
			return pool, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("database not reachable: %w", err)
		}
		log.Warn("waiting for the database", slog.Any("error", err))
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// connect opens the configured database (the local cluster without
// DATABASE_URL), migrated first if asked; done closes the pool and stops a
// cluster this call started.
func connect(ctx context.Context, log *slog.Logger, cfg *config.Config, migrate bool) (*pgxpool.Pool, func(), error) {
	dbURL, cleanup, err := databaseURL(ctx, log, cfg)
	if err != nil {
		return nil, nil, err
	}
	pool, err := openPool(ctx, log, dbURL)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	done := func() { pool.Close(); cleanup() }
	if migrate {
		if _, err := migrations.Up(ctx, pool); err != nil {
			done()
			return nil, nil, err
		}
	}
	return pool, done, nil
}

// migrate runs a migration command.
func migrate(ctx context.Context, log *slog.Logger, cfg *config.Config, args []string) error {
	if len(args) != 1 {
		return usageErr("rii migrate up|down|status")
	}
	pool, done, err := connect(ctx, log, cfg, false)
	if err != nil {
		return err
	}
	defer done()
	switch args[0] {
	case "up":
		res, err := migrations.Up(ctx, pool)
		for _, r := range res {
			fmt.Printf("applied %s (%s)\n", r.Source.Path, r.Duration.Round(time.Millisecond))
		}
		if err == nil && len(res) == 0 {
			fmt.Println("nothing to apply: the database is up to date")
		}
		return err
	case "down":
		res, err := migrations.Down(ctx, pool)
		if res != nil {
			fmt.Printf("rolled back %s\n", res.Source.Path)
		}
		return err
	case "status":
		st, err := migrations.Status(ctx, pool)
		for _, s := range st {
			at := "pending"
			if !s.AppliedAt.IsZero() {
				at = "applied " + s.AppliedAt.Local().Format(time.DateTime)
			}
			fmt.Printf("%-40s %s\n", s.Source.Path, at)
		}
		return err
	default:
		return usageErr("rii migrate up|down|status")
	}
}

// seed adds demo content once, or with -synthetic N that many generated
// initiatives (marked as sample data) for load and performance tests.
func seed(ctx context.Context, log *slog.Logger, cfg *config.Config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	synthetic := fs.Int("synthetic", 0, "add N generated initiatives spread over all districts")
	events := fs.Int("events", 0, "with -synthetic: also add N generated events in which the initiatives take part")
	registrations := fs.Int("registrations", 0, "with -events: also add N generated registrations spread over the generated events")
	contacts := fs.Int("contacts", 0, "with -synthetic: also add N generated contact persons of no initiative (speakers, moderators)")
	if err := fs.Parse(args); err != nil || *synthetic < 0 || *synthetic > 1000000 || *events < 0 || *events > 100000 ||
		*registrations < 0 || *registrations > 10000000 || (*registrations > 0 && *events == 0) || *contacts < 0 || *contacts > 100000 {
		return usageErr("rii seed [-synthetic N [-contacts C] [-events M [-registrations K]]]  (N up to 1000000, C and M up to 100000, K up to 10000000)")
	}
	pool, done, err := connect(ctx, log, cfg, true)
	if err != nil {
		return err
	}
	defer done()
	if *synthetic > 0 {
		start := time.Now()
		if err := store.New(pool).InsertSyntheticInitiatives(ctx, *synthetic, time.Now().UnixNano()); err != nil {
			return err
		}
		fmt.Printf("%d synthetische Initiativen angelegt (%s)\n", *synthetic, time.Since(start).Round(time.Millisecond))
		if *contacts > 0 {
			if err := store.New(pool).InsertSyntheticContacts(ctx, *contacts, time.Now().UnixNano()); err != nil {
				return err
			}
			fmt.Printf("%d synthetische Ansprechpersonen angelegt\n", *contacts)
		}
		if *events > 0 {
			return seedEvents(ctx, store.New(pool), *events, *registrations)
		}
		return nil
	}
	res, err := demo.Seed(ctx, store.New(pool))
	if err != nil {
		return err
	}
	if !res.Seeded {
		fmt.Println("demo content was seeded before; nothing to do")
		return nil
	}
	fmt.Print(demo.Banner(cfg.BaseURL.String(), res.Accounts))
	return nil
}

// servePprof serves net/http/pprof on its own loopback listener (config
// checks the address), never on the portal's router.
func servePprof(ctx context.Context, log *slog.Logger, addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	err := server.Run(ctx, log, addr, mux, time.Second, func(a net.Addr) {
		log.Info("profiling listener ready", slog.String("listen", a.String()))
	})
	if err != nil {
		log.Error("profiling listener", slog.Any("error", err))
	}
}

// seedEvents adds n generated events with workshops and reports, lets
// the published initiatives take part in them and adds k registrations
// to them (for the dashboard).
func seedEvents(ctx context.Context, st *store.Store, n, k int) error {
	start, seed := time.Now(), time.Now().UnixNano()
	if err := st.InsertSyntheticEvents(ctx, n, seed); err != nil {
		return err
	}
	if err := st.InsertSyntheticParticipation(ctx, seed); err != nil {
		return err
	}
	fmt.Printf("%d synthetische Veranstaltungen mit Workshops und Mitwirkenden angelegt (%s)\n", n, time.Since(start).Round(time.Millisecond))
	if k == 0 {
		return nil
	}
	start = time.Now()
	if err := st.InsertSyntheticRegistrations(ctx, k, seed); err != nil {
		return err
	}
	fmt.Printf("%d synthetische Anmeldungen angelegt (%s)\n", k, time.Since(start).Round(time.Millisecond))
	return nil
}

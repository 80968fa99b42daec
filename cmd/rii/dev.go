package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/config"
	"rii/internal/pgcluster"
	"rii/internal/secret"
)

// devDatabase is the database the local development cluster holds.
const devDatabase = "rii"

// localCluster describes the development cluster under RII_DATA_DIR.
func localCluster(cfg *config.Config) *pgcluster.Cluster {
	return pgcluster.New(filepath.Join(cfg.DataDir, "pg"), filepath.Join(cfg.DataDir, "run"))
}

// dev is `make run`: a local cluster unless DATABASE_URL is set, migrations,
// demo content on first start, then the portal.
func dev(ctx context.Context, log *slog.Logger, cfg *config.Config) error {
	dbURL, cleanup, err := databaseURL(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	if len(cfg.SecretKeys) == 0 {
		if cfg.SecretKeys, err = devSecretKey(cfg.DataDir); err != nil {
			return err
		}
	}
	return serveDB(ctx, log, cfg, dbURL, true)
}

// devSecretKey reads the development key under dataDir, making it on first
// use, so `make run` needs no RII_SECRET_KEYS and keeps its second factors
// across restarts. Only `rii dev` does this; `rii serve` requires the key.
func devSecretKey(dataDir string) ([][]byte, error) {
	path := filepath.Join(dataDir, "secret-key")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, err
		}
		b = []byte(secret.Generate())
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	keys, err := secret.Parse(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

// databaseURL returns DATABASE_URL, or else the URL of the local development
// cluster, starting it (and creating it the first time) when no server runs
// on it yet. cleanup stops a cluster this call started.
func databaseURL(ctx context.Context, log *slog.Logger, cfg *config.Config) (string, func(), error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	c := localCluster(cfg)
	url := c.URL(devDatabase)
	if reachable(ctx, c.URL("postgres")) { // another `rii dev` runs it already
		if _, err := c.CreateDatabase(ctx, devDatabase); err != nil {
			return "", nil, err
		}
		return url, func() {}, nil
	}
	start := time.Now()
	created, err := c.Init(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("local database: %w", err)
	}
	if created {
		log.Info("created local PostgreSQL cluster", slog.String("dir", c.DataDir))
	}
	if err := c.Start(ctx); err != nil {
		return "", nil, fmt.Errorf("local database: %w", err)
	}
	cleanup := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.Stop(sctx); err != nil {
			log.Error("stopping local PostgreSQL", slog.Any("error", err))
			return
		}
		log.Info("local PostgreSQL stopped")
	}
	if _, err := c.CreateDatabase(ctx, devDatabase); err != nil {
		cleanup()
		return "", nil, err
	}
	log.Info("local PostgreSQL running", slog.String("dir", c.DataDir),
		slog.Duration("startup", time.Since(start).Round(time.Millisecond)))
	return url, cleanup, nil
}

// reachable reports whether a server answers at url right now.
func reachable(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return false
	}
	conn.Close(ctx)
	return true
}

// devDB runs commands about the local development cluster.
func devDB(_ context.Context, cfg *config.Config, args []string) error {
	if len(args) != 1 || args[0] != "url" {
		return usageErr("rii dev-db url")
	}
	fmt.Println(localCluster(cfg).URL(devDatabase))
	return nil
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"rii/internal/config"
)

// dumpMagic starts every pg_dump archive in custom format.
const dumpMagic = "PGDMP"

// backup writes a consistent dump of the whole portal database (pg_dump
// custom format: one snapshot, images included, as they live in tables) to
// FILE, first under a temporary name so a failed run leaves no half file.
func backup(ctx context.Context, log *slog.Logger, cfg *config.Config, args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usageErr("rii backup FILE")
	}
	file := args[0]
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("Die Datei %s gibt es schon; eine Sicherung überschreibt nichts. Bitte einen neuen Namen wählen. "+
			"(%s exists already; a backup never overwrites: choose a new name)", file, file)
	}
	pgDump, err := findTool("pg_dump")
	if err != nil {
		return err
	}
	dbURL, cleanup, err := reachableDatabase(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	tmp := file + ".unvollstaendig"
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--compress=6", "--file="+tmp, "--dbname="+dbURL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("Sicherung fehlgeschlagen (backup failed): %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("Sicherung fehlgeschlagen (backup failed): %w", err)
	}
	st, _ := os.Stat(file)
	fmt.Printf("Sicherung geschrieben: %s (%d Bytes, %s)\n", file, st.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// restore loads FILE, made by `rii backup`, into an empty database: it
// refuses a database that holds any table, so nothing is ever overwritten.
func restore(ctx context.Context, log *slog.Logger, cfg *config.Config, args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usageErr("rii restore FILE")
	}
	file := args[0]
	if err := checkDumpFile(file); err != nil {
		return err
	}
	pgRestore, err := findTool("pg_restore")
	if err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, pgRestore, "--list", file).CombinedOutput(); err != nil ||
		!bytes.Contains(out, []byte("goose_db_version")) {
		return fmt.Errorf("%s ist keine Sicherung des Portals (not a backup of the portal made by rii backup): %s",
			file, firstLine(out))
	}
	dbURL, cleanup, err := reachableDatabase(ctx, log, cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	if n, err := tableCount(ctx, dbURL); err != nil {
		return err
	} else if n > 0 {
		return fmt.Errorf("Die Zieldatenbank enthält schon %d Tabellen; zurückgespielt wird nur in eine leere Datenbank "+
			"(z. B. nach DROP DATABASE und CREATE DATABASE). Nichts wurde verändert. "+
			"(the target database is not empty; restore only into an empty database; nothing was changed)", n)
	}
	// One transaction: a failure leaves the database empty, as it was.
	cmd := exec.CommandContext(ctx, pgRestore, "--dbname="+dbURL, "--single-transaction", "--exit-on-error",
		"--no-owner", "--no-privileges", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("Zurückspielen fehlgeschlagen, die Datenbank bleibt leer (restore failed, the database stays empty): %v: %s",
			err, strings.TrimSpace(stderr.String()))
	}
	fmt.Printf("Sicherung %s zurückgespielt (%s)\n", file, time.Since(start).Round(time.Millisecond))
	return nil
}

// checkDumpFile tells a missing or foreign file before any tool runs.
func checkDumpFile(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("Sicherungsdatei nicht lesbar (cannot read the backup file): %w", err)
	}
	defer f.Close()
	head := make([]byte, len(dumpMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != dumpMagic {
		return fmt.Errorf("%s ist keine Sicherung von „rii backup“ (not a pg_dump custom-format archive made by rii backup)", file)
	}
	return nil
}

// findTool finds a PostgreSQL client program on PATH or in the Debian
// version directories; the message says how to install it.
func findTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- { // newest version first
		if p := filepath.Join(dirs[i], name); isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s fehlt: bitte die PostgreSQL-Client-Programme installieren, z. B. apt-get install postgresql-client "+
		"(%s not found: install the PostgreSQL client programs)", name, name)
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// reachableDatabase returns the database URL (the local cluster without
// DATABASE_URL) once a connection works, or a clear message.
func reachableDatabase(ctx context.Context, log *slog.Logger, cfg *config.Config) (string, func(), error) {
	dbURL, cleanup, err := databaseURL(ctx, log, cfg)
	if err != nil {
		return "", nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, dbURL)
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("Datenbank nicht erreichbar (database not reachable): %w", err)
	}
	conn.Close(ctx)
	return dbURL, cleanup, nil
}

// tableCount counts the tables outside PostgreSQL's own schemas.
func tableCount(ctx context.Context, dbURL string) (int, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, fmt.Errorf("Datenbank nicht erreichbar (database not reachable): %w", err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("database: %w", err)
	}
	return n, nil
}

func firstLine(b []byte) string {
	line, _, _ := bufio.NewReader(bytes.NewReader(b)).ReadLine()
	if len(line) == 0 {
		return "(keine Einträge)"
	}
	return string(line)
}

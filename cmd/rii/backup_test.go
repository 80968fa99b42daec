package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/config"
	"rii/internal/demo"
	"rii/internal/pgtest"
	"rii/internal/server"
	"rii/internal/store"
	"rii/migrations"
)

const drillProfile = "/initiativen/industrie-gemeinsam-zukunft-leben"

// TestBackupRestoreDrill is the drill an operator runs: demo content with a
// logo, `rii backup`, the database wiped, `rii restore` – and the public
// pages, a profile with its logo and an event report are byte-identical.
// Every misuse on the way is refused with a clear message.
func TestBackupRestoreDrill(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	dbURL := pgtest.NewDB(t)
	env := append(os.Environ(), "DATABASE_URL="+dbURL)
	rii := func(args ...string) (string, error) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := rii("seed"); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	addLogo(t, dbURL)
	before := snapshot(t, dbURL)

	file := filepath.Join(t.TempDir(), "portal.dump")
	if out, err := rii("backup", file); err != nil || !strings.Contains(out, "Sicherung geschrieben") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	refused := func(want string, args ...string) {
		t.Helper()
		out, err := rii(args...)
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("rii %s: %v, want refusal with %q:\n%s", strings.Join(args, " "), err, want, out)
		}
	}
	refused("gibt es schon", "backup", file)
	refused("enthält schon", "restore", file)
	foreign := filepath.Join(t.TempDir(), "notizen.txt")
	os.WriteFile(foreign, []byte("keine Sicherung\n"), 0o644)
	refused("keine Sicherung", "restore", foreign)
	refused("nicht lesbar", "restore", filepath.Join(t.TempDir(), "fehlt.dump"))
	refused("usage", "restore")

	wipe(t, dbURL)
	if out, err := rii("restore", file); err != nil || !strings.Contains(out, "zurückgespielt") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	after := snapshot(t, dbURL)
	for path, b := range before {
		if !bytes.Equal(b, after[path]) {
			t.Errorf("%s differs after the restore (%d bytes before, %d after)", path, len(b), len(after[path]))
		}
	}
}

// TestBackupOfAnUnreachableDatabase names the problem.
func TestBackupOfAnUnreachableDatabase(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "backup", filepath.Join(t.TempDir(), "x.dump"))
	cmd.Env = append(os.Environ(), "DATABASE_URL=postgres://postgres@/rii?host=/nirgendwo&connect_timeout=2")
	out, err := cmd.CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("Datenbank nicht erreichbar")) {
		t.Errorf("backup without a database: %v\n%s", err, out)
	}
}

func TestFindToolExplainsAMissingProgram(t *testing.T) {
	_, err := findTool("pg_dump_gibt_es_nicht")
	if err == nil || !strings.Contains(err.Error(), "postgresql-client") {
		t.Errorf("findTool: %v", err)
	}
}

// addLogo gives the drill's profile a logo.
func addLogo(t *testing.T, dbURL string) {
	t.Helper()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var id int64
	slug := strings.TrimPrefix(drillProfile, "/initiativen/")
	if err := pool.QueryRow(ctx, `SELECT id FROM initiatives WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 16, 8))
	for x := range 16 {
		img.Set(x, x%8, color.RGBA{0, 90, 160, 255})
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	_, _, err = store.New(pool).SetInitiativeLogo(ctx, id, store.NewImage{ContentType: "image/png", Data: buf.Bytes(),
		Width: 16, Height: 8, Alt: "Logo der Initiative"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot fetches the public pages, the profile's logo and the report
// through the real server on dbURL, at a fixed clock.
func snapshot(t *testing.T, dbURL string) map[string][]byte {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	cfg, err := config.Load(func(k string) string {
		if k == "RII_SECRET_KEYS" {
			return testSecretKeys
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	srv, err := server.New(pool, server.Options{Config: cfg, Logger: discardLogger(), SchemaVersion: migrations.Latest(),
		Clock: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	get := func(path string) []byte {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		return b
	}
	pages := map[string][]byte{}
	for _, p := range []string{"/", "/initiativen", drillProfile, "/veranstaltungen", "/veranstaltungen/" + demo.KickOffSlug,
		"/berichte", "/berichte/" + demo.KickOffSlug, "/berichte/feed.atom", "/initiativen.csv", "/themen"} {
		pages[p] = get(p)
	}
	logo := regexp.MustCompile(`src="(/bilder/[^"]+)"`).FindSubmatch(pages[drillProfile])
	if logo == nil {
		t.Fatal("the profile shows no logo")
	}
	pages[string(logo[1])] = get(string(logo[1]))
	return pages
}

// wipe replaces the database by an empty one of the same name.
func wipe(t *testing.T, dbURL string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{"DROP DATABASE " + name + " WITH (FORCE)", "CREATE DATABASE " + name} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

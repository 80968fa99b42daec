package main

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"rii/internal/pgtest"
)

// TestEveryMigrationGoesDownAndUp rolls a database with demo content back
// one migration at a time to none, applies them all again, and checks that
// the schema is the same as before and that demo content can be seeded and
// served on it.
func TestEveryMigrationGoesDownAndUp(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	dbURL := pgtest.NewDB(t)
	env := append(os.Environ(), "DATABASE_URL="+dbURL)
	rii := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("rii %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	rii("seed")
	before := schema(t, dbURL)

	// One step at a time, as long as any migration is applied; numbers
	// need not be contiguous.
	steps := 0
	for ; strings.Contains(rii("migrate", "status"), "applied "); steps++ {
		if steps > 1000 {
			t.Fatal("migrate down does not get to the bottom")
		}
		if out := rii("migrate", "down"); !strings.Contains(out, "rolled back") {
			t.Fatalf("migrate down: %s", out)
		}
	}
	if steps < 10 {
		t.Errorf("rolled back %d migrations, want all (at least 10)", steps)
	}
	if n := schema(t, dbURL); strings.Contains(n, "CREATE TABLE public.initiatives") {
		t.Fatal("tables remain after rolling back every migration")
	}
	rii("migrate", "up")
	if after := schema(t, dbURL); after != before {
		t.Errorf("the schema after down and up differs from the original:\n%s", firstDiff(before, after))
	}
	if out := rii("seed"); !strings.Contains(out, "Demo-Inhalte angelegt") {
		t.Errorf("seeding after down and up:\n%s", out)
	}
}

// schema is the database's schema as pg_dump writes it.
func schema(t *testing.T, dbURL string) string {
	t.Helper()
	pgDump, err := findTool("pg_dump")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pgDump, "--schema-only", "--no-owner", "--dbname="+dbURL).Output()
	if err != nil {
		t.Fatalf("pg_dump --schema-only: %v", err)
	}
	// \restrict and \unrestrict carry a random key per dump.
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(l, "\\restrict ") && !strings.HasPrefix(l, "\\unrestrict ") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// firstDiff shows the first differing line of two texts.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + la[i] + "\n+ " + lb[i]
		}
	}
	return "one is longer than the other"
}

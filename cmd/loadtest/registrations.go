package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/demo"
	"rii/web/paths"
)

// registrationScript posts the registration form of the demo's upcoming
// event, each request as a new person from a new client address. WS is the
// first workshop's id, BASE the portal's origin.
const registrationScript = `
local n = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  n = n + 1
  local id = "RUN-" .. tostring(tid) .. "-" .. tostring(n)
  local body = "name=Last+Test&email=last" .. id .. "%40beispiel.example&organisation=Beispiel&einwilligung=ja&workshop-1=WS"
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Origin"] = "BASE"
  headers["X-Forwarded-For"] = "10." .. tid .. "." .. (math.floor(n / 250) % 250) .. "." .. (n % 250 + 1)
  return wrk.format("POST", "/veranstaltungen/SLUG/anmeldung", headers, body)
end
`

// registrationLoad measures registration posts (POSTs/s, p99) alone, the
// event page alone, and both at once, each for duration.
func registrationLoad(ctx context.Context, pool *pgxpool.Pool, base string, conns int, duration fmt.Stringer, dir string) error {
	var ws int64
	if err := pool.QueryRow(ctx, `SELECT w.id FROM workshops w JOIN events e ON e.id = w.event_id
		WHERE e.slug = $1 ORDER BY w.starts_at, w.position LIMIT 1`, demo.UpcomingSlug).Scan(&ws); err != nil {
		return fmt.Errorf("the demo's upcoming event: %w", err)
	}
	// Each run gets its own script: new addresses, so every post is a new
	// registration rather than the same address again.
	scripts := make([]string, 2)
	for i := range scripts {
		scripts[i] = filepath.Join(dir, fmt.Sprintf("register%d.lua", i))
		body := strings.NewReplacer("RUN", fmt.Sprint(i), "WS", fmt.Sprint(ws), "BASE", base, "SLUG", demo.UpcomingSlug).Replace(registrationScript)
		if err := os.WriteFile(scripts[i], []byte(body), 0o644); err != nil {
			return err
		}
	}
	page := base + paths.Event(demo.UpcomingSlug)
	post := func(i int) []string {
		return []string{"-t2", fmt.Sprintf("-c%d", conns), "-d" + duration.String(), "--latency", "-s", scripts[i], page}
	}
	get := []string{"-t2", fmt.Sprintf("-c%d", conns), "-d" + duration.String(), "--latency", page}
	for _, run := range []struct {
		name string
		args [][]string
	}{
		{"registration POST", [][]string{post(0)}},
		{"event page GET (upcoming)", [][]string{get}},
		{"POST and GET at once", [][]string{post(1), get}},
	} {
		outs := make([]string, len(run.args))
		errs := make([]error, len(run.args))
		var wg sync.WaitGroup
		for i, a := range run.args {
			wg.Go(func() {
				out, err := exec.CommandContext(ctx, "wrk", a...).CombinedOutput()
				outs[i], errs[i] = string(out), err
			})
		}
		wg.Wait()
		for i, out := range outs {
			if errs[i] != nil {
				return fmt.Errorf("wrk %s: %v\n%s", run.name, errs[i], out)
			}
			label := run.name
			if len(outs) > 1 {
				label = []string{"  … POST", "  … GET"}[i]
			}
			fmt.Printf("%-28s %s\n", label, summarize(out))
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM registrations`).Scan(&n); err != nil {
		return err
	}
	fmt.Printf("%d registrations stored\n", n)
	return nil
}

// summarize picks requests/s and the 50th and 99th percentile from wrk.
func summarize(out string) string {
	get := func(re string) string {
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			return "?"
		}
		return strings.TrimSpace(m[1])
	}
	errs := ""
	if strings.Contains(out, "Non-2xx") {
		errs = "  NON-2xx: " + get(`Non-2xx or 3xx responses:\s+(\d+)`)
	}
	return fmt.Sprintf("%8s req/s   p50 %8s   p99 %8s%s", get(`Requests/sec:\s+([\d.]+)`),
		get(`\s50%\s+([\d.]+\w+)`), get(`\s99%\s+([\d.]+\w+)`), errs)
}

// Command loadtest measures the portal under load with wrk: it starts a
// throwaway PostgreSQL cluster, fills it with synthetic initiatives, serves
// the real router on a loopback port and runs wrk against a directory
// search and a static file served by the same binary. `make bench` runs it.
//
// Only loopback addresses are targeted; every wrk run is bounded in time.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/config"
	"rii/internal/demo"
	"rii/internal/pgcluster"
	"rii/internal/server"
	"rii/internal/store"
	"rii/migrations"
)

func main() {
	n := flag.Int("initiatives", 10000, "synthetic published initiatives")
	duration := flag.Duration("duration", 10*time.Second, "length of each wrk run")
	conns := flag.Int("connections", 32, "concurrent wrk connections")
	flag.Parse()
	if err := run(*n, *duration, *conns); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(n int, duration time.Duration, conns int) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk is not installed (apt-get install -y wrk)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "rii-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755) // the postgres user must enter it when we are root
	c := pgcluster.New(filepath.Join(dir, "data"), filepath.Join(dir, "sock"))
	c.Throwaway = true
	if _, err := c.Init(ctx); err != nil {
		return err
	}
	if err := c.Start(ctx); err != nil {
		return err
	}
	defer c.Stop(context.Background())
	if _, err := c.CreateDatabase(ctx, "rii"); err != nil {
		return err
	}
	pool, err := pgxpool.New(ctx, c.URL("rii"))
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := migrations.Up(ctx, pool); err != nil {
		return err
	}
	start := time.Now()
	st := store.New(pool)
	if err := st.InsertSyntheticInitiatives(ctx, n, 1); err != nil {
		return err
	}
	// Events with workshops and reports for the search, and the demo's
	// kick-off event for the event and report pages.
	if err := st.InsertSyntheticEvents(ctx, n/5, 1); err != nil {
		return err
	}
	if _, err := demo.Seed(ctx, st); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		return err
	}
	fmt.Printf("%d synthetic initiatives, %d events and the demo in %s\n", n, n/5, time.Since(start).Round(time.Millisecond))

	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		return err
	}
	// The registration load posts as many clients behind a local proxy, so
	// the per-client limit measures nothing but itself.
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(pool, server.Options{Config: cfg, Logger: log, SchemaVersion: migrations.Latest()})
	if err != nil {
		return err
	}
	addr := make(chan net.Addr, 1)
	go server.Run(ctx, log, "127.0.0.1:0", srv.Handler(), 5*time.Second, func(a net.Addr) { addr <- a })
	base := "http://" + (<-addr).String()

	static, err := staticURL(base)
	if err != nil {
		return err
	}
	targets := []struct{ name, url string }{
		{"directory search", base + "/initiativen?q=industrie&land=05"},
		{"directory, no filter", base + "/initiativen"},
		{"event list", base + "/veranstaltungen"},
		{"event page (kick-off)", base + "/veranstaltungen/" + demo.KickOffSlug},
		{"report page (kick-off)", base + "/berichte/" + demo.KickOffSlug},
		{"search across everything", base + "/suche?q=industrie"},
		{"iCalendar, all events", base + "/veranstaltungen/kalender.ics"},
		{"Atom feed of reports", base + "/berichte/feed.atom"},
		{"static file (portal.css)", base + static},
	}
	fmt.Printf("wrk -t2 -c%d -d%s --latency, GOMAXPROCS=%d\n", conns, duration, 2)
	for _, t := range targets {
		out, err := exec.Command("wrk", "-t2", fmt.Sprintf("-c%d", conns), "-d"+duration.String(), "--latency", t.url).CombinedOutput()
		if err != nil {
			return fmt.Errorf("wrk %s: %v\n%s", t.name, err, out)
		}
		fmt.Printf("%-28s %s\n", t.name, summarize(string(out)))
	}
	return registrationLoad(ctx, pool, base, conns, duration, dir)
}

// staticURL finds the hashed URL of the portal stylesheet on the start page.
func staticURL(base string) (string, error) {
	res, err := http.Get(base + "/")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`/static/css/portal\.[0-9a-f]+\.css`).FindString(string(b))
	if m == "" {
		return "", fmt.Errorf("no stylesheet on the start page")
	}
	return m, nil
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

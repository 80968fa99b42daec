package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/config"
	"rii/internal/demo"
	"rii/internal/pgcluster"
	"rii/internal/secret"
	"rii/internal/server"
	"rii/internal/store"
	"rii/migrations"
	"rii/web/static"
)

// measureSize fills a database with n initiatives, serves the portal on it
// and measures every page.
func measureSize(ctx context.Context, c *pgcluster.Cluster, dir string, n int, o options) ([]row, error) {
	db := fmt.Sprintf("rii_%d", n)
	if _, err := c.CreateDatabase(ctx, db); err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, c.URL(db))
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if err := seed(ctx, pool, n); err != nil {
		return nil, err
	}
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	// A throwaway key: the bench database is thrown away too.
	key := make([]byte, secret.KeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	cfg.SecretKeys = [][]byte{key}
	// The registration load posts as many clients behind a local proxy, so
	// the per-client limit measures nothing but itself.
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(pool, server.Options{Config: cfg, Logger: log, SchemaVersion: migrations.Latest()})
	if err != nil {
		return nil, err
	}
	// The bench-only route: the same bytes as each page, as a file under
	// /static/bench/, gzipped ahead of time as the portal's own files are.
	var bench atomic.Pointer[static.Assets]
	mux := http.NewServeMux()
	mux.HandleFunc(static.Prefix+"bench/", func(w http.ResponseWriter, r *http.Request) { bench.Load().ServeHTTP(w, r) })
	mux.Handle("/", srv.Handler())
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go srv.WatchContent(sctx) // the page cache serves hot pages once it knows the content version
	addr := make(chan net.Addr, 1)
	go server.Run(sctx, log, "127.0.0.1:0", mux, 5*time.Second, func(a net.Addr) { addr <- a })
	base := "http://" + (<-addr).String()
	// The cold cells go to a second instance on the same database with the
	// page cache off: a URL the script repeats within the cache's minute is
	// rendered again, so no cache helps, whatever the number of variants.
	uncachedCfg := cfg
	uncachedCfg.CacheBytes = 0
	uncached, err := server.New(pool, server.Options{Config: uncachedCfg, Logger: log, SchemaVersion: migrations.Latest()})
	if err != nil {
		return nil, err
	}
	go server.Run(sctx, log, "127.0.0.1:0", uncached.Handler(), 5*time.Second, func(a net.Addr) { addr <- a })
	coldBase := "http://" + (<-addr).String()
	// One request, as after any start: the directory reads its index of
	// the published initiatives once per content version.
	if _, err := fetch(coldBase + "/initiativen?q=industrie"); err != nil {
		return nil, err
	}

	all, err := publicPages(ctx, pool, n)
	if err != nil {
		return nil, err
	}
	pages := slices.DeleteFunc(all, func(p page) bool {
		return o.only != "" && !slices.ContainsFunc(strings.Split(o.only, ","), func(s string) bool { return strings.Contains(p.name, s) })
	})
	files := filepath.Join(dir, fmt.Sprintf("static-%d", n))
	sizes, err := writeCopies(base, filepath.Join(files, "bench"), pages)
	if err != nil {
		return nil, err
	}
	assets, err := static.Load(os.DirFS(files))
	if err != nil {
		return nil, err
	}
	bench.Store(assets)
	var rows []row
	for i, p := range pages {
		r := row{size: n, name: p.name, bytes: sizes[i]}
		if err := measurePage(&r, base, coldBase, assets.URL(copyName(i)), p, o, dir); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		rows = append(rows, r)
	}
	// Registrations at the first size only: their cost does not depend on
	// the directory's size, only on the event lock.
	if o.registrations && n == o.sizes[0] {
		if err := registrationLoad(ctx, pool, base, o.conns, o.duration, dir); err != nil {
			return nil, fmt.Errorf("registrations: %w", err)
		}
	}
	return rows, nil
}

// seed migrates and fills the database: synthetic initiatives, a fifth as
// many events with workshops and reports, and the demo (its kick-off event
// and report).
func seed(ctx context.Context, pool *pgxpool.Pool, n int) error {
	if _, err := migrations.Up(ctx, pool); err != nil {
		return err
	}
	start := time.Now()
	st := store.New(pool)
	if err := st.InsertSyntheticInitiatives(ctx, n, 1); err != nil {
		return err
	}
	if err := st.InsertSyntheticEvents(ctx, max(n/5, 1), 1); err != nil {
		return err
	}
	if _, err := demo.Seed(ctx, st); err != nil {
		return err
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d synthetic initiatives, %d events and the demo in %s\n", n, max(n/5, 1),
		time.Since(start).Round(time.Millisecond))
	return nil
}

// copyName is the file of the i-th page's copy; .txt, as the portal's
// static files of that kind are gzipped.
func copyName(i int) string { return fmt.Sprintf("bench/p%d.txt", i) }

// writeCopies fetches each page once and writes its bytes into folder.
func writeCopies(base, folder string, pages []page) ([]int, error) {
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil, err
	}
	var sizes []int
	for i, p := range pages {
		body, err := fetch(base + p.hot)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(folder, filepath.Base(copyName(i))), body, 0o644); err != nil {
			return nil, err
		}
		sizes = append(sizes, len(body))
	}
	return sizes, nil
}

// measurePage runs the hot and the static cell of one page on base, and
// (where the page has variants) its cold cell on coldBase, uncached.
func measurePage(r *row, base, coldBase, staticURL string, p page, o options, dir string) error {
	cell := func(label, base, script string, urls ...string) (result, error) {
		conns := o.conns
		if p.conns > 0 {
			conns = p.conns
		}
		var res result
		err := profiled(o.profile, fmt.Sprintf("%d-%s-%s", r.size, slugName(p.name), label), func() error {
			before := o.meter.total()
			var err error
			res, err = runWrk(base, conns, o.duration, o.wrkCPUs, script, urls...)
			// Requests wrk gave up on may still run: their CPU belongs here.
			time.Sleep(2 * time.Second)
			if res.requests > 0 {
				res.cpu = (o.meter.total() - before) / time.Duration(res.requests)
			}
			return err
		})
		return res, err
	}
	var err error
	if r.hot, err = cell("hot", base, "", p.hot); err != nil {
		return err
	}
	if r.static, err = cell("static", base, "", staticURL); err != nil {
		return err
	}
	if len(p.cold) > 0 {
		script := filepath.Join(dir, "cold.lua")
		if err := writeScript(script, p.cold); err != nil {
			return err
		}
		if r.cold, err = cell("cold", coldBase, script); err != nil {
			return err
		}
	}
	return nil
}

// profiled runs fn under the CPU profiler when folder is set.
func profiled(folder, name string, fn func() error) error {
	if folder == "" {
		return fn()
	}
	f, err := os.Create(filepath.Join(folder, name+".pprof"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// slugName makes a page name usable in a file name.
func slugName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(s))
}

// fetch reads a page once; it must answer 200.
func fetch(url string) ([]byte, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return io.ReadAll(res.Body)
}

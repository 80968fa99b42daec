// Command loadtest measures the portal's public pages under load with wrk
// and prints one table: each page at each directory size, hot (the same
// URL again and again) and cold (a wrk script that varies search terms,
// facets, pages and sort, so that no cache helps), with requests/s, p50,
// p99 and the ratio to the same bytes served as a static file by the same
// binary. It starts a throwaway PostgreSQL cluster, fills one database per
// size with synthetic initiatives (and a fifth as many events) plus the
// demo, and serves the real router on a loopback port. `make bench` runs it.
//
// Only loopback addresses are targeted; every wrk run is bounded in time,
// so the whole run stops by itself. With -profile DIR, a CPU profile of the
// server is written for every cell (go tool pprof DIR/<cell>.pprof).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"rii/internal/pgcluster"
)

// options are the command line.
type options struct {
	sizes    []int
	duration time.Duration
	conns    int
	profile  string // folder for CPU profiles, "" for none
	only     string // comma-separated: run only the pages whose name contains one
	// registrations adds registration POSTs next to the event page's GET.
	registrations bool
	wrkCPUs       string // taskset's CPU list for wrk, "" for any
	meter         cpuMeter
}

func main() {
	sizes := flag.String("sizes", "500,10000", "comma-separated numbers of synthetic published initiatives")
	o := options{}
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "length of each wrk run")
	flag.IntVar(&o.conns, "connections", 32, "concurrent wrk connections")
	flag.StringVar(&o.profile, "profile", "", "write a CPU profile of the server per cell into this folder")
	flag.StringVar(&o.only, "only", "", "measure only the pages whose name contains one of these comma-separated strings")
	flag.BoolVar(&o.registrations, "registrations", true, "measure registration POSTs next to the event page's GET (first size)")
	flag.StringVar(&o.wrkCPUs, "wrk-cpus", "", "run wrk only on these CPUs (taskset -c), e.g. to keep the load generator off the server's")
	flag.Parse()
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 100000 {
			fmt.Fprintln(os.Stderr, "loadtest: -sizes must list numbers from 1 to 100000")
			os.Exit(2)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.duration < time.Second || o.duration > time.Minute {
		fmt.Fprintln(os.Stderr, "loadtest: -duration must be between 1s and 1m")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if _, err := exec.LookPath("wrk"); err != nil {
		return fmt.Errorf("wrk is not installed (apt-get install -y wrk)")
	}
	if _, err := exec.LookPath("taskset"); err != nil && o.wrkCPUs != "" {
		return fmt.Errorf("-wrk-cpus needs taskset (util-linux)")
	}
	if o.profile != "" {
		if err := os.MkdirAll(o.profile, 0o755); err != nil {
			return err
		}
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
	o.meter = cpuMeter{dataDir: c.DataDir}

	var rows []row
	for _, n := range o.sizes {
		r, err := measureSize(ctx, c, dir, n, o)
		if err != nil {
			return fmt.Errorf("%d initiatives: %w", n, err)
		}
		rows = append(rows, r...)
	}
	printTable(os.Stdout, o, rows)
	return nil
}

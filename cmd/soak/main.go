// Command soak runs the real portal binary for a long stretch of mixed
// public and signed-in traffic and checks that it stays healthy: no failed
// request, and memory (RSS), goroutines and open database connections flat
// at the end. `make bench` runs it for five minutes.
//
// Only loopback addresses are targeted; the run is bounded in time and
// stops by itself.
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/account"
	"rii/internal/demo"
	"rii/internal/pgcluster"
	"rii/internal/store"
	"rii/migrations"
	"rii/web/paths"
)

func main() {
	bin := flag.String("bin", ".bin/rii", "the portal binary to run")
	duration := flag.Duration("duration", 5*time.Minute, "length of the traffic (at most 1h)")
	anon := flag.Int("anonymous", 6, "concurrent anonymous visitors")
	members := flag.Int("members", 2, "concurrent signed-in members")
	flag.Parse()
	if *duration <= 0 || *duration > time.Hour || *anon < 0 || *members < 0 || *anon+*members == 0 {
		fmt.Fprintln(os.Stderr, "soak: -duration must be within (0, 1h], and at least one visitor")
		os.Exit(2)
	}
	if err := run(*bin, *duration, *anon, *members); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

func run(bin string, duration time.Duration, anonymous, members int) error {
	ctx, cancel := context.WithTimeout(context.Background(), duration+5*time.Minute)
	defer cancel()
	dbURL, stopDB, err := startDatabase(ctx)
	if err != nil {
		return err
	}
	defer stopDB()
	member, err := seed(ctx, dbURL)
	if err != nil {
		return err
	}
	portal, err := startPortal(ctx, bin, dbURL)
	if err != nil {
		return err
	}
	defer portal.stop()

	fmt.Printf("soak: %s of traffic, %d anonymous visitors and %d signed-in members, against %s (pid %d)\n",
		duration, anonymous, members, portal.base, portal.cmd.Process.Pid)
	var load traffic
	trafficCtx, stopTraffic := context.WithTimeout(ctx, duration)
	defer stopTraffic()
	var wg sync.WaitGroup
	for i := range anonymous {
		wg.Go(func() { load.visit(trafficCtx, portal.base, nil, i) })
	}
	for i := range members {
		wg.Go(func() { load.visit(trafficCtx, portal.base, &member, i) })
	}

	var samples []sample
	tick := time.NewTicker(duration / 30)
	defer tick.Stop()
	start := time.Now()
	for trafficCtx.Err() == nil {
		select {
		case <-trafficCtx.Done():
		case <-tick.C:
			s, err := portal.sample(ctx, dbURL)
			if err != nil {
				return err
			}
			s.at, s.requests, s.errors = time.Since(start), load.requests.Load(), load.errors.Load()
			samples = append(samples, s)
			fmt.Println(s)
		}
	}
	wg.Wait()
	// The figures once the traffic stopped and idle connections closed.
	time.Sleep(3 * time.Second)
	end, err := portal.sample(ctx, dbURL)
	if err != nil {
		return err
	}
	end.at, end.requests, end.errors = time.Since(start), load.requests.Load(), load.errors.Load()
	fmt.Println(end, "(traffic stopped)")
	return verdict(samples, end, load.firstError())
}

// sample is one reading of the portal's health.
type sample struct {
	at                 time.Duration
	requests, errors   int64
	rssMB              float64
	goroutines         int
	dbConns, poolConns int // server side (pg_stat_activity) and the pool's
}

func (s sample) String() string {
	return fmt.Sprintf("%6s  requests %8d  errors %d  RSS %6.1f MB  goroutines %4d  DB connections %2d (pool %2d)",
		s.at.Round(time.Second), s.requests, s.errors, s.rssMB, s.goroutines, s.dbConns, s.poolConns)
}

// verdict compares the last third of the run with its second third (the
// first is warm-up): flat means no more than a little above what the
// middle already reached.
func verdict(samples []sample, end sample, firstErr error) error {
	if len(samples) < 6 {
		return errors.New("too few samples: run longer")
	}
	mid, last := samples[len(samples)/3:2*len(samples)/3], samples[2*len(samples)/3:]
	peak := func(ss []sample, f func(sample) float64) float64 {
		m := 0.0
		for _, s := range ss {
			m = max(m, f(s))
		}
		return m
	}
	var problems []string
	check := func(what string, f func(sample) float64, slack float64) {
		before, after := peak(mid, f), peak(last, f)
		fmt.Printf("soak: %-22s middle third peak %7.1f, last third peak %7.1f\n", what, before, after)
		if after > before*1.2+slack {
			problems = append(problems, fmt.Sprintf("%s grew from %.1f to %.1f", what, before, after))
		}
	}
	check("RSS (MB)", func(s sample) float64 { return s.rssMB }, 8)
	check("goroutines", func(s sample) float64 { return float64(s.goroutines) }, 4)
	check("DB connections", func(s sample) float64 { return float64(s.dbConns) }, 1)
	if end.errors > 0 {
		problems = append(problems, fmt.Sprintf("%d failed requests, the first: %v", end.errors, firstErr))
	}
	fmt.Printf("soak: %d requests, %d errors\n", end.requests, end.errors)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	fmt.Println("soak: ok – no errors; RSS, goroutines and database connections flat")
	return nil
}

// startDatabase starts a throwaway cluster with a migrated database.
func startDatabase(ctx context.Context) (string, func(), error) {
	dir, err := os.MkdirTemp("", "rii-soak-")
	if err != nil {
		return "", nil, err
	}
	os.Chmod(dir, 0o755) // the postgres user must enter it when we are root
	c := pgcluster.New(filepath.Join(dir, "data"), filepath.Join(dir, "sock"))
	c.Throwaway = true
	stop := func() { c.Stop(context.Background()); os.RemoveAll(dir) }
	if _, err := c.Init(ctx); err != nil {
		stop()
		return "", nil, err
	}
	if err := c.Start(ctx); err != nil {
		stop()
		return "", nil, err
	}
	if _, err := c.CreateDatabase(ctx, "rii"); err != nil {
		stop()
		return "", nil, err
	}
	return c.URL("rii"), stop, nil
}

// seed adds the demo content and 2,000 synthetic initiatives, and returns
// the demo member's sign-in.
func seed(ctx context.Context, dbURL string) (demo.Account, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return demo.Account{}, err
	}
	defer pool.Close()
	if _, err := migrations.Up(ctx, pool); err != nil {
		return demo.Account{}, err
	}
	st := store.New(pool)
	if err := st.InsertSyntheticInitiatives(ctx, 2000, 1); err != nil {
		return demo.Account{}, err
	}
	res, err := demo.Seed(ctx, st)
	if err != nil {
		return demo.Account{}, err
	}
	for _, a := range res.Accounts {
		if a.Role == account.RoleMember {
			return a, nil
		}
	}
	return demo.Account{}, errors.New("the demo has no member account")
}

// traffic is what the visitors did.
type traffic struct {
	requests, errors atomic.Int64
	mu               sync.Mutex
	first            error
}

func (l *traffic) fail(err error) {
	l.errors.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.first == nil {
		l.first = err
	}
}

func (l *traffic) firstError() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first
}

// publicPaths are what anonymous visitors read, in turn.
var publicPaths = []string{
	"/", "/initiativen", "/initiativen?q=industrie", "/initiativen/industrie-gemeinsam-zukunft-leben",
	"/veranstaltungen", paths.Event(demo.KickOffSlug), "/berichte", paths.Report(demo.KickOffSlug),
	"/suche?q=klimaschutz", "/themen", "/berichte/feed.atom", "/veranstaltungen/kalender.ics",
}

// memberPaths are what a signed-in member reads, in turn.
var memberPaths = []string{"/konto", "/", "/initiativen", paths.Event(demo.KickOffSlug), "/suche?q=industrie"}

// visit requests pages until ctx ends; a member signs in first and signs
// out and in again every 200 requests (new sessions, as real use makes).
func (l *traffic) visit(ctx context.Context, base string, member *demo.Account, n int) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	paths := publicPaths
	if member != nil {
		paths = memberPaths
	}
	for i := n; ctx.Err() == nil; i++ {
		if member != nil && (i-n)%200 == 0 {
			if i != n {
				l.do(c, http.MethodPost, base+"/abmelden", nil, http.StatusSeeOther)
			}
			l.do(c, http.MethodPost, base+"/anmelden",
				url.Values{"email": {member.Email}, "passwort": {member.Password}}, http.StatusSeeOther)
		}
		l.do(c, http.MethodGet, base+paths[i%len(paths)], nil, http.StatusOK)
	}
}

// do sends one request and counts it. The request is not tied to ctx: a
// visitor finishes what it started when the run ends.
func (l *traffic) do(c *http.Client, method, u string, form url.Values, want int) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	l.requests.Add(1)
	if err != nil {
		l.fail(err)
		return
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err != nil || res.StatusCode != want {
		l.fail(fmt.Errorf("%s %s: status %d (want %d), %v", method, u, res.StatusCode, want, err))
	}
}

// portal is the running binary.
type portal struct {
	cmd           *exec.Cmd
	base, metrics string
}

func startPortal(ctx context.Context, bin, dbURL string) (*portal, error) {
	port, mport := freePort(), freePort()
	if port == "" || mport == "" {
		return nil, errors.New("no free loopback port")
	}
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "RII_LISTEN=127.0.0.1:"+port,
		"RII_METRICS_LISTEN=127.0.0.1:"+mport, "RII_LOG_LEVEL=warn", "RII_SMTP_URL=",
		"RII_SECRET_KEYS="+base64.StdEncoding.EncodeToString(make([]byte, 32))) // a throwaway database
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &portal{cmd: cmd, base: "http://127.0.0.1:" + port, metrics: "http://127.0.0.1:" + mport + "/metrics"}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, errors.New("the portal did not get ready within 30 s")
		}
	}
}

func (p *portal) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
	}
}

func freePort() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ""
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

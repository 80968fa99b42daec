package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// result is what one wrk run measured.
type result struct {
	rps      float64
	p50, p99 time.Duration
	bad      int // responses that were not 2xx or 3xx, and socket errors
	requests int
	cpu      time.Duration // CPU of the portal and PostgreSQL per request
}

// row is one page at one size.
type row struct {
	size              int
	name              string
	bytes             int
	hot, static, cold result
}

// runWrk runs wrk on loopback for d with conns connections: on the URL, or
// with a script on the base URL; with cpus, only on those (taskset).
// Clients that accept gzip are what browsers are, so every request says so.
func runWrk(base string, conns int, d time.Duration, cpus, script string, urls ...string) (result, error) {
	// A generous timeout: a slow answer counts in the percentiles instead
	// of vanishing as a socket error.
	args := []string{"-t2", fmt.Sprintf("-c%d", conns), "-d" + d.String(), "--timeout", "10s", "--latency", "-H", "Accept-Encoding: gzip"}
	if script != "" {
		args = append(args, "-s", script, base)
	} else {
		args = append(args, base+urls[0])
	}
	cmd := exec.Command("wrk", args...)
	if cpus != "" {
		cmd = exec.Command("taskset", append([]string{"-c", cpus, "wrk"}, args...)...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk %v: %v\n%s", args, err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkTotal   = regexp.MustCompile(`(\d+) requests in`)
	wrkP50     = regexp.MustCompile(`\s50%\s+([\d.]+)(us|ms|s|m)\b`)
	wrkP99     = regexp.MustCompile(`\s99%\s+([\d.]+)(us|ms|s|m)\b`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkSockErr = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// parseWrk reads requests/s, the 50th and 99th percentile and the errors.
func parseWrk(out string) (result, error) {
	var r result
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("no requests/s in wrk's output:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	if m := wrkTotal.FindStringSubmatch(out); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	lat := func(re *regexp.Regexp) time.Duration {
		m := re.FindStringSubmatch(out)
		if m == nil {
			return 0
		}
		d, _ := time.ParseDuration(m[1] + m[2])
		return d
	}
	r.p50, r.p99 = lat(wrkP50), lat(wrkP99)
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		r.bad, _ = strconv.Atoi(m[1])
	}
	if m := wrkSockErr.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.bad += n
		}
	}
	return r, nil
}

// writeScript writes a wrk script whose requests cycle through paths, each
// thread starting at a different place.
func writeScript(file string, paths []string) error {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&b, "%q,\n", p)
	}
	b.WriteString(`}
local threads = 0
function setup(thread)
	thread:set("start", threads * 7919)
	threads = threads + 1
end
local i = 0
function init(args)
	i = start or 0
end
function request()
	i = i + 1
	return wrk.format("GET", paths[(i % #paths) + 1])
end
`)
	return os.WriteFile(file, []byte(b.String()), 0o644)
}

// printTable prints every row: hot, the static file of the same bytes, the
// ratio, and the cold cell.
func printTable(w io.Writer, o options, rows []row) {
	fmt.Fprintf(w, "\nwrk -t2 -c%d -d%s --timeout 10s --latency, Accept-Encoding: gzip, loopback; static = the same bytes as a file from the same binary;\n"+
		"cold = distinct URLs on a second instance of the same binary and database with the page cache off;\n"+
		"CPU/req = CPU time of the portal and PostgreSQL per request (steadier than req/s on a shared machine);\n"+
		"p99/p50 = the tail of the hot URL and of the static file, each its 99th over its 50th percentile\n", o.conns, o.duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tpage\tbytes\thot req/s\tp50\tp99\tCPU/req\tstatic req/s\thot/static\tcold req/s\tp50\tp99\tCPU/req\tcold/static\terrors\tp99/p50 hot\tstatic\t")
	for _, r := range rows {
		cold := "—\t—\t—\t—\t—"
		if r.cold.rps > 0 {
			cold = fmt.Sprintf("%.0f\t%s\t%s\t%s\t%s", r.cold.rps, ms(r.cold.p50), ms(r.cold.p99), ms(r.cold.cpu),
				ratio(r.cold.rps, r.static.rps))
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%.0f\t%s\t%s\t%s\t%.0f\t%s\t%s\t%d\t%s\t%s\t\n", r.size, r.name, r.bytes, r.hot.rps,
			ms(r.hot.p50), ms(r.hot.p99), ms(r.hot.cpu), r.static.rps, ratio(r.hot.rps, r.static.rps), cold,
			r.hot.bad+r.static.bad+r.cold.bad, ratio(float64(r.hot.p99), float64(r.hot.p50)),
			ratio(float64(r.static.p99), float64(r.static.p50)))
	}
	tw.Flush()
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

func ratio(a, b float64) string {
	if b == 0 {
		return "?"
	}
	return strconv.FormatFloat(a/b, 'f', 3, 64) + "×"
}

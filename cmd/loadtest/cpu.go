package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ,
// 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuMeter sums the CPU time of this process and of the PostgreSQL server
// (the postmaster and its children, the pool's backends among them). CPU
// per request, unlike requests per second, hardly changes when other
// programs share the machine, so runs on a busy machine still compare.
type cpuMeter struct{ dataDir string }

// total is the CPU time used so far; 0 where /proc cannot tell.
func (m cpuMeter) total() time.Duration {
	ticks := procTicks("self", false)
	pid, err := os.ReadFile(filepath.Join(m.dataDir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	master := strings.TrimSpace(strings.SplitN(string(pid), "\n", 2)[0])
	ticks += procTicks(master, true) // with the children it has waited for
	children, _ := os.ReadFile(filepath.Join("/proc", master, "task", master, "children"))
	for _, c := range strings.Fields(string(children)) {
		ticks += procTicks(c, false)
	}
	return time.Duration(ticks) * clockTick
}

// procTicks is utime + stime of a process (all its threads), and with
// waited the time of its children that have ended (cutime + cstime): a
// backend or autovacuum worker that exits keeps counting.
func procTicks(pid string, waited bool) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	s := string(b)
	// The command name may contain spaces; the fields after it are fixed.
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 15 {
		return 0
	}
	n := 2
	if waited {
		n = 4
	}
	var sum int64
	for _, f := range fields[11 : 11+n] {
		v, _ := strconv.ParseInt(f, 10, 64)
		sum += v
	}
	return sum
}

package server

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestContentWatchLogsAnOutageOnce: while the database is stopped, the
// listener and the periodic check each log one warning, not one per retry;
// the listener waits longer after each failed attempt; and each logs once
// that it works again when the database is back.
func TestContentWatchLogsAnOutageOnce(t *testing.T) {
	t.Parallel()
	cluster, pool := poolOnOwnCluster(t)
	w := newWorldOn(t, pool, withCache(100*time.Millisecond))
	logs := captureLogs(w.srv)
	watch(t, w.srv)

	if err := cluster.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond) // the listener retries after 1 s, then waits 2 s
	if err := cluster.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitVersion(t, w.srv)
	deadline := time.Now().Add(30 * time.Second)
	for strings.Count(logs.String(), "works again") < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}

	out := logs.String()
	for _, what := range []string{"page cache: listening for content changes", "page cache: reading the content version"} {
		if n := strings.Count(out, what+" failed"); n != 1 {
			t.Errorf("%q: %d warnings during one outage, want 1", what, n)
		}
		if n := strings.Count(out, what+" works again"); n != 1 {
			t.Errorf("%q: %d recoveries logged, want 1", what, n)
		}
	}
	var pauses []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "listening again later") {
			pauses = append(pauses, line[strings.Index(line, "pause="):])
		}
	}
	if len(pauses) < 2 || pauses[0] != "pause=1s" || pauses[1] != "pause=2s" {
		t.Errorf("pauses between attempts %q, want 1s, 2s, …", pauses)
	}
	if t.Failed() {
		t.Log(out)
	}
}

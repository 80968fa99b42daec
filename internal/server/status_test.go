package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/pagecache"
	"rii/internal/webtest"
	"rii/migrations"
)

// TestStatusPage shows admins the migrations, database, outbox and the
// background jobs and the page cache, and follows a job's run and an
// anonymous miss and hit.
func TestStatusPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Minute))
	watch(t, w.srv)
	admin := w.client()
	w.signIn(admin, "admin")
	fact := func(res *webtest.Response, section string) string {
		var facts []string
		res.Find(`[data-testid="status-` + section + `"] .kern-description-list-item`).Each(func(_ int, it *goquery.Selection) {
			facts = append(facts, strings.TrimSpace(it.Find("dt").Text())+": "+strings.Join(strings.Fields(it.Find("dd").Text()), " "))
		})
		return strings.Join(facts, "; ")
	}

	res := admin.Get("/verwaltung/status").WantStatus(http.StatusOK)
	if got, want := fact(res, "datenbank"), fmt.Sprintf("neueste %05d; dieses Programm bringt bis %05d", migrations.Latest(), migrations.Latest()); !strings.Contains(got, want) {
		t.Errorf("database facts %q, want %q", got, want)
	}
	if got := fact(res, "datenbank"); !strings.Contains(got, "Größe") || strings.Contains(got, "Achtung") {
		t.Errorf("database facts %q", got)
	}
	if got := fact(res, "postausgang"); !strings.Contains(got, "Wartend: 1, davon nach Fehlversuch 0") {
		t.Errorf("outbox facts %q, want the world's one waiting e-mail", got)
	}
	if got := fact(res, "programm"); !strings.Contains(got, "Go-Version: go1.") {
		t.Errorf("program facts %q", got)
	}
	job := res.Find(`[data-testid="status-job"]`).First()
	if name := job.Find("th").Text(); name != "sessions-cleanup" || !strings.Contains(job.Text(), "noch nie") {
		t.Errorf("first job row %q", job.Text())
	}

	if got := fact(res, "seitenspeicher"); !strings.Contains(got, "Zustand: eingeschaltet, höchstens 16,8 MB") ||
		!strings.Contains(got, "Belegt: 0 Seiten") || !strings.Contains(got, "Treffer: 0 (noch keine Anfragen)") {
		t.Errorf("cache facts before any anonymous request %q", got)
	}

	anon := w.client()
	anon.Get("/").WantStatus(http.StatusOK)
	anon.Get("/").WantStatus(http.StatusOK)
	w.srv.runDueJobs(t.Context())
	res = admin.Get("/verwaltung/status").WantStatus(http.StatusOK)
	cells := res.Find(`[data-testid="status-job"]`).First().Find("td")
	if runs := cells.Eq(3).Text(); runs != "1" || strings.Contains(cells.Text(), "noch nie") {
		t.Errorf("after one run: job row %q", cells.Text())
	}
	if got := fact(res, "seitenspeicher"); !strings.Contains(got, "Belegt: 1 Seite,") ||
		!strings.Contains(got, "Treffer: 1 (50 % von 2 Anfragen aus dem Speicher)") || !strings.Contains(got, "Neu erzeugt: 1") ||
		strings.Contains(got, "unbekannt") {
		t.Errorf("cache facts after a miss and a hit of / %q", got)
	}
}

// TestCacheFacts: the cache section in its states, each figure worded for
// people; an unknown content version is flagged.
func TestCacheFacts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		st   pagecache.Stats
		cap  int64
		want []string
		warn string
	}{
		{"off", pagecache.Stats{}, 0, []string{"Zustand: ausgeschaltet (RII_CACHE_BYTES ist 0)"}, ""},
		{"empty", pagecache.Stats{Version: 7}, 64 << 20, []string{"Zustand: eingeschaltet, höchstens 67,1 MB",
			"Belegt: 0 Seiten, 0 kB", "Treffer: 0 (noch keine Anfragen)", "Inhaltsstand: 7"}, ""},
		{"busy", pagecache.Stats{Hits: 3, Misses: 1, StaleServes: 2, Evictions: 5, Bytes: 2_500_000, Entries: 1, Version: 9}, 16 << 20,
			[]string{"Belegt: 1 Seite, 2,5 MB", "Treffer: 3 (75 % von 4 Anfragen aus dem Speicher)", "Neu erzeugt: 1",
				"Letzte gute Kopie bei Datenbankausfall ausgeliefert: 2", "Wegen der Obergrenze verdrängt: 5"}, ""},
		{"version unknown", pagecache.Stats{Hits: 1, Misses: 1}, 16 << 20, nil, "Inhaltsstand"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			warned := ""
			for _, f := range cacheFacts(c.st, c.cap) {
				got = append(got, f.Term+": "+f.Value)
				if f.Warn {
					warned += f.Term
				}
			}
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("facts %q lack %q", got, w)
				}
			}
			if warned != c.warn {
				t.Errorf("flagged %q, want %q", warned, c.warn)
			}
		})
	}
}

package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

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

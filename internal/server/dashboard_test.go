package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/totp"
	"rii/internal/webtest"
)

// dashWorld is a world with the dashboard data and a signed-in official
// whose previous sign-in was on 20 November 2026.
func dashWorld(t *testing.T) (*world, dashData, *webtest.Client) {
	t.Helper()
	w := newWorld(t)
	d := w.addDashboardData()
	_, err := w.pool.Exec(context.Background(), `INSERT INTO audit_log (at, actor_id, actor, action, object_type, object_id)
		VALUES ('2026-11-20 10:00+00', $1, 'official@beispiel.example', 'signin', 'user', $2)`, w.users["official"].ID, itoa(w.users["official"].ID))
	if err != nil {
		t.Fatal(err)
	}
	c := w.client()
	w.signIn(c, "official")
	return w, d, c
}

// cells is the trimmed text of each cell of the selection's rows.
func cells(sel *goquery.Selection) [][]string {
	var out [][]string
	sel.Each(func(_ int, row *goquery.Selection) {
		var r []string
		row.Find("th, td").Each(func(_ int, c *goquery.Selection) {
			r = append(r, strings.Join(strings.Fields(c.Text()), " "))
		})
		out = append(out, r)
	})
	return out
}

func TestDashboardKeyFigures(t *testing.T) {
	t.Parallel()
	w, d, c := dashWorld(t)
	res := c.Get("/dashboard").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=period-label]"); got != "Zeitraum: 2026 , verglichen mit 2025" && got != "Zeitraum: 2026, verglichen mit 2025" {
		t.Errorf("period label %q", got)
	}
	want := map[string][3]string{
		"neue-initiativen":              {"2", "1", "+1"},
		"archivierte-initiativen":       {"1", "0", "+1"},
		"veranstaltungen-durchgefuehrt": {"2", "1", "+1"}, // the Neujahrsdialog at 00:30 counts in 2026, Silvester in 2025
		"veranstaltungen-geplant":       {"1", "0", "+1"},
		"veranstaltungen-abgesagt":      {"1", "0", "+1"},
		"teilnehmende":                  {"50", "25", "+25"},
		"workshops":                     {"2", "0", "+2"},
		"workshops-mit-ergebnissen":     {"1", "0", "+1"},
	}
	for id, v := range want {
		row := res.Find("[data-testid=figures-table] [data-testid=figure-" + id + "]")
		got := [3]string{row.Find("[data-testid=value]").Text(), row.Find("[data-testid=previous]").Text(), row.Find("[data-testid=change]").Text()}
		if got != v {
			t.Errorf("%s: %v, want %v", id, got, v)
		}
	}
	statuses := map[string]string{"draft": "1", "submitted": "1", "published": "4", "archived": "1"}
	for st, n := range statuses {
		if got := res.Text("[data-testid=statuses-table] [data-testid=figure-status-" + st + "] [data-testid=value]"); got != n {
			t.Errorf("status %s: %q, want %s", st, got, n)
		}
	}
	// The quarter: 2025's last quarter holds only the Silvesterdialog.
	res = c.Get("/dashboard?zeitraum=quartal&jahr=2025&quartal=4").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=figure-veranstaltungen-durchgefuehrt] [data-testid=value]"); got != "1" {
		t.Errorf("Q4 2025: %q events held, want 1", got)
	}
	if got := res.Text("[data-testid=period-label] strong"); got != "4. Quartal 2025" {
		t.Errorf("quarter label %q", got)
	}
	// A free range of the first two days of 2026 against the two days before.
	res = c.Get("/dashboard?zeitraum=frei&von=2026-01-01&bis=2026-01-02").WantStatus(http.StatusOK)
	row := res.Find("[data-testid=figure-teilnehmende]")
	if v, p := row.Find("[data-testid=value]").Text(), row.Find("[data-testid=previous]").Text(); v != "10" || p != "25" {
		t.Errorf("1–2 January 2026: %s participants, before %s; want 10 and 25", v, p)
	}

	// Registrations across the boundary of 2025 and 2026.
	w.addDashboardRegistrations(d)
	res = c.Get("/dashboard").WantStatus(http.StatusOK)
	regs := map[string][3]string{
		"anmeldungen":    {"8", "4", "+4"},
		"bestaetigt":     {"5", "3", "+2"},
		"teilgenommen":   {"3", "2", "+1"},
		"teilnahmequote": {"60,0\u00a0%", "66,7\u00a0%", "−6,7 Prozentpunkte"},
		"teilnehmende":   {"50", "25", "+25"}, // the counts the events show (eventParticipants)
	}
	for id, v := range regs {
		row := res.Find("[data-testid=figures-table] [data-testid=figure-" + id + "]")
		got := [3]string{row.Find("[data-testid=value]").Text(), row.Find("[data-testid=previous]").Text(), row.Find("[data-testid=change]").Text()}
		if got != v {
			t.Errorf("%s: %q, want %q", id, got, v)
		}
	}
	// Trends: one rule with the key figure, the count each event shows (the
	// Silvesterdialog's 25, though only 2 of its registrations were checked
	// in), so 2026's quarters add up to 2026's 50 and 2025's to its 25.
	people := cells(res.Find("[data-testid=trend-teilnehmende-tabelle] tbody tr"))
	if people[7][1] != "25" || people[8][1] != "50" {
		t.Errorf("participants Q4 2025 %v, Q1 2026 %v; want 25 and 50", people[7], people[8])
	}
	for year, quarters := range map[string][]int{regs["teilnehmende"][0]: {8, 9, 10, 11}, regs["teilnehmende"][1]: {4, 5, 6, 7}} {
		sum := 0
		for _, q := range quarters {
			n, _ := strconv.Atoi(people[q][1])
			sum += n
		}
		if strconv.Itoa(sum) != year {
			t.Errorf("the quarters %v add up to %d participants, the key figure says %s", quarters, sum, year)
		}
	}
	var drawn []string
	res.Find("[data-testid=trend-teilnehmende] .chart__bar").Each(func(_ int, b *goquery.Selection) {
		drawn = append(drawn, b.AttrOr("data-value", ""))
	})
	if len(drawn) != 12 || drawn[7] != "25" || drawn[8] != "50" {
		t.Errorf("participants chart %v; want 25 and 50 in Q4 2025 and Q1 2026", drawn)
	}
	// Nothing confirmed in 2024 nor 2023: no rate, no change.
	res = c.Get("/dashboard?zeitraum=jahr&jahr=2024").WantStatus(http.StatusOK)
	row = res.Find("[data-testid=figure-teilnahmequote]")
	if got := [3]string{row.Find("[data-testid=value]").Text(), row.Find("[data-testid=previous]").Text(),
		row.Find("[data-testid=change]").Text()}; got != [3]string{"–", "–", "–"} {
		t.Errorf("2024 rate %q, want dashes", got)
	}
	// The printable report carries the same figures.
	res = c.Get("/dashboard/taetigkeitsbericht?zeitraum=jahr&jahr=2026").WantStatus(http.StatusOK)
	for id, v := range regs {
		row := res.Find("[data-testid=report-figures-table] [data-testid=figure-" + id + "]")
		if got := [2]string{row.Find("[data-testid=value]").Text(), row.Find("[data-testid=previous]").Text()}; got != [2]string{v[0], v[1]} {
			t.Errorf("report %s: %q, want %q", id, got, v[:2])
		}
	}
	if got := cells(res.Find("[data-testid=report-trends] [data-testid=trend-teilnehmende-tabelle] tbody tr")); len(got) != 12 || got[7][1] != "25" || got[8][1] != "50" {
		t.Errorf("report participants by quarter %v", got)
	}
	if strings.Contains(res.Text("main"), "teilnahme.example") {
		t.Error("the report shows a registered person")
	}
	// The CSV: one row per new figure, this period and the one before.
	csvBody := c.Get("/dashboard/export/kennzahlen.csv?zeitraum=jahr&jahr=2026").WantStatus(http.StatusOK).Body
	got := map[string][]string{}
	for _, r := range readCSV(t, csvBody) {
		got[r[0]] = r[2:]
	}
	for id, v := range map[string][]string{
		"anmeldungen":    {"2026", "8", "2025", "4"},
		"bestaetigt":     {"2026", "5", "2025", "3"},
		"teilgenommen":   {"2026", "3", "2025", "2"},
		"teilnahmequote": {"2026", "60,0\u00a0%", "2025", "66,7\u00a0%"},
	} {
		if !slices.Equal(got[id], v) {
			t.Errorf("kennzahlen.csv %s: %q, want %q", id, got[id], v)
		}
	}
	trends := readCSV(t, c.Get("/dashboard/export/entwicklung.csv").WantStatus(http.StatusOK).Body)
	if len(trends) != 13 || trends[8][5] != "25" || trends[9][5] != "50" {
		t.Errorf("entwicklung.csv participants %v", trends)
	}
	if strings.Contains(string(csvBody), "teilnahme.example") {
		t.Error("kennzahlen.csv holds a registered person")
	}
}

func TestDashboardBadPeriod(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	_ = w
	for _, q := range []string{"zeitraum=quartal&quartal=7", "zeitraum=frei&von=2026-05-01&bis=2026-04-01", "jahr=1999",
		"zeitraum=frei&von=gestern", "zeitraum=bald"} {
		res := c.Get("/dashboard?" + q).WantStatus(http.StatusOK)
		if res.Text("[data-testid=period-error]") == "" {
			t.Errorf("%s: no message", q)
		}
		if got := res.Text("[data-testid=period-label] strong"); got != "2026" {
			t.Errorf("%s: shows %q, want the default 2026", q, got)
		}
	}
}

func TestDashboardTrends(t *testing.T) {
	t.Parallel()
	_, _, c := dashWorld(t)
	res := c.Get("/dashboard").WantStatus(http.StatusOK)
	rows := cells(res.Find("[data-testid=trend-initiativen-tabelle] tbody tr"))
	if len(rows) != 12 || rows[0][0] != "Q1 2024" || rows[11][0] != "Q4 2026" {
		t.Fatalf("quarters %v, want Q1 2024 … Q4 2026", rows)
	}
	var total []string
	for _, r := range rows {
		total = append(total, r[1])
	}
	if want := []string{"1", "2", "2", "2", "2", "3", "3", "3", "3", "3", "3", "5"}; !slices.Equal(total, want) {
		t.Errorf("initiatives by quarter %v, want %v", total, want)
	}
	// The chart carries the same numbers as its table.
	var drawn []string
	res.Find("[data-testid=trend-initiativen] .chart__bar").Each(func(_ int, b *goquery.Selection) {
		drawn = append(drawn, b.AttrOr("data-value", ""))
	})
	if !slices.Equal(drawn, total) {
		t.Errorf("chart values %v, table %v", drawn, total)
	}
	people := cells(res.Find("[data-testid=trend-teilnehmende-tabelle] tbody tr"))
	if people[7][1] != "25" || people[8][1] != "50" {
		t.Errorf("participants Q4 2025 %v, Q1 2026 %v; want 25 and 50", people[7], people[8])
	}
	if res.Find("[data-testid=trend-teilnehmende] svg desc").Text() == "" {
		t.Error("the chart has no text alternative")
	}
}

func TestDashboardWorkAndSince(t *testing.T) {
	t.Parallel()
	_, _, c := dashWorld(t)
	res := c.Get("/dashboard").WantStatus(http.StatusOK)
	for id, want := range map[string]string{"eingereicht": "1", "zurueckgegeben": "1", "ohne-bericht": "1", "anmeldeschluss": "1", "stale": "1"} {
		if got := res.Text("[data-testid=work-" + id + "] [data-testid=work-total]"); got != want {
			t.Errorf("work %s: %q, want %s", id, got, want)
		}
	}
	if got := res.Text("[data-testid=work-eingereicht] li"); got != "Initiative D (wartet seit 10 Tagen)" {
		t.Errorf("waiting proposal %q", got)
	}
	if got := res.Text("[data-testid=work-ohne-bericht] li a"); got != "Neujahrsdialog" {
		t.Errorf("event without report %q", got)
	}
	if got := res.Text("[data-testid=work-stale] li a"); got != "Initiative G" {
		t.Errorf("stale %q", got)
	}
	if got := res.Text("[data-testid=since] p"); !strings.Contains(got, "20.11.2026") {
		t.Errorf("previous sign-in %q", got)
	}
	if got := res.Text("[data-testid=since-Initiativen] [data-testid=since-counts]"); got != "2 neu, 0 geändert" {
		t.Errorf("since: initiatives %q", got)
	}
	// Officials see the work after the figures, as a status; editors first.
	html := string(res.Body)
	if strings.Index(html, `data-testid="work"`) < strings.Index(html, `data-testid="figures"`) {
		t.Error("an official sees the work before the figures")
	}
}

func TestDashboardCSV(t *testing.T) {
	t.Parallel()
	_, _, c := dashWorld(t)
	res := c.Get("/dashboard/export/kennzahlen.csv?zeitraum=jahr&jahr=2026").WantStatus(http.StatusOK)
	recs := readCSV(t, res.Body)
	if want := []string{"kennzahl", "bezeichnung", "zeitraum", "wert", "vorzeitraum", "wert_vorzeitraum"}; !slices.Equal(recs[0], want) {
		t.Fatalf("header %v", recs[0])
	}
	got := map[string][]string{}
	for _, r := range recs[1:] {
		got[r[0]] = []string{r[2], r[3], r[4], r[5]}
	}
	if !slices.Equal(got["teilnehmende"], []string{"2026", "50", "2025", "25"}) ||
		!slices.Equal(got["veranstaltungen-durchgefuehrt"], []string{"2026", "2", "2025", "1"}) {
		t.Errorf("figures %v", got)
	}
	trends := readCSV(t, c.Get("/dashboard/export/entwicklung.csv").WantStatus(http.StatusOK).Body)
	if len(trends) != 13 || !slices.Equal(trends[12], []string{"Q4 2026", "2026-10-01", "2", "5", "0", "0"}) {
		t.Errorf("trends %v", trends)
	}
	c.Get("/dashboard/export/gibt-es-nicht.csv").WantStatus(http.StatusNotFound)
}

// readCSV parses a download for German Excel (csvfile_test.go).
func readCSV(t *testing.T, body []byte) [][]string { t.Helper(); return readExcelCSV(t, body) }

// TestOfficialLandsOnDashboard: an official signing in without a page to
// return to lands on the dashboard, and the administration's start page
// promises them nothing they may not do.
func TestOfficialLandsOnDashboard(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	u := w.users["official"]
	c.PostForm("/anmelden", url.Values{"email": {u.Email}, "passwort": {testPassword}}).WantStatus(http.StatusSeeOther)
	w.clock.Advance(30 * time.Second)
	code, err := totp.Code(u.Secret, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	res := c.PostForm("/anmelden/zweiter-faktor", url.Values{"code": {code}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/dashboard" {
		t.Errorf("official lands on %q, want /dashboard", loc)
	}
	admin := c.Get("/verwaltung").WantStatus(http.StatusOK).Text("main")
	for _, promise := range []string{"prüfen", "veröffentlichen", "zurückgeben", "senden"} {
		if strings.Contains(admin, promise) {
			t.Errorf("the administration page promises an official to %q:\n%s", promise, admin)
		}
	}
	if c.Get("/verwaltung").Find(`main a[href="/dashboard"]`).Length() == 0 {
		t.Error("the administration page does not link the dashboard")
	}
}

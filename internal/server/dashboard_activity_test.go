package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestDashboardActivity(t *testing.T) {
	t.Parallel()
	w, d, c := dashWorld(t)
	res := c.Get("/dashboard/aktivitaet").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=activity-total]"); got != "3 Einträge im Zeitraum." {
		t.Errorf("total %q", got)
	}
	rows := cells(res.Find("[data-testid=activity-table] tbody tr"))
	last := rows[len(rows)-1]
	if !slices.Equal(last, []string{"02.03.2026, 13:00 Uhr", "gelöschtes Konto", "Status geändert", "Initiative", "Initiative F", "Verlauf von Initiative Initiative F"}) {
		t.Errorf("archiving row %v", last)
	}
	if href := res.Find("[data-testid=activity-table] tbody tr").Last().Find("a").First().AttrOr("href", ""); href != "/initiativen/initiative-f/verlauf" {
		t.Errorf("object link %q", href)
	}
	if table := res.Text("[data-testid=activity-table]"); strings.Contains(table, "@") || strings.Contains(table, "127.0.0.1") {
		t.Errorf("the activity shows an address: %s", table)
	}
	if got := rows[0][1]; got != "Person official, Ministerium (nur lesen)" {
		t.Errorf("latest entry by %q", got)
	}
	for q, n := range map[string]int{
		"art=user": 2, "person=official": 2, "person=niemand": 0, "art=initiative&objekt=" + itoa(d.initF): 1,
		"zeitraum=jahr&jahr=2025": 0, "art=erfunden": 3,
	} {
		got := c.Get("/dashboard/aktivitaet?" + q).WantStatus(http.StatusOK).Find("[data-testid=activity-table] tbody tr").Length()
		if got != n {
			t.Errorf("%s: %d entries, want %d", q, got, n)
		}
	}
	_ = w
}

// TestDashboardReport: the Tätigkeitsbericht holds every section, each a
// printed page, with the same numbers as the dashboard's pages.
func TestDashboardReport(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	w.refreshNetwork()
	res := c.Get("/dashboard/taetigkeitsbericht?zeitraum=jahr&jahr=2026").WantStatus(http.StatusOK)
	if n := res.Find("section.dash-report__section").Length(); n != 5 {
		t.Errorf("%d sections, want 5", n)
	}
	if got := res.Text("[data-testid=report-figures-table] [data-testid=figure-teilnehmende] [data-testid=value]"); got != "50" {
		t.Errorf("participants %q", got)
	}
	if got := cells(res.Find("[data-testid=report-coverage] [data-testid=state-table] tr[data-key='05']")); len(got) != 1 || got[0][2] != "2" {
		t.Errorf("NRW %v", got)
	}
	if got := cells(res.Find("[data-testid=report-topics] [data-testid=topics-table] tr[data-key=energie]")); len(got) != 1 || got[0][3] != "2" {
		t.Errorf("energie %v", got)
	}
	if got := res.Text("[data-testid=report-network] [data-testid=pair-total]"); got != "3" {
		t.Errorf("pairs %q", got)
	}
	if res.Find("[data-testid=report-trends] figure svg desc").Length() != 4 {
		t.Error("the trend charts lack their text alternative")
	}
}

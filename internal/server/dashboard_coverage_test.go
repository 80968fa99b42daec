package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// population reads a district's or Land's population from the regions.
func (w *world) population(key string) int {
	w.t.Helper()
	var n int
	err := w.pool.QueryRow(context.Background(), `SELECT coalesce(sum(population), 0)::int FROM current_districts
		WHERE ags = $1 OR state_code = $1 OR $1 = 'DE'`, key).Scan(&n)
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

// rate is the expected per-million figure as the page writes it.
func rate(n, population int) string {
	return strings.Replace(fmt.Sprintf("%.1f", float64(n)*1e6/float64(population)), ".", ",", 1)
}

func TestDashboardCoverage(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	res := c.Get("/dashboard/abdeckung").WantStatus(http.StatusOK)
	for key, n := range map[string]int{"05": 2, "09": 1, "DE": 3, "16": 0} {
		row := cells(res.Find("[data-testid=state-table] tr[data-key='" + key + "']"))
		if len(row) != 1 {
			t.Fatalf("Land %s: %d rows", key, len(row))
		}
		pop := w.population(key)
		if want := []string{thousands(pop), thousands(n), rate(n, pop)}; !slices.Equal(row[0][1:4], want) {
			t.Errorf("Land %s: %v, want %v", key, row[0][1:4], want)
		}
	}
	for ags, n := range map[string]int{"05111": 2, "05315": 1, "09162": 1, "16063": 0} {
		row := cells(res.Find("[data-testid=district-table] tr[data-key='" + ags + "']"))
		pop := w.population(ags)
		if len(row) != 1 || !slices.Equal(row[0][1:], []string{thousands(pop), thousands(n), rate(n, pop)}) {
			t.Errorf("district %s: %v, want %d initiatives of %d", ags, row, n, pop)
		}
	}
	// The map shades the same numbers: Düsseldorf darkest, the
	// Wartburgkreis as none, and says so in the region's title.
	path := res.Find("#karte-kreise-tabelle").Length()
	if path != 1 {
		t.Error("the district map's table is missing")
	}
	title := res.Find("[data-testid=coverage-districts] svg path title").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.HasPrefix(s.Text(), "Düsseldorf:")
	})
	if got := title.Text(); got != "Düsseldorf: 2 Initiativen, "+rate(2, w.population("05111"))+" je Million Einwohner" {
		t.Errorf("Düsseldorf's title %q", got)
	}
	if cls := title.Parent().AttrOr("class", ""); cls != "map-level-3" {
		t.Errorf("Düsseldorf shaded %q, want the top class of three", cls)
	}
	if res.Find("[data-testid=coverage-states] .region-map__legend li").Length() < 2 {
		t.Error("no legend")
	}

	// Weiße Flecken: every district without an initiative, most people first.
	gaps := cells(res.Find("[data-testid=gap-table] tbody tr"))
	if len(gaps) != 397 || gaps[0][0] != "Berlin" {
		t.Fatalf("%d gaps, first %v; want 397, Berlin first", len(gaps), gaps[0])
	}
	if !slices.ContainsFunc(gaps, func(r []string) bool { return r[0] == "Wartburgkreis" }) ||
		slices.ContainsFunc(gaps, func(r []string) bool { return r[0] == "Düsseldorf" }) {
		t.Error("the gaps list the wrong districts")
	}
	byName := cells(c.Get("/dashboard/abdeckung?sortierung=name").Find("[data-testid=gap-table] tbody tr"))
	if !slices.IsSortedFunc(byName, func(a, b []string) int { return compareGerman(a[0], b[0]) }) {
		t.Error("sorted by name: not in order")
	}
	if got := res.Text("[data-testid=gap-summary]"); !strings.HasPrefix(got, "397 von 400 Kreisen ohne Initiative") {
		t.Errorf("gap summary %q", got)
	}

	states := readCSV(t, c.Get("/dashboard/export/abdeckung-laender.csv").WantStatus(http.StatusOK).Body)
	if len(states) != 18 || !slices.Equal(states[17][:4], []string{"DE", "Deutschland", fmt.Sprint(w.population("DE")), "3"}) {
		t.Errorf("states CSV: %d rows, last %v", len(states), states[len(states)-1])
	}
	districts := readCSV(t, c.Get("/dashboard/export/abdeckung-kreise.csv").WantStatus(http.StatusOK).Body)
	i := slices.IndexFunc(districts, func(r []string) bool { return r[0] == "16063" })
	if len(districts) != 401 || i < 0 || districts[i][5] != "0" || districts[i][6] != "0.00" {
		t.Errorf("districts CSV: %d rows, Wartburgkreis %v", len(districts), districts[max(i, 0)])
	}
}

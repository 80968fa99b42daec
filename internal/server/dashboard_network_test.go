package server

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestDashboardTopics(t *testing.T) {
	t.Parallel()
	w, d, c := dashWorld(t)
	_, err := w.pool.Exec(context.Background(), `INSERT INTO initiative_topics (initiative_id, topic) VALUES ($1, 'energie'), ($2, 'energie'), ($3, 'energie')`,
		d.initC, d.initG, d.initD) // D is only submitted: not counted
	if err != nil {
		t.Fatal(err)
	}
	res := c.Get("/dashboard/themen").WantStatus(http.StatusOK)
	for slug, want := range map[string][]string{
		"energie":     {"Energie", "2", "1", "2", "1"},
		"innovation":  {"Innovation", "0", "1", "0", "0"},
		"fachkraefte": {"Fachkräfte und Nachwuchs", "0", "0", "0", "0"},
	} {
		if got := cells(res.Find("[data-testid=topics-table] tr[data-key=" + slug + "]")); len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("topic %s: %v, want %v", slug, got, want)
		}
	}
	if got := cells(res.Find("[data-testid=topic-years-table] thead tr"))[0]; !slices.Equal(got, []string{"Thema", "2025", "2026"}) {
		t.Errorf("years %v", got)
	}
	for slug, want := range map[string][]string{"energie": {"Energie", "0 / 0", "1 / 2"}, "innovation": {"Innovation", "1 / 0", "1 / 0"}} {
		if got := cells(res.Find("[data-testid=topic-years-table] tr[data-key=" + slug + "]")); len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("topic %s by year: %v, want %v", slug, got, want)
		}
	}
	if got := res.Find("[data-testid=thema-energie] .chart__bar").Last().AttrOr("data-value", ""); got != "3" {
		t.Errorf("energie's chart for 2026: %q, want 3 (1 event, 2 workshops)", got)
	}
	// 2025: the Silvesterdialog on innovation only.
	res = c.Get("/dashboard/themen?zeitraum=jahr&jahr=2025").WantStatus(http.StatusOK)
	if got := cells(res.Find("[data-testid=topics-table] tr[data-key=innovation]")); !slices.Equal(got[0], []string{"Innovation", "0", "1", "0", "0"}) {
		t.Errorf("innovation in 2025: %v", got)
	}
	csv := readCSV(t, c.Get("/dashboard/export/themen.csv").WantStatus(http.StatusOK).Body)
	if i := slices.IndexFunc(csv, func(r []string) bool { return r[0] == "energie" }); i < 0 ||
		!slices.Equal(csv[i], []string{"energie", "Energie", "2026", "2", "1", "2", "1"}) {
		t.Errorf("themen.csv %v", csv)
	}
	years := readCSV(t, c.Get("/dashboard/export/themen-jahre.csv").WantStatus(http.StatusOK).Body)
	if !slices.Equal(flat(years[1:]), flat([][]string{{"innovation", "2025", "1", "0"}, {"energie", "2026", "1", "2"}, {"innovation", "2026", "1", "0"}})) {
		t.Errorf("themen-jahre.csv %v", years)
	}
}

func TestDashboardNetwork(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	w.addEvent() // the Testdialog lies ahead: nobody has met there yet
	res := c.Get("/dashboard/vernetzung").WantStatus(http.StatusOK)
	want := [][]string{{"Initiative A", "Initiative C", "2", "0"}, {"Initiative B", "Initiative C", "1", "1"}, {"Initiative A", "Initiative B", "1", "0"}}
	if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want)) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	var weights []string
	res.Find("[data-testid=netz] line").Each(func(_ int, s *goquery.Selection) { weights = append(weights, s.AttrOr("data-weight", "")) })
	if !slices.Equal(weights, []string{"2", "1", "1"}) || res.Find("[data-testid=netz] circle").Length() != 3 {
		t.Errorf("graph edges %v", weights)
	}
	res = c.Get("/dashboard/vernetzung?zeitraum=jahr&jahr=2026").WantStatus(http.StatusOK)
	want = [][]string{{"Initiative B", "Initiative C", "1", "1"}, {"Initiative A", "Initiative B", "1", "0"}, {"Initiative A", "Initiative C", "1", "0"}}
	if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want)) {
		t.Errorf("pairs in 2026 %v, want %v", got, want)
	}

	res = c.Get("/dashboard/vernetzung/initiative-c").WantStatus(http.StatusOK)
	if got := cells(res.Find("[data-testid=partner-table] tbody tr")); !slices.Equal(flat(got), []string{"Initiative A", "2", "0", "Initiative B", "1", "1"}) {
		t.Errorf("partners of C %v", got)
	}
	if got := res.Text("[data-testid=participations] li"); got != "Frühjahrsdialog (10. März 2026): in einem WorkshopSilvesterdialog (31. Dezember 2025): hat sich vorgestellt" {
		t.Errorf("participations of C %q", got)
	}
	c.Get("/dashboard/vernetzung/gibt-es-nicht").WantStatus(http.StatusNotFound)

	csv := readCSV(t, c.Get("/dashboard/export/vernetzung.csv").WantStatus(http.StatusOK).Body)
	if !slices.Equal(csv[1], []string{"Initiative A", "Initiative C", "seit Beginn", "2", "0"}) {
		t.Errorf("vernetzung.csv %v", csv)
	}
}

func flat(rows [][]string) []string { return slices.Concat(rows...) }

package server

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		query, def         string
		label, prev        string
		from, to, prevFrom string // Berlin days
		error              bool
	}{
		{"", periodYear, "2026", "2025", "2026-01-01", "2027-01-01", "2025-01-01", false},
		{"zeitraum=quartal&jahr=2026&quartal=1", periodYear, "1. Quartal 2026", "4. Quartal 2025", "2026-01-01", "2026-04-01", "2025-10-01", false},
		{"zeitraum=quartal", periodYear, "4. Quartal 2026", "3. Quartal 2026", "2026-10-01", "2027-01-01", "2026-07-01", false},
		{"zeitraum=frei&von=2026-03-01&bis=2026-03-10", periodYear, "1. März 2026 bis 10. März 2026", "19. Februar 2026 bis 28. Februar 2026", "2026-03-01", "2026-03-11", "2026-02-19", false},
		{"zeitraum=gesamt", periodYear, "seit Beginn", "", "2000-01-01", "2100-01-01", "0001-01-01", false},
		{"", periodAll, "seit Beginn", "", "2000-01-01", "2100-01-01", "0001-01-01", false},
		{"zeitraum=frei&von=2026-03-10&bis=2026-03-01", periodYear, "2026", "2025", "2026-01-01", "2027-01-01", "2025-01-01", true},
		{"zeitraum=quartal&quartal=0", periodYear, "2026", "2025", "2026-01-01", "2027-01-01", "2025-01-01", true},
		{"jahr=2020", periodAll, "seit Beginn", "", "2000-01-01", "2100-01-01", "0001-01-01", true},
		{"zeitraum=woche", periodYear, "2026", "2025", "2026-01-01", "2027-01-01", "2025-01-01", true},
	}
	day := func(t time.Time) string { return t.In(berlin).Format(time.DateOnly) }
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		p := parsePeriod(q, now, tt.def)
		got := []string{p.Label, p.PrevLabel, day(p.Cur.From), day(p.Cur.To), day(p.Prev.From)}
		want := []string{tt.label, tt.prev, tt.from, tt.to, tt.prevFrom}
		if tt.prev == "" {
			got[4], want[4] = "", ""
		}
		if !slices.Equal(got, want) || (p.Error != "") != tt.error {
			t.Errorf("%q: %v (error %q), want %v (error %v)", tt.query, got, p.Error, want, tt.error)
		}
	}
}

func TestRateLegend(t *testing.T) {
	levels, legend := rateLegend([]int{0, 12, 30, 30, 5})
	if !slices.Equal(levels, []int{0, 2, 3, 3, 1}) {
		t.Errorf("levels %v", levels)
	}
	var labels []string
	for _, l := range legend {
		labels = append(labels, l.Label)
	}
	want := []string{"keine Initiative", "bis 0,5 je Million Einwohner", "über 0,5 bis 1,2 je Million Einwohner", "über 1,2 bis 3,0 je Million Einwohner"}
	if !slices.Equal(labels, want) {
		t.Errorf("legend %q", labels)
	}
	if signed(3) != "+3" || signed(-1200) != "−1.200" || signed(0) != "±0" {
		t.Error("signed")
	}
	if waitingDays(36*time.Hour) != "1 Tag" || waitingDays(time.Hour) != "heute" || waitingDays(240*time.Hour) != "10 Tagen" {
		t.Error("waitingDays")
	}
}

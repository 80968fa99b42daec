package store_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// Totals of kreise-2018.csv (Destatis, 31.12.2018), computed once from the
// file when the migration was generated.
const (
	csvPopulation       = 83019213
	eisenachPopulation  = 42370
	wartburgPopulation  = 123025 // before the merger
	csvDistrictsPerLand = "01:15 02:1 03:45 04:2 05:53 06:26 07:36 08:44 09:96 10:6 11:1 12:18 13:8 14:13 15:14 16:23"
)

func TestStates(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	states, err := s.States(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 16 {
		t.Fatalf("%d states, want 16", len(states))
	}
	if first, last := states[0], states[15]; first != (store.State{Code: "01", Name: "Schleswig-Holstein"}) ||
		last != (store.State{Code: "16", Name: "Thüringen"}) {
		t.Errorf("first %v, last %v", first, last)
	}
}

func TestDistrictsAreTheCurrentOnesInGermanOrder(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	list, err := s.Districts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 400 {
		t.Fatalf("%d current districts, want 400", len(list))
	}
	sum := 0
	seen := map[string]bool{}
	for _, d := range list {
		sum += d.Population
		if seen[d.DisplayName] {
			t.Errorf("display name %q twice", d.DisplayName)
		}
		seen[d.DisplayName] = true
		if d.AGS == "16056" {
			t.Error("Eisenach listed as current")
		}
		if !d.Current() || !strings.HasPrefix(d.AGS, d.StateCode) || d.StateName == "" {
			t.Errorf("district %+v", d)
		}
	}
	// The Wartburgkreis row carries Eisenach's 2018 figures since the merger.
	if sum != csvPopulation {
		t.Errorf("population of current districts = %d, want %d", sum, csvPopulation)
	}
	// German order: umlauts sort with their base letter, not after z.
	idx := func(name string) int {
		for i, d := range list {
			if d.DisplayName == name {
				return i
			}
		}
		t.Fatalf("%q not listed", name)
		return -1
	}
	if !(idx("Oberhausen") < idx("Offenbach am Main") && idx("Offenbach am Main") < idx("Oldenburg (Oldenburg)")) {
		t.Error("not in alphabetical order")
	}
	// DIN 5007-1: "ü" sorts as "u", so Lübeck < Lüchow < Ludwigslust < Lüneburg.
	if !(idx("Lübeck") < idx("Lüchow-Dannenberg") && idx("Lüchow-Dannenberg") < idx("Ludwigslust-Parchim") &&
		idx("Ludwigslust-Parchim") < idx("Lüneburg") && idx("Lüneburg") < idx("Magdeburg")) {
		t.Error("umlauts not in German order")
	}
	if !(idx("Kassel") < idx("Landkreis Kassel")) {
		t.Error("Kassel should come before Landkreis Kassel")
	}

	counts := map[string]int{}
	for _, d := range list {
		counts[d.StateCode]++
	}
	counts["16"]++ // Eisenach, no longer current
	var got []string
	for _, st := range []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16"} {
		got = append(got, st+":"+strconv.Itoa(counts[st]))
	}
	if strings.Join(got, " ") != csvDistrictsPerLand {
		t.Errorf("districts per Land = %s, want %s", strings.Join(got, " "), csvDistrictsPerLand)
	}
}

func TestAllRowsOfTheCSVAreKept(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	var total, current, population int
	err := pool.QueryRow(t.Context(), `SELECT count(*), (SELECT count(*) FROM current_districts),
		sum(population) FILTER (WHERE ags <> '16063') FROM districts`).Scan(&total, &current, &population)
	if err != nil {
		t.Fatal(err)
	}
	if total != 401 || current != 400 {
		t.Errorf("%d districts, %d current; want 401 and 400", total, current)
	}
	// Every CSV row as published, except the Wartburgkreis with Eisenach added.
	if population != csvPopulation-wartburgPopulation {
		t.Errorf("population of the unchanged rows = %d, want %d", population, csvPopulation-wartburgPopulation)
	}
}

func TestDistrictsOf(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	th, err := s.DistrictsOf(ctx, "16")
	if err != nil {
		t.Fatal(err)
	}
	if len(th) != 22 {
		t.Errorf("Thüringen: %d current districts, want 22", len(th))
	}
	for _, d := range th {
		if d.StateCode != "16" || d.StateName != "Thüringen" {
			t.Errorf("district %s of %s (%s) listed for 16", d.AGS, d.StateCode, d.StateName)
		}
	}
	hh, err := s.DistrictsOf(ctx, "02")
	if err != nil || len(hh) != 1 || hh[0].DisplayName != "Hamburg" {
		t.Errorf("Hamburg: %+v, %v", hh, err)
	}
	none, err := s.DistrictsOf(ctx, "17")
	if err != nil || len(none) != 0 {
		t.Errorf("unknown Land: %d districts, %v; want none", len(none), err)
	}
}

func TestDistrict(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	fl, err := s.District(ctx, "01001")
	if err != nil {
		t.Fatal(err)
	}
	if fl.Name != "Flensburg, Stadt" || fl.DisplayName != "Flensburg" || fl.Kind != "Kreisfreie Stadt" ||
		fl.Population != 89504 || fl.AreaKm2 != 56.73 || fl.NUTS3 != "DEF01" || fl.StateName != "Schleswig-Holstein" || !fl.Current() {
		t.Errorf("Flensburg = %+v", fl)
	}

	eis, err := s.District(ctx, "16056")
	if err != nil {
		t.Fatal(err)
	}
	if eis.Current() || eis.MergedInto == nil || *eis.MergedInto != "16063" ||
		eis.ValidUntil.Format("2006-01-02") != "2021-06-30" || eis.Population != eisenachPopulation {
		t.Errorf("Eisenach = %+v", eis)
	}
	wb, err := s.District(ctx, "16063")
	if err != nil {
		t.Fatal(err)
	}
	if !wb.Current() || wb.MergedInto != nil || wb.Population != wartburgPopulation+eisenachPopulation || wb.AreaKm2 != 1411.61 {
		t.Errorf("Wartburgkreis = %+v", wb)
	}

	for ags, want := range map[string]string{
		"06633": "Landkreis Kassel", "06438": "Landkreis Offenbach", "03458": "Landkreis Oldenburg",
		"13072": "Landkreis Rostock", "13003": "Rostock", "02000": "Hamburg", "05914": "Hagen",
		"03241": "Region Hannover", "10041": "Regionalverband Saarbrücken", "08111": "Stuttgart",
	} {
		d, err := s.District(ctx, ags)
		if err != nil || d.DisplayName != want {
			t.Errorf("District(%s) = %v, %v; want display name %q", ags, d, err, want)
		}
	}

	for _, ags := range []string{"99999", "1600", ""} {
		if _, err := s.District(ctx, ags); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("District(%q) = %v, want ErrNotFound", ags, err)
		}
	}
}

func TestDistrictConstraints(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	const insert = `INSERT INTO districts (ags, state_code, name, display_name, kind, nuts3, area_km2, population) VALUES `
	for _, c := range []struct{ sql, constraint string }{
		{insert + `('02999', '01', 'X', 'X', 'Kreis', 'DEF99', 1, 1)`, "districts_ags_in_state"},
		{insert + `('01999', '01', 'X', 'X', 'Bezirk', 'DEF99', 1, 1)`, "districts_kind_check"},
		{`UPDATE districts SET merged_into = '01002' WHERE ags = '01001'`, "districts_merged_has_end"},
		{`UPDATE districts SET valid_until = '2030-01-01', merged_into = '01001' WHERE ags = '01001'`, "districts_not_merged_into_itself"},
		{`UPDATE districts SET valid_until = '2030-01-01', merged_into = '01999' WHERE ags = '01001'`, "districts_merged_into_fkey"},
		{`UPDATE districts SET display_name = 'Kassel' WHERE ags = '06633'`, "districts_display_name_key"},
	} {
		_, err := pool.Exec(ctx, c.sql)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.ConstraintName != c.constraint {
			t.Errorf("%s: %v, want a violation of %s", c.sql, err, c.constraint)
		}
	}
}

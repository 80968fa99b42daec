package server

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"rii/internal/geo"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// populationCredit names the source of the population figures.
const populationCredit = "Einwohnerzahlen: Statistisches Bundesamt (Destatis), Stand 31.12.2018."

// showDashboardCoverage is /dashboard/abdeckung: the Länder and districts
// shaded by published initiatives per million inhabitants, the Länder as a
// table, and the districts without any initiative (weiße Flecken) sorted
// by ?sortierung=einwohner|name|land.
func (s *Server) showDashboardCoverage(w http.ResponseWriter, r *http.Request) error {
	sortBy := r.URL.Query().Get("sortierung")
	if !slices.Contains([]string{"einwohner", "name", "land"}, sortBy) {
		sortBy = "einwohner"
	}
	v, err := s.coverageView(r, sortBy)
	if err != nil {
		return err
	}
	v.Frame = s.frame(r, "Dashboard: Abdeckung")
	v.Nav = pages.DashNav{Current: dashCoveragePath, Tabs: dashTabs,
		CSV: dashCSVLinks(dashPeriod{Kind: periodAll}, "abdeckung-laender.csv", "abdeckung-kreise.csv")}
	return s.render(w, r, pages.DashboardCoverage(v))
}

// coverageView reads the coverage (one statement) and builds the maps and
// tables, the gaps sorted by sortBy.
func (s *Server) coverageView(r *http.Request, sortBy string) (pages.CoverageView, error) {
	districts, states, germany, err := s.store.Coverage(r.Context())
	if err != nil {
		return pages.CoverageView{}, err
	}
	m, err := geo.Load()
	if err != nil {
		return pages.CoverageView{}, err
	}
	v := pages.CoverageView{Sort: sortBy, Credit: geo.Credit + " " + populationCredit,
		StatesMap:    coverageMap(m, "karte-laender", "Initiativen je Million Einwohner nach Ländern", "Land", states),
		DistrictsMap: coverageMap(m, "karte-kreise", "Initiativen je Million Einwohner nach Kreisen", "Kreis", districts)}
	for _, st := range m.States() {
		v.DistrictsMap.Outlines = append(v.DistrictsMap.Outlines, st.D)
	}
	gapsByState := map[string]int{}
	var gaps []store.RegionCoverage
	for _, d := range districts {
		v.Districts = append(v.Districts, coverageRow(d))
		if d.Initiatives == 0 {
			gaps = append(gaps, d)
			gapsByState[d.StateCode]++
		}
	}
	for _, st := range states {
		row := coverageRow(st)
		row.Gaps = thousands(gapsByState[st.Key])
		v.States = append(v.States, row)
	}
	v.Total = coverageRow(germany)
	v.Total.Gaps = thousands(len(gaps))
	sortGaps(gaps, sortBy)
	pop := 0
	for _, g := range gaps {
		v.Gaps = append(v.Gaps, coverageRow(g))
		pop += g.Population
	}
	v.GapSummary = thousands(len(gaps)) + " von " + thousands(len(districts)) + " Kreisen ohne Initiative, mit zusammen " +
		thousands(pop) + " Einwohnerinnen und Einwohnern."
	return v, nil
}

// sortGaps orders the districts without initiative: most inhabitants
// first, by name, or by Land and name.
func sortGaps(gaps []store.RegionCoverage, by string) {
	slices.SortStableFunc(gaps, func(a, b store.RegionCoverage) int {
		switch by {
		case "name":
			return compareGerman(a.Name, b.Name)
		case "land":
			return cmp.Or(compareGerman(a.StateName, b.StateName), compareGerman(a.Name, b.Name))
		}
		return cmp.Or(cmp.Compare(b.Population, a.Population), compareGerman(a.Name, b.Name))
	})
}

// compareGerman orders names as a German list does, near enough for
// district names: umlauts as their base letters, case ignored.
func compareGerman(a, b string) int {
	fold := strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "Ä", "A", "Ö", "O", "Ü", "U", "ß", "ss")
	return cmp.Compare(strings.ToLower(fold.Replace(a)), strings.ToLower(fold.Replace(b)))
}

// perMillion is initiatives per million inhabitants, 0 without any.
func perMillion(initiatives, population int) float64 {
	if population <= 0 || initiatives <= 0 {
		return 0
	}
	return float64(initiatives) * 1e6 / float64(population)
}

// decimal writes x with one decimal and a German comma: "1,2".
func decimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64), ".", ",", 1)
}

// coverageRow is a region as the tables show it.
func coverageRow(c store.RegionCoverage) pages.CoverageRow {
	return pages.CoverageRow{Key: c.Key, Name: c.Name, Land: c.StateName, Kind: c.Kind, Population: thousands(c.Population),
		Initiatives: thousands(c.Initiatives), PerMillion: decimal(perMillion(c.Initiatives, c.Population))}
}

// coverageMap shades the regions by initiatives per million inhabitants.
func coverageMap(m *geo.Map, id, title, label string, regions []store.RegionCoverage) components.MapView {
	mv := components.MapView{ID: id, Title: title, ViewBox: m.ViewBox(), RegionLabel: label}
	rows := make([]components.MapRegion, 0, len(regions))
	tenths := make([]int, 0, len(regions))
	for _, c := range regions {
		rate := perMillion(c.Initiatives, c.Population)
		rows = append(rows, components.MapRegion{Key: c.Key, Name: c.Name, Count: c.Initiatives,
			Label: initiativesCount(c.Initiatives) + ", " + decimal(rate) + " je Million Einwohner"})
		tenths = append(tenths, int(math.Ceil(rate*10)))
	}
	shadedMap(&mv, m, rows, tenths, rateLegend)
	return mv
}

// rateLegend shades rates given in tenths (rounded up, so that any
// initiative shows) and labels the classes "bis 1,2 je Million Einwohner".
func rateLegend(tenths []int) ([]int, []components.MapLegendItem) {
	return shade(tenths, func(prev, upper int) string {
		label := "bis " + decimal(float64(upper)/10) + " je Million Einwohner"
		if prev > 0 {
			label = "über " + decimal(float64(prev)/10) + " " + label
		}
		return label
	})
}

// districtsCSV: every current district with its Land, population and
// initiatives.
func (s *Server) districtsCSV(r *http.Request, _ dashPeriod) ([][]string, error) {
	districts, _, _, err := s.store.Coverage(r.Context())
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"ags", "kreis", "art", "land", "einwohner", "initiativen", "initiativen_je_million"}}
	for _, d := range districts {
		rows = append(rows, []string{d.Key, d.Name, d.Kind, d.StateName, strconv.Itoa(d.Population), strconv.Itoa(d.Initiatives),
			csvDecimal(perMillion(d.Initiatives, d.Population))})
	}
	return rows, nil
}

// statesCSV: every Land and Germany with population and initiatives.
func (s *Server) statesCSV(r *http.Request, _ dashPeriod) ([][]string, error) {
	_, states, germany, err := s.store.Coverage(r.Context())
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"land_schluessel", "land", "einwohner", "initiativen", "initiativen_je_million"}}
	for _, st := range append(states, germany) {
		rows = append(rows, []string{st.Key, st.Name, strconv.Itoa(st.Population), strconv.Itoa(st.Initiatives),
			csvDecimal(perMillion(st.Initiatives, st.Population))})
	}
	return rows, nil
}

// csvDecimal writes x with two decimals and a point, as machines read it.
func csvDecimal(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

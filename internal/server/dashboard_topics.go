package server

import (
	"net/http"
	"strconv"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// showDashboardTopics is /dashboard/themen: per topic the published
// initiatives, and in the period the events held, their workshops and
// results; then the events and workshops per topic and year.
func (s *Server) showDashboardTopics(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	p := parsePeriod(r.URL.Query(), now, periodYear)
	topics, err := s.store.DashboardTopics(r.Context(), now, p.Cur)
	if err != nil {
		return err
	}
	years, err := s.store.TopicYears(r.Context(), now)
	if err != nil {
		return err
	}
	v := pages.DashTopicsView{Frame: s.frame(r, "Dashboard: Themen"),
		Nav: s.dashNav(r, dashTopicsPath, p, dashCSVLinks(p, "themen.csv", "themen-jahre.csv"))}
	v.Rows, v.Charts = topicRows(topics, p)
	v.Years, v.YearRows, v.YearCharts = topicYearRows(topics, years, now.In(berlin).Year())
	return s.render(w, r, pages.DashboardTopics(v))
}

// topicRows are the topics' figures, and charts of initiatives and
// workshops per topic.
func topicRows(topics []store.TopicFigures, p dashPeriod) ([]pages.DashTopicRow, []components.Chart) {
	var rows []pages.DashTopicRow
	var names []string
	var inits, works []int
	for _, t := range topics {
		rows = append(rows, pages.DashTopicRow{Slug: t.Slug, Name: t.Name, Initiatives: thousands(t.Initiatives),
			Events: thousands(t.Events), Workshops: thousands(t.Workshops), WithResults: thousands(t.WithResults)})
		names, inits, works = append(names, t.Name), append(inits, t.Initiatives), append(works, t.Workshops)
	}
	return rows, []components.Chart{
		components.NewBarChart("themen-initiativen", "Veröffentlichte Initiativen je Thema (heute)", "Thema", "Initiativen", names, inits),
		components.NewBarChart("themen-workshops", "Workshops je Thema, "+p.Label, "Thema", "Workshops", names, works),
	}
}

// topicYearRows lays the years from the first with any topic to this one
// out as columns, cells "Veranstaltungen / Workshops", and draws each
// topic's sum per year.
func topicYearRows(topics []store.TopicFigures, years []store.TopicYear, thisYear int) ([]string, []pages.TopicYearRow, []components.Chart) {
	first := thisYear
	for _, y := range years {
		first = min(first, y.Year)
	}
	var labels []string
	for y := first; y <= thisYear; y++ {
		labels = append(labels, strconv.Itoa(y))
	}
	var rows []pages.TopicYearRow
	var charts []components.Chart
	for _, t := range topics {
		row := pages.TopicYearRow{Slug: t.Slug, Name: t.Name}
		sums := make([]int, len(labels))
		for i := range labels {
			ev, ws := 0, 0
			for _, y := range years {
				if y.Slug == t.Slug && y.Year == first+i {
					ev, ws = y.Events, y.Workshops
				}
			}
			row.Cells = append(row.Cells, thousands(ev)+" / "+thousands(ws))
			sums[i] = ev + ws
		}
		rows = append(rows, row)
		charts = append(charts, components.NewColumnChart("thema-"+t.Slug, t.Name+": Veranstaltungen und Workshops je Jahr",
			"Jahr", "Veranstaltungen und Workshops", labels, sums))
	}
	return labels, rows, charts
}

// topicsCSV: one row per topic with the period's figures.
func (s *Server) topicsCSV(r *http.Request, p dashPeriod) ([][]string, error) {
	topics, err := s.store.DashboardTopics(r.Context(), s.now(), p.Cur)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"thema", "bezeichnung", "zeitraum", "initiativen_heute", "veranstaltungen", "workshops", "workshops_mit_ergebnissen"}}
	for _, t := range topics {
		rows = append(rows, []string{t.Slug, t.Name, p.Label, strconv.Itoa(t.Initiatives), strconv.Itoa(t.Events),
			strconv.Itoa(t.Workshops), strconv.Itoa(t.WithResults)})
	}
	return rows, nil
}

// topicYearsCSV: one row per topic and year with events or workshops.
func (s *Server) topicYearsCSV(r *http.Request, _ dashPeriod) ([][]string, error) {
	years, err := s.store.TopicYears(r.Context(), s.now())
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"thema", "jahr", "veranstaltungen", "workshops"}}
	for _, y := range years {
		rows = append(rows, []string{y.Slug, strconv.Itoa(y.Year), strconv.Itoa(y.Events), strconv.Itoa(y.Workshops)})
	}
	return rows, nil
}

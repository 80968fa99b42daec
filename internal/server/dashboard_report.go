package server

import (
	"net/http"

	"rii/web/pages"
)

// reportPairs is how many pairs of initiatives the report lists.
const reportPairs = 30

// showDashboardReport is /dashboard/taetigkeitsbericht: key figures, trends,
// coverage, topics and network of the period on one printable page, each
// section starting a new printed page (portal.css, @media print).
func (s *Server) showDashboardReport(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	p := parsePeriod(r.URL.Query(), now, periodYear)
	figures, statuses, trends, err := s.periodFigures(ctx, now, p)
	if err != nil {
		return err
	}
	coverage, err := s.coverageView(r, "einwohner")
	if err != nil {
		return err
	}
	topics, err := s.store.DashboardTopics(ctx, now, p.Cur)
	if err != nil {
		return err
	}
	years, err := s.store.TopicYears(ctx, now)
	if err != nil {
		return err
	}
	pairs, total, err := s.store.Pairs(ctx, p.Cur, reportPairs, 0)
	if err != nil {
		return err
	}
	computed, err := s.networkComputed(r)
	if err != nil {
		return err
	}
	nav := s.dashNav(r, dashReportPath, p, nil)
	v := pages.ActivityReportView{Frame: s.frame(r, "Tätigkeitsbericht "+p.Label), Nav: nav, Generated: formatTime(now),
		Figures: figures, Statuses: statuses, Trends: trends,
		Coverage: coverage, Topics: pages.DashTopicsView{Nav: nav},
		Network: pages.NetworkView{Total: thousands(total), Computed: computed}}
	v.Topics.Rows, v.Topics.Charts = topicRows(topics, p)
	v.Topics.Years, v.Topics.YearRows, v.Topics.YearCharts = topicYearRows(topics, years, now.In(berlin).Year())
	v.Network.Pairs, v.Network.Graph = meetingRows(pairs, p, true)
	return s.render(w, r, pages.DashboardReport(v))
}

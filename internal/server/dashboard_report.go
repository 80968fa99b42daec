package server

import (
	"net/http"

	"golang.org/x/sync/errgroup"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// reportPairs is how many pairs of initiatives the report lists.
const reportPairs = 30

// reportReads is how many of the report's reads run at once.
const reportReads = 3

// showDashboardReport is /dashboard/taetigkeitsbericht: key figures, trends,
// coverage, topics and network of the period on one printable page, each
// section starting a new printed page (portal.css, @media print).
func (s *Server) showDashboardReport(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	p := parsePeriod(r.URL.Query(), now, periodYear)
	var (
		figures, statuses []pages.FigureRow
		trends            []components.Chart
		coverage          pages.CoverageView
		topics            []store.TopicFigures
		years             []store.TopicYear
		pairs             []store.Pair
		total             int
		computed          string
	)
	// The sections' reads do not depend on each other: a few at once, each
	// on its own connection, so the page waits for the slowest rather than
	// for their sum (bounded, so one report does not take the whole pool).
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(reportReads)
	g.Go(func() (err error) { figures, statuses, trends, err = s.periodFigures(gctx, now, p); return err })
	g.Go(func() (err error) { coverage, err = s.coverageView(r.WithContext(gctx), "einwohner"); return err })
	g.Go(func() (err error) { topics, err = s.store.DashboardTopics(gctx, now, p.Cur); return err })
	g.Go(func() (err error) { years, err = s.store.TopicYears(gctx, now); return err })
	g.Go(func() (err error) { pairs, total, err = s.store.Pairs(gctx, p.Cur, reportPairs, 0); return err })
	g.Go(func() (err error) { computed, err = s.networkComputed(r.WithContext(gctx)); return err })
	if err := g.Wait(); err != nil {
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

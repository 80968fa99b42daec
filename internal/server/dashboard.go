package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Dashboard paths: the officials' view of the dialogue structure (issue 10).
const (
	dashPath         = "/dashboard"
	dashCoveragePath = "/dashboard/abdeckung"
	dashTopicsPath   = "/dashboard/themen"
	dashNetworkPath  = "/dashboard/vernetzung"
	dashActivityPath = "/dashboard/aktivitaet"
	dashReportPath   = "/dashboard/taetigkeitsbericht"
)

// showDashboard is /dashboard: what changed since the last visit, what
// waits, the key figures of the period against the one before, and the
// trends by quarter.
func (s *Server) showDashboard(w http.ResponseWriter, r *http.Request) error {
	ctx, u, now := r.Context(), userFrom(r.Context()), s.now()
	p := parsePeriod(r.URL.Query(), now, periodYear)
	var (
		figures, statuses []pages.FigureRow
		trends            []components.Chart
		work              []store.WorkItem
		stale             []store.StaleInitiative
		staleTotal        int
		since             *pages.SinceView
	)
	// Independent reads, a few at once as in the report.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(reportReads)
	g.Go(func() (err error) { figures, statuses, trends, err = s.periodFigures(gctx, now, p); return err })
	g.Go(func() (err error) {
		work, err = s.store.Awaiting(gctx, now, now.AddDate(0, 0, closingSoonDays))
		return err
	})
	g.Go(func() (err error) {
		stale, staleTotal, err = s.store.StaleSummary(gctx, now.Add(-staleAfter), 5)
		return err
	})
	g.Go(func() (err error) { since, err = s.sinceLastVisit(r.WithContext(gctx), u); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	v := pages.DashboardView{Frame: s.frame(r, "Dashboard"), Nav: s.dashNav(r, dashPath, p, dashOverviewCSV(p)),
		Since: since, WorkFirst: u.Role != account.RoleOfficial,
		Figures: figures, Statuses: statuses, Trends: trends, Work: workGroups(work, now, u.Role),
		Stale: pages.StaleSummary{Total: staleTotal, Href: "/verwaltung/initiativen/veraltet"}}
	for _, st := range stale {
		note := "nie bestätigt"
		if st.ConfirmedAt != nil {
			note = "zuletzt bestätigt am " + germanDay(*st.ConfirmedAt)
		}
		v.Stale.Items = append(v.Stale.Items, pages.WorkItem{Name: st.Name, Href: paths.Initiative(st.Slug, "verlauf"), Note: note})
	}
	return s.render(w, r, pages.Dashboard(v))
}

// periodFigures reads and shapes what the overview and the report both
// show of p: the key figures against the period before (if there is one),
// the initiatives by status today and the trends by quarter.
func (s *Server) periodFigures(ctx context.Context, now time.Time, p dashPeriod) (figures, statuses []pages.FigureRow,
	trends []components.Chart, err error) {
	figs, err := s.store.DashboardFigures(ctx, now, p.Cur, p.Prev)
	if err != nil {
		return nil, nil, nil, err
	}
	counts, err := s.store.StatusCounts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	quarters, err := s.store.QuarterTrends(ctx, now)
	if err != nil {
		return nil, nil, nil, err
	}
	return figureRows(figs[0], figs[1], p.PrevLabel != ""), statusRows(counts), trendCharts(quarters), nil
}

// closingSoonDays is how far ahead "registration closes soon" looks.
const closingSoonDays = 14

// dashTabs are the dashboard's pages, in order.
var dashTabs = []pages.DashTab{
	{Label: "Überblick", Href: dashPath},
	{Label: "Abdeckung", Href: dashCoveragePath},
	{Label: "Themen", Href: dashTopicsPath},
	{Label: "Vernetzung", Href: dashNetworkPath},
	{Label: "Aktivität", Href: dashActivityPath},
	{Label: "Tätigkeitsbericht", Href: dashReportPath},
}

// dashNav is the navigation and period form of the page at path.
func (s *Server) dashNav(r *http.Request, path string, p dashPeriod, csv []pages.DashLink) pages.DashNav {
	nav := pages.DashNav{Current: path, Tabs: dashTabs, CSV: csv, Period: periodForm(path, p, s.now())}
	return nav
}

// periodForm is the period choice as the form shows it.
func periodForm(action string, p dashPeriod, now time.Time) pages.PeriodForm {
	f := pages.PeriodForm{Action: action, Kind: p.Kind, From: p.From, To: p.To, Label: p.Label, Error: p.Error}
	if p.PrevLabel != "" {
		f.Compare = "verglichen mit " + p.PrevLabel
	}
	for _, k := range []struct{ v, l string }{{periodYear, "Jahr"}, {periodQuarter, "Quartal"},
		{periodRange, "freier Zeitraum"}, {periodAll, "seit Beginn"}} {
		f.Kinds = append(f.Kinds, components.Option{Value: k.v, Label: k.l, Selected: p.Kind == k.v})
	}
	for y := now.In(berlin).Year() + 1; y >= firstYear; y-- {
		f.Years = append(f.Years, components.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == p.Year})
	}
	for q := 1; q <= 4; q++ {
		f.Quarter = append(f.Quarter, components.Option{Value: strconv.Itoa(q), Label: strconv.Itoa(q) + ". Quartal", Selected: q == p.Quarter})
	}
	return f
}

// sinceLastVisit is what changed since the user's previous sign-in; nil
// at the first.
func (s *Server) sinceLastVisit(r *http.Request, u *currentUser) (*pages.SinceView, error) {
	at, err := s.store.PreviousSignin(r.Context(), u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	changes, err := s.store.ChangesSince(r.Context(), at, 5)
	if err != nil {
		return nil, err
	}
	return sinceView(at, changes, u.Role), nil
}

// sinceView groups the changes by kind.
func sinceView(at time.Time, changes []store.RecentChange, role account.Role) *pages.SinceView {
	v := &pages.SinceView{When: formatTime(at)}
	for _, kind := range []struct{ key, title string }{{"initiative", "Initiativen"}, {"event", "Veranstaltungen"}, {"report", "Berichte"}} {
		g := pages.ChangeGroup{Title: kind.title, Empty: true}
		for _, c := range changes {
			if c.Kind != kind.key {
				continue
			}
			g.Empty, g.NewN, g.ChangedN = false, c.NewTotal, c.ChangedTotal
			what := "geändert"
			if c.New {
				what = "neu"
			}
			g.Items = append(g.Items, pages.ChangeItem{Name: c.Name, Href: objectHref(c.Kind, c.ID, c.Slug, c.Status, role),
				What: what, When: formatTime(c.At)})
		}
		g.New, g.Changed = thousands(g.NewN)+" neu", thousands(g.ChangedN)+" geändert"
		if more := g.NewN + g.ChangedN - len(g.Items); more > 0 {
			g.More = "und " + thousands(more) + " weitere"
		}
		v.Groups = append(v.Groups, g)
	}
	return v
}

// objectHref links an initiative, event or report (id is the event's) to
// the page the role may read: the history of a profile and report, the
// public page of an event (drafts only for those who edit them).
func objectHref(kind string, id int64, slug, status string, role account.Role) string {
	editor := role == account.RoleEditor || role == account.RoleAdmin
	switch kind {
	case "initiative":
		return paths.Initiative(slug, "verlauf")
	case "event":
		if editor {
			return paths.AdminEvent(id)
		}
		if status != "draft" {
			return paths.Event(slug)
		}
	case "report":
		return paths.AdminEvent(id, "bericht", "verlauf")
	}
	return ""
}

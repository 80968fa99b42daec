package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// DashNav is the dashboard's own navigation and period choice, shared by
// its pages.
type DashNav struct {
	// Current is the Href of the page shown.
	Current string
	Tabs    []DashTab
	Period  PeriodForm
	// CSV lists the downloads of the page's figures.
	CSV []DashLink
}

// DashTab is one page of the dashboard.
type DashTab struct{ Label, Href string }

// DashLink is a link with its text.
type DashLink struct{ Label, Href string }

// PeriodForm is the GET form choosing the period.
type PeriodForm struct {
	Action  string // the page's path
	Kind    string // jahr, quartal, frei, gesamt
	Kinds   []components.Option
	Years   []components.Option
	Quarter []components.Option
	From    string // ISO days of a free range
	To      string
	Label   string // the period shown, "2026"
	Compare string // "verglichen mit 2025"; "" without comparison
	Error   string
}

// DashboardView is /dashboard: key figures, trends and what needs doing.
type DashboardView struct {
	layout.Frame
	Nav DashNav
	// Since is what changed since the previous sign-in (nil: first visit).
	Since *SinceView
	// WorkFirst puts the waiting work at the top (editors, admins); for
	// officials it follows the figures as a status.
	WorkFirst bool
	Work      []WorkGroup
	Figures   []FigureRow
	Statuses  []FigureRow // initiatives by status today
	Trends    []components.Chart
	Stale     StaleSummary
}

// SinceView is "what changed since your last visit".
type SinceView struct {
	When   string // "2. Dezember 2026, 14:05 Uhr"
	Groups []ChangeGroup
}

// ChangeGroup is the new and changed objects of one kind.
type ChangeGroup struct {
	Title          string // "Initiativen"
	New, Changed   string // "3 neu", "2 geändert"
	Items          []ChangeItem
	More           string // "und 12 weitere"; "" if all are listed
	Empty          bool
	NewN, ChangedN int
}

// ChangeItem is one new or changed object.
type ChangeItem struct {
	Name, Href, What, When string
}

// WorkGroup is one kind of waiting work with its oldest items.
type WorkGroup struct {
	ID, Title, Empty string
	Total            int
	Items            []WorkItem
	More             DashLink // link to the full list, if any
}

// WorkItem is one waiting item: "seit 12 Tagen", or "schließt am …".
type WorkItem struct{ Name, Href, Note string }

// FigureRow is one key figure in the period and the one before.
type FigureRow struct {
	ID, Label        string
	Value, Previous  string
	Change           string // "+3", "−2", "±0"; "" without comparison
	ValueN, PrevN    int
	HasPrevious      bool
	Note             string
	IsRate, IsStatus bool
}

// StaleSummary is the number of profiles not confirmed for a year, the
// longest waiting ones, and the full list's link.
type StaleSummary struct {
	Total int
	Items []WorkItem
	Href  string
}

// CoverageView is /dashboard/abdeckung.
type CoverageView struct {
	layout.Frame
	Nav                     DashNav
	StatesMap, DistrictsMap components.MapView
	Credit                  string
	States                  []CoverageRow
	Total                   CoverageRow // Germany
	Districts               []CoverageRow
	// Gaps are the districts without any initiative, sorted by Sort
	// (einwohner, name, land).
	Gaps       []CoverageRow
	GapSummary string
	Sort       string
}

// CoverageRow is a region with its population and initiatives.
type CoverageRow struct {
	Key, Name, Land, Kind string
	Population            string
	Initiatives           string
	PerMillion            string
	Gaps                  string // of a Land: its districts without initiative
}

// ariaSort is the aria-sort value of a column: how the table is sorted
// when it is the column sorted by, "none" otherwise.
func ariaSort(current, column string) string {
	switch {
	case current != column:
		return "none"
	case column == "einwohner":
		return "descending"
	}
	return "ascending"
}

// DashTopicsView is /dashboard/themen: the Zukunftsthemen in the period and
// over the years.
type DashTopicsView struct {
	layout.Frame
	Nav    DashNav
	Rows   []DashTopicRow
	Charts []components.Chart
	// Years head the columns of YearRows; YearCharts draw each topic's
	// events and workshops per year.
	Years      []string
	YearRows   []TopicYearRow
	YearCharts []components.Chart
}

// DashTopicRow is one topic's figures.
type DashTopicRow struct {
	Slug, Name                                  string
	Initiatives, Events, Workshops, WithResults string
}

// TopicYearRow is one topic's events and workshops per year ("2 / 3").
type TopicYearRow struct {
	Slug, Name string
	Cells      []string
}

// NetworkView is /dashboard/vernetzung: who met whom.
type NetworkView struct {
	layout.Frame
	Nav   DashNav
	Graph components.Graph
	Pairs []PairRow
	Total string
	Pager components.Pager
	// Computed says when the figures were counted and how often they are.
	Computed string
}

// PairRow is two initiatives that met, or (B empty) one partner.
type PairRow struct {
	A, AHref, B, BHref string
	Events, Workshops  string
}

// ConnectionsView is one initiative's connections.
type ConnectionsView struct {
	layout.Frame
	Nav         DashNav
	Name        string
	ProfileHref string
	Graph       components.Graph
	Partners    []PairRow
	Events      []ParticipationRow
	Computed    string // as NetworkView.Computed
}

// ParticipationRow is an event the initiative took part in, and how.
type ParticipationRow struct {
	Title, Href, Date, How string
}

// ActivityView is /dashboard/aktivitaet: the audit log, filtered and paged.
type ActivityView struct {
	layout.Frame
	Nav    DashNav
	Kinds  []components.Option
	Person string
	Object string // the object whose history is shown, "" for all
	// Hidden carries the period into the filter form (Label: name).
	Hidden []components.Option
	Total  string
	Rows   []ActivityRow
	Pager  components.Pager
}

// ActivityRow is one audit entry.
type ActivityRow struct {
	When, Who, What, Kind string
	Object, ObjectHref    string
	HistoryHref           string
}

// ActivityReportView is /dashboard/taetigkeitsbericht: the period's activity on
// printable pages, one section per page.
type ActivityReportView struct {
	layout.Frame
	Nav       DashNav
	Generated string
	Figures   []FigureRow
	Statuses  []FigureRow
	Trends    []components.Chart
	Coverage  CoverageView
	Topics    DashTopicsView
	Network   NetworkView
}

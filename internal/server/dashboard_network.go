package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

const (
	pairsPerPage = 50
	graphPairs   = 30 // the strongest pairs drawn
)

// showDashboardNetwork is /dashboard/vernetzung: the pairs of initiatives
// that met at the same events held (presenting, in a workshop, through
// their people on stage or checked in at the door), strongest first, drawn
// and as a paged table, from the snapshot of the network-refresh job.
// The period defaults to the whole time.
func (s *Server) showDashboardNetwork(w http.ResponseWriter, r *http.Request) error {
	now := s.now()
	p := parsePeriod(r.URL.Query(), now, periodAll)
	page := components.ParsePage(r.URL.Query())
	pairs, total, err := s.store.Pairs(r.Context(), p.Cur, pairsPerPage, (page-1)*pairsPerPage)
	if err != nil {
		return err
	}
	computed, err := s.networkComputed(r)
	if err != nil {
		return err
	}
	v := pages.NetworkView{Frame: s.frame(r, pagedTitle("Dashboard: Vernetzung", page)),
		Nav:   s.dashNav(r, dashNetworkPath, p, dashCSVLinks(p, "vernetzung.csv")),
		Total: thousands(total), Pager: components.NewPager(*r.URL, page, pairsPerPage, total), Computed: computed}
	v.Pairs, v.Graph = meetingRows(pairs, p, page == 1)
	return s.render(w, r, pages.DashboardNetwork(v))
}

// meetingRows are the pairs as the table shows them and, with draw, the graph
// of the strongest.
func meetingRows(pairs []store.Pair, p dashPeriod, draw bool) ([]pages.PairRow, components.Graph) {
	var rows []pages.PairRow
	var links []components.GraphLink
	for i, pr := range pairs {
		rows = append(rows, pages.PairRow{A: pr.AName, AHref: connectionsHref(pr.ASlug, p), B: pr.BName,
			BHref: connectionsHref(pr.BSlug, p), Events: thousands(pr.Events), Workshops: thousands(pr.Workshops)})
		if i < graphPairs {
			links = append(links, components.GraphLink{AKey: pr.ASlug, ALabel: pr.AName, BKey: pr.BSlug, BLabel: pr.BName, Weight: pr.Events})
		}
	}
	if !draw {
		return rows, components.Graph{}
	}
	return rows, components.NewGraph("netz", "Die "+strconv.Itoa(len(links))+" häufigsten Begegnungen, "+p.Label, links)
}

// connectionsHref is an initiative's connections page with the period.
func connectionsHref(slug string, p dashPeriod) string { return p.href(paths.DashboardNetwork(slug)) }

// showDashboardConnections is /dashboard/vernetzung/{slug}: whom one
// initiative met, and at which events.
func (s *Server) showDashboardConnections(w http.ResponseWriter, r *http.Request) error {
	ctx, now := r.Context(), s.now()
	slug := chi.URLParam(r, "slug")
	if !plausibleSlug(slug) {
		return errNotFound
	}
	ref, err := s.store.InitiativeRefBySlug(ctx, slug)
	if err != nil {
		return err
	}
	p := parsePeriod(r.URL.Query(), now, periodAll)
	partners, err := s.store.Partners(ctx, p.Cur, ref.ID)
	if err != nil {
		return err
	}
	events, err := s.store.Participations(ctx, p.Cur, ref.ID)
	if err != nil {
		return err
	}
	computed, err := s.networkComputed(r)
	if err != nil {
		return err
	}
	path := paths.DashboardNetwork(ref.Slug)
	v := pages.ConnectionsView{Frame: s.frame(r, "Dashboard: Vernetzung von "+ref.Name), Name: ref.Name,
		Nav: s.dashNav(r, path, p, nil), ProfileHref: paths.Initiative(ref.Slug, "verlauf"), Computed: computed}
	v.Nav.Current = dashNetworkPath
	var links []components.GraphLink
	for _, pt := range partners {
		v.Partners = append(v.Partners, pages.PairRow{A: pt.Name, AHref: connectionsHref(pt.Slug, p),
			Events: thousands(pt.Events), Workshops: thousands(pt.Workshops)})
		links = append(links, components.GraphLink{AKey: ref.Slug, ALabel: ref.Name, BKey: pt.Slug, BLabel: pt.Name, Weight: pt.Events})
	}
	v.Graph = components.NewGraph("netz-initiative", "Begegnungen von "+ref.Name+", "+p.Label, links)
	for _, e := range events {
		v.Events = append(v.Events, pages.ParticipationRow{Title: e.Title, Href: paths.Event(e.Slug),
			Date: germanDay(e.StartsAt), How: participationHow(e)})
	}
	return s.render(w, r, pages.DashboardConnections(v))
}

// participationHow says how an initiative took part in an event.
func participationHow(e store.Participation) string {
	var parts []string
	if e.Presented {
		parts = append(parts, "hat sich vorgestellt")
	}
	switch {
	case e.Workshops == 1:
		parts = append(parts, "in einem Workshop")
	case e.Workshops > 1:
		parts = append(parts, "in "+thousands(e.Workshops)+" Workshops")
	}
	if e.People {
		parts = append(parts, "mit eigenen Leuten auf der Bühne oder in der Moderation")
	}
	if e.Attended {
		parts = append(parts, "mit Teilnehmenden")
	}
	return joinGerman(parts)
}

// joinGerman joins "a", "a und b", "a, b und c".
func joinGerman(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " und " + parts[len(parts)-1]
}

// pairsCSV: every pair of initiatives that met in the period.
func (s *Server) pairsCSV(r *http.Request, p dashPeriod) ([][]string, error) {
	return s.pairsRows(r.Context(), p)
}

// pairsRows are the rows of vernetzung.csv for p.
func (s *Server) pairsRows(ctx context.Context, p dashPeriod) ([][]string, error) {
	pairs, _, err := s.store.Pairs(ctx, p.Cur, 10000000, 0)
	if err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(pairs)+1)
	rows = append(rows, pairsHeader)
	for _, pr := range pairs {
		rows = append(rows, pairRow(pr, p.Label))
	}
	return rows, nil
}

// pairsHeader is the header of vernetzung.csv.
var pairsHeader = []string{"initiative_a", "initiative_b", "zeitraum", "gemeinsame_veranstaltungen", "gemeinsame_workshops"}

// pairRow is one pair's row of vernetzung.csv for the period labelled label.
func pairRow(pr store.Pair, label string) []string {
	return []string{pr.AName, pr.BName, label, strconv.Itoa(pr.Events), strconv.Itoa(pr.Workshops)}
}

// refreshNetwork is the network-refresh job: it counts the network anew
// and makes vernetzung.csv of every counted period, reading the counts of
// all periods in one pass.
func (s *Server) refreshNetwork(ctx context.Context, now time.Time) error {
	if err := s.store.RefreshNetwork(ctx, now); err != nil {
		return err
	}
	exports := map[string][]byte{}
	var (
		scope string
		p     dashPeriod
		rows  [][]string
	)
	flush := func() error {
		if scope == "" || p.Error != "" { // none yet, or a year the dashboard does not offer
			return nil
		}
		gz, err := gzipCSV(rows)
		exports[scope] = gz
		return err
	}
	err := s.store.EachPairCount(ctx, func(sc string, pr store.Pair) error {
		if sc != scope {
			if err := flush(); err != nil {
				return err
			}
			scope, p, rows = sc, parsePeriod(scopeQuery(sc), now, periodAll), [][]string{pairsHeader}
		}
		rows = append(rows, pairRow(pr, p.Label))
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	return s.store.SaveNetworkExports(ctx, exports)
}

// gzipCSV writes rows as CSV for German Excel, gzip-compressed at the
// fastest level (the job writes hundreds of thousands of rows).
func gzipCSV(rows [][]string) ([]byte, error) {
	body, err := writeCSV(excelCSV, rows)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scopeQuery is the period parameters of a scope of the network's counts:
// "all", "2026" or "2026-Q3".
func scopeQuery(scope string) url.Values {
	year, quarter, isQuarter := strings.Cut(scope, "-Q")
	switch {
	case scope == "all":
		return url.Values{"zeitraum": {periodAll}}
	case isQuarter:
		return url.Values{"zeitraum": {periodQuarter}, "jahr": {year}, "quartal": {quarter}}
	}
	return url.Values{"zeitraum": {periodYear}, "jahr": {year}}
}

// networkEvery is how often the network-refresh job recomputes the
// snapshot the network pages read.
const networkEvery = 10 * time.Minute

// networkComputed says when the network snapshot was counted.
func (s *Server) networkComputed(r *http.Request) (string, error) {
	at, err := s.store.NetworkComputedAt(r.Context())
	if err != nil || at == nil {
		return "Die Vernetzung wird gerade zum ersten Mal gezählt. Bitte laden Sie die Seite in einigen Minuten neu.", err
	}
	return "Stand: " + formatTime(*at) + ". Die Vernetzung wird alle zehn Minuten neu gezählt; was seitdem " +
		"geschehen ist, erscheint mit der nächsten Zählung.", nil
}

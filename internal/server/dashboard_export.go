package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/store"
	"rii/web/pages"
)

// dashExport makes one CSV download of dashboard figures: its rows, the
// header first. None holds personal data: counts, regions, topics and the
// names of initiatives only.
type dashExport struct {
	label string
	rows  func(s *Server, r *http.Request, p dashPeriod) ([][]string, error)
}

// dashExports are the downloads by file name.
var dashExports map[string]dashExport

func init() {
	dashExports = map[string]dashExport{
		"kennzahlen.csv":        {"Kennzahlen des Zeitraums und des Vorzeitraums", (*Server).figuresCSV},
		"entwicklung.csv":       {"Entwicklung je Quartal", (*Server).trendsCSV},
		"abdeckung-kreise.csv":  {"Initiativen je Kreis mit Einwohnerzahl", (*Server).districtsCSV},
		"abdeckung-laender.csv": {"Initiativen je Land mit Einwohnerzahl", (*Server).statesCSV},
		"themen.csv":            {"Themen im Zeitraum", (*Server).topicsCSV},
		"themen-jahre.csv":      {"Themen je Jahr", (*Server).topicYearsCSV},
		"vernetzung.csv":        {"Paare von Initiativen, die sich getroffen haben", (*Server).pairsCSV},
	}
}

// dashCSVLinks links the named downloads with the period.
func dashCSVLinks(p dashPeriod, names ...string) []pages.DashLink {
	links := make([]pages.DashLink, 0, len(names))
	for _, n := range names {
		links = append(links, pages.DashLink{Label: dashExports[n].label + " (" + n + ")", Href: p.href(dashPath + "/export/" + n)})
	}
	return links
}

func dashOverviewCSV(p dashPeriod) []pages.DashLink {
	return dashCSVLinks(p, "kennzahlen.csv", "entwicklung.csv")
}

// showDashboardExport is /dashboard/export/{name}: one CSV for German
// Excel (csvfile.go). vernetzung.csv comes ready-made from the
// network-refresh job where it made one for the period.
func (s *Server) showDashboardExport(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "name")
	ex, ok := dashExports[name]
	if !ok {
		return errNotFound
	}
	def := periodYear
	if name == "vernetzung.csv" {
		def = periodAll // as the network page
	}
	p := parsePeriod(r.URL.Query(), s.now(), def)
	if name == "vernetzung.csv" && p.Kind != periodRange { // a range names itself in the rows
		gz, err := s.store.NetworkExport(r.Context(), p.Cur)
		if err == nil {
			return s.sendDashboardCSV(w, r, name, gz, true)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	rows, err := ex.rows(s, r, p)
	if err != nil {
		return err
	}
	body, err := writeCSV(excelCSV, rows)
	if err != nil {
		return err
	}
	return s.sendDashboardCSV(w, r, name, body, false)
}

// sendDashboardCSV answers with the download name; gzipped bodies go out as
// they are to clients that accept gzip, unpacked to the others.
func (s *Server) sendDashboardCSV(w http.ResponseWriter, r *http.Request, name string, body []byte, gzipped bool) error {
	filename := "dashboard-" + s.now().In(berlin).Format(time.DateOnly) + "-" + name
	if !gzipped {
		return sendCSV(w, filename, body)
	}
	w.Header().Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		return sendCSV(w, filename, body)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return err
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		return err
	}
	return sendCSV(w, filename, plain)
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return strings.TrimSpace(strings.ReplaceAll(q, " ", "")) != "q=0"
		}
	}
	return false
}

// figuresCSV: one row per key figure, the period and the one before.
func (s *Server) figuresCSV(r *http.Request, p dashPeriod) ([][]string, error) {
	figs, err := s.store.DashboardFigures(r.Context(), s.now(), p.Cur, p.Prev)
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"kennzahl", "bezeichnung", "zeitraum", "wert", "vorzeitraum", "wert_vorzeitraum"}}
	for _, f := range keyFigures {
		rows = append(rows, []string{f.id, f.label, p.Label, strconv.Itoa(f.get(figs[0])), p.PrevLabel, strconv.Itoa(f.get(figs[1]))})
	}
	// The rate as the page shows it ("66,7 %", "–" when nothing was
	// confirmed): German spreadsheets read it as a percentage.
	rows = append(rows, []string{rateFigure.id, rateFigure.label, p.Label, germanPercent(attendanceRate(figs[0])),
		p.PrevLabel, germanPercent(attendanceRate(figs[1]))})
	return rows, nil
}

// trendsCSV: one row per quarter since the start.
func (s *Server) trendsCSV(r *http.Request, _ dashPeriod) ([][]string, error) {
	trends, err := s.store.QuarterTrends(r.Context(), s.now())
	if err != nil {
		return nil, err
	}
	rows := [][]string{{"quartal", "beginn", "neue_initiativen", "initiativen_gesamt", "veranstaltungen", "teilnehmende"}}
	for _, t := range trends {
		rows = append(rows, []string{shortQuarter(t.Quarter), t.Quarter.Format(time.DateOnly), strconv.Itoa(t.NewInitiatives),
			strconv.Itoa(t.Initiatives), strconv.Itoa(t.EventsHeld), strconv.Itoa(t.Participants)})
	}
	return rows, nil
}

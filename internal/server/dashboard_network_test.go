package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestDashboardTopics(t *testing.T) {
	t.Parallel()
	w, d, c := dashWorld(t)
	_, err := w.pool.Exec(context.Background(), `INSERT INTO initiative_topics (initiative_id, topic) VALUES ($1, 'energie'), ($2, 'energie'), ($3, 'energie')`,
		d.initC, d.initG, d.initD) // D is only submitted: not counted
	if err != nil {
		t.Fatal(err)
	}
	res := c.Get("/dashboard/themen").WantStatus(http.StatusOK)
	for slug, want := range map[string][]string{
		"energie":     {"Energie", "2", "1", "2", "1"},
		"innovation":  {"Innovation", "0", "1", "0", "0"},
		"fachkraefte": {"Fachkräfte und Nachwuchs", "0", "0", "0", "0"},
	} {
		if got := cells(res.Find("[data-testid=topics-table] tr[data-key=" + slug + "]")); len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("topic %s: %v, want %v", slug, got, want)
		}
	}
	if got := cells(res.Find("[data-testid=topic-years-table] thead tr"))[0]; !slices.Equal(got, []string{"Thema", "2025", "2026"}) {
		t.Errorf("years %v", got)
	}
	for slug, want := range map[string][]string{"energie": {"Energie", "0 / 0", "1 / 2"}, "innovation": {"Innovation", "1 / 0", "1 / 0"}} {
		if got := cells(res.Find("[data-testid=topic-years-table] tr[data-key=" + slug + "]")); len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("topic %s by year: %v, want %v", slug, got, want)
		}
	}
	if got := res.Find("[data-testid=thema-energie] .chart__bar").Last().AttrOr("data-value", ""); got != "3" {
		t.Errorf("energie's chart for 2026: %q, want 3 (1 event, 2 workshops)", got)
	}
	// 2025: the Silvesterdialog on innovation only.
	res = c.Get("/dashboard/themen?zeitraum=jahr&jahr=2025").WantStatus(http.StatusOK)
	if got := cells(res.Find("[data-testid=topics-table] tr[data-key=innovation]")); !slices.Equal(got[0], []string{"Innovation", "0", "1", "0", "0"}) {
		t.Errorf("innovation in 2025: %v", got)
	}
	csv := readCSV(t, c.Get("/dashboard/export/themen.csv").WantStatus(http.StatusOK).Body)
	if i := slices.IndexFunc(csv, func(r []string) bool { return r[0] == "energie" }); i < 0 ||
		!slices.Equal(csv[i], []string{"energie", "Energie", "2026", "2", "1", "2", "1"}) {
		t.Errorf("themen.csv %v", csv)
	}
	years := readCSV(t, c.Get("/dashboard/export/themen-jahre.csv").WantStatus(http.StatusOK).Body)
	if !slices.Equal(flat(years[1:]), flat([][]string{{"innovation", "2025", "1", "0"}, {"energie", "2026", "1", "2"}, {"innovation", "2026", "1", "0"}})) {
		t.Errorf("themen-jahre.csv %v", years)
	}
}

func TestDashboardNetwork(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	w.addEvent() // the Testdialog lies ahead: nobody has met there yet
	res := c.Get("/dashboard/vernetzung").WantStatus(http.StatusOK)
	if res.Find("[data-testid=pair-table]").Length() != 0 || !strings.Contains(res.Text("[data-testid=network-computed]"), "zum ersten Mal") {
		t.Errorf("before the first count: %q", res.Text("[data-testid=network]"))
	}
	w.refreshNetwork()
	res = c.Get("/dashboard/vernetzung").WantStatus(http.StatusOK)
	want := [][]string{{"Initiative A", "Initiative C", "2", "0"}, {"Initiative B", "Initiative C", "1", "1"}, {"Initiative A", "Initiative B", "1", "0"}}
	if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want)) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	if got := res.Text("[data-testid=network-computed]"); !strings.HasPrefix(got, "Stand: 24.11.2026, 11:00 Uhr.") {
		t.Errorf("freshness %q", got)
	}
	var weights []string
	res.Find("[data-testid=netz] line").Each(func(_ int, s *goquery.Selection) { weights = append(weights, s.AttrOr("data-weight", "")) })
	if !slices.Equal(weights, []string{"2", "1", "1"}) || res.Find("[data-testid=netz] circle").Length() != 3 {
		t.Errorf("graph edges %v", weights)
	}
	res = c.Get("/dashboard/vernetzung?zeitraum=jahr&jahr=2026").WantStatus(http.StatusOK)
	want = [][]string{{"Initiative B", "Initiative C", "1", "1"}, {"Initiative A", "Initiative B", "1", "0"}, {"Initiative A", "Initiative C", "1", "0"}}
	if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want)) {
		t.Errorf("pairs in 2026 %v, want %v", got, want)
	}

	res = c.Get("/dashboard/vernetzung/initiative-c").WantStatus(http.StatusOK)
	if got := cells(res.Find("[data-testid=partner-table] tbody tr")); !slices.Equal(flat(got), []string{"Initiative A", "2", "0", "Initiative B", "1", "1"}) {
		t.Errorf("partners of C %v", got)
	}
	if got := res.Text("[data-testid=participations] li"); got != "Frühjahrsdialog (10. März 2026): in einem WorkshopSilvesterdialog (31. Dezember 2025): hat sich vorgestellt" {
		t.Errorf("participations of C %q", got)
	}
	c.Get("/dashboard/vernetzung/gibt-es-nicht").WantStatus(http.StatusNotFound)

	csv := readCSV(t, c.Get("/dashboard/export/vernetzung.csv").WantStatus(http.StatusOK).Body)
	if !slices.Equal(csv[1], []string{"Initiative A", "Initiative C", "seit Beginn", "2", "0"}) {
		t.Errorf("vernetzung.csv %v", csv)
	}
}

// TestDashboardNetworkThroughPeople: people who registered naming their
// initiative and were checked in connect it with everyone at the event,
// and in the workshops they chose; nobody else's registration does.
func TestDashboardNetworkThroughPeople(t *testing.T) {
	t.Parallel()
	w, d, c := dashWorld(t)
	w.refreshNetwork()
	w.addNetworkAttendance(d)
	// The snapshot does not change until the next count.
	res := c.Get("/dashboard/vernetzung").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=pair-total]"); got != "3" {
		t.Errorf("before the next count: %s pairs, want the 3 of the last count", got)
	}
	w.refreshNetwork()
	res = c.Get("/dashboard/vernetzung").WantStatus(http.StatusOK)
	want := [][]string{
		{"Initiative A", "Initiative C", "2", "1"}, // Silvester and spring, both in Werkstatt Wärme
		{"Initiative A", "Initiative G", "2", "0"}, // New Year and spring, different workshops
		{"Initiative A", "Initiative B", "1", "1"},
		{"Initiative B", "Initiative C", "1", "1"},
		{"Initiative B", "Initiative G", "1", "0"},
		{"Initiative C", "Initiative G", "1", "0"},
	}
	if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want)) {
		t.Errorf("pairs %v, want %v", got, want)
	}
	if got := res.Text("[data-testid=pair-total]"); got != "6" {
		t.Errorf("%s pairs, want 6", got)
	}
	// 2026 from the yearly counts and its first quarter from the quarterly
	// ones agree: the Silvesterdialog belongs to 2025.
	want2026 := [][]string{
		{"Initiative A", "Initiative G", "2", "0"},
		{"Initiative A", "Initiative B", "1", "1"},
		{"Initiative A", "Initiative C", "1", "1"},
		{"Initiative B", "Initiative C", "1", "1"},
		{"Initiative B", "Initiative G", "1", "0"},
		{"Initiative C", "Initiative G", "1", "0"},
	}
	for _, q := range []string{"zeitraum=jahr&jahr=2026", "zeitraum=quartal&jahr=2026&quartal=1"} {
		res = c.Get("/dashboard/vernetzung?" + q).WantStatus(http.StatusOK)
		if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want2026)) {
			t.Errorf("%s: pairs %v, want %v", q, got, want2026)
		}
	}
	// A free range is counted from each event's pairs: from December 2025
	// on, it holds every meeting.
	res = c.Get("/dashboard/vernetzung?zeitraum=frei&von=2025-12-01&bis=2026-03-31").WantStatus(http.StatusOK)
	if got := cells(res.Find("[data-testid=pair-table] tbody tr")); !slices.Equal(flat(got), flat(want)) {
		t.Errorf("December 2025 to March 2026: pairs %v, want %v", got, want)
	}
	res = c.Get("/dashboard/vernetzung/initiative-g").WantStatus(http.StatusOK)
	if got := cells(res.Find("[data-testid=partner-table] tbody tr")); !slices.Equal(flat(got),
		[]string{"Initiative A", "2", "0", "Initiative B", "1", "0", "Initiative C", "1", "0"}) {
		t.Errorf("partners of G %v", got)
	}
	if got := res.Text("[data-testid=participations] li"); got != "Frühjahrsdialog (10. März 2026): mit Teilnehmenden"+
		"Neujahrsdialog (1. Januar 2026): mit Teilnehmenden" {
		t.Errorf("participations of G %q", got)
	}
	// The ready-made download, gzipped to a client that takes gzip, plain
	// to one that does not; a free range's counted for the request.
	csv := readCSV(t, c.Get("/dashboard/export/vernetzung.csv").WantStatus(http.StatusOK).Body)
	if len(csv) != 7 || !slices.Equal(csv[2], []string{"Initiative A", "Initiative G", "seit Beginn", "2", "0"}) {
		t.Errorf("vernetzung.csv %v", csv)
	}
	for _, enc := range []string{"gzip", "identity"} {
		req := c.NewRequest(http.MethodGet, "/dashboard/export/vernetzung.csv?zeitraum=jahr&jahr=2026", nil)
		req.Header.Set("Accept-Encoding", enc)
		res := c.Send(req).WantStatus(http.StatusOK)
		body := res.Body
		if enc == "gzip" {
			if got := res.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding %q, want gzip", got)
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			body = plain
		}
		if got := readCSV(t, body); len(got) != 7 || !slices.Equal(got[1], []string{"Initiative A", "Initiative G", "2026", "2", "0"}) {
			t.Errorf("vernetzung.csv for 2026 (%s) %v", enc, got)
		}
	}
	csv = readCSV(t, c.Get("/dashboard/export/vernetzung.csv?zeitraum=frei&von=2025-12-01&bis=2026-03-31").WantStatus(http.StatusOK).Body)
	if len(csv) != 7 || !slices.Equal(csv[1], []string{"Initiative A", "Initiative C", "1. Dezember 2025 bis 31. März 2026", "2", "1"}) {
		t.Errorf("vernetzung.csv for a free range %v", csv)
	}
}

// refreshNetwork counts the network as the network-refresh job does.
func (w *world) refreshNetwork() {
	w.t.Helper()
	if err := w.srv.refreshNetwork(context.Background(), w.clock.Now()); err != nil {
		w.t.Fatal(err)
	}
}

// addNetworkAttendance adds registrations naming initiatives:
//
//   - Neujahrsdialog: A and G checked in; B confirmed but not checked in;
//     D (not published) checked in; a person who typed "Initiative C" as
//     organisation without choosing it, checked in;
//   - Frühjahrsdialog: A checked in with Werkstatt Wärme (where B and C
//     contribute), G checked in with Werkstatt Strom;
//   - Herbstdialog (ahead): C confirmed.
func (w *world) addNetworkAttendance(d dashData) {
	w.t.Helper()
	ctx := context.Background()
	_, err := w.pool.Exec(ctx, `
		WITH r AS (
			INSERT INTO registrations (event_id, name, email, organisation, initiative_id, status, holds_place,
				hold_expires_at, created_at, consent_at, confirmed_at, link_sent_at, attended_at)
			SELECT e.id, 'Person ' || x.n, 'netz' || x.n || '@teilnahme.example', x.org, x.ini, 'confirmed', true,
				e.starts_at, e.starts_at - interval '20 days', e.starts_at - interval '20 days', e.starts_at - interval '19 days',
				e.starts_at - interval '20 days', CASE WHEN x.came THEN e.starts_at END
			FROM (VALUES
				(1, 'neujahrsdialog', '', $1::bigint, true), (2, 'neujahrsdialog', '', $2, true),
				(3, 'neujahrsdialog', '', $3, false), (4, 'neujahrsdialog', '', $4, true),
				(5, 'neujahrsdialog', 'Initiative C', NULL, true),
				(6, 'fruehjahrsdialog', '', $1, true), (7, 'fruehjahrsdialog', '', $2, true),
				(8, 'herbstdialog', '', $5, false)
			) AS x(n, slug, org, ini, came) JOIN events e ON e.slug = x.slug
			RETURNING id, event_id, email
		)
		INSERT INTO registration_workshops (registration_id, event_id, workshop_id, slot_starts_at)
		SELECT r.id, r.event_id, ws.id, ws.starts_at FROM r JOIN workshops ws ON ws.event_id = r.event_id
		WHERE (r.email = 'netz6@teilnahme.example' AND ws.title = 'Werkstatt Wärme')
			OR (r.email = 'netz7@teilnahme.example' AND ws.title = 'Werkstatt Strom')`,
		w.initA, d.initG, w.initB, d.initD, d.initC)
	if err != nil {
		w.t.Fatal(err)
	}
}

func flat(rows [][]string) []string { return slices.Concat(rows...) }

package server

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
)

// dashboardPages are the dashboard's pages as an official opens them in
// the tests on the seeded data (dashWorld).
var dashboardPages = []string{
	"/dashboard", "/dashboard?zeitraum=quartal&jahr=2026&quartal=1", "/dashboard/abdeckung",
	"/dashboard/themen", "/dashboard/vernetzung", "/dashboard/vernetzung/initiative-c",
	"/dashboard/aktivitaet", "/dashboard/taetigkeitsbericht",
}

// TestDashboardChartsHaveTextAndTable: on every dashboard page each drawn
// image is named by text on the page, and its numbers stand in a table:
// a chart's bars are the rows of the table after it, the map leads to its
// table, the network graph's page has the pairs' table.
func TestDashboardChartsHaveTextAndTable(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	w.refreshNetwork()
	for _, path := range dashboardPages {
		doc := c.Get(path).WantStatus(http.StatusOK).Doc()
		svgs := doc.Find("main svg")
		if path != "/dashboard/aktivitaet" && svgs.Length() == 0 {
			t.Errorf("%s draws nothing", path)
		}
		svgs.Each(func(_ int, svg *goquery.Selection) {
			checkChartText(t, path, doc, svg)
			checkChartTable(t, path, doc, svg)
		})
	}
}

// checkChartText: the svg is labelled by elements on the page that hold text.
func checkChartText(t *testing.T, path string, doc *goquery.Document, svg *goquery.Selection) {
	t.Helper()
	ids := strings.Fields(svg.AttrOr("aria-labelledby", ""))
	if len(ids) == 0 && strings.TrimSpace(svg.AttrOr("aria-label", "")) == "" {
		t.Errorf("%s: an image without text alternative: %s", path, svg.AttrOr("class", ""))
	}
	for _, id := range ids {
		if strings.TrimSpace(doc.Find("#"+id).Text()) == "" {
			t.Errorf("%s: the image's label #%s is missing or empty", path, id)
		}
	}
}

// checkChartTable: the numbers of the image stand in a table on the page.
func checkChartTable(t *testing.T, path string, doc *goquery.Document, svg *goquery.Selection) {
	t.Helper()
	fig := svg.Closest("figure")
	id := fig.AttrOr("data-testid", "")
	switch {
	case fig.HasClass("region-map"):
		target := strings.TrimPrefix(fig.Find("a.region-map__skip").AttrOr("href", ""), "#")
		el := doc.Find("#" + target)
		if target == "" || el.Closest("table").AddSelection(el.Find("table")).Find("tbody tr").Length() == 0 {
			t.Errorf("%s: the map %q does not lead to its table (#%s)", path, fig.Find("figcaption").Text(), target)
		}
	case fig.HasClass("graph"):
		if doc.Find("[data-testid=pair-table] tbody tr, [data-testid=partner-table] tbody tr").Length() == 0 {
			t.Errorf("%s: the graph %s has no table of its pairs", path, id)
		}
	default:
		var bars, rows [][]string
		svg.Find(".chart__bar").Each(func(_ int, b *goquery.Selection) {
			bars = append(bars, []string{b.AttrOr("data-label", ""), b.AttrOr("data-value", "")})
		})
		doc.Find("[data-testid='" + id + "-tabelle'] tbody tr").Each(func(_ int, r *goquery.Selection) {
			rows = append(rows, []string{strings.TrimSpace(r.Find("th").Text()),
				strings.NewReplacer(".", "", "\u00a0", "").Replace(strings.TrimSpace(r.Find("td").First().Text()))})
		})
		if len(bars) == 0 || !slices.EqualFunc(bars, rows, slices.Equal) {
			t.Errorf("%s: chart %q draws %v, its table says %v", path, id, bars, rows)
		}
	}
}

// TestDashboardCSVHasNoPersonalData downloads every export for several
// periods and finds in no cell the name, e-mail address or organisation
// of any registration, contact person or user account in the database.
func TestDashboardCSVHasNoPersonalData(t *testing.T) {
	t.Parallel()
	w, d, c := dashWorld(t)
	w.addDashboardRegistrations(d)
	w.refreshNetwork()
	personal := personalStrings(t, w)
	if len(personal) < 5 {
		t.Fatalf("only %d personal strings seeded: the test would prove nothing", len(personal))
	}
	names := slices.Sorted(maps.Keys(dashExports))
	for _, name := range names {
		rowsSeen := 0
		for _, q := range []string{"", "?zeitraum=jahr&jahr=2025", "?zeitraum=quartal&jahr=2026&quartal=4",
			"?zeitraum=frei&von=2025-12-01&bis=2026-06-30", "?zeitraum=gesamt"} {
			recs := readCSV(t, c.Get("/dashboard/export/"+name+q).WantStatus(http.StatusOK).Body)
			rowsSeen += len(recs) - 1
			for _, rec := range recs {
				for _, cell := range rec {
					for _, p := range personal {
						if strings.Contains(strings.ToLower(cell), p) {
							t.Errorf("%s%s: cell %q holds personal data %q", name, q, cell, p)
						}
					}
				}
			}
		}
		if rowsSeen == 0 {
			t.Errorf("%s: no rows in any period: the test would prove nothing", name)
		}
	}
}

// personalStrings are the lower-cased names, addresses and organisations
// of people in the database (at least 4 characters, so no short word of a
// topic or region matches by chance).
func personalStrings(t *testing.T, w *world) []string {
	t.Helper()
	rows, _ := w.pool.Query(context.Background(), `
		SELECT DISTINCT lower(btrim(v)) FROM (
			SELECT name AS v FROM registrations UNION ALL SELECT email FROM registrations
			UNION ALL SELECT organisation FROM registrations
			UNION ALL SELECT name FROM contacts UNION ALL SELECT email FROM contacts
			UNION ALL SELECT name FROM users UNION ALL SELECT email FROM users
		) x WHERE length(btrim(v)) >= 4`)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestOfficialsChangeNothing reads the route × role table (which
// TestEveryRouteForEveryRole proves route by route): every route that
// changes data and is closed to members is closed to officials too, and
// officials may open every dashboard page and export. The rest that
// officials may post is their own account, sign-in and the public forms
// everyone may use.
func TestOfficialsChangeNothing(t *testing.T) {
	t.Parallel()
	const official, memberA, memberB = 4, 1, 2
	changing := 0
	for key, w := range routeTable {
		method, path, _ := strings.Cut(key, " ")
		if method == http.MethodGet {
			if strings.HasPrefix(path, "/dashboard") && w[official] != http.StatusOK {
				t.Errorf("%s: an official gets %d, want 200", key, w[official])
			}
			continue
		}
		if strings.HasPrefix(path, "/dashboard") {
			t.Errorf("%s: the dashboard is read-only", key)
		}
		if w[memberA] == http.StatusForbidden || w[memberB] == http.StatusForbidden {
			changing++
			if w[official] != http.StatusForbidden {
				t.Errorf("%s: an official gets %d, want 403", key, w[official])
			}
		}
	}
	if changing < 20 {
		t.Errorf("only %d changing routes closed to members: the table has changed shape", changing)
	}
}

// TestDashboardPromisesOfficialsNothing: no dashboard page offers an
// official an action they may not take: no form that posts, no text
// inviting them to review, publish, return, edit or delete.
func TestDashboardPromisesOfficialsNothing(t *testing.T) {
	t.Parallel()
	w, _, c := dashWorld(t)
	w.refreshNetwork()
	for _, path := range dashboardPages {
		res := c.Get(path).WantStatus(http.StatusOK)
		if n := res.Find(`main form[method=post], main form[method=POST]`).Length(); n > 0 {
			t.Errorf("%s: %d forms that change data", path, n)
		}
		text := strings.ToLower(res.Text("main"))
		for _, promise := range []string{"prüfen", "veröffentlichen", "zurückgeben", "bearbeiten", "löschen", "freigeben"} {
			if strings.Contains(text, promise) {
				t.Errorf("%s promises an official to %q", path, promise)
			}
		}
	}
}

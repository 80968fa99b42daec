package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/go-chi/chi/v5"

	"rii/internal/browsertest"
)

// jsProbe is a page whose own (same-origin, CSP-conforming) script marks
// the document; it shows whether a tab runs the page's scripts at all.
const jsProbe = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Skript-Probe</title>
<script src="/_test/js-probe.js"></script></head>
<body><main id="inhalt"><h1>Skript-Probe</h1></main></body></html>`

// nojsSeeds are six published initiatives in five Länder: three in
// Baden-Württemberg, so that Land, topic and sector each narrow the list
// differently and only their conjunction leaves the Hochrhein initiative.
var nojsSeeds = []profileSeed{
	{slug: "initiative-a", name: "Chemie und Pharma am Hochrhein e.V.", short: "Die Chemie- und Pharmaindustrie am Hochrhein.",
		districts: []string{"08336", "08337"}, topics: []string{"akzeptanz", "fachkraefte"}, sectors: []string{"chemie", "pharma"}},
	{slug: "initiative-b", name: "Wachstumsregion Ems-Achse", short: "Netzwerk im Nordwesten",
		districts: []string{"03454"}, topics: []string{"fachkraefte"}, sectors: []string{"maschinenbau"}},
	{slug: "netzwerk-waldshut", name: "Netzwerk Industrie Waldshut", short: "Unternehmen am Oberrhein",
		districts: []string{"08337"}, topics: []string{"akzeptanz"}, sectors: []string{"maschinenbau"}},
	{slug: "loerracher-werkbank", name: "Lörracher Werkbank", short: "Ausbildungsverbund im Dreiländereck",
		districts: []string{"08336"}, topics: []string{"fachkraefte"}, sectors: []string{"chemie"}},
	{slug: "industrieallianz-muenchen", name: "Industrieallianz München", short: "Bündnis in der Landeshauptstadt",
		districts: []string{"09162"}, topics: []string{"akzeptanz"}, sectors: []string{"maschinenbau"}},
	{slug: "werkstatt-dresden", name: "Werkstatt Elbtal Dresden", short: "Industriekultur in Sachsen",
		districts: []string{"14612"}, topics: []string{"fachkraefte"}, sectors: []string{"pharma"}},
}

// TestDirectoryWorksWithoutJavaScript uses the directory in a tab whose
// page scripts are switched off, by keyboard only: the typo-tolerant
// search, the Land, topic and sector facets (AND between them), a Land on
// the map and "Filter zurücksetzen", each state free of axe violations.
func TestDirectoryWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	start := time.Now()
	b := browsertest.Shared(t)
	w := newWorld(t)
	for _, s := range nojsSeeds {
		seedProfile(t, w.pool, s)
	}
	r := chi.NewRouter()
	r.Get("/_test/js-probe", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(rw, jsProbe)
	})
	r.Get("/_test/js-probe.js", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(rw, `document.documentElement.dataset.js = "an";`)
	})
	r.Mount("/", w.srv.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	t.Logf("setup: %v", time.Since(start))

	// The probe runs where scripts are on, so its silence below means
	// something.
	if got := jsMark(t, b.Tab(t), ts.URL); got != "an" {
		t.Fatalf("the probe script did not run in a normal tab (mark %q)", got)
	}

	ctx := b.Tab(t)
	scripts(t, ctx, false)
	if got := jsMark(t, ctx, ts.URL); got != "" {
		t.Fatalf("page scripts still run with script execution disabled (mark %q)", got)
	}
	ua, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.userAgent`))
	if err != nil || ua == "" {
		t.Fatalf("DevTools evaluation no longer works: %q, %v", ua, err)
	}

	base := ts.URL + "/initiativen"
	steps := time.Now()
	step := func(name string) {
		t.Helper()
		noAxeViolations(t, ctx, name)
		t.Logf("%s: %v", name, time.Since(steps))
		steps = time.Now()
	}

	// The list as the user finds it.
	browsertest.Navigate(t, ctx, base)
	wantResults(t, ctx, "start", "6 Initiativen gefunden", 6)
	if got := facetCount(t, ctx, "thema", "fachkraefte"); got != "4" {
		t.Errorf("start: topic Fachkräfte counts %q, want 4", got)
	}
	step("start")

	// 1. The typo search finds the Hochrhein initiative.
	browsertest.Fill(t, ctx, "#feld-q", "Chemi Hochrein")
	browsertest.Submit(t, ctx, `form[data-testid="directory-search"] button[type=submit]`)
	// The sort select travels along; which order it submits is not this
	// test's concern.
	if u, err := url.Parse(browsertest.Location(t, ctx)); err != nil || u.Path != "/initiativen" || u.Query().Get("q") != "Chemi Hochrein" {
		t.Errorf("search: at %s, want /initiativen?q=Chemi+Hochrein", browsertest.Location(t, ctx))
	}
	if got := wantResults(t, ctx, "search", "1 Initiative gefunden", 1); len(got) == 1 && got[0] != nojsSeeds[0].name {
		t.Errorf("search: found %q, want %q", got, nojsSeeds[0].name)
	}
	step("search")

	// 2. The Land facet: open its fold-out by keyboard, tick
	// Baden-Württemberg, apply.
	browsertest.Navigate(t, ctx, base)
	openFacet(t, ctx, "land")
	tick(t, ctx, "#filter-land-08")
	browsertest.Submit(t, ctx, `form[data-testid="directory-filters"] button[type=submit]`)
	wantQuery(t, ctx, "land", url.Values{"land": {"08"}})
	got := wantResults(t, ctx, "land", "3 Initiativen gefunden", 3)
	slices.Sort(got)
	if want := []string{"Chemie und Pharma am Hochrhein e.V.", "Lörracher Werkbank", "Netzwerk Industrie Waldshut"}; !slices.Equal(got, want) {
		t.Errorf("land: results %q, want %q", got, want)
	}
	if !checked(t, ctx, "#filter-land-08") {
		t.Error("land: Baden-Württemberg is not ticked on the filtered page")
	}
	for key, want := range map[string]string{"fachkraefte": "2", "akzeptanz": "2"} {
		if got := facetCount(t, ctx, "thema", key); got != want {
			t.Errorf("land: topic %s counts %q, want %q", key, got, want)
		}
	}
	step("land")

	// 3. A topic and a sector on top: facets combine with AND.
	openFacet(t, ctx, "thema")
	tick(t, ctx, "#filter-thema-akzeptanz")
	openFacet(t, ctx, "branche")
	tick(t, ctx, "#filter-branche-chemie")
	browsertest.Submit(t, ctx, `form[data-testid="directory-filters"] button[type=submit]`)
	wantQuery(t, ctx, "facets", url.Values{"land": {"08"}, "thema": {"akzeptanz"}, "branche": {"chemie"}})
	if got := wantResults(t, ctx, "facets", "1 Initiative gefunden", 1); len(got) == 1 && got[0] != nojsSeeds[0].name {
		t.Errorf("facets: found %q, want %q", got, nojsSeeds[0].name)
	}
	step("facets")

	// 5. "Filter zurücksetzen" brings every initiative back.
	follow(t, ctx, `[data-testid="reset-filters"]`)
	wantQuery(t, ctx, "reset", url.Values{})
	wantResults(t, ctx, "reset", "6 Initiativen gefunden", 6)
	step("reset")

	// 4. Bayern on the map, by keyboard: the list of that Land.
	follow(t, ctx, `[data-testid="region-map"] svg a[href="/initiativen?land=09"]`)
	wantQuery(t, ctx, "map", url.Values{"land": {"09"}})
	if got := wantResults(t, ctx, "map", "1 Initiative gefunden", 1); len(got) == 1 && got[0] != "Industrieallianz München" {
		t.Errorf("map: found %q, want Industrieallianz München", got)
	}
	if !checked(t, ctx, "#filter-land-09") {
		t.Error("map: Bayern is not ticked in the Land facet")
	}
	step("map")

	// Scripts stayed off all along, and nothing went wrong in the console.
	if got := jsMark(t, ctx, ts.URL); got != "" {
		t.Errorf("page scripts ran at the end (mark %q)", got)
	}
	if errs := browsertest.ConsoleErrors(ctx); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
	t.Logf("total: %v", time.Since(start))
}

// jsMark loads the probe page and returns what its script wrote ("" if it
// did not run).
func jsMark(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	browsertest.Navigate(t, ctx, base+"/_test/js-probe")
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dataset.js || ""`))
	if err != nil {
		t.Fatalf("reading the probe: %v", err)
	}
	return s
}

// scripts switches the execution of page scripts in the tab on or off; it
// stays so across navigations.
func scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	p := emulation.SetScriptExecutionDisabledParams{Value: !on}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, p); err != nil {
		t.Fatalf("switching scripts on=%v: %v", on, err)
	}
}

// noAxeViolations reports each axe violation of the tab's current state.
// axe-core waits on timers, which do not fire while script execution is
// disabled, so scripts are on for the audit only: the page has loaded, and
// switching them on does not run any of its scripts after the fact.
func noAxeViolations(t *testing.T, ctx context.Context, state string) {
	t.Helper()
	scripts(t, ctx, true)
	vs := browsertest.Axe(t, ctx)
	scripts(t, ctx, false)
	for _, v := range vs {
		t.Errorf("%s (%s): axe: %s", state, browsertest.Location(t, ctx), v)
	}
}

// wantResults checks the result count heading and the number of cards and
// returns the names on the cards.
func wantResults(t *testing.T, ctx context.Context, state, heading string, n int) []string {
	t.Helper()
	if got := browsertest.Text(t, ctx, `[data-testid="result-count"]`); got != heading {
		t.Errorf("%s: result count %q, want %q", state, got, heading)
	}
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[data-testid="directory-card"] h3')].map(h => h.textContent.trim())`))
	if err != nil {
		t.Fatalf("%s: reading the results: %v", state, err)
	}
	if len(names) != n {
		t.Errorf("%s: %d results %q, want %d", state, len(names), names, n)
	}
	return names
}

// wantQuery checks that the tab is on the list with exactly these
// parameters.
func wantQuery(t *testing.T, ctx context.Context, state string, want url.Values) {
	t.Helper()
	loc := browsertest.Location(t, ctx)
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("%s: location %q: %v", state, loc, err)
	}
	got := u.Query()
	for k, vs := range got {
		if !slices.ContainsFunc(vs, func(v string) bool { return v != "" }) {
			delete(got, k) // an empty select or field means nothing
		}
	}
	if u.Path != "/initiativen" || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: at %s, want /initiativen with %v", state, loc, want)
	}
}

// openFacet focuses the summary of a facet's fold-out and opens it with
// Enter, unless it is open already.
func openFacet(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sel := `[data-testid="facet-` + name + `"]`
	if isOpen(t, ctx, sel) {
		return
	}
	browsertest.TabTo(t, ctx, sel+" > summary")
	browsertest.Keys(t, ctx, kb.Enter)
	if !isOpen(t, ctx, sel) {
		t.Fatalf("Enter on the summary does not open the %s facet", name)
	}
}

func isOpen(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+sel+`').open`))
	if err != nil {
		t.Fatalf("reading %s: %v", sel, err)
	}
	return open
}

// tick tabs to a checkbox and ticks it with the space bar.
func tick(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if checked(t, ctx, sel) {
		t.Fatalf("%s is ticked already", sel)
	}
	browsertest.TabTo(t, ctx, sel)
	browsertest.Keys(t, ctx, " ")
	if !checked(t, ctx, sel) {
		t.Fatalf("the space bar does not tick %s", sel)
	}
}

func checked(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	c, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(document.querySelector('`+sel+`') || {}).checked`))
	if err != nil {
		t.Fatalf("reading %s: %v", sel, err)
	}
	return c
}

// facetCount returns the count shown next to a facet value.
func facetCount(t *testing.T, ctx context.Context, facet, key string) string {
	t.Helper()
	return browsertest.Text(t, ctx, `label[for="filter-`+facet+`-`+key+`"] .facet-count`)
}

// follow tabs to a link, presses Enter and waits for the new page.
func follow(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	browsertest.TabTo(t, ctx, sel)
	before, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.timeOrigin`))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Keys(t, ctx, kb.Enter)
	check := `performance.timeOrigin !== ` + strconv.FormatFloat(before, 'f', -1, 64) + ` && document.readyState === 'complete'`
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check)); err == nil && done {
			return
		}
	}
	t.Fatalf("Enter on %s loads no new page (at %s)", sel, browsertest.Location(t, ctx))
}

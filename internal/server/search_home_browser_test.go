package server

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rii/internal/browsertest"
)

// TestStartPageSearchReachesSearch searches from the start page by
// keyboard only, with page scripts off: Tab to the search box, type a
// query with "oder", Enter. It lands on /suche with the union of both
// words' initiatives; both pages free of axe violations.
func TestStartPageSearchReachesSearch(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addSyntaxContent()
	ctx := b.Tab(t)
	scripts(t, ctx, false)

	browsertest.Navigate(t, ctx, w.ts.URL+"/")
	noAxeViolations(t, ctx, "start page")
	browsertest.TabTo(t, ctx, `[data-testid="home-search"] input[name="q"]`)
	browsertest.Type(t, ctx, "Energie oder Wasserstoff")
	browsertest.Press(t, ctx, kb.Enter)
	var at string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		// One expression, so location and readiness come from the same
		// document (the old one may still answer while the new one loads).
		ready, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.pathname !== "/" && document.readyState === "complete"`))
		if at = browsertest.Location(t, ctx); ready {
			break
		}
	}
	u, err := url.Parse(at)
	if err != nil || u.Path != "/suche" || u.Query().Get("q") != "Energie oder Wasserstoff" {
		t.Fatalf("at %s, want /suche?q=Energie+oder+Wasserstoff", at)
	}
	hits, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(
		'[data-testid="group-initiativen"] [data-testid="search-hit"] h4 a'), a => a.getAttribute('href'))`))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(hits)
	if want := []string{"/initiativen/h2-nord", "/initiativen/sonnenstrom-sued"}; !slices.Equal(hits, want) {
		t.Errorf("initiatives found %q, want %q", hits, want)
	}
	noAxeViolations(t, ctx, "search results")
}

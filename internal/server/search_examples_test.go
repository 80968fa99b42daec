package server

import (
	"net/http"
	"testing"

	"rii/internal/webtest"
	"rii/web/pages"
)

// TestSearchHelpExamplesWork follows every example of the help texts over
// the demo content: each finds something, the place example the
// initiative working there, the exclusion nothing with the excluded word.
func TestSearchHelpExamplesWork(t *testing.T) {
	t.Parallel()
	c := webtest.NewClient(t, demoPortal(t))
	help := c.Get("/suche").WantStatus(http.StatusOK)
	if got := help.Find(`[data-testid="search-examples"] a`).Length(); got != len(pages.SearchExamples) {
		t.Errorf("the help shows %d example links, want %d", got, len(pages.SearchExamples))
	}
	for _, e := range pages.SearchExamples {
		res := c.Get(e.Href("/suche")).WantStatus(http.StatusOK)
		if n := res.Find(`[data-testid="search-hit"]`).Length(); n == 0 {
			t.Errorf("help example %q finds nothing", e.Query)
		}
		switch e.Query {
		case "Lörrach":
			if hits := hitHrefs(res, "initiativen"); len(hits) != 1 || hits[0] != "/initiativen/chemie-und-pharma-am-hochrhein" {
				t.Errorf("%q finds initiatives %v, want the Hochrhein initiative", e.Query, hits)
			}
		case "Industrie -Chemie":
			for _, h := range hitHrefs(res, "initiativen") {
				if h == "/initiativen/chemie-und-pharma-am-hochrhein" {
					t.Errorf("%q finds the Chemie initiative", e.Query)
				}
			}
		}
	}
	for _, e := range pages.DirectoryExamples {
		res := c.Get(e.Href("/initiativen")).WantStatus(http.StatusOK)
		if res.Find(`[data-testid="directory-card"]`).Length() == 0 {
			t.Errorf("directory example %q lists nothing", e.Query)
		}
	}
}

package server

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
)

// TestDirectoryHidesEmptyDistricts filters the directory by
// Nordrhein-Westfalen, where one initiative works (in Solingen): the
// district table lists Solingen at once and the other 52 districts only
// behind a closed "alle anzeigen"; the district facet offers Solingen.
func TestDirectoryHidesEmptyDistricts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSyntaxContent()
	res := w.client().Get("/initiativen?land=05").WantStatus(http.StatusOK)
	rows := func(sel string) []string {
		return res.Find(sel + ` tbody tr`).Map(func(_ int, s *goquerySel) string {
			return s.Find("th").Text() + " " + s.Find("td").Text()
		})
	}
	table := res.Find(`[data-testid="region-table"] > table`)
	if table.Length() != 1 {
		t.Fatalf("%d tables listed at once, want 1", table.Length())
	}
	if got := rows(`[data-testid="region-table"] > table`); !slices.Equal(got, []string{"Solingen 1"}) {
		t.Errorf("district table lists %q at once, want only Solingen with 1", got)
	}
	empty := res.Find(`[data-testid="region-table-empty"]`)
	if _, open := empty.Attr("open"); empty.Length() != 1 || open || empty.Is("details") == false {
		t.Fatalf("the empty districts are not behind a closed <details> (%d)", empty.Length())
	}
	if got := empty.Find("summary").Text(); got != "Alle 53 Kreise anzeigen (auch die 52 ohne Initiative)" {
		t.Errorf("summary %q", got)
	}
	hidden := rows(`[data-testid="region-table-empty"]`)
	if len(hidden) != 52 || !slices.Contains(hidden, "Köln 0") {
		t.Errorf("%d hidden districts (Köln among them: %v), want 52", len(hidden), slices.Contains(hidden, "Köln 0"))
	}
	facet := res.Find(`[data-testid="facet-kreis"] input[name="kreis"]`).Map(func(_ int, s *goquerySel) string {
		return s.AttrOr("value", "")
	})
	if !slices.Equal(facet, []string{"05122"}) {
		t.Errorf("district facet offers %v, want only Solingen (05122)", facet)
	}
}

// TestDistrictFacetFoldsTheRest: without a Land the district facet shows
// the ten districts with the most initiatives and folds the others with
// initiatives into "Alle … Kreise mit Initiativen anzeigen" (no JS needed:
// <details> inside the form).
func TestDistrictFacetFoldsTheRest(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	if err := d.st.InsertSyntheticInitiatives(t.Context(), 60, 1); err != nil {
		t.Fatal(err)
	}
	res := d.as("anonymous").Get("/initiativen").WantStatus(http.StatusOK)
	all := res.Find(`[data-testid="facet-kreis"] input[name="kreis"]`).Length()
	folded := res.Find(`[data-testid="facet-more-kreis"] input[name="kreis"]`)
	if all-folded.Length() != 10 || folded.Length() == 0 {
		t.Fatalf("district facet: %d options, %d folded; want 10 shown and the rest folded", all, folded.Length())
	}
	more := res.Find(`[data-testid="facet-more-kreis"]`)
	if _, open := more.Attr("open"); open || !more.Is("details") || !more.Parent().Is(".kern-fieldset__body") {
		t.Error("the folded districts are not in a closed <details> inside the facet's fieldset")
	}
	if got, want := more.Find("summary").Text(), "Alle "+strconv.Itoa(all)+" Kreise mit Initiativen anzeigen"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	folded.Each(func(_ int, s *goquerySel) {
		if n := s.Parent().Find(".facet-count").Text(); n == "0" || n == "" {
			t.Errorf("folded district %s counts %q", s.AttrOr("value", ""), n)
		}
	})
}

package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"rii/internal/store"
	"rii/internal/webtest"
)

// addSyntaxContent adds four published initiatives that tell the search
// syntax apart: one on energy, one on hydrogen, a chemical one in
// Landkreis Lörrach whose text has the phrase "Zukunft der Industrie",
// and one in Solingen with the same words in another order.
func (w *world) addSyntaxContent() {
	w.t.Helper()
	by := store.Actor{Label: "Testdaten"}
	for slug, p := range map[string]store.InitiativeProfile{
		"sonnenstrom-sued": {Name: "Sonnenstrom Süd", ShortDescription: "Energie vom Dach für Betriebe."},
		"h2-nord":          {Name: "H2 Nord", ShortDescription: "Wasserstoff für Häfen und Stahl."},
		"dreiland": {Name: "Dreiland-Netz", ShortDescription: "Für die Zukunft der Industrie am Rhein.",
			Districts: []string{"08336"}, Sectors: []string{"chemie"}},
		"klingen": {Name: "Klingen-Bündnis", ShortDescription: "Die Industrie gestaltet ihre Zukunft selbst.",
			Districts: []string{"05122"}, Sectors: []string{"metall-elektro"}},
	} {
		if _, err := w.st.CreateInitiative(context.Background(), slug, "published", p, by, w.clock.Now()); err != nil {
			w.t.Fatal(err)
		}
	}
}

// initiativeHits are the initiatives /suche finds for q and those the
// directory lists for it, as sorted slugs.
func initiativeHits(t *testing.T, c *webtest.Client, q string) (search, directory []string) {
	t.Helper()
	res := c.Get("/suche?" + url.Values{"q": {q}, "art": {"initiativen"}}.Encode()).WantStatus(http.StatusOK)
	for _, h := range hitHrefs(res, "initiativen") {
		search = append(search, h[len("/initiativen/"):])
	}
	res = c.Get("/initiativen?" + url.Values{"q": {q}}.Encode()).WantStatus(http.StatusOK)
	res.Find(`[data-testid="directory-card"] h3 a`).Each(func(_ int, s *goquerySel) {
		h, _ := s.Attr("href")
		directory = append(directory, h[len("/initiativen/"):])
	})
	slices.Sort(search)
	slices.Sort(directory)
	return search, directory
}

func TestSearchSyntaxInSearchAndDirectory(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSyntaxContent()
	c := w.client()
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"Energie", []string{"sonnenstrom-sued"}},
		{"Wasserstoff", []string{"h2-nord"}},
		{"Energie Wasserstoff", nil},
		{"Energie oder Wasserstoff", []string{"h2-nord", "sonnenstrom-sued"}},
		{"Energie OR Wasserstoff", []string{"h2-nord", "sonnenstrom-sued"}},
		{"Zukunft Industrie", []string{"dreiland", "klingen"}},
		{`"Zukunft der Industrie"`, []string{"dreiland"}},
		{`„Zukunft der Industrie“`, []string{"dreiland"}},
		{"Industrie -Chemie", []string{"klingen"}},
		{`Industrie -"Zukunft der Industrie"`, []string{"klingen"}},
		{"Chemie", []string{"dreiland"}},
		{"Lörrach", []string{"dreiland"}},
		{"Lorrach", []string{"dreiland"}},
		{"Landkreis Lörrach", []string{"dreiland"}},
		{"Solingen", []string{"klingen"}},
		{"Baden-Württemberg", []string{"dreiland"}},
		{"Lörrach oder Solingen", []string{"dreiland", "klingen"}},
		{"-Chemie", nil},
	} {
		search, directory := initiativeHits(t, c, tc.q)
		if !slices.Equal(search, tc.want) {
			t.Errorf("/suche %q finds %v, want %v", tc.q, search, tc.want)
		}
		if tc.q == "-Chemie" { // the directory lists all but the excluded
			if slices.Contains(directory, "dreiland") || !slices.Contains(directory, "klingen") {
				t.Errorf("/initiativen %q lists %v, want all but dreiland", tc.q, directory)
			}
			continue
		}
		if !slices.Equal(directory, tc.want) {
			t.Errorf("/initiativen %q lists %v, want %v", tc.q, directory, tc.want)
		}
	}
}

func TestSearchSuggestsTheKnownWord(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSyntaxContent()
	c := w.client()
	for _, tc := range []struct{ path, want string }{
		{"/suche?q=Chmie", "/suche?q=Chemie"},
		{"/initiativen?q=Chmie", "/initiativen?q=Chemie"},
		{"/suche?q=L%C3%B6rach", "/suche?q=L%C3%B6rrach"},
	} {
		res := c.Get(tc.path).WantStatus(http.StatusOK)
		link := res.Find(`[data-testid="suggestion"] a`)
		if href, _ := link.Attr("href"); link.Length() != 1 || href != tc.want {
			t.Errorf("%s: suggestion %q to %q, want a link to %s", tc.path, link.Text(), href, tc.want)
		}
		if tc.path == "/suche?q=Chmie" && link.Text() != "„Chemie“" {
			t.Errorf("suggestion reads %q, want „Chemie“", link.Text())
		}
		// The corrected search suggests nothing more.
		if res := c.Get(tc.want).WantStatus(http.StatusOK); res.Find(`[data-testid="suggestion"]`).Length() != 0 {
			t.Errorf("%s suggests %q", tc.want, res.Text(`[data-testid="suggestion"]`))
		}
	}
	// Words that occur, several words and phrases get no suggestion.
	for _, q := range []string{"Wasserstoff", "Betriebe", "Chmie Pharma", `"Chmie"`} {
		if res := c.Get("/suche?" + url.Values{"q": {q}}.Encode()); res.Find(`[data-testid="suggestion"]`).Length() != 0 {
			t.Errorf("%q suggests %q", q, res.Text(`[data-testid="suggestion"]`))
		}
	}
}

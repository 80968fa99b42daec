package store_test

import (
	"slices"
	"testing"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// TestPlacesAndVocabularyFollowTheLinks: an initiative is found by the
// names of its districts, Länder, topics and sectors (facet_text, kept by
// the triggers), also after its links change and after a sector is
// renamed; the typo of a place name is suggested in its spelling.
func TestPlacesAndVocabularyFollowTheLinks(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	ids := seedDirectory(t, pool, dirSeed{slug: "a", name: "Bündnis Dreiland", districts: []string{"08336"},
		sectors: []string{"chemie"}, topics: []string{"energie"}})
	s := store.New(pool)
	find := func(q string) []string {
		t.Helper()
		p, err := s.Directory(ctx, store.DirectoryFilter{Terms: store.SearchTerms(q)})
		if err != nil {
			t.Fatal(err)
		}
		return slugsOf(p)
	}
	for _, q := range []string{"Lörrach", "Landkreis Lörrach", "Baden-Württemberg", "Chemie", "Energie", "Lörach"} {
		if got := find(q); !slices.Equal(got, []string{"a"}) {
			t.Errorf("%q finds %v, want a", q, got)
		}
	}
	if got, err := s.Suggestion(ctx, "lörach"); err != nil || got != "Lörrach" {
		t.Errorf("suggestion for lörach: %q, %v; want Lörrach", got, err)
	}
	if got, err := s.Suggestion(ctx, "lörrach"); err != nil || got != "" {
		t.Errorf("suggestion for a known word: %q, %v; want none", got, err)
	}
	if _, err := pool.Exec(ctx, `UPDATE initiative_districts SET ags = '05122' WHERE initiative_id = $1`, ids["a"]); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE sectors SET name = 'Chemische Industrie' WHERE slug = 'chemie'`); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"Solingen": {"a"}, "Nordrhein-Westfalen": {"a"}, "Lörrach": nil,
		"Chemische": {"a"}, "Chemische Industrie": {"a"}} {
		if got := find(q); !slices.Equal(got, want) {
			t.Errorf("after the change %q finds %v, want %v", q, got, want)
		}
	}
}

// TestDistrictTownsFindTheirDistrict: the seat of a Landkreis whose name
// does not say it finds the initiatives working there ("Siegburg" → Rhein-
// Sieg-Kreis), as does a town merged into a district ("Eisenach" →
// Wartburgkreis), and a typo of a seat is suggested; a seat that is itself
// a kreisfreie Stadt finds only the city's initiatives.
func TestDistrictTownsFindTheirDistrict(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	seedDirectory(t, pool, dirSeed{slug: "sieg", name: "Netzwerk Sieg", districts: []string{"05382"}})
	seedDirectory(t, pool, dirSeed{slug: "wartburg", name: "Wartburg Werkstatt", districts: []string{"16063"}})
	seedDirectory(t, pool, dirSeed{slug: "neckar", name: "Neckar Verbund", districts: []string{"08226"}})
	seedDirectory(t, pool, dirSeed{slug: "heidelberg", name: "Campus Verbund", districts: []string{"08221"}})
	s := store.New(pool)
	for q, want := range map[string][]string{"Siegburg": {"sieg"}, "Eisenach": {"wartburg"}, "Bad Salzungen": {"wartburg"},
		"Heidelberg": {"heidelberg"}, "Siegburg oder Eisenach": {"sieg", "wartburg"}} {
		p, err := s.Directory(ctx, store.DirectoryFilter{Terms: store.SearchTerms(q)})
		if err != nil {
			t.Fatal(err)
		}
		got := slugsOf(p)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q finds %v, want %v", q, got, want)
		}
	}
	for typo, want := range map[string]string{"siegburk": "Siegburg", "eisnach": "Eisenach", "gummersbah": "Gummersbach"} {
		if got, err := s.Suggestion(ctx, typo); err != nil || got != want {
			t.Errorf("suggestion for %s: %q, %v; want %s", typo, got, err, want)
		}
	}
}

package store_test

import (
	"slices"
	"testing"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// TestFacetKeysFollowTheLinks changes an initiative's regions, topics and
// sectors in every way and checks, after each commit, that the directory
// filters and counts by the new links (they come from the facet keys the
// triggers keep) and that a renamed topic slug keeps working.
func TestFacetKeysFollowTheLinks(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	ids := seedDirectory(t, pool, dirSeed{slug: "a", name: "Alpha Industrie", districts: []string{"05111"},
		topics: []string{"energie"}, sectors: []string{"chemie"}})
	s := store.New(pool)
	check := func(step string, f store.DirectoryFilter, want []string) {
		t.Helper()
		p, err := s.Directory(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if got := slugsOf(p); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", step, got, want)
		}
	}
	check("inserted", store.DirectoryFilter{States: []string{"05"}, Topics: []string{"energie"}, Sectors: []string{"chemie"}}, []string{"a"})
	for _, stmt := range []string{
		`UPDATE initiative_districts SET ags = '09162' WHERE initiative_id = $1`,
		`DELETE FROM initiative_topics WHERE initiative_id = $1`,
		`INSERT INTO initiative_sectors (initiative_id, sector) VALUES ($1, 'pharma')`,
	} {
		if _, err := pool.Exec(ctx, stmt, ids["a"]); err != nil {
			t.Fatal(err)
		}
	}
	check("old Land", store.DirectoryFilter{States: []string{"05"}}, nil)
	check("new district", store.DirectoryFilter{Districts: []string{"09162"}}, []string{"a"})
	check("topic removed", store.DirectoryFilter{Topics: []string{"energie"}}, nil)
	check("sector added", store.DirectoryFilter{Sectors: []string{"pharma"}}, []string{"a"})
	if _, err := pool.Exec(ctx, `UPDATE sectors SET slug = 'pharmazie' WHERE slug = 'pharma'`); err != nil {
		t.Fatal(err)
	}
	check("renamed sector", store.DirectoryFilter{Sectors: []string{"pharmazie"}}, []string{"a"})
	p, err := s.Directory(ctx, store.DirectoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if facet(p.States, "09").Count != 1 || facet(p.States, "05").Count != 0 || facet(p.Districts, "09162").MapCount != 1 ||
		facet(p.Sectors, "pharmazie").Count != 1 || facet(p.Sectors, "chemie").Count != 1 || facet(p.Topics, "energie").Count != 0 {
		t.Errorf("counts: %+v %+v %+v", p.States, p.Sectors, p.Topics)
	}
	// The directory's in-memory index follows publishing too.
	if _, err := pool.Exec(ctx, `UPDATE initiatives SET status = 'draft', published_at = NULL WHERE id = $1`, ids["a"]); err != nil {
		t.Fatal(err)
	}
	check("unpublished", store.DirectoryFilter{}, nil)
	check("unpublished, searched", store.DirectoryFilter{Terms: store.SearchTerms("alpha")}, nil)
}

// TestTypoFindsWordsOfNewAndRenamedTitles: the word list the typo search
// compares with learns the words of an initiative's name when it is
// inserted and when it is renamed.
func TestTypoFindsWordsOfNewAndRenamedTitles(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	ctx := t.Context()
	ids := seedDirectory(t, pool, dirSeed{slug: "a", name: "Bündnis Hochrhein"})
	s := store.New(pool)
	find := func(q string) []string {
		t.Helper()
		p, err := s.Directory(ctx, store.DirectoryFilter{Terms: store.SearchTerms(q)})
		if err != nil {
			t.Fatal(err)
		}
		return slugsOf(p)
	}
	if got := find("Hochrein"); !slices.Equal(got, []string{"a"}) {
		t.Errorf("typo of a new name: %v", got)
	}
	if _, err := pool.Exec(ctx, `UPDATE initiatives SET name = 'Bündnis Wasserstoffregion' WHERE id = $1`, ids["a"]); err != nil {
		t.Fatal(err)
	}
	if got := find("Wasserstofregion"); !slices.Equal(got, []string{"a"}) {
		t.Errorf("typo of a renamed title: %v", got)
	}
	if got := find("Hochrein"); len(got) != 0 {
		t.Errorf("the old name still finds: %v", got)
	}
}

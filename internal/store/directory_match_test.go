package store

import (
	"slices"
	"strings"
	"testing"

	"rii/internal/pgtest"
)

// TestMatchGivesUpOnWhatItCannotEvaluate: phrases, weights, escaped
// quotes and broken text go to PostgreSQL, never to a looser match.
func TestMatchGivesUpOnWhatItCannotEvaluate(t *testing.T) {
	t.Parallel()
	idx := &textIndex{n: 3, lexemes: []string{"chemi", "industri"}, postings: [][]int32{{0}, {0, 2}}}
	for _, q := range []string{"", "'zukunft' <-> 'industri'", "'a' <2> 'b'", "'a':A", "'a':*B", "'it''s'", `'c\\d'`,
		"('a' | 'b'", "'a' &", "'a' 'b'", "a"} {
		if got, ok := idx.match(q); ok {
			t.Errorf("match(%q) = %v, evaluated; want PostgreSQL", q, got)
		}
	}
	for q, want := range map[string][]int32{"'industri'": {0, 2}, "'indus':*": {0, 2}, "!'chemi' & 'industri'": {2},
		"'chemi' | !'industri'": {0, 1}, "!( 'chemi' | 'industri' )": {1}, "'chem'": {}} {
		if got, ok := idx.match(q); !ok || !slices.Equal(got, want) {
			t.Errorf("match(%q) = %v, %v; want %v", q, got, ok, want)
		}
	}
}

func TestTsvectorEntries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"'bundnis':1A 'hochrhein':2A,5", []string{"bundnis 1A", "hochrhein 2A,5"}},
		{"'a' 'b':3", []string{"a ", "b 3"}},
		{`'it''s':1 'c\\d':2B 'e\'f'`, []string{"it's 1", `c\d 2B`, "e'f "}},
	} {
		var got []string
		tsvectorEntries(tc.in, func(l, pos string) { got = append(got, l+" "+pos) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("tsvectorEntries(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	pos := appendPositions(nil, "3A,17,20C,16383B")
	if want := []uint16{3 | 3<<14, 17, 20 | 1<<14, 16383 | 2<<14}; !slices.Equal(pos, want) {
		t.Errorf("appendPositions = %v, want %v", pos, want)
	}
}

// TestMatchInMemoryAgreesWithPostgreSQL: the index's postings find
// exactly the initiatives PostgreSQL's full-text match finds, for words,
// prefixes, typos, several words, "oder", excluded words, places and words
// of no initiative; a quoted phrase goes to PostgreSQL.
func TestMatchInMemoryAgreesWithPostgreSQL(t *testing.T) {
	t.Parallel()
	s := New(pgtest.NewPool(t))
	ctx := t.Context()
	if err := s.InsertSyntheticInitiatives(ctx, 400, 1); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"industrie", "Industrie Netzwerk", "chemi", "Chemi Hochrein", "wasserstof", "köln essen",
		"klimaneutral produktion", "zukunft", "xyzzy", "in", "netzwek leipzig", "digitalsierung",
		"energie oder wasserstoff", "Chemie OR Stahl | Holz", "industrie -netzwerk", "-industrie", "Sachsen",
		"Landkreis Lörrach", "Siegburg", "Eisenach industrie", `"Netzwerk Industrie"`, `„Zukunft der Industrie“`} {
		f := DirectoryFilter{Terms: SearchTerms(q), Sort: SortRelevance}
		var found int
		err := s.directoryTx(ctx, f, func(tx *Store, f DirectoryFilter) error {
			idx, err := s.dirIndex(ctx, tx, f.version)
			if err != nil {
				return err
			}
			want, _, err := tx.matches(ctx, idx, f)
			if err != nil {
				return err
			}
			found = len(want)
			if f.ts == nil {
				if !f.Terms.Empty() || len(f.Terms.Not) > 0 {
					t.Errorf("%q: no query made", q)
				}
				return nil // only stop words: nothing to match
			}
			got, ok := idx.match(f.ts.Match)
			phrase := strings.Contains(f.ts.Match, "<")
			if ok == phrase {
				t.Errorf("%q: %q evaluated in memory: %v", q, f.ts.Match, ok)
			}
			slices.Sort(want)
			if (q == "industrie" || q == "-industrie" || q == "Sachsen" || q == "energie oder wasserstoff") && len(want) == 0 {
				t.Errorf("%q finds nothing: the comparison would prove nothing", q)
			}
			if ok && !slices.Equal(got, want) {
				t.Errorf("%q: %d in memory, %d by PostgreSQL", q, len(got), len(want))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The whole request, in memory or not, in every order, and the
		// open data: the same initiatives.
		for _, sort := range []DirectorySort{SortRelevance, SortName, SortNewest} {
			f.Sort, f.Limit = sort, 5
			page, err := s.Directory(ctx, f)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			f.Limit = 0
			list, err := s.OpenData(ctx, f)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if page.Total != found || len(list) != found || len(page.Entries) != min(found, 5) {
				t.Errorf("%q, order %d: %d listed, %d in the open data; want %d", q, sort, page.Total, len(list), found)
			}
		}
	}
}

package store

import (
	"slices"
	"strings"
	"testing"

	"rii/internal/pgtest"
)

func TestParseTermQuery(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []queryItem
		ok   bool
	}{
		{"'industri':* | 'industrie' | 'industriell'", []queryItem{{"industri", true}, {"industrie", false}, {"industriell", false}}, true},
		{"'chemi':*", []queryItem{{"chemi", true}}, true},
		{"", nil, false},
		{"'ems-achs':* <-> 'ems':* <-> 'achs':* | 'chemi'", nil, false},
		{"'it''s':*", nil, false},
		{"'a':A", nil, false},
		{"'a' & 'b'", nil, false},
	} {
		got, ok := parseTermQuery(tc.in)
		if ok != tc.ok || !slices.Equal(got, tc.want) {
			t.Errorf("parseTermQuery(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTsvectorLexemes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"'bundnis':1A 'hochrhein':2A,5", []string{"bundnis", "hochrhein"}},
		{"'a' 'b':3", []string{"a", "b"}},
		{`'it''s':1 'c\\d':2 'e\'f'`, []string{"it's", `c\d`, "e'f"}},
	} {
		var got []string
		tsvectorLexemes(tc.in, func(l string) { got = append(got, l) })
		if !slices.Equal(got, tc.want) {
			t.Errorf("tsvectorLexemes(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMatchInMemoryAgreesWithPostgreSQL: the index's postings find
// exactly the initiatives PostgreSQL's full-text match finds, for words,
// prefixes, typos, several words, words of no initiative, "oder",
// exclusions, places; a phrase is left to PostgreSQL.
func TestMatchInMemoryAgreesWithPostgreSQL(t *testing.T) {
	t.Parallel()
	s := New(pgtest.NewPool(t))
	ctx := t.Context()
	if err := s.InsertSyntheticInitiatives(ctx, 400, 1); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"industrie", "Industrie Netzwerk", "chemi", "Chemi Hochrein", "wasserstof", "köln essen",
		"klimaneutral produktion", "zukunft", "xyzzy", "in", "netzwek leipzig", "digitalsierung",
		"Energie oder Wasserstoff", "industrie OR chemie -netzwerk", "-industrie", "Industrie -Chemie -Leipzig",
		"Sachsen", "Lörrach oder Siegburg", "Bayern Energie", "\"Zukunft der Industrie\""} {
		f := DirectoryFilter{Terms: SearchTerms(q), Sort: SortRelevance}
		err := s.directoryTx(ctx, f, func(tx *Store, f DirectoryFilter) error {
			idx, err := s.dir.get(ctx, tx, f.version)
			if err != nil {
				return err
			}
			want, _, err := tx.matches(ctx, idx, f)
			if err != nil {
				return err
			}
			got, ok := idx.match(f)
			if !ok && !strings.HasPrefix(q, `"`) {
				t.Errorf("%q: %q %q not evaluated in memory", q, f.wordQueries, f.notQueries)
			}
			slices.Sort(want)
			if q == "industrie" && len(want) == 0 {
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
	}
}

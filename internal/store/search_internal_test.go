package store

import (
	"reflect"
	"strings"
	"testing"
)

func TestExcerpt(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Wort ", 50) + "Chemie am Rhein. " + strings.Repeat("Satz ", 60) + "chemische Werke" +
		strings.Repeat(" Ende", 40)
	for _, tc := range []struct {
		text  string
		terms []excerptTerm
		want  []Span
	}{
		{"", []excerptTerm{{"chemi", true}}, nil},
		{"kein  Treffer", []excerptTerm{{"chemi", true}}, []Span{{Text: "kein Treffer"}}},
		{"Die Chemie am\n\n  Rhein", []excerptTerm{{"chemi", true}}, []Span{{Text: "Die "}, {Text: "Chemie", Mark: true}, {Text: " am Rhein"}}},
		{"<b>Bündnis</b> & Fußball-Verein", []excerptTerm{{"bundnis", true}, {"fussball", true}},
			[]Span{{Text: "<b>"}, {Text: "Bündnis", Mark: true}, {Text: "</b> & "}, {Text: "Fußball", Mark: true}, {Text: "-Verein"}}},
		{"Ein Industriedialog (Beispiel).\n", []excerptTerm{{"industriedialog", true}},
			[]Span{{Text: "Ein "}, {Text: "Industriedialog", Mark: true}, {Text: " (Beispiel)."}}},
		{"Alle Quastenflosser-Allianzen", []excerptTerm{{"allianz", true}},
			[]Span{{Text: "Alle Quastenflosser-"}, {Text: "Allianzen", Mark: true}}},
		{long, []excerptTerm{{"chemi", true}}, []Span{{Text: strings.TrimSpace(strings.Repeat("Wort ", 8)) + " "}, {Text: "Chemie", Mark: true},
			{Text: " am Rhein. " + strings.TrimSpace(strings.Repeat("Satz ", 19))}, {Text: excerptDelimiter},
			{Text: strings.TrimSpace(strings.Repeat("Satz ", 8)) + " "}, {Text: "chemische", Mark: true},
			{Text: " Werke" + strings.Repeat(" Ende", 20)}}},
	} {
		if got := excerpt(tc.text, tc.terms); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("excerpt(%q) = %#v, want %#v", tc.text, got, tc.want)
		}
	}
	// A lexeme to match whole finds its word with an ending, not a longer word.
	got := excerpt("Industrie und Industrieinitiativen", []excerptTerm{{"industri", false}})
	if want := []Span{{Text: "Industrie", Mark: true}, {Text: " und Industrieinitiativen"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("whole lexeme: %#v, want %#v", got, want)
	}
	// Without a word found, the beginning.
	if got := excerpt(long, []excerptTerm{{"zzz", true}}); len(got) != 1 || len(strings.Fields(got[0].Text)) != excerptWords {
		t.Errorf("excerpt without a word found = %#v, want the first %d words", got, excerptWords)
	}
}

func TestExcerptTermsAndPlainMarkdown(t *testing.T) {
	t.Parallel()
	got := excerptTerms(`( 'industri':* | 'it''s' ) & 'chemi' <-> !'x'`)
	if want := []excerptTerm{{"industri", true}, {"it's", false}, {"chemi", false}, {"x", false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("excerptTerms = %v, want %v", got, want)
	}
	md := "## Ergebnis\n**Wärme** und [Pumpen](https://example.org/a) ~~alt~~ `code` > Zitat | Tabelle"
	if got, want := squashSpaces(plainMarkdown(md)), " Ergebnis Wärme und Pumpen alt code Zitat Tabelle"; got != want {
		t.Errorf("plainMarkdown = %q, want %q", got, want)
	}
}

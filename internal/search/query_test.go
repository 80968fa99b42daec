package search_test

import (
	"strings"
	"testing"

	"reflect"

	"rii/internal/search"
)

func w(words ...string) search.Term      { return search.Term{Words: words} }
func phrase(words ...string) search.Term { return search.Term{Words: words, Phrase: true} }

func TestParse(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 100)
	for _, c := range []struct {
		in   string
		want search.Query
	}{
		{"", search.Query{}},
		{"Energie Wasserstoff", search.Query{All: [][]search.Term{{w("energie")}, {w("wasserstoff")}}}},
		{"Energie oder Wasserstoff", search.Query{All: [][]search.Term{{w("energie"), w("wasserstoff")}}}},
		{"Energie OR Wasserstoff | Chemie", search.Query{All: [][]search.Term{{w("energie"), w("wasserstoff"), w("chemie")}}}},
		{"Netzwerk Energie oder Wasserstoff", search.Query{All: [][]search.Term{{w("netzwerk")}, {w("energie"), w("wasserstoff")}}}},
		{"Energie und Wasserstoff", search.Query{All: [][]search.Term{{w("energie")}, {w("wasserstoff")}}}},
		{"oder Energie oder", search.Query{All: [][]search.Term{{w("energie")}}}},
		{`"Zukunft der Industrie"`, search.Query{All: [][]search.Term{{phrase("zukunft", "der", "industrie")}}}},
		{`„Zukunft der Industrie“ Bündnis`, search.Query{All: [][]search.Term{{phrase("zukunft", "der", "industrie")}, {w("bündnis")}}}},
		{`"offen`, search.Query{All: [][]search.Term{{phrase("offen")}}}},
		{"Industrie -Chemie", search.Query{All: [][]search.Term{{w("industrie")}}, Not: []search.Term{w("chemie")}}},
		{`Industrie -"Zukunft der Industrie"`, search.Query{All: [][]search.Term{{w("industrie")}},
			Not: []search.Term{phrase("zukunft", "der", "industrie")}}},
		{"Ems-Achse", search.Query{All: [][]search.Term{{w("ems", "achse")}}}},
		{"Energie - Wasser", search.Query{All: [][]search.Term{{w("energie")}, {w("wasser")}}}},
		{"  Chemie und Pharma am Hochrhein e.V. ", search.Query{All: [][]search.Term{{w("chemie")}, {w("pharma")}, {w("hochrhein")}}}},
		{"<script>alert(1)</script>", search.Query{All: [][]search.Term{{w("script", "alert", "script")}}}},
		{"' OR 1=1; --", search.Query{}},
		{"a b c", search.Query{}},
		{"\xff\xfeindu\x00strie", search.Query{All: [][]search.Term{{w("indu", "strie")}}}},
		{long, search.Query{All: [][]search.Term{{w(long[:40])}}}},
		{"eins zwei drei vier fünf sechs sieben acht neun", search.Query{All: [][]search.Term{{w("eins")}, {w("zwei")},
			{w("drei")}, {w("vier")}, {w("fünf")}, {w("sechs")}, {w("sieben")}, {w("acht")}}}},
		{"industrie INDUSTRIE", search.Query{All: [][]search.Term{{w("industrie")}}}},
	} {
		if got := search.Parse(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestWord(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Chmie": "chmie", " Chmie ": "chmie", "Chmie Pharma": "", `"Chmie"`: "",
		"Chmie -Pharma": "", "Ems-Achse": "", "": "", "Chmie oder Pharma": ""} {
		if got := search.Parse(in).Word(); got != want {
			t.Errorf("Parse(%q).Word() = %q, want %q", in, got, want)
		}
	}
}

package store

import (
	"reflect"
	"testing"
)

func TestSplitHighlight(t *testing.T) {
	t.Parallel()
	const a, z = "riiXa", "riiXz"
	for _, tc := range []struct {
		in   string
		want []Span
	}{
		{"", nil},
		{"kein Treffer", []Span{{Text: "kein Treffer"}}},
		{"Die riiXaChemieriiXz am\n\n  Rhein", []Span{{Text: "Die "}, {Text: "Chemie", Mark: true}, {Text: " am Rhein"}}},
		{"riiXaAriiXz riiXaBriiXz", []Span{{Text: "A", Mark: true}, {Text: " "}, {Text: "B", Mark: true}}},
		{"<b>riiXa&riiXz</b>", []Span{{Text: "<b>"}, {Text: "&", Mark: true}, {Text: "</b>"}}},
		{"offen riiXaEnde", []Span{{Text: "offen "}, {Text: "Ende", Mark: true}}},
		{"riiXariiXz leer", []Span{{Text: " leer"}}},
	} {
		if got := splitHighlight(tc.in, a, z); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitHighlight(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestHighlightMarkersAreFresh(t *testing.T) {
	t.Parallel()
	a1, z1, err := highlightMarkers()
	if err != nil {
		t.Fatal(err)
	}
	a2, _, _ := highlightMarkers()
	if a1 == a2 || a1 == z1 || len(a1) < 32 {
		t.Errorf("markers %q, %q, %q: want long, distinct, fresh each time", a1, z1, a2)
	}
}

package components

import (
	"slices"
	"strings"
	"testing"
)

func TestNewColumnChart(t *testing.T) {
	tests := []struct {
		name    string
		values  []int
		heights []int
		shown   int // category labels shown
	}{
		{"scaled to the largest", []int{0, 5, 10}, []int{0, 90, 180}, 3},
		{"a small value stays visible", []int{1, 1000}, []int{1, 180}, 2},
		{"all zero", []int{0, 0}, []int{0, 0}, 2},
		{"labels thinned beyond 16", make([]int, 20), make([]int, 20), 11}, // every 2nd, and the last
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			labels := make([]string, len(tt.values))
			for i := range labels {
				labels[i] = "Q" + itoa(i+1)
			}
			c := NewColumnChart("x", "Titel", "Quartal", "Anzahl", labels, tt.values)
			var heights []int
			shown := 0
			for i, b := range c.Bars {
				heights = append(heights, b.H)
				if b.Y+b.H != chartTop+columnHeight {
					t.Errorf("bar %d does not stand on the baseline", i)
				}
				if b.Value != tt.values[i] || b.Label != labels[i] {
					t.Errorf("bar %d carries %s=%d", i, b.Label, b.Value)
				}
				if b.ShowCat {
					shown++
				}
			}
			if !slices.Equal(heights, tt.heights) || shown != tt.shown {
				t.Errorf("heights %v (want %v), %d labels shown (want %d)", heights, tt.heights, shown, tt.shown)
			}
		})
	}
}

func TestNewBarChartAndSummary(t *testing.T) {
	c := NewBarChart("t", "Workshops je Thema", "Thema", "Workshops", []string{"Energie", "Innovation"}, []int{2400, 600})
	if c.Bars[0].W != barAreaW || c.Bars[1].W != barAreaW/4 || c.Bars[1].Y <= c.Bars[0].Y {
		t.Errorf("bars %+v", c.Bars)
	}
	want := "Balkendiagramm „Workshops je Thema“: Workshops je Thema, 2 Werte von Energie bis Innovation. " +
		"Höchster Wert: 2.400 (Energie); zusammen 3.000. Alle Zahlen stehen in der Tabelle zum Diagramm."
	if c.Summary != want {
		t.Errorf("summary %q", c.Summary)
	}
	if s := NewBarChart("t", "Leer", "Thema", "Workshops", nil, nil).Summary; s != "Leer: keine Daten." {
		t.Errorf("empty summary %q", s)
	}
}

func TestNewGraph(t *testing.T) {
	g := NewGraph("g", "Netz", []GraphLink{
		{"a", "Initiative A", "c", "Initiative C", 5},
		{"b", "Eine Initiative mit einem sehr langen Namen", "c", "Initiative C", 1},
		{"a", "Initiative A", "b", "Eine Initiative mit einem sehr langen Namen", 3},
	})
	if len(g.Nodes) != 3 || len(g.Edges) != 3 {
		t.Fatalf("%d nodes, %d edges", len(g.Nodes), len(g.Edges))
	}
	var widths []string
	for _, e := range g.Edges {
		widths = append(widths, e.Width)
	}
	if !slices.Equal(widths, []string{"8", "1", "4.5"}) {
		t.Errorf("edge widths %v", widths)
	}
	if n := g.Nodes[0]; n.X != g.Width/2 || n.Y != g.Height/2-graphRadius || n.Anchor != "start" {
		t.Errorf("the first node sits at %d,%d (%s), want the top", n.X, n.Y, n.Anchor)
	}
	if l := g.Nodes[2].Label; len([]rune(l)) != graphLabel || !strings.HasSuffix(l, "…") {
		t.Errorf("long label %q", l)
	}
	if !strings.Contains(g.Summary, "3 Initiativen, 3 Verbindungen") || !strings.Contains(g.Summary, "Initiative A und Initiative C (5 ") {
		t.Errorf("summary %q", g.Summary)
	}
}

package components

import (
	"math"
	"strconv"
)

// Graph is a network drawn as SVG on the server: nodes on a circle, each
// named by a direct label, and edges whose width grows with their weight
// (no colour carries meaning, so it reads in black and white). Summary is
// the text alternative; the page shows the same edges as a table.
type Graph struct {
	ID, Title, Summary string
	Width, Height      int
	Nodes              []GraphNode
	Edges              []GraphEdge
}

// GraphNode is one node with its position and label anchor.
type GraphNode struct {
	Key, Label     string
	X, Y           int
	LabelX, LabelY int
	Anchor         string // start or end
}

// GraphEdge joins two nodes; Width is the stroke width.
type GraphEdge struct {
	From, To       string // node keys
	Weight         int
	X1, Y1, X2, Y2 int
	Width          string
}

// GraphLink is an input edge: two named nodes and a weight.
type GraphLink struct {
	AKey, ALabel, BKey, BLabel string
	Weight                     int
}

// Graph geometry, in SVG user units.
const (
	graphRadius = 200
	graphMargin = 190 // room for the labels left and right
	graphLabel  = 28  // longest label, in characters
)

// NewGraph places the nodes of links on a circle, in order of first
// appearance (the strongest links first), and scales edge widths from 1
// to 8 by weight.
func NewGraph(id, title string, links []GraphLink) Graph {
	g := Graph{ID: id, Title: title, Width: 2*(graphRadius+graphMargin) + 20, Height: 2*graphRadius + 60}
	index := map[string]int{}
	add := func(key, label string) {
		if _, ok := index[key]; !ok {
			index[key] = len(g.Nodes)
			g.Nodes = append(g.Nodes, GraphNode{Key: key, Label: shorten(label, graphLabel)})
		}
	}
	top := 0
	for _, l := range links {
		add(l.AKey, l.ALabel)
		add(l.BKey, l.BLabel)
		top = max(top, l.Weight)
	}
	cx, cy := g.Width/2, g.Height/2
	for i := range g.Nodes {
		angle := 2*math.Pi*float64(i)/float64(len(g.Nodes)) - math.Pi/2
		cos, sin := math.Cos(angle), math.Sin(angle)
		n := &g.Nodes[i]
		n.X, n.Y = cx+int(math.Round(graphRadius*cos)), cy+int(math.Round(graphRadius*sin))
		n.LabelX, n.LabelY = cx+int(math.Round((graphRadius+12)*cos)), cy+int(math.Round((graphRadius+12)*sin))+4
		n.Anchor = "start"
		if cos < -0.01 {
			n.Anchor = "end"
		}
	}
	for _, l := range links {
		a, b := g.Nodes[index[l.AKey]], g.Nodes[index[l.BKey]]
		w := 1 + 7*float64(l.Weight-1)/float64(max(top-1, 1))
		g.Edges = append(g.Edges, GraphEdge{From: l.AKey, To: l.BKey, Weight: l.Weight, X1: a.X, Y1: a.Y, X2: b.X, Y2: b.Y,
			Width: strconv.FormatFloat(math.Round(w*10)/10, 'f', -1, 64)})
	}
	g.Summary = graphSummary(title, len(g.Nodes), links)
	return g
}

// graphSummary is the graph's text alternative.
func graphSummary(title string, nodes int, links []GraphLink) string {
	if len(links) == 0 {
		return title + ": keine Verbindungen."
	}
	s := "Netzwerkgrafik „" + title + "“: " + formatCount(nodes) + " Initiativen, " + formatCount(len(links)) + " Verbindungen. "
	l := links[0]
	return s + "Am häufigsten trafen sich " + l.ALabel + " und " + l.BLabel + " (" + formatCount(l.Weight) +
		" gemeinsame Veranstaltungen). Alle Paare stehen in der Tabelle."
}

// shorten cuts s to n characters with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

package geo

import (
	"math"
	"slices"
)

// Simplifying each polygon on its own would leave slivers and gaps between
// neighbours, since a shared border would lose different points on either
// side. So borders are simplified as arcs, the way TopoJSON does: every ring
// is cut at its junctions (points with more than two distinct neighbours
// across all rings, where three or more areas meet or a border meets the
// coast), each arc between two junctions is simplified once, and every ring
// that runs along it gets the same points. Neighbouring districts, and the
// Länder drawn over them, then fit exactly. This works because VG5000 gives
// shared borders identical vertices in every polygon (and the Länder file
// is exactly the union of the districts).

type point struct{ x, y float64 }

func (p point) less(q point) bool { return p.x < q.x || p.x == q.x && p.y < q.y }

// ring is a closed polygon ring without the repeated first point.
type ring []point

// polygon is one area's rings: outer rings and holes, told apart by their
// opposite orientation (SVG's nonzero fill rule then leaves holes open).
type polygon []ring

// arcKey names an arc by its first two points in canonical direction: a
// point inside an arc has exactly two neighbours, so these two determine it.
type arcKey struct{ a, b point }

func pairLess(a0, a1, b0, b1 point) bool {
	if a0 != b0 {
		return a0.less(b0)
	}
	return a1.less(b1)
}

// neighbours counts the distinct neighbours of a point, up to three.
type neighbours struct {
	n    int
	seen [2]point
}

func (nb *neighbours) add(p point) {
	for i := range min(nb.n, 2) {
		if nb.seen[i] == p {
			return
		}
	}
	if nb.n < 2 {
		nb.seen[nb.n] = p
	}
	if nb.n < 3 {
		nb.n++
	}
}

// topology simplifies a set of polygons consistently.
type topology struct {
	tolerance float64
	junction  map[point]bool
	arcs      map[arcKey][]point // simplified, canonical direction
	force     map[arcKey]bool    // keep one inner point even if within tolerance
}

// simplifyAll returns every polygon simplified with Douglas–Peucker at
// tolerance (same units as the points), shared borders alike.
func simplifyAll(polys []polygon, tolerance float64) []polygon {
	nb := map[point]*neighbours{}
	for _, poly := range polys {
		for _, r := range poly {
			for i, p := range r {
				e := nb[p]
				if e == nil {
					e = &neighbours{}
					nb[p] = e
				}
				e.add(r[(i+len(r)-1)%len(r)])
				e.add(r[(i+1)%len(r)])
			}
		}
	}
	t := &topology{tolerance: tolerance, junction: map[point]bool{}, arcs: map[arcKey][]point{}, force: map[arcKey]bool{}}
	for p, e := range nb {
		if e.n > 2 {
			t.junction[p] = true
		}
	}
	// A ring with fewer than three junctions could collapse to a line if all
	// its arcs were straightened: its arcs keep at least one inner point.
	for _, poly := range polys {
		for _, r := range poly {
			arcs := t.split(r)
			if len(arcs) < 3 {
				for _, a := range arcs {
					k, _ := canonical(a)
					t.force[k] = true
				}
			}
		}
	}
	out := make([]polygon, len(polys))
	for i, poly := range polys {
		for _, r := range poly {
			out[i] = append(out[i], t.simplifyRing(r))
		}
	}
	return out
}

// split cuts a ring into its arcs, each from one junction to the next, both
// included. A ring without junctions (an island, an enclave) is one closed
// arc from its smallest point round to it again, so that every ring running
// along it starts at the same point.
func (t *topology) split(r ring) [][]point {
	start := -1
	for i, p := range r {
		if t.junction[p] {
			start = i
			break
		}
	}
	if start < 0 {
		start = 0
		for i, p := range r {
			if p.less(r[start]) {
				start = i
			}
		}
		a := make([]point, 0, len(r)+1)
		a = append(a, r[start:]...)
		a = append(a, r[:start]...)
		return [][]point{append(a, r[start])}
	}
	var arcs [][]point
	cur := []point{r[start]}
	for k := 1; k <= len(r); k++ {
		p := r[(start+k)%len(r)]
		cur = append(cur, p)
		if t.junction[p] || k == len(r) {
			arcs = append(arcs, cur)
			cur = []point{p}
		}
	}
	return arcs
}

// canonical returns the arc's key and whether the arc runs against its
// canonical direction.
func canonical(a []point) (arcKey, bool) {
	n := len(a)
	if pairLess(a[n-1], a[n-2], a[0], a[1]) {
		return arcKey{a[n-1], a[n-2]}, true
	}
	return arcKey{a[0], a[1]}, false
}

func (t *topology) simplifyRing(r ring) ring {
	var out ring
	for _, a := range t.split(r) {
		k, rev := canonical(a)
		s, ok := t.arcs[k]
		if !ok {
			c := a
			if rev {
				c = slices.Clone(a)
				slices.Reverse(c)
			}
			s = douglasPeucker(c, t.tolerance, t.force[k])
			t.arcs[k] = s
		}
		if rev {
			s = slices.Clone(s)
			slices.Reverse(s)
		}
		out = append(out, s[:len(s)-1]...) // the last point starts the next arc
	}
	return out
}

// douglasPeucker keeps the arc's ends and every point farther than tol from
// the simplified line. With keepOne, at least one inner point survives (the
// farthest). A closed arc (first point = last) measures distance from that
// point, so that it keeps its two farthest-apart points and some width.
func douglasPeucker(a []point, tol float64, keepOne bool) []point {
	n := len(a)
	if n <= 2 {
		return a
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	var rec func(i, j int, force bool)
	rec = func(i, j int, force bool) {
		if j-i < 2 {
			return
		}
		best, bestD := -1, -1.0
		for k := i + 1; k < j; k++ {
			if d := segDist(a[k], a[i], a[j]); d > bestD {
				best, bestD = k, d
			}
		}
		if bestD > tol || force {
			keep[best] = true
			// The halves of a closed arc are open, but each must keep some
			// width or the ring collapses to a line.
			closed := a[i] == a[j]
			rec(i, best, closed)
			rec(best, j, closed)
		}
	}
	rec(0, n-1, keepOne || a[0] == a[n-1])
	out := make([]point, 0, 8)
	for k, p := range a {
		if keep[k] {
			out = append(out, p)
		}
	}
	return out
}

// segDist is the distance of p from the segment a–b.
func segDist(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := max(0, min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// dissolve merges polygons that share borders into one: edges that occur in
// both directions are inner borders and drop out, the rest are chained into
// rings again, keeping their orientation.
func dissolve(polys ...polygon) polygon {
	type edge struct{ a, b point }
	edges := map[edge]bool{}
	for _, poly := range polys {
		for _, r := range poly {
			for i, p := range r {
				edges[edge{p, r[(i+1)%len(r)]}] = true
			}
		}
	}
	next := map[point][]point{}
	var starts []point // in input order, for a deterministic result
	for _, poly := range polys {
		for _, r := range poly {
			for i, p := range r {
				q := r[(i+1)%len(r)]
				if !edges[edge{q, p}] {
					next[p] = append(next[p], q)
					starts = append(starts, p)
				}
			}
		}
	}
	var out polygon
	for _, s := range starts {
		if len(next[s]) == 0 {
			continue
		}
		var r ring
		for p := s; ; {
			r = append(r, p)
			q := next[p][0]
			next[p] = next[p][1:]
			if q == s {
				break
			}
			p = q
		}
		out = append(out, r)
	}
	return out
}

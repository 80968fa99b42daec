// Package geo draws Germany's districts and Länder as SVG paths.
//
// The boundaries are BKG's VG5000 (Stand 01.01.2021), embedded as GeoJSON.
// Load projects them once (Lambert conformal conic, see project.go),
// simplifies the shared borders consistently (topology.go) and writes each
// area as compact SVG path data on an integer grid (path.go). Wherever a map
// is shown, credit Credit.
package geo

import (
	"cmp"
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
)

// Credit is the attribution the licence (Datenlizenz Deutschland –
// Namensnennung 2.0) asks for wherever the map is shown.
const Credit = "© GeoBasis-DE / BKG (2021)"

// Drawing parameters. The grid is half a kilometre, so the country is
// 1278 × 1735 units and the coordinates stay integers; drawn at the ≈ 600 px
// a page gives the map, a unit is half a pixel. A border may move by up to
// the tolerance (750 m) in simplification: under a pixel on the page.
// That keeps about half of VG5000's points (generalised for 1:5 000 000
// already): 88 KB of path data for the 400 districts, 20 KB for the Länder
// (33 KB and 8 KB gzipped).
const (
	scale     = 2.0 // grid units per km
	tolerance = 1.5 // grid units
	margin    = 4   // grid units around the country
)

// Districts that no longer exist, and the district they joined. The joined
// district is drawn with both areas; the former one keeps its own shape for
// looking up old references. (The database's districts.merged_into holds the
// same fact; this copy spares the map a database.)
var merged = map[string]string{
	"16056": "16063", // Eisenach joined the Wartburgkreis on 1 July 2021.
}

//go:embed data/kreise-vg5000-2021.geojson data/laender-vg5000-2021.geojson
var data embed.FS

// Shape is one area of the map.
type Shape struct {
	Key  string // AGS of a district (5 digits) or the code of a Land (2 digits)
	Name string // the name in VG5000, e.g. "Flensburg", "Schleswig-Holstein"
	D    string // SVG path data in the coordinates of ViewBox
}

// Map holds Germany's districts and Länder, ready to draw. It is immutable
// and safe for concurrent use.
type Map struct {
	districts []Shape // the current ones, by key
	states    []Shape // by key
	byKey     map[string]Shape
	boxes     map[string]bbox
	width     int
	height    int
}

// load builds the map once per process: the result depends on nothing but
// embedded data, so every caller can share it.
var load = sync.OnceValues(build)

// Load returns the map, built on first use: ≈ 90 ms (BenchmarkBuild), most
// of it decoding 2 MB of GeoJSON.
func Load() (*Map, error) { return load() }

// Districts returns the current districts (400), ordered by AGS. A merged
// district is drawn within its successor and not listed.
func (m *Map) Districts() []Shape { return slices.Clone(m.districts) }

// States returns the 16 Länder, ordered by code.
func (m *Map) States() []Shape { return slices.Clone(m.states) }

// Shape returns the shape of a district (by AGS, a former one too) or Land
// (by code).
func (m *Map) Shape(key string) (Shape, bool) {
	s, ok := m.byKey[key]
	return s, ok
}

// ViewBox is the viewBox attribute for the whole country.
func (m *Map) ViewBox() string { return Box{0, 0, m.width, m.height}.ViewBox() }

// Box is a rectangle in the map's coordinates.
type Box struct{ X, Y, Width, Height int }

// ViewBox formats the box as an SVG viewBox attribute.
func (b Box) ViewBox() string {
	return strconv.Itoa(b.X) + " " + strconv.Itoa(b.Y) + " " + strconv.Itoa(b.Width) + " " + strconv.Itoa(b.Height)
}

// Pad grows the box by n units on every side.
func (b Box) Pad(n int) Box { return Box{b.X - n, b.Y - n, b.Width + 2*n, b.Height + 2*n} }

// BBoxOf returns the box around the given districts and Länder, to zoom a
// map onto them; false if none of the keys is known.
func (m *Map) BBoxOf(keys ...string) (Box, bool) {
	b, found := emptyBBox(), false
	for _, k := range keys {
		if kb, ok := m.boxes[k]; ok {
			b.union(kb)
			found = true
		}
	}
	if !found {
		return Box{}, false
	}
	return Box{b.minX, b.minY, b.maxX - b.minX, b.maxY - b.minY}, true
}

// feature is one area as read from GeoJSON, projected.
type feature struct {
	key, name string
	poly      polygon
}

func build() (*Map, error) {
	proj := newLCC()
	districts, err := readFeatures("data/kreise-vg5000-2021.geojson", proj)
	if err != nil {
		return nil, err
	}
	states, err := readFeatures("data/laender-vg5000-2021.geojson", proj)
	if err != nil {
		return nil, err
	}
	if len(districts) != 401 || len(states) != 16 {
		return nil, fmt.Errorf("geo: %d districts and %d Länder, want 401 and 16", len(districts), len(states))
	}
	idx := map[string]int{}
	for i, f := range districts {
		idx[f.key] = i
	}
	for from, into := range merged {
		i, ok1 := idx[from]
		j, ok2 := idx[into]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("geo: merger %s → %s: district missing", from, into)
		}
		districts[j].poly = dissolve(districts[j].poly, districts[i].poly)
	}

	all := slices.Concat(districts, states)
	polys := make([]polygon, len(all))
	lo, hi := point{math.Inf(1), math.Inf(1)}, point{math.Inf(-1), math.Inf(-1)}
	for i, f := range all {
		polys[i] = f.poly
		for _, r := range f.poly {
			for _, p := range r {
				lo = point{min(lo.x, p.x), min(lo.y, p.y)}
				hi = point{max(hi.x, p.x), max(hi.y, p.y)}
			}
		}
	}
	toGrid := func(p point) ipoint {
		return ipoint{int(math.Round((p.x-lo.x)*scale)) + margin, int(math.Round((p.y-lo.y)*scale)) + margin}
	}
	m := &Map{
		byKey:  make(map[string]Shape, len(all)),
		boxes:  make(map[string]bbox, len(all)),
		width:  int(math.Round((hi.x-lo.x)*scale)) + 2*margin,
		height: int(math.Round((hi.y-lo.y)*scale)) + 2*margin,
	}
	var buf []byte
	for i, poly := range simplifyAll(polys, tolerance/scale) {
		f := all[i]
		var rings [][]ipoint
		box := emptyBBox()
		for _, r := range poly {
			q := quantize(r, toGrid)
			// Rings that rounding flattens (islets of a few hundred metres)
			// would draw nothing.
			if len(q) < 3 || area2(q) == 0 {
				continue
			}
			rings = append(rings, q)
			for _, p := range q {
				box.add(p)
			}
		}
		if len(rings) == 0 {
			return nil, fmt.Errorf("geo: %s (%s) vanished in simplification", f.key, f.name)
		}
		buf = pathData(buf[:0], rings)
		s := Shape{Key: f.key, Name: f.name, D: string(buf)}
		m.byKey[s.Key] = s
		m.boxes[s.Key] = box
		switch {
		case i >= len(districts):
			m.states = append(m.states, s)
		case merged[s.Key] == "":
			m.districts = append(m.districts, s)
		}
	}
	byKey := func(a, b Shape) int { return cmp.Compare(a.Key, b.Key) }
	slices.SortFunc(m.districts, byKey)
	slices.SortFunc(m.states, byKey)
	return m, nil
}

// geoJSON is the part of a GeoJSON FeatureCollection the map needs.
type geoJSON struct {
	Features []struct {
		Properties struct {
			ARS string `json:"ARS"`
			GEN string `json:"GEN"`
		} `json:"properties"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// readFeatures reads an embedded GeoJSON file of Polygons and
// MultiPolygons and projects it.
func readFeatures(name string, proj lcc) ([]feature, error) {
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	var fc geoJSON
	if err := json.Unmarshal(b, &fc); err != nil {
		return nil, fmt.Errorf("geo: %s: %w", name, err)
	}
	out := make([]feature, 0, len(fc.Features))
	for _, f := range fc.Features {
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("geometry type %q", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("geo: %s: %s: %w", name, f.Properties.ARS, err)
		}
		ft := feature{key: f.Properties.ARS, name: f.Properties.GEN}
		for _, p := range polys {
			for _, r := range p {
				if len(r) > 1 && r[0] == r[len(r)-1] {
					r = r[:len(r)-1] // GeoJSON repeats the first position
				}
				if len(r) < 3 {
					continue
				}
				pr := make(ring, len(r))
				for i, c := range r {
					pr[i] = proj.project(c[0], c[1])
				}
				ft.poly = append(ft.poly, pr)
			}
		}
		out = append(out, ft)
	}
	return out, nil
}

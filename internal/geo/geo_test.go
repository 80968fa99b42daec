package geo

import (
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"rii/migrations"
)

// The size the page budget allows (DESIGN.md: a first visit well under
// 200 KB); the map is about 88 KB and 20 KB now.
const (
	maxDistrictBytes = 100_000
	maxStateBytes    = 25_000
)

func loadMap(t testing.TB) *Map {
	t.Helper()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// districtKeys returns the AGS of every row the regions migration inserts:
// the map must draw each district the database knows.
func districtKeys(t *testing.T) []string {
	t.Helper()
	sql, err := fs.ReadFile(migrations.FS(), "00004_regions.sql")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range regexp.MustCompile(`(?m)^\t\('(\d{5})', '(\d{2})', `).FindAllSubmatch(sql, -1) {
		keys = append(keys, string(m[1]))
	}
	if len(keys) != 401 {
		t.Fatalf("%d districts in the migration, want 401", len(keys))
	}
	return keys
}

func TestEveryDistrictHasAShape(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	keys := districtKeys(t)
	for _, k := range keys {
		if s, ok := m.Shape(k); !ok || s.D == "" || s.Name == "" || s.Key != k {
			t.Errorf("district %s: shape %+v, %v", k, s, ok)
		}
	}
	var current []string
	for _, s := range m.Districts() {
		current = append(current, s.Key)
	}
	want := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == "16056" })
	slices.Sort(want)
	if !slices.Equal(current, want) {
		t.Errorf("Districts() lists %d keys, want the %d current ones in order", len(current), len(want))
	}
	if wb, _ := m.Shape("16063"); wb.Name != "Wartburgkreis" {
		t.Errorf("16063 is %q", wb.Name)
	}
}

func TestStates(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	states := m.States()
	if len(states) != 16 {
		t.Fatalf("%d Länder, want 16", len(states))
	}
	for i, s := range states {
		if want := fmt.Sprintf("%02d", i+1); s.Key != want || s.D == "" {
			t.Errorf("Land %d: %+v", i, s)
		}
	}
	if states[0].Name != "Schleswig-Holstein" || states[15].Name != "Thüringen" {
		t.Errorf("names: %q … %q", states[0].Name, states[15].Name)
	}
	if _, ok := m.Shape("17"); ok {
		t.Error("Land 17 found")
	}
}

// parsePath reads path data as pathData writes it, strictly: M, l, h, v and
// z only, integer coordinates, each ring closed.
func parsePath(d string) ([][]ipoint, error) {
	var rings [][]ipoint
	var cur []ipoint
	var cmd byte
	var pos ipoint
	i := 0
	number := func() (int, error) {
		if i < len(d) && d[i] == ' ' {
			i++
		}
		j := i
		if i < len(d) && d[i] == '-' {
			i++
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j || d[j:i] == "-" {
			return 0, fmt.Errorf("number expected at %d", j)
		}
		return strconv.Atoi(d[j:i])
	}
	for i < len(d) {
		switch c := d[i]; c {
		case 'M', 'l', 'h', 'v', 'z':
			cmd = c
			i++
		case ' ', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			if cmd == 0 || cmd == 'z' || cmd == 'M' && len(cur) > 0 {
				return nil, fmt.Errorf("coordinates without a command at %d", i)
			}
		default:
			return nil, fmt.Errorf("unexpected %q at %d", c, i)
		}
		if cmd == 'z' {
			if len(cur) < 3 {
				return nil, fmt.Errorf("ring of %d points", len(cur))
			}
			rings, cur = append(rings, cur), nil
			continue
		}
		if cmd != 'M' && len(cur) == 0 {
			return nil, fmt.Errorf("%c before M", cmd)
		}
		x, err := number()
		if err != nil {
			return nil, err
		}
		switch cmd {
		case 'M':
			y, err := number()
			if err != nil {
				return nil, err
			}
			pos = ipoint{x, y}
		case 'l':
			y, err := number()
			if err != nil {
				return nil, err
			}
			pos = ipoint{pos.x + x, pos.y + y}
		case 'h':
			pos.x += x
		case 'v':
			pos.y += x
		}
		cur = append(cur, pos)
	}
	if len(cur) > 0 || len(rings) == 0 {
		return nil, fmt.Errorf("path not closed")
	}
	return rings, nil
}

func TestParsePath(t *testing.T) {
	t.Parallel()
	good := pathData(nil, [][]ipoint{{{10, 10}, {20, 10}, {20, 25}, {5, 30}}, {{1, 1}, {3, 1}, {2, -4}}})
	if string(good) != "M10 10h10v15l-15 5zM1 1h2l-1-5z" {
		t.Errorf("pathData = %s", good)
	}
	for d, ok := range map[string]bool{
		string(good): true, "M1 1l2 2 3-3z": true,
		"": false, "M1 1l2 2": false, "l1 1z": false, "M1 1L2 2 3 3z": false, "M1 1l2.5 2 3 3z": false,
		"M1 1l2 2 3z": false, "M1 1 2 2 3 3z": false, "M1 1l1 1z": false, "M1 1l2 2 3 3z4": false,
	} {
		if _, err := parsePath(d); (err == nil) != ok {
			t.Errorf("parsePath(%q): %v", d, err)
		}
	}
}

func TestPathsParseAndStayInTheViewBox(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	shapes := append(m.Districts(), m.States()...)
	eisenach, _ := m.Shape("16056")
	shapes = append(shapes, eisenach)
	for _, s := range shapes {
		rings, err := parsePath(s.D)
		if err != nil {
			t.Errorf("%s %s: %v", s.Key, s.Name, err)
			continue
		}
		for _, r := range rings {
			for _, p := range r {
				if p.x < 0 || p.y < 0 || p.x > m.width || p.y > m.height {
					t.Errorf("%s: %v outside the view box %s", s.Key, p, m.ViewBox())
				}
			}
		}
		if area(rings) == 0 {
			t.Errorf("%s: no area", s.Key)
		}
	}
	if m.ViewBox() != "0 0 1286 1743" {
		t.Errorf("view box %s", m.ViewBox())
	}
}

// area is twice the net area of a shape on the grid, in square units (an
// integer, so sums are exact): holes run against outer rings, so their
// signed areas subtract.
func area(rings [][]ipoint) int {
	a := 0
	for _, r := range rings {
		a += area2(r)
	}
	return max(a, -a)
}

func shapeArea(t *testing.T, m *Map, key string) int {
	s, _ := m.Shape(key)
	rings, err := parsePath(s.D)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return area(rings)
}

// Borders simplified as shared arcs leave neither gaps nor overlaps: the
// districts of a Land cover exactly its area, to the square unit. This also
// checks that the Wartburgkreis took in Eisenach.
func TestDistrictsTileTheirLand(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	sum := map[string]int{}
	for _, s := range m.Districts() {
		sum[s.Key[:2]] += shapeArea(t, m, s.Key)
	}
	total := 0
	for _, s := range m.States() {
		a := shapeArea(t, m, s.Key)
		total += a
		if sum[s.Key] != a {
			t.Errorf("%s: districts cover %d half units², the Land %d", s.Name, sum[s.Key], a)
		}
	}
	// The projection keeps areas within 0.3 %; Destatis counts 357 575 km²
	// (with some inland water that VG5000's land areas leave out).
	if km2 := float64(total) / 2 / (scale * scale); math.Abs(km2/357575-1) > 0.01 {
		t.Errorf("Germany drawn as %.0f km²", km2)
	}
	wb, eis := shapeArea(t, m, "16063"), shapeArea(t, m, "16056")
	if eis == 0 || wb < 10*eis {
		t.Errorf("Wartburgkreis %d half units², Eisenach %d", wb, eis)
	}
}

func TestNorthIsUpAndEastIsRight(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	center := func(key string) (int, int) {
		b, ok := m.BBoxOf(key)
		if !ok {
			t.Fatalf("no box for %s", key)
		}
		return b.X + b.Width/2, b.Y + b.Height/2
	}
	_, flensburgY := center("01001")
	_, muenchenY := center("09162")
	aachenX, _ := center("05334")
	goerlitzX, _ := center("14626")
	if flensburgY >= muenchenY || aachenX >= goerlitzX {
		t.Error("map upside down or mirrored")
	}
	// Germany is taller than wide: 868 × 639 km from Sylt to the Alps and
	// from Selfkant to Görlitz.
	if r := float64(m.height) / float64(m.width); r < 1.3 || r > 1.4 {
		t.Errorf("height/width = %.2f", r)
	}
}

func TestBBoxOf(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	by, ok := m.BBoxOf("09")
	if !ok || by.X < 0 || by.Y < m.height/2 || by.X+by.Width > m.width || by.Y+by.Height > m.height {
		t.Errorf("Bayern: %+v, %v", by, ok)
	}
	both, _ := m.BBoxOf("01001", "09162", "unknown")
	if both.Height < m.height/2 {
		t.Errorf("Flensburg to München: %+v", both)
	}
	if _, ok := m.BBoxOf("unknown"); ok {
		t.Error("box for an unknown key")
	}
	if got := (Box{10, 20, 30, 40}).Pad(5).ViewBox(); got != "5 15 40 50" {
		t.Errorf("padded view box %s", got)
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	m := loadMap(t)
	sum := func(shapes []Shape) (n int) {
		for _, s := range shapes {
			n += len(s.D)
		}
		return n
	}
	d, s := sum(m.Districts()), sum(m.States())
	t.Logf("path data: districts %d bytes, Länder %d bytes", d, s)
	if d > maxDistrictBytes || s > maxStateBytes {
		t.Errorf("path data: districts %d bytes (max %d), Länder %d (max %d)", d, maxDistrictBytes, s, maxStateBytes)
	}
}

func TestDouglasPeuckerKeepsRingsOpen(t *testing.T) {
	t.Parallel()
	// A flat closed ring keeps four points, however large the tolerance.
	r := []point{{0, 0}, {1, 0.1}, {2, 0}, {3, 0.1}, {4, 0}, {2, -0.1}, {0, 0}}
	if got := douglasPeucker(r, 10, false); len(got) != 5 {
		t.Errorf("closed arc kept %v", got)
	}
	open := []point{{0, 0}, {1, 0.1}, {2, 0}}
	if got := douglasPeucker(open, 10, false); len(got) != 2 {
		t.Errorf("open arc kept %v", got)
	}
	if got := douglasPeucker(open, 10, true); len(got) != 3 {
		t.Errorf("forced arc kept %v", got)
	}
}

func TestDissolve(t *testing.T) {
	t.Parallel()
	// Two unit squares side by side, both clockwise, become one rectangle.
	a := polygon{{{0, 0}, {0, 1}, {1, 1}, {1, 0}}}
	b := polygon{{{1, 0}, {1, 1}, {2, 1}, {2, 0}}}
	got := dissolve(a, b)
	if len(got) != 1 || len(got[0]) != 6 {
		t.Fatalf("dissolve = %v", got)
	}
	// An enclave and the hole it fills disappear together.
	outer := polygon{{{0, 0}, {0, 3}, {3, 3}, {3, 0}}, {{1, 1}, {2, 1}, {2, 2}, {1, 2}}}
	enclave := polygon{{{1, 1}, {1, 2}, {2, 2}, {2, 1}}}
	if got := dissolve(outer, enclave); len(got) != 1 || len(got[0]) != 4 {
		t.Errorf("dissolve with enclave = %v", got)
	}
}

func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		if _, err := build(); err != nil {
			b.Fatal(err)
		}
	}
}

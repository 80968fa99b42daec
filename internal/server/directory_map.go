package server

import (
	"slices"

	"rii/internal/geo"
	"rii/internal/store"
	"rii/web/components"
)

// directoryMap draws the Länder, or the districts of the one chosen Land,
// shaded by their initiatives under every filter but the regional ones.
func directoryMap(d directoryQuery, res *store.DirectoryPage, m *geo.Map) (mv components.MapView, intro, allStates string) {
	mv = components.MapView{ID: "karte-laender", Title: "Initiativen nach Ländern", ViewBox: m.ViewBox(),
		RegionLabel: "Land", Credit: geo.Credit}
	values, focus := res.States, ""
	if len(d.States) == 1 {
		focus = d.States[0]
		values = nil
		for _, v := range res.Districts {
			if v.Parent == focus {
				values = append(values, v)
			}
		}
	}
	var regions []components.MapRegion
	var counts []int
	for _, v := range values {
		href := d.regional([]string{v.Key}, nil).href("/initiativen")
		if focus != "" {
			href = d.regional([]string{focus}, []string{v.Key}).href("/initiativen")
		}
		regions = append(regions, components.MapRegion{Key: v.Key, Name: v.Name, Href: href, Count: v.MapCount})
		counts = append(counts, v.MapCount)
	}
	shadedMap(&mv, m, regions, counts, shadeLevels)
	intro = "Die Karte zeigt, wie viele Initiativen in jedem Land arbeiten. Sie berücksichtigt Ihren Suchbegriff und " +
		"die Filter nach Thema und Branche, nicht aber die Auswahl von Ländern und Kreisen. Eine Initiative, die in " +
		"mehreren Ländern arbeitet, zählt in jedem davon. Wählen Sie ein Land, um seine Kreise zu sehen."
	if focus != "" {
		name := focus
		if i := slices.IndexFunc(res.States, func(v store.FacetValue) bool { return v.Key == focus }); i >= 0 {
			name = res.States[i].Name
		}
		mv.ID, mv.Title, mv.RegionLabel = "karte-kreise", "Initiativen in den Kreisen: "+name, "Kreis"
		if box, ok := m.BBoxOf(focus); ok {
			mv.ViewBox = box.Pad(6).ViewBox()
		}
		if shape, ok := m.Shape(focus); ok {
			mv.Outlines = []string{shape.D}
		}
		intro = "Die Karte zeigt, wie viele Initiativen in jedem Kreis des Landes " + name + " arbeiten – mit Ihrem " +
			"Suchbegriff und den Filtern nach Thema und Branche, ohne die Auswahl von Kreisen."
		allStates = d.regional(nil, nil).href("/initiativen")
	}
	return mv, intro, allStates
}

// shadedMap gives mv those of regions that m has a shape for, with their
// outline, shaded by their values (one per region) into the classes and
// legend of shadeBy.
func shadedMap(mv *components.MapView, m *geo.Map, regions []components.MapRegion, values []int,
	shadeBy func([]int) ([]int, []components.MapLegendItem)) {
	var kept []int
	for i, reg := range regions {
		shape, ok := m.Shape(reg.Key)
		if !ok {
			continue
		}
		reg.D = shape.D
		mv.Regions = append(mv.Regions, reg)
		kept = append(kept, values[i])
	}
	levels, legend := shadeBy(kept)
	for i := range mv.Regions {
		mv.Regions[i].Level = levels[i]
	}
	mv.Legend = legend
}

// shadeLevels shades counts of initiatives: "1 Initiative", "2 bis 3
// Initiativen".
func shadeLevels(counts []int) ([]int, []components.MapLegendItem) {
	return shade(counts, func(prev, upper int) string {
		if prev+1 < upper {
			return thousands(prev+1) + " bis " + thousands(upper) + " Initiativen"
		}
		return initiativesCount(upper)
	})
}

// shade puts values into shading classes (shadeClasses) and describes them
// for the legend: "keine Initiative" for none, then label(the largest value
// of the class before or 0, the class's largest value).
func shade(values []int, label func(prev, upper int) string) ([]int, []components.MapLegendItem) {
	levels, upper, zero := shadeClasses(values)
	var legend []components.MapLegendItem
	if zero {
		legend = append(legend, components.MapLegendItem{Level: 0, Label: "keine Initiative"})
	}
	prev := 0
	for k, u := range upper {
		legend = append(legend, components.MapLegendItem{Level: k + 1, Label: label(prev, u)})
		prev = u
	}
	return levels, legend
}

// shadeClasses puts values into shading classes: 0 for none (zero
// reports whether there is one), then up to five classes over the distinct
// positive values; upper holds each class's largest value.
func shadeClasses(values []int) (levels, upper []int, zero bool) {
	var distinct []int
	for _, c := range values {
		if c <= 0 {
			zero = true
		} else if !slices.Contains(distinct, c) {
			distinct = append(distinct, c)
		}
	}
	slices.Sort(distinct)
	classes := min(5, len(distinct))
	upper = make([]int, classes)
	for k := range classes {
		upper[k] = distinct[((k+1)*len(distinct)+classes-1)/classes-1]
	}
	levels = make([]int, len(values))
	for i, c := range values {
		for k, u := range upper {
			if c > 0 && c <= u {
				levels[i] = k + 1
				break
			}
		}
	}
	return levels, upper, zero
}

// initiativesCount is "keine Initiative", "1 Initiative", "12 Initiativen".
func initiativesCount(n int) string {
	switch n {
	case 0:
		return "keine Initiative"
	case 1:
		return "1 Initiative"
	}
	return thousands(n) + " Initiativen"
}

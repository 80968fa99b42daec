package components

import "strconv"

// TableRows splits the regions for the table: those with initiatives,
// listed at once, and the empty ones, behind "alle anzeigen". When no
// region has any, all are listed at once.
func (m MapView) TableRows() (listed, empty []MapRegion) {
	for _, r := range m.Regions {
		if r.Count > 0 {
			listed = append(listed, r)
		} else {
			empty = append(empty, r)
		}
	}
	if len(listed) == 0 {
		return empty, nil
	}
	return listed, empty
}

// EmptyLabel is the summary of the hidden rows: "Alle 53 Kreise anzeigen
// (auch die 41 ohne Initiative)".
func (m MapView) EmptyLabel(empty int) string {
	noun := "Regionen"
	switch m.RegionLabel {
	case "Kreis":
		noun = "Kreise"
	case "Land":
		noun = "Länder"
	}
	return "Alle " + strconv.Itoa(len(m.Regions)) + " " + noun + " anzeigen (auch die " + strconv.Itoa(empty) +
		" ohne Initiative)"
}

package server

import (
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// The region choice of the initiative form: 16 Länder with their districts,
// the chosen ones first, a whole Land in one tick (field "kreise_land").

// regionPicker builds the choice from the current districts, the chosen
// AGS and the search typed, which narrows the Länder to what matches.
func regionPicker(districts []store.District, chosen map[string]bool, query string) pages.RegionPicker {
	query = strings.TrimSpace(query)
	p := pages.RegionPicker{Query: query, Searched: query != ""}
	var lands []*pages.RegionLand
	byCode := map[string]*pages.RegionLand{}
	var single []store.District // chosen districts of Länder not chosen whole
	for _, d := range districts {
		l := byCode[d.StateCode]
		if l == nil {
			l = &pages.RegionLand{Code: d.StateCode, Name: d.StateName}
			byCode[d.StateCode] = l
			lands = append(lands, l)
		}
		l.Total++
		if chosen[d.AGS] {
			l.Chosen++
		}
	}
	german := collate.New(language.German)
	slices.SortFunc(lands, func(a, b *pages.RegionLand) int { return german.CompareString(a.Name, b.Name) })
	for _, d := range districts {
		l := byCode[d.StateCode]
		l.AllChosen = l.Chosen == l.Total
		switch key := regionKey(d.DisplayName + " " + d.Kind); {
		case chosen[d.AGS] && !l.AllChosen:
			single = append(single, d)
		case chosen[d.AGS]:
		case !p.Searched || strings.Contains(key, spellUmlauts(query)) || strings.Contains(key, dropUmlauts(query)):
			l.Districts = append(l.Districts, pages.RegionDistrict{AGS: d.AGS, Name: d.DisplayName, Key: key})
		}
	}
	for _, l := range lands {
		if l.AllChosen {
			p.Chosen = append(p.Chosen, pages.RegionChoice{Field: "kreise_land", Value: l.Code, Label: l.Name + " – alle Kreise"})
		}
		p.Found += len(l.Districts)
		l.Open = p.Searched && len(l.Districts) > 0
		if !p.Searched || len(l.Districts) > 0 {
			p.Lands = append(p.Lands, *l)
		}
	}
	slices.SortStableFunc(single, func(a, b store.District) int {
		return german.CompareString(a.StateName, b.StateName)
	})
	for _, d := range single {
		p.Chosen = append(p.Chosen, pages.RegionChoice{Field: "kreise", Value: d.AGS, Label: d.DisplayName + " (" + d.StateName + ")"})
	}
	return p
}

// regionKey is a name as the search compares it, in lower case with its
// umlauts spelt out ("loerrach") and dropped ("lorrach"), so "Lörrach",
// "Loerrach" and "Lorrach" all find it; picker.js compares the same way.
func regionKey(s string) string { return spellUmlauts(s) + " | " + dropUmlauts(s) }

var (
	umlautSpeller = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e")
	umlautDropper = strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "ß", "ss", "é", "e", "è", "e")
)

func spellUmlauts(s string) string { return umlautSpeller.Replace(strings.ToLower(s)) }
func dropUmlauts(s string) string  { return umlautDropper.Replace(strings.ToLower(s)) }

// expandLands adds every district of each Land ticked whole (field
// "kreise_land") to the chosen districts of f; an unknown Land is an
// error at the field.
func expandLands(f *components.Form, lands []string, districts []store.District) {
	chosen := strings.Split(f.Value("kreise"), "\n")
	if f.Value("kreise") == "" {
		chosen = nil
	}
	for _, code := range lands {
		n := 0
		for _, d := range districts {
			if d.StateCode == code {
				chosen = append(chosen, d.AGS)
				n++
			}
		}
		if n == 0 {
			f.Fail("kreise", "Bitte wählen Sie nur Länder aus der Liste.")
		}
	}
	f.Values["kreise"] = strings.Join(dedupe(chosen), "\n")
}

package server

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"rii/internal/store"
	"rii/web/components"
)

// Pickers choose some of hundreds of initiatives or contact persons by
// search (components.Picker). Without JavaScript, the search button sends
// the whole form back: the handler sees pickerRoundTrip and shows the form
// again with every input kept, the results of each picker's query to tick,
// and nothing saved.

// pickResults is how many results a picker shows for a query.
const pickResults = 20

// pickSource is what a picker chooses from.
type pickSource struct {
	find  func(ctx context.Context, q string, limit int) ([]store.PickItem, error)
	items func(ctx context.Context, ids []int64) ([]store.PickItem, error)
	// none says that nothing bears the name typed: "Keine Initiative heißt".
	none string
	// notice is a remark on an item, e.g. that it will not appear
	// publicly; nil for none.
	notice func(store.PickItem) string
}

func (s *Server) initiativePicks() pickSource {
	return pickSource{find: s.store.FindInitiatives, items: s.store.InitiativeItems, none: "Keine Initiative im Verzeichnis heißt"}
}

func (s *Server) contactPicks() pickSource {
	return pickSource{find: s.store.FindContacts, items: s.store.ContactItems, none: "Keine Ansprechperson heißt",
		notice: func(it store.PickItem) string {
			if it.Visibility == store.VisibilityPublic {
				return ""
			}
			return notPublicMark + " (sichtbar: " + visibilityLabel(it.Visibility) + ")"
		}}
}

// pick is a picker's state as posted (or as stored, for a fresh form).
type pick struct {
	name  string
	ids   []int64 // chosen, in the order first seen, each once
	query string
	shown map[int64]bool   // the results the page showed
	take  int64            // the "Meinten Sie …?" button, 0 if not pressed
	extra map[int64]string // the chosen items' text inputs
	bad   bool             // a value that is no id
}

// newPick is a picker with ids chosen and no query.
func newPick(name string, ids []int64, extra map[int64]string) pick {
	p := pick{name: name, shown: map[int64]bool{}, extra: extra}
	for _, id := range ids {
		p.add(id)
	}
	if p.extra == nil {
		p.extra = map[int64]string{}
	}
	return p
}

func (p *pick) add(id int64) {
	for _, x := range p.ids {
		if x == id {
			return
		}
	}
	p.ids = append(p.ids, id)
}

// readPick reads the picker name from a posted form.
func readPick(pf url.Values, name string) pick {
	p := newPick(name, nil, nil)
	v := components.Picker{Name: name}
	for _, raw := range pf[name] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			p.bad = true
			continue
		}
		p.add(id)
		if x, ok := pf[components.PickerExtraName(name, raw)]; ok && len(x) > 0 {
			p.extra[id] = x[0]
		}
	}
	for _, raw := range pf[v.ShownName()] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			p.shown[id] = true
		}
	}
	p.take, _ = strconv.ParseInt(pf.Get(v.TakeName()), 10, 64)
	p.query = strings.TrimSpace(cleanQuery(pf.Get(v.QueryName()), 200))
	return p
}

// pickerRoundTrip reports whether the post asks a picker to search or to
// take a suggestion, rather than to save the form.
func pickerRoundTrip(pf url.Values) bool {
	if pf.Has(components.PickerSearchButton) {
		return true
	}
	for k := range pf {
		if strings.HasSuffix(k, "_waehlen") {
			return true
		}
	}
	return false
}

// settlePick finds the query's results and the chosen items' names. When
// saving, a query left in the field must be answered: by ticking one of
// its results (one is chosen), or by naming one item exactly (up to case,
// accents and punctuation), which is then chosen; otherwise the picker
// carries an error with the closest name as "Meinten Sie …?".
func (s *Server) settlePick(ctx context.Context, src pickSource, p *pick, saving bool) (components.Picker, error) {
	v := components.Picker{Name: p.name}
	if p.take > 0 {
		p.add(p.take)
		p.query = ""
	}
	var found []store.PickItem
	if p.query != "" {
		var err error
		if found, err = src.find(ctx, p.query, pickResults+1); err != nil {
			return v, err
		}
	}
	if saving && p.query != "" && !p.answered(found) {
		if len(found) > 0 && found[0].Exact && (len(found) == 1 || !found[1].Exact) {
			p.add(found[0].ID)
			p.query, found = "", nil
		} else {
			v.Error = src.none + " „" + p.query + "“. Bitte wählen Sie einen Treffer aus der Liste oder leeren Sie das Suchfeld."
		}
	}
	chosen, err := src.items(ctx, p.ids)
	if err != nil {
		return v, err
	}
	if p.bad || len(chosen) != len(p.ids) {
		v.Error = "Bitte wählen Sie nur Einträge aus der Liste."
	}
	byID := map[int64]store.PickItem{}
	for _, it := range chosen {
		byID[it.ID] = it
	}
	for _, id := range p.ids { // in the order chosen: the order on stage
		if it, ok := byID[id]; ok {
			v.Chosen = append(v.Chosen, src.item(it, p.extra[id]))
		}
	}
	v.Query, v.Searched, v.More = p.query, p.query != "", len(found) > pickResults
	exact := false
	for i, it := range found {
		exact = exact || it.Exact
		if _, chosen := byID[it.ID]; i < pickResults && !chosen {
			v.Results = append(v.Results, src.item(it, ""))
		}
	}
	if !exact && len(v.Results) > 0 {
		v.Suggestion = &v.Results[0]
	}
	return v, nil
}

// answered reports whether the query has been answered by choosing: a
// result the page showed, or one the query finds, is chosen.
func (p *pick) answered(found []store.PickItem) bool {
	for _, it := range found {
		p.shown[it.ID] = true
	}
	for _, id := range p.ids {
		if p.shown[id] {
			return true
		}
	}
	return false
}

func (src pickSource) item(it store.PickItem, extra string) components.PickerItem {
	out := components.PickerItem{Value: itoa(it.ID), Label: it.Name, Detail: it.Detail, Extra: extra}
	if src.notice != nil {
		out.Notice = src.notice(it)
	}
	return out
}

// chosenIDs are the ids a settled picker chose: those it could name.
func chosenIDs(v components.Picker) []int64 {
	ids := make([]int64, 0, len(v.Chosen))
	for _, it := range v.Chosen {
		id, _ := strconv.ParseInt(it.Value, 10, 64)
		ids = append(ids, id)
	}
	return ids
}

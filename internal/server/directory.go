package server

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"

	"rii/internal/geo"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/layout"
	"rii/web/pages"
	"rii/web/paths"
)

// directoryPerPage is the number of initiatives per page of the list.
const directoryPerPage = 20

// maxFilterValues bounds the values of one facet in a query.
const maxFilterValues = 20

// Query parameters of the directory, its map links and the open data.
const (
	paramQuery    = "q"
	paramState    = "land"
	paramDistrict = "kreis"
	paramTopic    = "thema"
	paramSector   = "branche"
	paramSort     = "sortierung"
)

var (
	stateCode = regexp.MustCompile(`^(0[1-9]|1[0-6])$`)
	agsCode   = regexp.MustCompile(`^[0-9]{5}$`)
	slugCode  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// sorts maps the sortierung values to store orders; "" picks relevance
// with a search term, name without.
var sorts = map[string]store.DirectorySort{
	"relevanz": store.SortRelevance, "name": store.SortName, "neu": store.SortNewest, "aktualisiert": store.SortUpdated,
}

// directoryQuery is the directory's query string, parsed: only values of
// the right shape survive, so anything else is ignored, never an error.
type directoryQuery struct {
	Q                                  string // cleaned, as shown again
	States, Districts, Topics, Sectors []string
	Sort                               string // a key of sorts, or ""
	Page                               int
}

// parseDirectoryQuery reads the query of /initiativen (and the downloads).
func parseDirectoryQuery(v url.Values) directoryQuery {
	pick := func(name string, re *regexp.Regexp, maxLen int) []string {
		var out []string
		for _, s := range v[name] {
			if len(s) <= maxLen && re.MatchString(s) && !slices.Contains(out, s) && len(out) < maxFilterValues {
				out = append(out, s)
			}
		}
		return out
	}
	d := directoryQuery{
		Q:         cleanQuery(v.Get(paramQuery), 200),
		States:    pick(paramState, stateCode, 2),
		Districts: pick(paramDistrict, agsCode, 5),
		Topics:    pick(paramTopic, slugCode, 60),
		Sectors:   pick(paramSector, slugCode, 60),
		Page:      components.ParsePage(v),
	}
	if _, ok := sorts[v.Get(paramSort)]; ok {
		d.Sort = v.Get(paramSort)
	}
	return d
}

// filter is the store filter of the query, without paging.
func (d directoryQuery) filter() store.DirectoryFilter {
	f := store.DirectoryFilter{Terms: store.SearchTerms(d.Q), States: d.States, Districts: d.Districts,
		Topics: d.Topics, Sectors: d.Sectors, Sort: store.SortName}
	if s, ok := sorts[d.Sort]; ok {
		f.Sort = s
	} else if !f.Terms.Empty() {
		f.Sort = store.SortRelevance
	}
	return f
}

// values encodes the query canonically, without the page.
func (d directoryQuery) values() url.Values {
	v := url.Values{}
	if d.Q != "" {
		v.Set(paramQuery, d.Q)
	}
	for name, list := range map[string][]string{paramState: d.States, paramDistrict: d.Districts, paramTopic: d.Topics, paramSector: d.Sectors} {
		if len(list) > 0 {
			v[name] = slices.Clone(list)
		}
	}
	if d.Sort != "" {
		v.Set(paramSort, d.Sort)
	}
	return v
}

// href is the URL of path with the query (first page).
func (d directoryQuery) href(path string) string {
	if q := d.values().Encode(); q != "" {
		return path + "?" + q
	}
	return path
}

// hasFacets reports whether any facet value is chosen.
func (d directoryQuery) hasFacets() bool {
	return len(d.States)+len(d.Districts)+len(d.Topics)+len(d.Sectors) > 0
}

// regional is the query with the regional filters replaced.
func (d directoryQuery) regional(states, districts []string) directoryQuery {
	d.States, d.Districts, d.Page = states, districts, 1
	return d
}

// listDirectory is /initiativen: search, facets, results, map.
func (s *Server) listDirectory(w http.ResponseWriter, r *http.Request) error {
	d := parseDirectoryQuery(r.URL.Query())
	f := d.filter()
	f.Limit, f.Offset = directoryPerPage, (d.Page-1)*directoryPerPage
	res, err := s.store.Directory(r.Context(), f)
	if err != nil {
		return err
	}
	m, err := geo.Load()
	if err != nil {
		return err
	}
	frame := s.frame(r, pagedTitle("Initiativen", d.Page))
	frame.Description = "Verzeichnis der regionalen Industrieinitiativen in Deutschland: Suche, Filter nach Land, Kreis, Thema und Branche, Karte und offene Daten."
	v := directoryView(frame, d, res, m)
	if v.Suggestion, err = s.suggestion(r.Context(), d.Q, func(word string) string {
		d.Q = word
		return d.href("/initiativen")
	}); err != nil {
		return err
	}
	return s.render(w, r, pages.Directory(v))
}

// directoryView builds the list page: facets, chosen filters, cards, map.
func directoryView(frame layout.Frame, d directoryQuery, res *store.DirectoryPage, m *geo.Map) pages.DirectoryView {
	d = d.known(res)
	v := pages.DirectoryView{Frame: frame, Query: d.Q, Heading: resultsHeading(res.Total),
		CSVHref: d.href("/initiativen.csv"), JSONHref: d.href("/initiativen.json"), OpenDataDescription: "/initiativen/offene-daten"}
	v.SortOptions = sortOptions(d)
	for name, list := range map[string][]string{paramState: d.States, paramDistrict: d.Districts, paramTopic: d.Topics, paramSector: d.Sectors} {
		for _, val := range list {
			v.SearchHidden = append(v.SearchHidden, pages.HiddenField{Name: name, Value: val})
		}
	}
	slices.SortFunc(v.SearchHidden, func(a, b pages.HiddenField) int { return cmpHidden(a, b) })
	if d.Q != "" {
		v.FilterHidden = append(v.FilterHidden, pages.HiddenField{Name: paramQuery, Value: d.Q})
	}
	if d.Sort != "" {
		v.FilterHidden = append(v.FilterHidden, pages.HiddenField{Name: paramSort, Value: d.Sort})
	}
	v.Facets = facetGroups(d, res)
	v.Active = activeFilters(d, res)
	if d.hasFacets() {
		reset := d.regional(nil, nil)
		reset.Topics, reset.Sectors = nil, nil
		v.ResetHref = reset.href("/initiativen")
	}
	for _, e := range res.Entries {
		v.Cards = append(v.Cards, pages.DirectoryCard{Name: e.Name, Href: paths.Initiative(e.Slug),
			ShortDescription: e.ShortDescription, States: joinComma(e.States), Topics: joinComma(e.Topics)})
	}
	base := url.URL{Path: "/initiativen", RawQuery: d.values().Encode()}
	v.Pager = components.NewPager(base, d.Page, directoryPerPage, res.Total)
	if len(v.Cards) == 0 && res.Total > 0 {
		v.FirstPageHref = d.href("/initiativen")
	}
	if v.Pager.Pages > 1 {
		v.Page = "Seite " + strconv.Itoa(d.Page) + " von " + strconv.Itoa(v.Pager.Pages)
	}
	v.Map, v.MapIntro, v.AllStatesHref = directoryMap(d, res, m)
	return v
}

// known drops the facet values the directory does not know (the store
// ignored them), so links and hidden fields carry only what applies.
func (d directoryQuery) known(res *store.DirectoryPage) directoryQuery {
	keep := func(list []string, values []store.FacetValue) []string {
		var out []string
		for _, k := range list {
			if slices.ContainsFunc(values, func(v store.FacetValue) bool { return v.Key == k }) {
				out = append(out, k)
			}
		}
		return out
	}
	d.States, d.Districts = keep(d.States, res.States), keep(d.Districts, res.Districts)
	d.Topics, d.Sectors = keep(d.Topics, res.Topics), keep(d.Sectors, res.Sectors)
	return d
}

func cmpHidden(a, b pages.HiddenField) int {
	if a.Name != b.Name {
		if a.Name < b.Name {
			return -1
		}
		return 1
	}
	if a.Value < b.Value {
		return -1
	}
	if a.Value > b.Value {
		return 1
	}
	return 0
}

// resultsHeading is "Keine Initiative gefunden", "1 Initiative gefunden",
// "1.234 Initiativen gefunden".
func resultsHeading(n int) string {
	switch n {
	case 0:
		return "Keine Initiative gefunden"
	case 1:
		return "1 Initiative gefunden"
	}
	return thousands(n) + " Initiativen gefunden"
}

// thousands writes n with German thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// sortOptions offers the orders. The default is automatic (relevance with
// a search term, name without), so a new search term is not held to the
// order chosen for the previous list.
func sortOptions(d directoryQuery) []components.Option {
	opts := []components.Option{{Value: "", Label: "Automatisch (bei Suche nach Relevanz, sonst A–Z)", Selected: d.Sort == ""}}
	for _, o := range []components.Option{{Value: "relevanz", Label: "Relevanz"}, {Value: "name", Label: "Name (A–Z)"},
		{Value: "neu", Label: "Neueste zuerst"}, {Value: "aktualisiert", Label: "Zuletzt aktualisiert"}} {
		if o.Value == "relevanz" && d.Sort != "relevanz" && store.SearchTerms(d.Q).Empty() {
			continue
		}
		o.Selected = o.Value == d.Sort
		opts = append(opts, o)
	}
	return opts
}

// facetGroups builds the four facets. Values without results are left
// out unless chosen. Districts: those of the chosen Länder, or the ten
// with most initiatives, most first.
func facetGroups(d directoryQuery, res *store.DirectoryPage) []pages.FacetGroup {
	group := func(name, legend string, values []store.FacetValue, chosen []string) pages.FacetGroup {
		g := pages.FacetGroup{Name: name, Legend: legend, Open: len(chosen) > 0}
		for _, v := range values {
			sel := slices.Contains(chosen, v.Key)
			if v.Count > 0 || sel {
				g.Options = append(g.Options, pages.FacetOption{ID: "filter-" + name + "-" + v.Key, Value: v.Key,
					Label: v.Name, Count: thousands(v.Count), CountLabel: initiativesCount(v.Count), Selected: sel})
			}
		}
		return g
	}
	var districts []store.FacetValue
	for _, v := range res.Districts {
		if slices.Contains(d.Districts, v.Key) || v.Count > 0 && (len(d.States) == 0 || slices.Contains(d.States, v.Parent)) {
			districts = append(districts, v)
		}
	}
	slices.SortStableFunc(districts, func(a, b store.FacetValue) int { return b.Count - a.Count })
	limit, hint := 30, "Die Kreise mit den meisten Initiativen in den gewählten Ländern."
	if len(d.States) == 0 {
		limit, hint = 10, "Die zehn Kreise mit den meisten Initiativen. Wählen Sie ein Land, um seine Kreise zu sehen."
	}
	var top, more []store.FacetValue
	for i, v := range districts {
		if i < limit || slices.Contains(d.Districts, v.Key) {
			top = append(top, v)
		} else {
			more = append(more, v)
		}
	}
	kreis := group(paramDistrict, "Kreis", top, d.Districts)
	kreis.Hint, kreis.Open = hint, len(d.States)+len(d.Districts) > 0
	if len(more) > 0 {
		kreis.More = group(paramDistrict, "", more, nil).Options
		kreis.MoreLabel = "Alle " + strconv.Itoa(len(districts)) + " Kreise mit Initiativen anzeigen"
	}
	return []pages.FacetGroup{
		group(paramState, "Land", res.States, d.States),
		kreis,
		group(paramTopic, "Thema", res.Topics, d.Topics),
		group(paramSector, "Branche", res.Sectors, d.Sectors),
	}
}

// activeFilters lists the search term and every chosen value, each with
// the link that drops it.
func activeFilters(d directoryQuery, res *store.DirectoryPage) []pages.ActiveFilter {
	var out []pages.ActiveFilter
	if d.Q != "" {
		without := d
		without.Q, without.Page = "", 1
		if without.Sort == "relevanz" {
			without.Sort = ""
		}
		out = append(out, pages.ActiveFilter{Label: "Suchbegriff: „" + d.Q + "“", RemoveHref: without.href("/initiativen")})
	}
	add := func(prefix string, chosen []string, values []store.FacetValue, drop func(directoryQuery, []string) directoryQuery) {
		for _, v := range values {
			if slices.Contains(chosen, v.Key) {
				rest := slices.DeleteFunc(slices.Clone(chosen), func(k string) bool { return k == v.Key })
				out = append(out, pages.ActiveFilter{Label: prefix + v.Name, RemoveHref: drop(d, rest).href("/initiativen")})
			}
		}
	}
	add("Land: ", d.States, res.States, func(q directoryQuery, l []string) directoryQuery { q.States = l; return q })
	add("Kreis: ", d.Districts, res.Districts, func(q directoryQuery, l []string) directoryQuery { q.Districts = l; return q })
	add("Thema: ", d.Topics, res.Topics, func(q directoryQuery, l []string) directoryQuery { q.Topics = l; return q })
	add("Branche: ", d.Sectors, res.Sectors, func(q directoryQuery, l []string) directoryQuery { q.Sectors = l; return q })
	return out
}

// joinComma joins the non-empty parts with ", ".
func joinComma(parts []string) string {
	out := ""
	for _, p := range parts {
		if p != "" && out != "" {
			out += ", "
		}
		out += p
	}
	return out
}

package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// Limits of the search page.
const (
	searchMaxLen  = 200 // characters of a query
	searchTop     = 5   // hits per group in the overview
	searchPerPage = 20  // hits per page of one group
)

// searchGroup is a group of results: its value of ?art=, its heading, and
// its noun for "Alle 12 … anzeigen".
type searchGroup struct {
	Slug, Label, Noun string
}

// searchGroups are indexed by store.SearchGroup.
var searchGroups = []searchGroup{
	store.GroupInitiatives: {"initiativen", "Initiativen", "Initiativen"},
	store.GroupEvents:      {"veranstaltungen", "Veranstaltungen", "Veranstaltungen"},
	store.GroupWorkshops:   {"workshops", "Workshops und Ergebnisse", "Workshops"},
	store.GroupReports:     {"berichte", "Berichte", "Berichte"},
}

// searchRequest is the query string of /suche, parsed.
type searchRequest struct {
	Q     string // cleaned: valid UTF-8, no control characters
	Group int    // index of searchGroups, -1 for all
	Page  int
}

// parseSearch reads ?q=, ?art= and ?seite=; an unknown art is all groups.
func parseSearch(v url.Values) searchRequest {
	req := searchRequest{Q: cleanQuery(v.Get("q"), 4*searchMaxLen), Group: -1, Page: components.ParsePage(v)}
	for i, g := range searchGroups {
		if v.Get("art") == g.Slug {
			req.Group = i
		}
	}
	return req
}

// href is the URL of the search with this query, group and page.
func (req searchRequest) href(group, page int) string {
	v := url.Values{"q": {req.Q}}
	if group >= 0 {
		v.Set("art", searchGroups[group].Slug)
	}
	if page > 1 {
		v.Set("seite", strconv.Itoa(page))
	}
	return "/suche?" + v.Encode()
}

// query is the store query: the top hits of every group, or one page of one.
func (req searchRequest) query() store.SearchQuery {
	q := store.SearchQuery{Text: req.Q}
	for i := range searchGroups {
		switch {
		case req.Group < 0:
			q.Limits[i] = searchTop
		case req.Group == i:
			q.Limits[i], q.Offsets[i] = searchPerPage, (req.Page-1)*searchPerPage
		}
	}
	return q
}

// showSearch is /suche: one search over initiatives, events, workshops
// and reports. Without a query it explains the search; a query longer
// than searchMaxLen is refused (422) with the message at the field.
func (s *Server) showSearch(w http.ResponseWriter, r *http.Request) error {
	req := parseSearch(r.URL.Query())
	frame := s.frame(r, "Suche")
	frame.Description = "Suche im RII-Portal: Initiativen, Veranstaltungen, Workshops mit ihren Ergebnissen und Berichte."
	v := pages.SearchView{Frame: frame, Form: components.NewForm(), Groups: searchOptions(req.Group)}
	v.Form.Values["q"] = req.Q
	if req.Q == "" {
		return s.render(w, r, pages.Search(v))
	}
	if utf8.RuneCountInString(req.Q) > searchMaxLen {
		v.Form.Fail("q", "Der Suchbegriff ist zu lang: Bitte geben Sie höchstens "+strconv.Itoa(searchMaxLen)+
			" Zeichen ein.")
		v.Title = "Fehler: " + frame.Title
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.Search(v))
	}
	res, err := s.store.Search(r.Context(), req.query())
	if err != nil {
		return err
	}
	v.Results = searchResults(req, res)
	if v.Results.Suggestion, err = s.suggestion(r.Context(), req.Q, func(word string) string {
		return searchRequest{Q: word, Group: req.Group, Page: 1}.href(req.Group, 1)
	}); err != nil {
		return err
	}
	v.Title = "Suche nach „" + truncate(req.Q, 60) + "“"
	if req.Group >= 0 {
		v.Title = pagedTitle(v.Title, req.Page)
	}
	return s.render(w, r, pages.Search(v))
}

// searchOptions are the choices of the group select.
func searchOptions(chosen int) []components.Option {
	opts := []components.Option{{Value: "", Label: "Alle Bereiche", Selected: chosen < 0}}
	for i, g := range searchGroups {
		opts = append(opts, components.Option{Value: g.Slug, Label: g.Label, Selected: chosen == i})
	}
	return opts
}

// searchResults builds the summary and the groups of a search.
func searchResults(req searchRequest, res *store.SearchResult) *pages.SearchResults {
	out := &pages.SearchResults{Query: req.Q, Total: res.Total(), Heading: hitsHeading(res.Total(), req.Q)}
	if req.Group >= 0 {
		out.AllHref = req.href(-1, 1)
	}
	for i, g := range searchGroups {
		n := res.Counts[i]
		sg := pages.SearchGroup{ID: g.Slug, Label: g.Label, Count: thousands(n), CountLabel: hitsCount(n)}
		if n > 0 {
			sg.Href = "#" + g.Slug
			if req.Group >= 0 && req.Group != i {
				sg.Href = req.href(i, 1)
			}
		}
		for _, h := range res.Hits[i] {
			sg.Hits = append(sg.Hits, searchHitView(h))
		}
		if req.Group < 0 && n > searchTop {
			sg.MoreHref, sg.MoreLabel = req.href(i, 1), "Alle "+thousands(n)+" "+g.Noun+" anzeigen"
		}
		if req.Group == i {
			base := url.URL{Path: "/suche", RawQuery: url.Values{"q": {req.Q}, "art": {g.Slug}}.Encode()}
			sg.Pager = components.NewPager(base, req.Page, searchPerPage, n)
			if len(sg.Hits) == 0 && n > 0 {
				sg.FirstPageHref = req.href(i, 1)
			}
		}
		if req.Group < 0 || req.Group == i {
			out.Shown = append(out.Shown, sg)
		}
		out.Summary = append(out.Summary, sg)
	}
	return out
}

// searchHitView turns a hit into its entry: link, what and when, excerpt.
func searchHitView(h store.SearchHit) pages.SearchHit {
	v := pages.SearchHit{Title: h.Title}
	for _, sp := range h.Excerpt {
		v.Excerpt = append(v.Excerpt, pages.Span{Text: sp.Text, Mark: sp.Mark})
	}
	switch h.Group {
	case store.GroupInitiatives:
		v.Href, v.Meta = paths.Initiative(h.Slug), "Initiative"
		if len(h.States) > 0 {
			v.Meta += " · " + joinComma(h.States)
		}
	case store.GroupEvents:
		v.Href, v.Meta = paths.Event(h.Slug), event.Label(event.Kinds, h.Kind)+" · "+hitDay(h.At)
		if h.Status == event.StatusCancelled {
			v.Meta += " · abgesagt"
		}
	case store.GroupWorkshops:
		v.Href = paths.Event(h.Slug) + "#workshop-" + itoa(h.ID)
		v.Meta = "Workshop bei „" + h.EventTitle + "“ · " + hitDay(h.At)
	case store.GroupReports:
		v.Href, v.Meta = paths.Report(h.Slug), "Bericht zu „"+h.EventTitle+"“ · veröffentlicht am "+hitDay(h.At)
	}
	return v
}

// hitsHeading is "Keine Treffer für „…“", "1 Treffer für „…“".
func hitsHeading(n int, q string) string {
	if n == 0 {
		return "Keine Treffer für „" + q + "“"
	}
	return thousands(n) + " Treffer für „" + q + "“"
}

// hitsCount is how a group's count is read out: "3 Treffer".
func hitsCount(n int) string {
	if n == 0 {
		return "keine Treffer"
	}
	return thousands(n) + " Treffer"
}

// hitDay is germanDay of a hit's date; "" for nil.
func hitDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return germanDay(*t)
}

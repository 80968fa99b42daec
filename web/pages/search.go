package pages

import (
	"rii/web/components"
	"rii/web/layout"
)

// SearchView is /suche: the form, and the results once something was
// searched.
type SearchView struct {
	layout.Frame
	// Form holds the query (q) and its error.
	Form components.Form
	// Groups are the choices of ?art=.
	Groups  []components.Option
	Results *SearchResults // nil without a (valid) query
}

// SearchResults are the hits of one search.
type SearchResults struct {
	Query   string
	Total   int
	Heading string // "12 Treffer für „Energie“"
	// Suggestion corrects a mistyped word.
	Suggestion components.Suggestion
	// Summary lists every group with its count; Shown the groups drawn
	// (all, or the one chosen with ?art=).
	Summary, Shown []SearchGroup
	// AllHref leads from one group back to all of them; "" in the overview.
	AllHref string
}

// SearchGroup is a group of results.
type SearchGroup struct {
	ID, Label string // anchor and ?art= value, heading
	// Count is shown ("12"), CountLabel read out ("12 Treffer").
	Count, CountLabel string
	// Href leads to the group: its anchor, or its own view; "" without hits.
	Href          string
	Hits          []SearchHit
	MoreHref      string // "Alle 12 Initiativen anzeigen" in the overview
	MoreLabel     string
	Pager         components.Pager
	FirstPageHref string // set when the page asked for lies past the end
}

// SearchHit is one result.
type SearchHit struct {
	Title, Href string
	Meta        string // kind, date, place
	Excerpt     []Span
}

// Span is a piece of an excerpt; marked pieces match the query.
type Span struct {
	Text string
	Mark bool
}

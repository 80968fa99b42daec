package components

import (
	"net/url"
	"strconv"
)

// Pager is the navigation between pages of a list: previous and next,
// and the numbered pages of pageNumbers.
type Pager struct {
	Page, Pages        int
	PrevHref, NextHref string
	Links              []PageLink
}

// PageLink is a numbered page in the pager, or a gap ("…") when Number is 0.
type PageLink struct {
	Number  int
	Href    string
	Current bool
	// Label is read out: "Seite 3", "Seite 1, erste Seite", "Seite 16, letzte Seite".
	Label string
}

// pagerAround is how many pages on each side of the current one the pager
// links to, besides the first and the last.
const pagerAround = 2

// pageNumbers are the pages the pager links to: the first, the last, and
// those within pagerAround of page; 0 marks a gap. A gap of a single page
// shows that page instead, as "…" would take the same room.
func pageNumbers(page, pages int) []int {
	var out []int
	for n := 1; n <= pages; n++ {
		near := n == 1 || n == pages || (n >= page-pagerAround && n <= page+pagerAround)
		gapOfOne := (n == 2 && page-pagerAround == 3) || (n == pages-1 && page+pagerAround == pages-2)
		switch {
		case near || gapOfOne:
			out = append(out, n)
		case len(out) > 0 && out[len(out)-1] != 0:
			out = append(out, 0)
		}
	}
	return out
}

// NewPager builds the pager for page (1-based) of total items, keeping the
// other query parameters of base so filters survive paging.
func NewPager(base url.URL, page, perPage, total int) Pager {
	pages := max(1, (total+perPage-1)/perPage)
	p := Pager{Page: page, Pages: pages}
	link := func(n int) string {
		q := base.Query()
		if n == 1 {
			q.Del("seite")
		} else {
			q.Set("seite", strconv.Itoa(n))
		}
		base.RawQuery = q.Encode()
		return base.RequestURI()
	}
	if page > 1 {
		p.PrevHref = link(min(page-1, pages))
	}
	for _, n := range pageNumbers(min(page, pages), pages) {
		l := PageLink{Number: n, Current: n == page}
		if n > 0 {
			l.Href, l.Label = link(n), "Seite "+strconv.Itoa(n)
		}
		switch {
		case n == 1 && pages > 1:
			l.Label += ", erste Seite"
		case n == pages && pages > 1:
			l.Label += ", letzte Seite"
		}
		p.Links = append(p.Links, l)
	}
	if page < pages {
		p.NextHref = link(page + 1)
	}
	return p
}

// ParsePage reads the 1-based page number from a query; anything that is
// not a positive number below a sane bound is page 1.
func ParsePage(q url.Values) int {
	n, err := strconv.Atoi(q.Get("seite"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

// Option is one choice of a select or a group of checkboxes.
type Option struct {
	Value, Label string
	Selected     bool
}

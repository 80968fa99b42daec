package components

import (
	"net/url"
	"strconv"
)

// Pager is the navigation between pages of a list.
type Pager struct {
	Page, Pages        int
	PrevHref, NextHref string
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

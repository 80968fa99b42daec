package components

import (
	"bytes"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestPageNumbers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		page, pages int
		want        []int // 0 is a gap
	}{
		{1, 1, []int{1}},
		{1, 2, []int{1, 2}},
		{1, 7, []int{1, 2, 3, 0, 7}},
		{4, 7, []int{1, 2, 3, 4, 5, 6, 7}},
		{5, 9, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{6, 16, []int{1, 0, 4, 5, 6, 7, 8, 0, 16}},
		{16, 16, []int{1, 0, 14, 15, 16}},
		{2, 16, []int{1, 2, 3, 4, 0, 16}},
		{14, 16, []int{1, 0, 12, 13, 14, 15, 16}},
		{1, 100000, []int{1, 2, 3, 0, 100000}},
	} {
		if got := pageNumbers(c.page, c.pages); !slices.Equal(got, c.want) {
			t.Errorf("pageNumbers(%d, %d) = %v, want %v", c.page, c.pages, got, c.want)
		}
	}
}

// TestPagerNav renders the pager for page 6 of 16 and reads it as a
// browser would: previous and next, first and last, the pages around,
// the current one marked, filters kept, page 1 without ?seite=.
func TestPagerNav(t *testing.T) {
	t.Parallel()
	base := url.URL{Path: "/initiativen", RawQuery: "land=05&seite=6"}
	var buf bytes.Buffer
	if err := PagerNav(NewPager(base, 6, 20, 320)).Render(t.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	type link struct{ text, href, label, current string }
	var got []link
	doc.Find(`nav[aria-label="Seiten"] li`).Each(func(_ int, li *goquery.Selection) {
		a := li.Find("a")
		got = append(got, link{li.Text(), a.AttrOr("href", ""), a.AttrOr("aria-label", ""), a.AttrOr("aria-current", "")})
	})
	want := []link{
		{"Vorherige Seite", "/initiativen?land=05&seite=5", "", ""},
		{"1", "/initiativen?land=05", "Seite 1, erste Seite", ""},
		{"…", "", "", ""},
		{"4", "/initiativen?land=05&seite=4", "Seite 4", ""},
		{"5", "/initiativen?land=05&seite=5", "Seite 5", ""},
		{"6", "/initiativen?land=05&seite=6", "Seite 6, aktuelle Seite", "page"},
		{"7", "/initiativen?land=05&seite=7", "Seite 7", ""},
		{"8", "/initiativen?land=05&seite=8", "Seite 8", ""},
		{"…", "", "", ""},
		{"16", "/initiativen?land=05&seite=16", "Seite 16, letzte Seite", ""},
		{"Nächste Seite", "/initiativen?land=05&seite=7", "", ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("pager links\n got %q\nwant %q", got, want)
	}
	if s := doc.Find(".pager__status").Text(); s != "Seite 6 von 16" {
		t.Errorf("status %q", s)
	}
	if n := doc.Find(`.pager__gap[aria-hidden="true"]`).Length(); n != 2 {
		t.Errorf("%d gaps hidden from screen readers, want 2", n)
	}
}

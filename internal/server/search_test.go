package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rii/internal/webtest"
)

// searchFor requests /suche with q (and extra query parameters).
func searchFor(c *webtest.Client, q string, extra ...string) *webtest.Response {
	v := url.Values{"q": {q}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return c.Get("/suche?" + v.Encode())
}

// hitHrefs lists the links of the hits in a group.
func hitHrefs(res *webtest.Response, group string) []string {
	return res.Find(`[data-testid="group-` + group + `"] [data-testid="search-hit"] h4 a`).Map(func(_ int, s *goquerySel) string {
		h, _ := s.Attr("href")
		return h
	})
}

func TestSearchFindsEveryKindAndNoDraft(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fx := w.addSearchContent()
	res := searchFor(w.client(), "Quastenflosser").WantStatus(http.StatusOK)
	want := map[string][]string{
		"initiativen":     {"/initiativen/quastenflosser-allianz"},
		"veranstaltungen": {"/veranstaltungen/" + fx.EventSlug},
		"workshops":       {"/veranstaltungen/" + fx.EventSlug + "#workshop-" + itoa(fx.WorkshopID)},
		"berichte":        {"/berichte/" + fx.EventSlug},
	}
	for group, hrefs := range want {
		if got := hitHrefs(res, group); strings.Join(got, " ") != strings.Join(hrefs, " ") {
			t.Errorf("group %s: hits %v, want %v", group, got, hrefs)
		}
		summary := res.Find(`[data-testid="summary-` + group + `"] a`)
		if href, _ := summary.Attr("href"); href != "#"+group || !strings.Contains(summary.Text(), "1 Treffer") {
			t.Errorf("summary of %s: %q to %q, want a link to #%s saying 1 Treffer", group, summary.Text(), href, group)
		}
	}
	if got := res.Text(`[data-testid="search-heading"]`); got != "4 Treffer für „Quastenflosser“" {
		t.Errorf("heading = %q", got)
	}
	main := res.Text("main")
	for _, draft := range []string{"Geheim", "Entwurf", "geheim.beispiel.example"} {
		if strings.Contains(main, draft) {
			t.Errorf("the results show %q (a draft or the online link)", draft)
		}
	}
	if got := res.Find(`[data-testid="group-veranstaltungen"] .search-hit__meta`).Text(); got != "Regionalkonferenz · 15. Dezember 2026" {
		t.Errorf("event meta = %q", got)
	}
}

func TestSearchToleratesTyposAndFindsWordBeginnings(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSearchContent()
	c := w.client()
	for _, tc := range []struct{ q, group, href string }{
		{"Auftaktveranstaltng", "veranstaltungen", "/veranstaltungen/auftakt-2021"},
		{"Chemi Hochrein", "initiativen", "/initiativen/chemie-hochrhein"},
		{"Quastenflosr", "initiativen", "/initiativen/quastenflosser-allianz"},
		{"Quastenfl", "berichte", "/berichte/quastenflosser-dialog"},
		{"Wärmepumpe", "workshops", "/veranstaltungen/quastenflosser-dialog#workshop-"},
		{"warmepumpen", "workshops", "/veranstaltungen/quastenflosser-dialog#workshop-"},
	} {
		hits := hitHrefs(searchFor(c, tc.q).WantStatus(http.StatusOK), tc.group)
		if len(hits) == 0 || !strings.HasPrefix(hits[0], tc.href) {
			t.Errorf("%q: %s hits %v, want %s first", tc.q, tc.group, hits, tc.href)
		}
	}
	// An excluded word removes the hit.
	if hits := hitHrefs(searchFor(c, "Quastenflosser -Allianz"), "initiativen"); len(hits) != 0 {
		t.Errorf("Quastenflosser -Allianz still finds %v", hits)
	}
}

func TestSearchMarksTheMatchingWords(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSearchContent()
	res := searchFor(w.client(), "Quastenflosser").WantStatus(http.StatusOK)
	marks := res.Find(`[data-testid="excerpt"] mark`)
	if marks.Length() < 4 {
		t.Fatalf("%d marked words, want one at least in each of the four hits", marks.Length())
	}
	marks.Each(func(_ int, s *goquerySel) {
		if s.Text() != "Quastenflosser" || s.Children().Length() != 0 {
			t.Errorf("marked %q, want the query word as plain text", s.Text())
		}
	})
	// Markdown markup is not shown in the excerpt of the results.
	if ex := res.Text(`[data-testid="group-workshops"] [data-testid="excerpt"]`); strings.Contains(ex, "**") || strings.Contains(ex, "##") {
		t.Errorf("workshop excerpt shows Markdown: %q", ex)
	}
}

func TestSearchShowsStoredMarkupInert(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSearchContent()
	res := searchFor(w.client(), "Quastenflosser").WantStatus(http.StatusOK)
	if n := res.Find("script, img, [onerror], main a[href^='javascript']").Length(); n > 0 {
		t.Errorf("%d elements from stored text became markup", n)
	}
	if n := res.Find(`[data-testid="excerpt"] *:not(mark)`).Length(); n > 0 {
		t.Errorf("excerpts hold %d elements besides mark", n)
	}
}

func TestSearchShowsNoContactData(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fx := w.addSearchContent()
	c := w.client()
	for _, q := range []string{"Quastenflosser", "Verborgene Moderatorin", "verborgen@beispiel.example", "Rednerin"} {
		res := searchFor(c, q).WantStatus(http.StatusOK)
		text := res.Text(`[data-testid^="group-"]`)
		if strings.Contains(text, "@") || strings.Contains(text, fx.HiddenContact) {
			t.Errorf("search for %q shows contact data: %q", q, text)
		}
		if q != "Quastenflosser" && res.Find(`[data-testid="search-hit"]`).Length() > 0 {
			t.Errorf("search for the contact %q finds %d hits", q, res.Find(`[data-testid="search-hit"]`).Length())
		}
	}
}

func TestSearchWithoutQueryExplainsAndWithoutHitsHelps(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSearchContent()
	c := w.client()
	for _, path := range []string{"/suche", "/suche?q=", "/suche?q=+++", "/suche?art=workshops"} {
		res := c.Get(path).WantStatus(http.StatusOK)
		if res.Find(`[data-testid="search-help"]`).Length() != 1 || res.Find(`[data-testid="search-results"]`).Length() != 0 {
			t.Errorf("%s: want the help and no results", path)
		}
	}
	res := searchFor(c, "Sägefischzucht").WantStatus(http.StatusOK)
	if res.Find(`[data-testid="no-results"]`).Length() != 1 || res.Text(`[data-testid="search-heading"]`) != "Keine Treffer für „Sägefischzucht“" {
		t.Errorf("no results: %q", res.Text(`[data-testid="search-results"]`))
	}
	if v, _ := res.Find(`#feld-q`).Attr("value"); v != "Sägefischzucht" {
		t.Errorf("search field = %q, want the query again", v)
	}
}

func TestSearchGroupsCountAndPage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for i := range 23 {
		if _, err := w.st.CreateInitiativeRef(t.Context(), "zaunkoenig-"+itoa(int64(i)), "Zaunkönig Netzwerk "+itoa(int64(i)), "published"); err != nil {
			t.Fatal(err)
		}
	}
	c := w.client()
	res := searchFor(c, "Zaunkönig").WantStatus(http.StatusOK)
	if n := len(hitHrefs(res, "initiativen")); n != 5 {
		t.Errorf("overview shows %d initiatives, want the top 5", n)
	}
	more := res.Find(`[data-testid="group-initiativen"] [data-testid="more"]`)
	href, _ := more.Attr("href")
	if more.Text() != "Alle 23 Initiativen anzeigen" || href != "/suche?art=initiativen&q=Zaunk%C3%B6nig" {
		t.Fatalf("more link %q to %q", more.Text(), href)
	}
	if got := res.Text(`[data-testid="summary-workshops"]`); !strings.Contains(got, "keine Treffer") {
		t.Errorf("workshops summary = %q", got)
	}
	page1 := c.Get(href).WantStatus(http.StatusOK)
	next, _ := page1.Find(`[data-testid="pager"] a[rel="next"]`).Attr("href")
	if n := len(hitHrefs(page1, "initiativen")); n != 20 || next != "/suche?art=initiativen&q=Zaunk%C3%B6nig&seite=2" {
		t.Fatalf("page 1: %d hits, next %q", n, next)
	}
	if page1.Find(`[data-testid="group-veranstaltungen"]`).Length() != 0 || page1.Find(`[data-testid="all-groups"]`).Length() != 1 {
		t.Error("one group's view shows other groups or no way back to all")
	}
	page2 := c.Get(next).WantStatus(http.StatusOK)
	seen := map[string]bool{}
	for _, h := range append(hitHrefs(page1, "initiativen"), hitHrefs(page2, "initiativen")...) {
		seen[h] = true
	}
	if len(seen) != 23 {
		t.Errorf("two pages show %d distinct initiatives, want 23", len(seen))
	}
	past := searchFor(c, "Zaunkönig", "art", "initiativen", "seite", "9").WantStatus(http.StatusOK)
	if past.Find(`[data-testid="past-end"] a`).Length() != 1 {
		t.Error("a page past the end does not lead back to the first")
	}
}

func TestSearchSurvivesHostileQueries(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addSearchContent()
	c := w.client()
	var before int
	if err := w.pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	queries := append([]string{`a & | ! ( ) :* <-> "x`, `'`, `\`, `"unclosed`, "-", "or", "!!!", "fooː barʼs",
		"Quastenflosser:*", strings.Repeat("Quastenflosser ", 13), strings.Repeat("x", 10*1024)}, hostileValues...)
	for _, q := range queries {
		res := searchFor(c, q)
		if res.StatusCode == http.StatusRequestHeaderFieldsTooLarge {
			continue // 600 KB in the URL meets the server's header limit first
		}
		if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%.40q: status %d", q, res.StatusCode)
			continue
		}
		if n := res.Find("script, img, [onerror]").Length(); n > 0 {
			t.Errorf("%.40q: %d elements injected", q, n)
		}
		if res.StatusCode == http.StatusUnprocessableEntity {
			if !strings.Contains(res.Text("#feld-q-fehler"), "höchstens 200 Zeichen") || res.Find(`[data-testid="error-summary"]`).Length() != 1 {
				t.Errorf("%.40q: 422 without the message at the field", q)
			}
		}
		if v, _ := res.Find("#feld-q").Attr("value"); strings.ContainsAny(v, "\x00\xff") {
			t.Errorf("%.40q: the field shows control or invalid bytes", q)
		}
	}
	// Raw bytes the form never sends: invalid UTF-8 and NUL in the URL.
	for _, raw := range []string{"/suche?q=%ff%fe%fd", "/suche?q=%00Quastenflosser%00", "/suche?q=%C0%AF&art=%ff&seite=%00"} {
		if res := c.Get(raw); res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", raw, res.StatusCode)
		}
	}
	if res := searchFor(c, strings.Repeat("x", 201)); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("201 characters: status %d, want 422", res.StatusCode)
	}
	if res := searchFor(c, strings.Repeat("ä", 200)); res.StatusCode != http.StatusOK {
		t.Errorf("200 characters: status %d, want 200", res.StatusCode)
	}
	var after int
	if err := w.pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log`).Scan(&after); err != nil || after != before {
		t.Errorf("audit entries %d → %d: searching changed something (%v)", before, after, err)
	}
}

func TestSearchEchoesTheQueryAsText(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	q := `"><img src=x onerror=alert(1)> Quastenflosser`
	res := searchFor(w.client(), q).WantStatus(http.StatusOK)
	if v, _ := res.Find("#feld-q").Attr("value"); v != q {
		t.Errorf("field value = %q", v)
	}
	if got := res.Text(`[data-testid="search-heading"]`); got != "Keine Treffer für „"+q+"“" {
		t.Errorf("heading = %q", got)
	}
	if res.Find("img").Length() > 0 {
		t.Error("the query became an element")
	}
}

// TestDirectorySurvivesUnaccentPunctuation: unaccent turns some letters
// (ː, ʼ) into tsquery syntax; the directory's prefix query once failed on
// them with a 500. It now quotes the word as the search does.
func TestDirectorySurvivesUnaccentPunctuation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, q := range []string{"fooː", "barʼs", "ʹʺʻ Initiative"} {
		if res := w.client().Get("/initiativen?q=" + url.QueryEscape(q)); res.StatusCode != http.StatusOK {
			t.Errorf("/initiativen?q=%s: status %d", q, res.StatusCode)
		}
	}
}

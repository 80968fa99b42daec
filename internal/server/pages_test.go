package server

import (
	"net/http"
	"strings"
	"testing"
)

// publicPages are the pages of the frame every visitor can open; the browser
// test opens the same list, and TestEveryPageRouteIsChecked keeps it complete.
var publicPages = []string{
	"/", "/impressum", "/datenschutz", "/barrierefreiheit", "/leichte-sprache", "/kontakt",
	"/initiativen", "/veranstaltungen", "/berichte", "/themen", "/suche",
	// The search with results, with one group, and without results.
	"/suche?q=Energie", "/suche?q=Testdialog&art=veranstaltungen", "/suche?q=Quastenflosser",
}

func TestPublicPagesHaveTheFrame(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	for _, path := range publicPages {
		t.Run(path, func(t *testing.T) {
			res := c.Get(path).WantStatus(http.StatusOK)
			wantSecurityHeaders(t, res.Response)
			if got := res.Header.Values("Set-Cookie"); len(got) > 0 {
				t.Errorf("anonymous GET %s set a cookie: %v", path, got)
			}
			if lang, _ := res.Find("html").Attr("lang"); lang != "de" {
				t.Errorf("lang = %q, want de", lang)
			}
			if n := res.Find("h1").Length(); n != 1 {
				t.Errorf("%d h1 elements, want 1", n)
			}
			if title := res.Text("title"); !strings.Contains(title, "RII-Portal") {
				t.Errorf("title = %q, want it to name the portal", title)
			}
			first := res.Find("body a[href], body button, body input, body select, body textarea").First()
			if href, _ := first.Attr("href"); href != "#inhalt" {
				t.Errorf("first focusable element is %q, want the skip link to #inhalt", href)
			}
			if res.Find("main#inhalt").Length() != 1 {
				t.Error("no main#inhalt for the skip link to land on")
			}
			if got := res.Text(".kern-kopfzeile__label"); got != "Offizielle Website – Bundesrepublik Deutschland" {
				t.Errorf("Kopfzeile = %q", got)
			}
			nav := res.Find(`nav[aria-label="Hauptnavigation"] a`)
			if got := strings.Join(nav.Map(func(_ int, s *goquerySel) string { return s.Text() }), ","); got != "Initiativen,Veranstaltungen,Berichte,Themen,Suche" {
				t.Errorf("main navigation = %q", got)
			}
			footer := res.Find(`footer nav a`)
			if got := strings.Join(footer.Map(func(_ int, s *goquerySel) string { return s.Text() }), ","); got != "Impressum,Datenschutz,Barrierefreiheit,Leichte Sprache,Kontakt" {
				t.Errorf("footer links = %q", got)
			}
			if cur := res.Find(`[aria-current="page"]`); path != "/" && cur.Length() == 0 {
				t.Errorf("no navigation entry marked aria-current on %s", path)
			}
		})
	}
}

func TestStartPageSaysWhatTheServiceStelleDoes(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	res := c.Get("/").WantStatus(http.StatusOK)
	text := res.Text(`[data-testid="home-page"]`)
	for _, want := range []string{"1. Januar 2021", "Bündnis „Zukunft der Industrie“", "Industriedialoge", "vernetz"} {
		if !strings.Contains(text, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	if href, _ := res.Find(`[data-testid="home-contact"] a[href^="mailto:"]`).Attr("href"); href != "mailto:Service-RII@dihk.de" {
		t.Errorf("contact link = %q, want mailto:Service-RII@dihk.de", href)
	}
}

func TestLegalPagesHaveTheirContent(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	cases := []struct {
		path  string
		wants []string
	}{
		{"/impressum", []string{"Service-RII@dihk.de", "DIHK"}},
		{"/datenschutz", []string{"Cookie", "Art. 15", "Beschwerde", "rii_sitzung"}},
		{"/barrierefreiheit", []string{"BITV 2.0", "Schlichtungsstelle", "Service-RII@dihk.de"}},
		{"/leichte-sprache", []string{"Service- und Beratungs"}},
		{"/kontakt", []string{"Service-RII@dihk.de"}},
	}
	for _, tc := range cases {
		text := c.Get(tc.path).WantStatus(http.StatusOK).Text("main")
		for _, want := range tc.wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", tc.path, want)
			}
		}
	}
}

func TestHTMLIsGzipped(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	c.Header.Set("Accept-Encoding", "gzip")
	res := c.Get("/datenschutz").WantStatus(http.StatusOK)
	if got := res.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", got)
	}
}

func TestTrailingSlashRedirects(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	res := c.Get("/impressum/")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/impressum" {
		t.Errorf("GET /impressum/ = %d to %q, want 301 to /impressum", res.StatusCode, res.Header.Get("Location"))
	}
}

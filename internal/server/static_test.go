package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestStaticAssetsAreHashedAndImmutable(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	home := c.Get("/").WantStatus(http.StatusOK)
	links := home.Find(`link[rel="stylesheet"]`)
	if links.Length() != 3 {
		t.Fatalf("%d stylesheets, want fonts, KERN and portal", links.Length())
	}
	hashed := regexp.MustCompile(`^/static/.+\.[0-9a-f]{12}\.(css|svg|woff2)$`)
	var kernCSS string
	links.Each(func(_ int, l *goquerySel) {
		href, _ := l.Attr("href")
		if !hashed.MatchString(href) {
			t.Errorf("stylesheet %q has no content hash", href)
		}
		if strings.Contains(href, "fira-sans") {
			kernCSS = href
		}
	})

	c.Header.Set("Accept-Encoding", "gzip")
	res := c.Get(kernCSS).WantStatus(http.StatusOK)
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", got)
	}
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("fonts CSS: encoding %q, type %q", res.Header.Get("Content-Encoding"), res.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(strings.NewReader(string(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	css, _ := io.ReadAll(zr)
	// Every font the stylesheet names must be served under its hashed name.
	fonts := regexp.MustCompile(`url\("(/static/[^"]+\.woff2)"\)`).FindAllStringSubmatch(string(css), -1)
	if len(fonts) < 4 {
		t.Fatalf("fonts CSS references %d hashed fonts, want the Fira Sans faces", len(fonts))
	}
	c.Header.Del("Accept-Encoding")
	for _, f := range fonts {
		r := c.Get(f[1]).WantStatus(http.StatusOK)
		if r.Header.Get("Content-Type") != "font/woff2" || len(r.Body) < 10000 {
			t.Errorf("%s: type %q, %d bytes", f[1], r.Header.Get("Content-Type"), len(r.Body))
		}
	}

	// An unknown or stale hash is not found, never some other content.
	c.Get("/static/css/portal.000000000000.css").WantStatus(http.StatusNotFound)
	c.Get(strings.Replace(s.assets.URL("css/portal.css"), "portal.", "portal.x", 1)).WantStatus(http.StatusNotFound)
}

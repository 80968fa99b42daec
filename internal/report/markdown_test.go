package report

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// parse reads rendered HTML as a browser would.
func parse(t *testing.T, html string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<body>" + html + "</body>"))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestRenderExtensions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		src   string
		check func(t *testing.T, d *goquery.Document)
	}{
		{"kurz box", "Vorher\n::: kurz\nZiel: **Vernetzen**.\n:::\nNachher", func(t *testing.T, d *goquery.Document) {
			box := d.Find(`aside.report-box.report-box--kurz[data-testid="report-box-kurz"]`)
			if box.Length() != 1 {
				t.Fatalf("no In-Kürze box: %s", html(d))
			}
			h := box.Find("h3")
			id, _ := h.Attr("id")
			if by, _ := box.Attr("aria-labelledby"); by == "" || by != id || h.Text() != "In Kürze" {
				t.Errorf("box heading %q id %q, labelled by %q", h.Text(), id, by)
			}
			if box.Find("strong").Text() != "Vernetzen" {
				t.Errorf("box content: %s", html(d))
			}
			if d.Find("body > p").Length() != 2 {
				t.Errorf("text around the box: %s", html(d))
			}
		}},
		{"mehr box with links", "::: mehr\n- [Mail](mailto:Service-RII@dihk.de)\n- [Seite](http://t1p.de/Industrieinitiativen)\n:::", func(t *testing.T, d *goquery.Document) {
			box := d.Find(`aside.report-box--mehr[data-testid="report-more"]`)
			if box.Find("h3").Text() != "Mehr zum Thema" || box.Find("li a").Length() != 2 {
				t.Errorf("Mehr box: %s", html(d))
			}
			if href, _ := box.Find("a").First().Attr("href"); href != "mailto:Service-RII@dihk.de" {
				t.Errorf("mailto link = %q", href)
			}
		}},
		{"ids unique", "::: kurz\na\n:::\n\n::: kurz\nb\n:::\n\n::: mehr\nc\n:::", func(t *testing.T, d *goquery.Document) {
			seen := map[string]bool{}
			d.Find("[id]").Each(func(_ int, s *goquery.Selection) {
				id, _ := s.Attr("id")
				if seen[id] {
					t.Errorf("id %q twice", id)
				}
				seen[id] = true
			})
			if len(seen) != 3 {
				t.Errorf("%d ids, want 3", len(seen))
			}
		}},
		{"quote with em dash", "> Vernetzung ist entscheidend\n> für die Zukunft.\n> — Dr. Joachim Lang (BDI)", func(t *testing.T, d *goquery.Document) {
			fig := d.Find(`figure.report-quote[data-testid="report-quote"]`)
			if got := fig.Find("figcaption").Text(); got != "Dr. Joachim Lang (BDI)" {
				t.Errorf("caption = %q: %s", got, html(d))
			}
			if got := strings.TrimSpace(fig.Find("blockquote").Text()); got != "Vernetzung ist entscheidend\nfür die Zukunft." {
				t.Errorf("quote = %q", got)
			}
		}},
		{"quote with two hyphens on its own paragraph", "> Ein Satz.\n>\n> -- Wolfgang Lemb", func(t *testing.T, d *goquery.Document) {
			if d.Find("figure figcaption").Text() != "Wolfgang Lemb" || d.Find("blockquote p").Length() != 1 {
				t.Errorf("quote: %s", html(d))
			}
		}},
		{"blockquote without attribution stays", "> Nur ein Zitat.", func(t *testing.T, d *goquery.Document) {
			if d.Find("figure").Length() != 0 || d.Find("blockquote").Length() != 1 {
				t.Errorf("plain quote: %s", html(d))
			}
		}},
		{"h1 demoted", "# Oben\n\n## Abschnitt\n\n### Unter", func(t *testing.T, d *goquery.Document) {
			if d.Find("h1").Length() != 0 || d.Find("h2").Length() != 2 || d.Find("h3").Length() != 1 {
				t.Errorf("headings: %s", html(d))
			}
		}},
		{"portal image kept with alt", "![Podium der Auftaktveranstaltung](/bilder/42)", func(t *testing.T, d *goquery.Document) {
			img := d.Find(`img[data-testid="report-image"]`)
			if src, _ := img.Attr("src"); src != "/bilder/42" {
				t.Errorf("src = %q", src)
			}
			if alt, _ := img.Attr("alt"); alt != "Podium der Auftaktveranstaltung" {
				t.Errorf("alt = %q", alt)
			}
		}},
		{"foreign images removed", "![a](https://example.com/x.png) ![b](/bilder/../admin) ![c](data:image/png;base64,AAAA) ![d](//evil.example/x.png)", func(t *testing.T, d *goquery.Document) {
			if n := d.Find("img").Length(); n != 0 {
				t.Errorf("%d foreign images left: %s", n, html(d))
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, parse(t, string(Render(tc.src))))
		})
	}
}

// TestRenderHostile feeds attacks in and checks, on the parsed output, that
// nothing can run: no script or style, no event handler or inline style
// attribute, no link or image to anything but http(s), mailto or the
// portal's own paths.
func TestRenderHostile(t *testing.T) {
	t.Parallel()
	attacks := []string{
		"<script>alert(1)</script>",
		"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<div onmouseover="alert(1)">x</div>`,
		`<style>body{display:none}</style>`,
		`<iframe src="https://evil.example"></iframe>`,
		"[klick](javascript:alert(1))",
		"[klick](JaVaScRiPt:alert(1))",
		"[klick](vbscript:msgbox(1))",
		"[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"[klick](&#106;avascript:alert(1))",
		"[klick](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
		"[klick](java&#x09;script:alert(1))",
		"[klick](<javascript:alert(1)>)",
		"<javascript:alert(1)>",
		"[ref]\n\n[ref]: javascript:alert(1)",
		"![x](javascript:alert(1))",
		"![x](&#106;avascript:alert(1))",
		`![<script>alert(1)</script>](/bilder/1)`,
		`![" onerror="alert(1)](/bilder/1)`,
		"![x](/bilder/1 \"\\\" onload=\\\"alert(1)\")",
		"::: kurz\n<script>alert(1)</script>\n[x](javascript:alert(1))\n:::",
		"::: kurz\n::: mehr\n<img src=x onerror=alert(1)>\n:::\n:::",
		"> <script>alert(1)</script>\n> — <img src=x onerror=alert(1)>",
		"> Zitat\n> — [x](javascript:alert(1))",
		"| a |\n|---|\n| <script>alert(1)</script> |",
		"`<script>alert(1)</script>`",
		"```html\n<script>alert(1)</script>\n```",
		"<!-- <script>alert(1)</script> -->",
		"<svg><script>alert(1)</script></svg>",
		"<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
		"<form action=javascript:alert(1)><button>x</button></form>",
		"https://example.com/\"onmouseover=\"alert(1)",
	}
	for _, src := range attacks {
		out := string(Render(src))
		d := parse(t, out)
		if n := d.Find("script, style, iframe, svg, math, form, button, object, embed, link, meta").Length(); n > 0 {
			t.Errorf("%q: %d dangerous elements in %s", src, n, out)
		}
		d.Find("*").Each(func(_ int, s *goquery.Selection) {
			for _, a := range s.Nodes[0].Attr {
				name := strings.ToLower(a.Key)
				if strings.HasPrefix(name, "on") || name == "style" || name == "srcdoc" || name == "formaction" {
					t.Errorf("%q: attribute %s=%q on <%s>", src, a.Key, a.Val, s.Nodes[0].Data)
				}
				if name == "href" || name == "src" {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if !(strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "mailto:") ||
						(strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//"))) {
						t.Errorf("%q: %s=%q", src, a.Key, a.Val)
					}
					if name == "src" && !ImagePath.MatchString(a.Val) {
						t.Errorf("%q: image from %q", src, a.Val)
					}
				}
			}
		})
	}
}

func html(d *goquery.Document) string {
	h, _ := d.Find("body").Html()
	return h
}

// TestRenderBelowKeepsTheOutline renders the same headings under page
// headings of different levels.
func TestRenderBelowKeepsTheOutline(t *testing.T) {
	src := "# Eins\n\n## Zwei\n\n### Drei\n\n###### Sechs\n"
	for _, c := range []struct {
		top  int
		want string
	}{
		{2, "h2 h2 h3 h6"}, // Render: "#" counts as "##"
		{5, "h5 h5 h6 h6"},
		{6, "h6 h6 h6 h6"},
		{9, "h6 h6 h6 h6"},
		{0, "h2 h2 h3 h6"},
	} {
		var got []string
		parse(t, string(RenderBelow(src, c.top))).Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, s *goquery.Selection) {
			got = append(got, goquery.NodeName(s))
		})
		if strings.Join(got, " ") != c.want {
			t.Errorf("top %d: headings %v, want %s", c.top, got, c.want)
		}
	}
	if Render(src) != RenderBelow(src, 2) {
		t.Error("Render is not RenderBelow(…, 2)")
	}
}

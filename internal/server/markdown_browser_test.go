package server

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
)

// writtenStyle is what the browser computed for one element.
type writtenStyle struct {
	FontSize, LineHeight, Color, FontFamily, FontStyle, FontWeight string
	Decoration, Thickness, Offset, Outline, ListStyle              string
}

// kernNormalText reads KERN's values for normal text from its CSS: the
// fallbacks .kern-body (and .kern-body--large for quotes) declare for
// their font size and line height.
func kernNormalText(t *testing.T) (body, large [2]string) {
	t.Helper()
	css, err := os.ReadFile("../../web/static/vendor/kern/kern.min.css")
	if err != nil {
		t.Fatal(err)
	}
	read := func(class string) [2]string {
		rule := regexp.MustCompile(`(?:^|\})\` + class + `\{([^}]*)\}`).FindSubmatch(css)
		if rule == nil {
			t.Fatalf("KERN's CSS has no rule %s", class)
		}
		size := regexp.MustCompile(`font-size:var\(--kern-typography-font-size-[a-z-]+, *([0-9]+px)\)`).FindSubmatch(rule[1])
		height := regexp.MustCompile(`line-height:var\(--kern-typography-line-height-[a-z-]+, *([0-9]+px)\)`).FindSubmatch(rule[1])
		if size == nil || height == nil {
			t.Fatalf("%s in KERN's CSS: no font size or line height in %s", class, rule[1])
		}
		return [2]string{string(size[1]), string(height[1])}
	}
	return read(".kern-body"), read(".kern-body--large")
}

// stylesJS computes the styles of the report's text, link, list item,
// heading and quotes, and of KERN's own classes on reference elements
// added to the same page (then removed), so both sides see the same
// custom properties.
const stylesJS = `(() => {
	const cs = (el) => {
		if (!el) return null;
		const s = getComputedStyle(el);
		return {FontSize: s.fontSize, LineHeight: s.lineHeight, Color: s.color, FontFamily: s.fontFamily,
			FontStyle: s.fontStyle, FontWeight: s.fontWeight, Decoration: s.textDecorationLine,
			Thickness: s.textDecorationThickness, Offset: s.textUnderlineOffset,
			Outline: s.outlineStyle + ' ' + s.outlineWidth, ListStyle: s.listStyleType};
	};
	const ref = document.createElement('div');
	ref.innerHTML = '<p class="kern-body">x</p><a class="kern-link" href="/kern-referenz">x</a>' +
		'<p class="kern-body kern-body--large">x</p><h2 class="kern-heading-medium">x</h2>';
	document.querySelector('main').appendChild(ref);
	const body = document.querySelector('[data-testid=report-body]');
	const link = body.querySelector('p a[href^="https://"]');
	link.focus(); // its focus ring is read below, while it has the focus
	const out = {
		body: cs(body.querySelector(':scope > p')), link: cs(link), item: cs(body.querySelector('li')),
		heading: cs(body.querySelector('h2')), quote: cs(body.querySelector('[data-testid=report-quote] blockquote')),
		plainQuote: cs(body.querySelector(':scope > blockquote')),
		kernBody: cs(ref.children[0]), kernLink: cs(ref.children[1]), kernLarge: cs(ref.children[2]), kernHeading: cs(ref.children[3]),
	};
	link.blur();
	ref.remove();
	return out;
})()`

// TestWrittenContentHasKERNTypography reads, in Chromium, the computed
// styles of a report's body text, link, list, heading and quotes and
// compares them with KERN's for normal text (values read from KERN's CSS
// and from KERN's classes on the same page); workshop results, the other
// Markdown output, share the one wrapper.
func TestWrittenContentHasKERNTypography(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent()
	ctx := context.Background()
	const md = "Ein Absatz mit einem [Link zur Service-Stelle](https://www.example.org/) darin.\n\n" +
		"## Ergebnisse\n\n- erster Punkt\n- zweiter Punkt\n\n> Vernetzung ist entscheidend.\n> -- Wolfgang Lemb\n\n" +
		"Dazwischen ein Absatz.\n\n> Ein Zitat ohne Namen.\n"
	if _, err := w.pool.Exec(ctx, `UPDATE reports SET body = $1 WHERE id = $2`, md, w.event.ReportID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.pool.Exec(ctx, `UPDATE workshops SET results = $1 WHERE id = $2`, "Viel **Energie**, siehe [hier](https://www.example.org/).", w.event.WorkshopID); err != nil {
		t.Fatal(err)
	}
	body, large := kernNormalText(t)
	tab := b.Tab(t)
	browsertest.CheckPage(t, tab, w.ts.URL+"/berichte/"+w.event.Slug)
	got, err := chromedp.Run(tab, chromedp.Evaluate[map[string]*writtenStyle](stylesJS))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"body", "link", "item", "heading", "quote", "plainQuote", "kernBody", "kernLink", "kernLarge", "kernHeading"} {
		if got[k] == nil {
			t.Fatalf("no element for %s on the report page", k)
		}
	}
	for _, k := range []string{"body", "link", "item", "kernBody"} {
		if s := got[k]; s.FontSize != body[0] || s.LineHeight != body[1] {
			t.Errorf("%s: %s/%s, want KERN's normal text %s/%s", k, s.FontSize, s.LineHeight, body[0], body[1])
		}
	}
	for _, k := range []string{"quote", "plainQuote", "kernLarge"} {
		if s := got[k]; s.FontSize != large[0] || s.LineHeight != large[1] {
			t.Errorf("%s: %s/%s, want KERN's large text %s/%s", k, s.FontSize, s.LineHeight, large[0], large[1])
		}
	}
	kb, kl := got["kernBody"], got["kernLink"]
	for k, s := range map[string]*writtenStyle{"body": got["body"], "item": got["item"], "quote": got["quote"], "plainQuote": got["plainQuote"]} {
		if s.Color != kb.Color || s.FontFamily != kb.FontFamily || s.FontStyle != kb.FontStyle || s.FontWeight != kb.FontWeight {
			t.Errorf("%s: %+v, want KERN's body text %+v", k, *s, *kb)
		}
	}
	if l := got["link"]; l.Color != kl.Color || l.Decoration != kl.Decoration || l.Thickness != kl.Thickness ||
		l.Offset != kl.Offset || l.FontFamily != kl.FontFamily {
		t.Errorf("link: %+v, want KERN's link %+v", *l, *kl)
	}
	if l := got["link"]; l.Outline != "solid 4px" {
		t.Errorf("focused link outline %q, want KERN's 4px solid focus ring", l.Outline)
	}
	if h, kh := got["heading"], got["kernHeading"]; h.FontSize != kh.FontSize || h.LineHeight != kh.LineHeight || h.FontWeight != kh.FontWeight {
		t.Errorf("heading: %+v, want KERN's heading %+v", *h, *kh)
	}
	if got["item"].ListStyle != "disc" {
		t.Errorf("list item marker %q", got["item"].ListStyle)
	}

	// Workshop results sit in the same wrapper and read the same.
	browsertest.CheckPage(t, tab, w.ts.URL+"/veranstaltungen/"+w.event.Slug)
	size := flowJS[string](t, tab, `getComputedStyle(document.querySelector('[data-testid=workshop-results] .markdown p')).fontSize`)
	color := flowJS[string](t, tab, `getComputedStyle(document.querySelector('[data-testid=workshop-results] .markdown a')).color`)
	if size != body[0] || color != kl.Color {
		t.Errorf("workshop results: %s text, links %s; want %s and %s", size, color, body[0], kl.Color)
	}
}

// Package report is the vocabulary of event reports and workshop results:
// the portal's Markdown, rendered with goldmark and sanitised with
// bluemonday, so that nothing an editor types can run in a reader's browser.
//
// The portal's Markdown is CommonMark (with tables, strikethrough and
// autolinks) plus three extensions, written as goldmark extensions rather
// than a pre-split of the text, so that link references, nesting and
// positions stay goldmark's business:
//
//	::: kurz            an "In Kürze" box
//	…
//	:::
//
//	::: mehr            a "Mehr zum Thema" box (usually a list of links)
//	…
//	:::
//
//	> Quoted words …
//	> — Name            a quote with its attribution ("-- Name" works too)
//
// A "#" heading is demoted to "##" (the page's h1 is the report's title);
// images are kept only from the portal's own /bilder/ path; raw HTML is
// never passed through.
package report

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// md renders Markdown. Raw HTML in the source is not passed through
// (goldmark's default): it shows as an omitted comment, then the sanitiser
// removes anything left.
var md = goldmark.New(goldmark.WithExtensions(
	extension.Linkify, extension.Strikethrough,
	extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)), // no style: CSP
	portal{},
))

// policy allows exactly the markup the renderer produces and nothing that
// runs: no scripts, no event handlers, no style, only http(s) and mailto
// links (and the portal's own relative paths).
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre",
		"blockquote", "ul", "li", "table", "thead", "tbody", "tr", "figure", "figcaption", "aside")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	p.AllowElements("th", "td")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src").Matching(ImagePath).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(report-box report-box--(kurz|mehr)|report-quote|report-box__title)$`)).
		OnElements("aside", "figure", "h3")
	p.AllowAttrs("id").Matching(boxID).OnElements("h3")
	p.AllowAttrs("aria-labelledby").Matching(boxID).OnElements("aside")
	p.AllowAttrs("data-testid").Matching(regexp.MustCompile(`^report-(box-kurz|more|quote|image)$`)).
		OnElements("aside", "figure", "img")
	return p
}()

// ImagePath is the only source an image in a report may have: a picture
// stored in the portal.
var ImagePath = regexp.MustCompile(`^/bilder/[1-9][0-9]{0,17}$`)

// boxID is the shape of the ids the renderer gives box headings.
var boxID = regexp.MustCompile(`^(kurz|mehr)-[0-9a-f]{8}-[0-9]{1,4}$`)

// Render turns Markdown into sanitised HTML.
func Render(src string) template.HTML { return RenderBelow(src, 2) }

// RenderBelow renders Markdown that sits under a heading of the page at
// level top-1: a "##" (or "#") heading becomes an h<top> and deeper ones
// follow it down (h6 at most), so the page's outline stays in order.
// Workshop results under an h5 "Ergebnisse", say, render from h6.
func RenderBelow(src string, top int) template.HTML {
	var buf bytes.Buffer
	source := []byte(src)
	pc := parser.NewContext()
	pc.Set(idPrefixKey, idPrefix(source))
	pc.Set(topLevelKey, min(max(top, 2), 6))
	doc := md.Parser().Parse(text.NewReader(source), parser.WithContext(pc))
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		// goldmark only fails on writer errors; a bytes.Buffer has none.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// idPrefix derives the ids of a text's boxes from the text, so that two
// texts rendered on one page (workshop results, say) do not share ids.
func idPrefix(src []byte) string {
	h := fnv.New32a()
	h.Write(src)
	return fmt.Sprintf("%08x", h.Sum32())
}

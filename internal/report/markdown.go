// Package report is the vocabulary of event reports and workshop results:
// the portal's Markdown, rendered with goldmark and sanitised with
// bluemonday, so that nothing an editor types can run in a reader's browser.
package report

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders Markdown. Raw HTML in the source is not passed through
// (goldmark's default): it shows as an omitted comment, then the sanitiser
// removes anything left.
var md = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))

// policy allows the markup Markdown produces and nothing that runs: no
// scripts, no event handlers, no style, only http(s) and mailto links.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(false)
	return p
}()

// Render turns Markdown into sanitised HTML.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark only fails on writer errors; a bytes.Buffer has none.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

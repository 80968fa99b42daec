package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Box kinds and their fixed headings.
var boxTitles = map[string]string{"kurz": "In Kürze", "mehr": "Mehr zum Thema"}

var (
	// KindBox is the AST kind of an "In Kürze" or "Mehr zum Thema" box.
	KindBox = ast.NewNodeKind("ReportBox")
	// KindQuote is the AST kind of a quote with its attribution.
	KindQuote = ast.NewNodeKind("ReportQuote")
)

// Box is a `::: kurz` or `::: mehr` block.
type Box struct {
	ast.BaseBlock
	Variant string // kurz or mehr
	ID      string // of its heading, unique per text
	// closed says a `:::` line ended it (not the end of the text).
	closed bool
	line   int // where it opened

}

// Kind implements ast.Node.
func (b *Box) Kind() ast.NodeKind { return KindBox }

// Dump implements ast.Node.
func (b *Box) Dump(source []byte, level int) {
	ast.DumpHelper(b, source, level, map[string]string{"Variant": b.Variant, "ID": b.ID}, nil)
}

// Quote wraps a blockquote whose last line named the speaker.
type Quote struct {
	ast.BaseBlock
	Caption string
}

// Kind implements ast.Node.
func (q *Quote) Kind() ast.NodeKind { return KindQuote }

// Dump implements ast.Node.
func (q *Quote) Dump(source []byte, level int) {
	ast.DumpHelper(q, source, level, map[string]string{"Caption": q.Caption}, nil)
}

// Problems found while parsing, kept in the parser context for Validate.
var (
	problemsKey = parser.NewContextKey()
	idPrefixKey = parser.NewContextKey()
	// topLevelKey is the level a "##" heading renders at (RenderBelow).
	topLevelKey = parser.NewContextKey()
)

// problem is one thing wrong with a text, found while parsing.
type problem struct {
	line int
	what string // nested, unclosed, stray, unknown
	arg  string
}

func addProblem(pc parser.Context, p problem) {
	list, _ := pc.Get(problemsKey).([]problem)
	pc.Set(problemsKey, append(list, p))
}

var (
	openFence  = regexp.MustCompile(`^ {0,3}:::[ \t]*([^ \t\r\n]*)[ \t]*\r?\n?$`)
	closeFence = regexp.MustCompile(`^ {0,3}:::[ \t]*\r?\n?$`)
)

// boxParser opens a box at `::: kurz` / `::: mehr` and closes it at `:::`.
type boxParser struct{}

func (boxParser) Trigger() []byte { return []byte{':'} }

func (boxParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	m := openFence.FindSubmatch(line)
	if m == nil {
		return nil, parser.NoChildren
	}
	kind := string(m[1])
	lineNo, _ := reader.Position()
	switch {
	case kind == "":
		addProblem(pc, problem{line: lineNo, what: "stray"})
		return nil, parser.NoChildren
	case boxTitles[kind] == "":
		addProblem(pc, problem{line: lineNo, what: "unknown", arg: kind})
		return nil, parser.NoChildren
	}
	for p := parent; p != nil; p = p.Parent() {
		if _, inBox := p.(*Box); inBox {
			addProblem(pc, problem{line: lineNo, what: "nested", arg: kind})
			return nil, parser.NoChildren
		}
	}
	reader.AdvanceToEOL()
	return &Box{Variant: kind, line: lineNo}, parser.HasChildren
}

func (boxParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if closeFence.Match(line) {
		node.(*Box).closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

func (boxParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	if b := node.(*Box); !b.closed {
		addProblem(pc, problem{line: b.line, what: "unclosed", arg: b.Variant})
	}
}

func (boxParser) CanInterruptParagraph() bool { return true }
func (boxParser) CanAcceptIndentedLine() bool { return false }

// transformer finishes the tree: ids for boxes, quotes with attribution,
// demoted headings, and no image from elsewhere than /bilder/.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	prefix, _ := pc.Get(idPrefixKey).(string)
	if prefix == "" {
		prefix = idPrefix(source)
	}
	top, _ := pc.Get(topLevelKey).(int)
	if top == 0 {
		top = 2
	}
	counts := map[string]int{}
	var quotes []*ast.Blockquote
	var foreign []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *Box:
			counts[n.Variant]++
			n.ID = n.Variant + "-" + prefix + "-" + strconv.Itoa(counts[n.Variant])
		case *ast.Heading:
			// "#" counts as "##": the page's title is its only h1.
			n.Level = min(max(n.Level, 2)-2+top, 6)
		case *ast.Blockquote:
			quotes = append(quotes, n)
		case *ast.Image:
			if strings.TrimSpace(plainText(n, source)) == "" {
				addProblem(pc, problem{what: "noalt", arg: string(n.Destination)})
			}
			if ImagePath.Match(n.Destination) {
				n.SetAttributeString("loading", "lazy")
				n.SetAttributeString("data-testid", "report-image")
			} else {
				addProblem(pc, problem{what: "foreign", arg: string(n.Destination)})
				foreign = append(foreign, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range foreign {
		img.Parent().RemoveChild(img.Parent(), img)
	}
	for _, bq := range quotes {
		attributeQuote(bq, source)
	}
}

// attributeQuote turns a blockquote whose last line starts with "— " or
// "-- " into a Quote with that line as its caption.
func attributeQuote(bq *ast.Blockquote, source []byte) {
	para, ok := bq.LastChild().(*ast.Paragraph)
	if !ok || para.Lines().Len() == 0 {
		return
	}
	last := para.Lines().At(para.Lines().Len() - 1)
	line := bytes.TrimSpace(last.Value(source))
	var caption []byte
	for _, dash := range [][]byte{[]byte("— "), []byte("-- ")} {
		if bytes.HasPrefix(line, dash) {
			caption = bytes.TrimSpace(line[len(dash):])
		}
	}
	if len(caption) == 0 {
		return
	}
	start := last.Start + bytes.Index(last.Value(source), line[:1])
	// Cut the paragraph's inline nodes at the caption line; an inline that
	// spans into it (emphasis across lines) leaves the quote as it is.
	var cut ast.Node
	for c := para.FirstChild(); c != nil; c = c.NextSibling() {
		from, to, known := span(c)
		if known && from >= start {
			cut = c
			break
		}
		if known && to > start {
			return
		}
	}
	if cut == nil {
		return
	}
	for c := cut; c != nil; {
		next := c.NextSibling()
		para.RemoveChild(para, c)
		c = next
	}
	if t, ok := para.LastChild().(*ast.Text); ok {
		t.SetSoftLineBreak(false)
		t.SetHardLineBreak(false)
	}
	if para.ChildCount() == 0 {
		bq.RemoveChild(bq, para)
	}
	q := &Quote{Caption: strings.TrimSpace(string(caption))}
	parent := bq.Parent()
	parent.ReplaceChild(parent, bq, q)
	q.AppendChild(q, bq)
}

// plainText is the text of an inline node and its children, such as an
// image's alternative text.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(source))
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// span is where an inline node's text lies in the source, as far as its
// text nodes tell.
func span(n ast.Node) (from, to int, known bool) {
	from = -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			if from < 0 {
				from = t.Segment.Start
			}
			to = t.Segment.Stop
		}
		return ast.WalkContinue, nil
	})
	return from, to, from >= 0
}

// nodeRenderer draws boxes and quotes.
type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindBox, renderBox)
	reg.Register(KindQuote, renderQuote)
}

func renderBox(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	b := node.(*Box)
	if !entering {
		_, _ = w.WriteString("</aside>\n")
		return ast.WalkContinue, nil
	}
	testID := "report-box-kurz"
	if b.Variant == "mehr" {
		testID = "report-more"
	}
	_, _ = w.WriteString(`<aside class="report-box report-box--` + b.Variant + `" aria-labelledby="` + b.ID +
		`" data-testid="` + testID + `"><h3 class="report-box__title" id="` + b.ID + `">` + boxTitles[b.Variant] + "</h3>\n")
	return ast.WalkContinue, nil
}

func renderQuote(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	q := node.(*Quote)
	if entering {
		_, _ = w.WriteString(`<figure class="report-quote" data-testid="report-quote">` + "\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<figcaption>")
	_, _ = w.Write(util.EscapeHTML([]byte(q.Caption)))
	_, _ = w.WriteString("</figcaption></figure>\n")
	return ast.WalkContinue, nil
}

// portal is the goldmark extension of the portal's Markdown.
type portal struct{}

func (portal) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(boxParser{}, 150)),
		parser.WithASTTransformers(util.Prioritized(transformer{}, 100)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 100)))
}

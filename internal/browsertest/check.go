package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// SkipTarget is the id of the main content region that the skip link, the
// first tab stop of every page, points to (href ending in "#inhalt").
const SkipTarget = "inhalt"

// axeTags selects the WCAG 2.0, 2.1 and 2.2 rules of levels A and AA, the
// level that BITV 2.0 and EN 301 549 require. Best-practice rules are left
// out on purpose: they are advice, and a test must fail only on a duty.
const axeTags = `['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22a','wcag22aa']`

// axeRun runs axe and flattens its result to what a failure message needs.
// A target entry is an array only for nodes inside shadow DOM or iframes;
// joining it keeps Violation free of JSON unions.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ` + axeTags + `},
	resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || '',
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)),
		html: n.html,
		failureSummary: n.failureSummary || '',
	})),
})))`

// Violation is one failed axe-core rule with the elements that fail it.
type Violation struct {
	ID      string          `json:"id"`     // rule id, e.g. "image-alt"
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`   // one-line description of the rule
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that fails a rule.
type ViolationNode struct {
	Target         []string `json:"target"`         // CSS selectors locating the element
	HTML           string   `json:"html"`           // the element's opening tag, shortened by axe
	FailureSummary string   `json:"failureSummary"` // what to fix
}

// String renders the violation for a test failure: rule, impact, help, and
// each failing element with its selector, markup and what to fix.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %s\n      %s", strings.Join(n.Target, ", "), snippet(n.HTML))
		for line := range strings.Lines(n.FailureSummary) {
			fmt.Fprintf(&b, "\n      %s", strings.TrimRight(line, "\n"))
		}
	}
	return b.String()
}

// snippet shortens an element's markup to one line: for rules on <html>,
// axe reports the whole document.
func snippet(html string) string {
	const max = 200
	html = strings.Join(strings.Fields(html), " ")
	if len(html) > max {
		// Cut at a rune boundary so a German umlaut is not split.
		cut := max
		for cut > 0 && !utf8.RuneStart(html[cut]) {
			cut--
		}
		html = html[:cut] + "…"
	}
	return html
}

// axeSource reads axe.min.js once per test process; at 650 kB it is worth
// not reading again for every page.
var axeSource = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			src, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
			return string(src), err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory: %w", fs.ErrNotExist)
		}
		dir = parent
	}
})

// Axe runs axe-core's WCAG 2.2 A/AA rules on the current state of the tab's
// page and returns the violations. Use it after an interaction (an opened
// dialog, a form with errors); CheckPage covers a freshly loaded page.
func Axe(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	src, err := axeSource()
	if errors.Is(err, fs.ErrNotExist) {
		missing(t, "axe-core not found: "+err.Error())
	} else if err != nil {
		t.Fatalf("browsertest: reading axe-core: %v", err)
	}
	// Runtime.evaluate runs as the DevTools console does, outside the page's
	// Content-Security-Policy, so axe needs no exception in the portal's CSP.
	// The trailing expression keeps the (huge) result of the script itself
	// from being serialised back.
	inject := `if (typeof window.axe === 'undefined') {` + src + "\n}\n0"
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](inject)); err != nil {
		t.Fatalf("browsertest: injecting axe-core: %v", err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: running axe-core: %v", err)
	}
	return vs
}

// pageFacts are the properties of a loaded page that CheckPage asserts.
type pageFacts struct {
	Lang      string `json:"lang"`
	Title     string `json:"title"`
	H1        int    `json:"h1"`
	HasTarget bool   `json:"hasTarget"`
}

const readPageFacts = `({
	lang: document.documentElement.lang,
	title: document.title,
	h1: document.querySelectorAll('h1').length,
	hasTarget: document.getElementById('` + SkipTarget + `') !== null,
})`

// focused describes document.activeElement.
type focused struct {
	Tag  string `json:"tag"`
	Href string `json:"href"`
	HTML string `json:"html"`
}

const readFocused = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return {tag: el ? 'body' : '', href: '', html: ''};
	return {
		tag: el.localName,
		href: el.getAttribute('href') || '',
		html: el.outerHTML.slice(0, 200),
	};
})()`

// CheckPage loads url in the tab and asserts what every page of the portal
// must do: lang="de", a non-empty title, exactly one h1, the skip link to
// #inhalt as the first tab stop (with its target present), no axe-core
// violations of WCAG 2.2 A/AA, and no console errors or CSP violations
// while loading and checking. It reports every failed check, not just the
// first. ctx must come from Browser.Tab.
func CheckPage(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	rec := recorderOf(ctx)
	mark := rec.count()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("%s: loading the page: %v", url, err)
	}

	// The Tab key first, while the page is as the user finds it: nothing is
	// focused yet, so the first press goes to the first tab stop. A real key
	// event, because focus() from a script would not test the tab order.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatalf("%s: pressing Tab: %v", url, err)
	}
	f, err := chromedp.Run(ctx, chromedp.Evaluate[focused](readFocused))
	if err != nil {
		t.Fatalf("%s: reading the focused element: %v", url, err)
	}
	if f.Tag != "a" || !strings.HasSuffix(f.Href, "#"+SkipTarget) {
		t.Errorf("%s: the first Tab focuses <%s> %s, want the skip link <a href=\"#%s\">",
			url, f.Tag, f.HTML, SkipTarget)
	}

	p, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](readPageFacts))
	if err != nil {
		t.Fatalf("%s: reading the page: %v", url, err)
	}
	if p.Lang != "de" {
		t.Errorf("%s: <html lang=%q>, want lang=\"de\"", url, p.Lang)
	}
	if strings.TrimSpace(p.Title) == "" {
		t.Errorf("%s: the page has no <title>", url)
	}
	if p.H1 != 1 {
		t.Errorf("%s: the page has %d h1 elements, want exactly 1", url, p.H1)
	}
	if !p.HasTarget {
		t.Errorf("%s: no element with id=%q for the skip link to jump to", url, SkipTarget)
	}

	for _, v := range Axe(t, ctx) {
		t.Errorf("%s: axe: %s", url, v)
	}

	// ConsoleErrors makes the round trip that flushes pending events; the
	// errors of earlier pages in the same tab are not this page's fault.
	ConsoleErrors(ctx)
	for _, e := range rec.since(mark) {
		// An error page (404, 500 …) is loaded on purpose; Chromium logs its
		// status as a failed load of the document itself. Only failures of
		// the resources the page needs count.
		if strings.HasPrefix(e, "network error:") && strings.HasSuffix(e, "("+url+":1)") {
			continue
		}
		t.Errorf("%s: console: %s", url, e)
	}
}

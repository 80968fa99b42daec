package browsertest

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabs bounds the search for an element by tabbing: a page whose field
// cannot be reached within this many presses is not usable by keyboard.
const maxTabs = 80

// TabTo presses Tab (real key events) until the element matching the CSS
// selector has focus, and fails the test if it never gets it: the element
// is then not reachable by keyboard.
func TabTo(t testing.TB, ctx context.Context, selector string) {
	t.Helper()
	for i := 0; i < maxTabs; i++ {
		focused, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
			`document.activeElement !== null && document.activeElement.matches(`+quoteJS(selector)+`)`))
		if err != nil {
			t.Fatalf("browsertest: reading focus: %v", err)
		}
		if focused {
			return
		}
		Keys(t, ctx, kb.Tab)
	}
	at, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ' – focus: ' + (document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : 'none')`))
	t.Fatalf("%s cannot be reached with the Tab key (%d presses; %s)", selector, maxTabs, at)
}

// Keys sends each character of keys as a real keyboard would: rawKeyDown,
// char, keyUp. (chromedp.KeyEvent sends keyDown + char, so a page that
// handles the keydown — following a link on Enter — also gets the char,
// which a real browser drops.)
func Keys(t testing.TB, ctx context.Context, keys string) {
	t.Helper()
	for _, r := range keys {
		events := kb.Encode(r)
		for _, ev := range events {
			if ev.Type == kb.KeyDown && len(events) == 3 {
				ev.Type = input.DispatchKeyEventTypeRawKeyDown
			}
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, *ev); err != nil {
				t.Fatalf("browsertest: pressing %q: %v", keys, err)
			}
		}
	}
}

// Type types text into the focused element, key by key.
func Type(t testing.TB, ctx context.Context, text string) {
	t.Helper()
	Keys(t, ctx, text)
}

// Press sends one key (kb.Enter, kb.Tab, " " …) and waits for a navigation
// it may start to finish.
func Press(t testing.TB, ctx context.Context, key string) {
	t.Helper()
	Keys(t, ctx, key)
	waitLoaded(t, ctx, -1)
}

// Fill tabs to the field and types the value: keyboard only.
func Fill(t testing.TB, ctx context.Context, selector, value string) {
	t.Helper()
	TabTo(t, ctx, selector)
	Type(t, ctx, value)
}

// Submit tabs to the submit button and presses Enter, then waits until the
// browser has loaded the answer (the URL or the document changed).
func Submit(t testing.TB, ctx context.Context, selector string) {
	t.Helper()
	TabTo(t, ctx, selector)
	before, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.timeOrigin`))
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	Keys(t, ctx, kb.Enter)
	waitLoaded(t, ctx, before)
}

// waitLoaded waits until a document other than the one that started at
// before (a performance.timeOrigin; -1 for any) has loaded completely.
// Errors while the navigation replaces the document are expected.
func waitLoaded(t testing.TB, ctx context.Context, before float64) {
	t.Helper()
	check := `performance.timeOrigin !== ` + formatFloat(before) + ` && document.readyState === 'complete'`
	deadline := time.Now().Add(60 * time.Second) // generous: CI shares 2 cores with PostgreSQL and the server
	for time.Now().Before(deadline) {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](check))
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("browsertest: no new page loaded within 60 s")
}

// Navigate loads url and waits for it.
func Navigate(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("browsertest: loading %s: %v", url, err)
	}
}

// Text returns the text content of the first element matching selector.
func Text(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(document.querySelector(`+quoteJS(selector)+`) || {textContent: ''}).textContent.trim()`))
	if err != nil {
		t.Fatalf("browsertest: reading %s: %v", selector, err)
	}
	return s
}

// Location returns the tab's current URL path with query.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		t.Fatalf("browsertest: reading the location: %v", err)
	}
	return s
}

// quoteJS quotes s as a JavaScript string literal.
func quoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

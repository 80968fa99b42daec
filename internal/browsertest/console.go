package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	jsonv2 "github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// recorder collects the console errors of one tab.
//
// It is fed by chromedp.Listen rather than the chromedp.Console iterator:
// Listen runs on the goroutine that reads the browser's messages, so an
// event that arrived before the reply to a command is recorded by the time
// that command returns. ConsoleErrors relies on that to see every error the
// page produced so far without sleeping.
type recorder struct {
	mu   sync.Mutex
	errs []string
}

// event is the chromedp.Listen callback. It must return quickly and must not
// call back into chromedp.
func (r *recorder) event(ev any) {
	var msg string
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = "uncaught exception: " + exceptionText(e.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if e.Type != runtime.ConsoleAPICalledTypeError && e.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(e.Type) + ": " + argsText(e.Args) + stackPlace(e.StackTrace)
	case *log.EventEntryAdded:
		en := e.Entry
		// CSP violations and mixed content are reported with source
		// "security"; they count even where Chromium files them as a warning,
		// because each one is a page feature that silently does not work.
		if en == nil || (en.Level != log.EntryLevelError && en.Source != log.EntrySourceSecurity) {
			return
		}
		if en.Source == log.EntrySourceNetwork && isFavicon(en.URL) {
			// Chromium asks for /favicon.ico on its own when a page
			// declares no icon; its 404 is not the page's error.
			return
		}
		msg = fmt.Sprintf("%s %s: %s", en.Source, en.Level, en.Text)
		if en.URL != "" {
			msg += fmt.Sprintf(" (%s:%d)", en.URL, en.LineNumber+1)
		}
	default:
		return
	}
	r.mu.Lock()
	r.errs = append(r.errs, msg)
	r.mu.Unlock()
}

// isFavicon reports whether rawURL is a site's default icon location.
func isFavicon(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && u.Path == "/favicon.ico"
}

// since returns the errors recorded after the first n.
func (r *recorder) since(n int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n >= len(r.errs) {
		return nil
	}
	return append([]string(nil), r.errs[n:]...)
}

// count returns how many errors have been recorded.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs)
}

// recorderOf returns the recorder of a context from Tab. A context from
// elsewhere is a bug in the test, so it panics rather than report "no
// errors".
func recorderOf(ctx context.Context) *recorder {
	rec, ok := ctx.Value(recorderKey{}).(*recorder)
	if !ok {
		panic(errNotTab)
	}
	return rec
}

// ConsoleErrors returns what went wrong in the tab so far: uncaught
// exceptions and unhandled promise rejections, console.error and failed
// console.assert calls, and browser log entries of level error (failed
// resource loads, for example) or from the security source (such as
// Content-Security-Policy violations). ctx must come from Browser.Tab.
func ConsoleErrors(ctx context.Context) []string {
	rec := recorderOf(ctx)
	// A round trip to the page: events sent before its reply have then
	// passed through the recorder (see recorder). An error means the tab is
	// gone, and then there is nothing left to wait for.
	_ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`0`))
	return rec.since(0)
}

// exceptionText renders an uncaught exception with its place in the source.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	text := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		// The description is the error with its stack; the first line says
		// what happened, and the place follows below.
		desc, _, _ := strings.Cut(d.Exception.Description, "\n")
		text += " " + desc
	}
	url := d.URL
	if url == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		url = d.StackTrace.CallFrames[0].URL
	}
	if url != "" {
		text += fmt.Sprintf(" (%s:%d:%d)", url, d.LineNumber+1, d.ColumnNumber+1)
	}
	return text
}

// argsText renders console API arguments roughly as DevTools shows them.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && jsonv2.Unmarshal(a.Value, &s) == nil:
		case a.Description != "":
			s = a.Description
		case len(a.Value) > 0:
			s = string(a.Value)
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// stackPlace renders the top frame of a stack as " (url:line:column)".
func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (%s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

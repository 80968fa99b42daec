package server

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
)

// TestDashboardInBrowser opens every dashboard page as an official in
// Chromium: zero axe-core violations, one h1, no console error or CSP
// violation; then the Tätigkeitsbericht with print media emulated: still
// zero violations, the navigation and forms gone, each section on a new
// page.
func TestDashboardInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addDashboardData()
	w.addEvent()
	base := w.ts.URL
	// A tab lives a minute; each page gets its own, signed in anew.
	var tab *flowTab
	for _, path := range []string{"/dashboard", "/dashboard/abdeckung", "/dashboard/abdeckung?sortierung=land",
		"/dashboard/themen", "/dashboard/vernetzung", "/dashboard/vernetzung/initiative-c", "/dashboard/aktivitaet",
		"/dashboard/aktivitaet?art=initiative&objekt=1", "/dashboard?zeitraum=quartal&quartal=9", "/dashboard/taetigkeitsbericht"} {
		tab = newFlowTab(t, b.Tab(t), base, "official")
		browserSignIn(t, tab.ctx, base, w, "official")
		browsertest.Navigate(t, tab.ctx, base+path)
		tab.at(path)
		tab.check(path)
	}

	if _, err := chromedp.Call(tab.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	tab.check("the Tätigkeitsbericht printed")
	printed := flowJS[struct {
		Nav      string   `json:"nav"`
		Form     string   `json:"form"`
		Header   string   `json:"header"`
		Breaks   []string `json:"breaks"`
		Sections int      `json:"sections"`
	}](t, tab.ctx, `(() => {
		const shown = s => getComputedStyle(document.querySelector(s)).display;
		const secs = [...document.querySelectorAll('.dash-report__section')];
		return {nav: shown('.dash-nav'), form: shown('.dash-period'), header: shown('.site-header'),
			breaks: secs.map(s => getComputedStyle(s).breakBefore), sections: secs.length};
	})()`)
	if printed.Nav != "none" || printed.Form != "none" || printed.Header != "none" {
		t.Errorf("printed, the navigation shows (%q), the form (%q), the header (%q)", printed.Nav, printed.Form, printed.Header)
	}
	want := []string{"auto", "page", "page", "page", "page"}
	if printed.Sections != 5 || len(printed.Breaks) != 5 || printed.Breaks[1] != "page" || printed.Breaks[4] != "page" {
		t.Errorf("printed sections break %v, want %v", printed.Breaks, want)
	}
}

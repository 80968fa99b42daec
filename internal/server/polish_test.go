package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/browsertest"
)

// TestSmallThingsPeopleNotice covers issue 16's small things on parsed
// pages: "Bericht lesen" is one piece of link text, the sample note does
// not repeat its heading, the start page's report teaser does not repeat
// its heading, a profile never confirmed says since when it is published,
// and the account links do not turn purple when visited.
func TestSmallThingsPeopleNotice(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	ctx := context.Background()
	for _, q := range []string{
		`UPDATE events SET sample_note = 'Beispieldaten: Erfunden für den Test.' WHERE id = $1`,
		`UPDATE reports SET kicker = 'Regionale Initiativen stärken' WHERE event_id = $1`,
		`UPDATE initiatives SET confirmed_at = NULL, published_at = '2026-03-02 10:00+01' WHERE id = (SELECT min(id) FROM initiatives)`,
	} {
		if _, err := w.pool.Exec(ctx, strings.Replace(q, "$1", itoa(w.event.ID), 1)); err != nil {
			t.Fatal(err)
		}
	}
	// The event's end passes, so it lists among the past with its report.
	w.clock.Advance(30 * 24 * time.Hour)
	c := w.client()

	link := c.Get("/veranstaltungen").WantStatus(http.StatusOK).Find(`[data-testid="report-link"]`)
	var visible []string
	link.Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "#text" {
			visible = append(visible, s.Text())
		}
	})
	if len(visible) != 1 || visible[0] != "Bericht lesen" || link.Find(".kern-sr-only").Text() != ": „Testdialog Industrie“" {
		t.Errorf("report link: visible pieces %q, for screen readers %q", visible, link.Find(".kern-sr-only").Text())
	}

	note := c.Get("/veranstaltungen/" + w.event.Slug).WantStatus(http.StatusOK).Find(`[data-testid="sample-note"]`)
	if note.Find(".kern-title").Text() != "Beispieldaten" || note.Find(".kern-alert__body").Text() != "Erfunden für den Test." {
		t.Errorf("sample note %q / %q", note.Find(".kern-title").Text(), note.Find(".kern-alert__body").Text())
	}

	home := c.Get("/").WantStatus(http.StatusOK)
	h1 := home.Text("h1")
	if h1 != "Regionale Initiativen stärken" || home.Find(`[data-testid="home-report"] h3`).Length() != 1 {
		t.Fatalf("start page: h1 %q, %d report teasers", h1, home.Find(`[data-testid="home-report"]`).Length())
	}
	if kicker := home.Find(`[data-testid="home-report"] .kern-preline`); kicker.Length() != 0 {
		t.Errorf("the teaser repeats the start page's heading: %q", kicker.Text())
	}
	if got := c.Get("/berichte/" + w.event.Slug).Text(`[data-testid="report-kicker"]`); got != h1 {
		t.Errorf("the report page lost its kicker: %q", got)
	}

	if got := c.Get("/initiativen/initiative-a").Text(`[data-testid="confirmed"]`); got != "Stand: veröffentlicht am 02.03.2026" {
		t.Errorf("a profile never confirmed says %q", got)
	}

	w.signIn(c, "admin")
	nav := c.Get("/konto").Find(`[data-testid="user-nav"] a`)
	if nav.Length() < 3 || nav.Not(".kern-link--no-visited-state").Length() != 0 {
		t.Errorf("account links that turn purple when visited: %d of %d", nav.Not(".kern-link--no-visited-state").Length(), nav.Length())
	}
}

func TestWithoutLead(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Beispieldaten: Erfunden.":  "Erfunden.",
		" Beispieldaten:Erfunden. ": "Erfunden.",
		"Beispieldaten sind hier":   "Beispieldaten sind hier",
		"Erfunden.":                 "Erfunden.",
		"":                          "",
	} {
		if got := withoutLead(in, sampleTitle); got != want {
			t.Errorf("withoutLead(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUserNavReadsAsOneInBrowser: in Chromium the sign-out button's label
// has the weight of the account links beside it.
func TestUserNavReadsAsOneInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	tab := b.Tab(t)
	browserSignIn(t, tab, w.ts.URL, w, "member-a")
	link := flowJS[string](t, tab, `getComputedStyle(document.querySelector('.user-nav a[href="/konto"]')).fontWeight`)
	button := flowJS[string](t, tab, `getComputedStyle(document.querySelector('.user-nav__signout .kern-label')).fontWeight`)
	if link != button {
		t.Errorf("Mein Konto in weight %s, Abmelden in %s", link, button)
	}
}

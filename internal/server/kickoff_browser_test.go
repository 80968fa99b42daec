package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
	"rii/internal/demo"
	"rii/internal/pgtest"
	"rii/internal/store"
	"rii/migrations"
)

// demoPortal is a portal on a database holding exactly the demo content
// that `make run` seeds.
func demoPortal(t *testing.T) string {
	t.Helper()
	pool := pgtest.NewPool(t)
	if _, err := demo.Seed(t.Context(), store.New(pool)); err != nil {
		t.Fatal(err)
	}
	srv, err := New(pool, Options{Config: testConfig(t), Logger: testLogger(), SchemaVersion: migrations.Latest(),
		Clock: newTestClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL
}

// texts returns the trimmed text of every element matching selector.
func texts(t *testing.T, ctx context.Context, selector string) []string {
	t.Helper()
	js := `Array.from(document.querySelectorAll(` + jsString(selector) + `)).map(e => e.textContent.replace(/\s+/g, " ").trim())`
	scripts(t, ctx, true)
	defer scripts(t, ctx, false)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatalf("reading %s: %v", selector, err)
	}
	return out
}

// attrs returns the attribute of every element matching selector.
func attrs(t *testing.T, ctx context.Context, selector, attr string) []string {
	t.Helper()
	js := `Array.from(document.querySelectorAll(` + jsString(selector) + `)).map(e => e.getAttribute(` + jsString(attr) + `) || "")`
	scripts(t, ctx, true)
	defer scripts(t, ctx, false)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatalf("reading %s[%s]: %v", selector, attr, err)
	}
	return out
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

// wantAll fails for each wanted string that no element's text contains.
func wantAll(t *testing.T, part string, got []string, want ...string) {
	t.Helper()
	joined := strings.Join(got, " | ")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("%s: %q missing in %q", part, w, joined)
		}
	}
}

// TestKickOffReportInTheBrowser opens the demo's report of the kick-off
// event of 16 March 2021 in Chromium with page scripts switched off and
// checks every part the reference report has: kicker, title, subtitle, the
// event's facts, the sections under their headings, both "In Kürze" boxes,
// the quote, the "Mehr zum Thema" links and the contact; then the event
// page with its programme, speakers, presenting initiatives, five workshops
// and the link to the report. axe-core finds nothing on either page.
func TestKickOffReportInTheBrowser(t *testing.T) {
	t.Parallel()
	base := demoPortal(t)
	ctx := browsertest.Shared(t).Tab(t)
	scripts(t, ctx, false)

	browsertest.Navigate(t, ctx, base+"/berichte/"+demo.KickOffSlug)
	for part, want := range map[string]string{
		"report-kicker":   "Regionale Initiativen stärken",
		"report-title":    "„Zusammenwachsen – für Stabilität und Zukunft!“",
		"report-subtitle": "Auftaktveranstaltung zu Zukunftsthemen der Industrie",
	} {
		if got := texts(t, ctx, `[data-testid="`+part+`"]`); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", part, got, want)
		}
	}
	if got := texts(t, ctx, "h1"); len(got) != 1 {
		t.Errorf("%d h1 elements, want the title alone", len(got))
	}
	wantAll(t, "facts", texts(t, ctx, `[data-testid="report-facts"]`),
		"16. März 2021", "Auftaktveranstaltung", "Digital", "auf Einladung des Bundesministeriums für Wirtschaft und Energie (BMWi)", "170")
	wantAll(t, "sections", texts(t, ctx, `[data-testid="report-body"] h2`),
		"Regionale Akteure gezielt vernetzen – Bündnis „Zukunft der Industrie“",
		"Die Herausforderungen der Zukunft gemeinsam adressieren",
		"Regionale Initiativen unterstützen und erweitern",
		"Mehr Vernetzung, mehr Austausch zwischen den regionalen Akteuren")
	wantAll(t, "subsection", texts(t, ctx, `[data-testid="report-body"] h3`), "Eine Industriedialogstruktur in Deutschland etablieren")
	wantAll(t, "body", texts(t, ctx, `[data-testid="report-body"] p`),
		"nahmen 170 Besucherinnen und Besucher teil", "zum 1. Januar 2021 durch das BMWi eingerichtet",
		"Dr. Winfried Horstmann, Abteilungsleiter Industriepolitik im BMWi", "Dr. Joachim Lang (BDI) und Wolfgang Lemb (IG Metall)",
		"wie durch verschiedene Veranstaltungsformate der ökonomische", "in den nächsten zwei Jahren")

	boxes := texts(t, ctx, `[data-testid="report-box-kurz"]`)
	if len(boxes) != 2 {
		t.Errorf("%d In-Kürze boxes, want 2: %q", len(boxes), boxes)
	}
	wantAll(t, "In Kürze", boxes, "In Kürze Ziel: Die Kommunikation der Akteure untereinander zu Zukunftsthemen unterstützen.",
		"Auch junge Zielgruppen werden angesprochen und motiviert – z. B. mit der Initiative „industry@work“.")
	wantAll(t, "box headings", texts(t, ctx, `[data-testid="report-box-kurz"] h3`), "In Kürze")
	wantAll(t, "quote", texts(t, ctx, `[data-testid="report-quote"] blockquote`),
		"Wie sieht Ihre Vision einer zukunftsfähigen Industrie in Deutschland aus?")
	wantAll(t, "quote source", texts(t, ctx, `[data-testid="report-quote"] figcaption`), "Frage an das Publikum der Paneldiskussion")
	wantAll(t, "Mehr zum Thema", texts(t, ctx, `[data-testid="report-more"] h3`), "Mehr zum Thema")
	wantAll(t, "Mehr zum Thema links", attrs(t, ctx, `[data-testid="report-more"] a`, "href"),
		"mailto:Service-RII@dihk.de", "http://t1p.de/Industrieinitiativen")
	wantAll(t, "contact", texts(t, ctx, `[data-testid="report-contact"]`),
		"Dirk von der Hude", "Referat: Grundsatzfragen der Industriepolitik", "schlaglichter@bmwi.bund.de")
	wantAll(t, "contact link", attrs(t, ctx, `[data-testid="report-contact"] a`, "href"), "mailto:schlaglichter@bmwi.bund.de")
	noAxeViolations(t, ctx, "kick-off report")

	// The event page, reached from the report by keyboard.
	browsertest.Submit(t, ctx, `[data-testid="report-facts"] a[href="/veranstaltungen/`+demo.KickOffSlug+`"]`)
	if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/veranstaltungen/"+demo.KickOffSlug) {
		t.Fatalf("Enter on the event link led to %s", loc)
	}
	wantAll(t, "event facts", texts(t, ctx, `[data-testid="event-facts"]`), "Dienstag, 16. März 2021", "Digital", "170")
	wantAll(t, "sample note", texts(t, ctx, `[data-testid="sample-note"]`), "Beispieldaten")
	items := texts(t, ctx, `[data-testid="programme-item"]`)
	wantAll(t, "programme", items, "Einführung", "Dr. Winfried Horstmann", "Abteilungsleiter Industriepolitik im BMWi",
		"Dr. Joachim Lang", "Wolfgang Lemb", "Die Herausforderungen der Zukunft gemeinsam adressieren",
		"Klaus Uwe Scheifler", "Ralf Bollenberg", "Dr. Dirk Lüerßen", "Dr. Olaf Breuer", "Fünf parallele Workshops")
	wantAll(t, "presenting", attrs(t, ctx, `[data-testid="presenting"] a`, "href"),
		"/initiativen/industrie-gemeinsam-zukunft-leben", "/initiativen/industry-at-work",
		"/initiativen/wachstumsregion-ems-achse", "/initiativen/chemie-und-pharma-am-hochrhein")
	if ws := texts(t, ctx, `[data-testid="workshop"]`); len(ws) != 5 {
		t.Errorf("%d workshops, want the five parallel ones", len(ws))
	}
	if marks := texts(t, ctx, `[data-testid="workshop"] [data-testid="sample-mark"]`); len(marks) != 5 {
		t.Errorf("%d workshops marked as sample data, want 5", len(marks))
	}
	wantAll(t, "report teaser", attrs(t, ctx, `[data-testid="report-teaser"] a`, "href"), "/berichte/"+demo.KickOffSlug)
	noAxeViolations(t, ctx, "kick-off event")
}

package server

import (
	"testing"

	"github.com/chromedp/chromedp/kb"

	"rii/internal/browsertest"
)

// TestEditorBuildsAnEventInTheBrowser follows an editor in Chromium from
// the administration's start page: a new event (first with its end before
// its start), a programme item with a speaker and a presenting initiative,
// a workshop, and the publication. Every state passes axe-core and logs no
// console error. Links, text fields, selects and buttons are used by
// keyboard; only date and time inputs are set by script, because how they
// take typed digits depends on the browser's locale.
func TestEditorBuildsAnEventInTheBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent() // for the speaker, a public contact
	base := w.ts.URL
	ed := newFlowTab(t, b.Tab(t), base, "editor")
	browserSignIn(t, ed.ctx, base, w, "editor")
	setValue := func(selector, value string) {
		t.Helper()
		flowJS[bool](t, ed.ctx, `(() => { document.querySelector(`+quoteJSString(selector)+`).value = `+quoteJSString(value)+`; return true })()`)
	}
	follow := func(selector string) {
		t.Helper()
		browsertest.TabTo(t, ed.ctx, selector)
		browsertest.Press(t, ed.ctx, kb.Enter)
	}

	browsertest.Navigate(t, ed.ctx, base+"/verwaltung")
	follow(`main a[href="/verwaltung/veranstaltungen"]`)
	ed.at("/verwaltung/veranstaltungen")
	ed.check("event list")
	follow(`[data-testid=new-event]`)
	ed.at("/verwaltung/veranstaltungen/neu")
	ed.check("new event form")

	browsertest.Fill(t, ed.ctx, "#feld-titel", "Regionalkonferenz Süd")
	setValue("#feld-beginn_datum", "2027-03-16")
	setValue("#feld-beginn_zeit", "09:30")
	setValue("#feld-ende_zeit", "08:00")
	browsertest.Fill(t, ed.ctx, "#feld-veranstalter", "Service-Stelle RII")
	browsertest.Submit(t, ed.ctx, `[data-testid=event-form] button[type=submit]`)
	ed.check("new event form with its end before its start")
	ed.wantSummary("#feld-ende_datum", "Das Ende muss nach dem Beginn liegen.")
	ed.wantFieldError("feld-ende_datum", "Das Ende muss nach dem Beginn liegen.")
	if got := flowJS[string](t, ed.ctx, `document.querySelector('#feld-titel').value`); got != "Regionalkonferenz Süd" {
		t.Errorf("after the refusal the title holds %q", got)
	}
	setValue("#feld-ende_zeit", "16:00")
	browsertest.Submit(t, ed.ctx, `[data-testid=event-form] button[type=submit]`)
	ed.check("event page after creating it")
	ed.wantText("[data-testid=status]", "Entwurf")
	eventPath := browsertest.Location(t, ed.ctx)

	follow(`[data-testid=programme] a[href$="/programm/neu"]`)
	ed.check("new programme item form")
	browsertest.Fill(t, ed.ctx, "#feld-titel", "Begrüßung und Einführung")
	setValue("#feld-beginn_zeit", "09:30")
	// The speaker by search: tick the result, then search the initiative,
	// which shows the speaker chosen with a field for the function.
	speaker := itoa(w.event.SpeakerID)
	browsertest.Fill(t, ed.ctx, "#feld-personen-suche", "Rednerin")
	browsertest.Submit(t, ed.ctx, `[data-testid=picker-personen] button[name=suchen]`)
	ed.check("programme item form with the people found")
	tick(t, ed.ctx, "#feld-personen-treffer-"+speaker)
	browsertest.Fill(t, ed.ctx, "#feld-initiativen-suche", "Initiative A")
	browsertest.Submit(t, ed.ctx, `[data-testid=picker-initiativen] button[name=suchen]`)
	browsertest.Fill(t, ed.ctx, "#feld-personen-zusatz-"+speaker, "Abteilungsleiterin Industriepolitik")
	tick(t, ed.ctx, "#feld-initiativen-treffer-"+itoa(w.initA))
	browsertest.Submit(t, ed.ctx, `[data-testid=part-form] button[type=submit]:not([name])`)
	ed.at(eventPath)
	ed.check("event page with its programme item")
	ed.wantText("[data-testid=programme-item]", "Dr. Erika Rednerin (Abteilungsleiterin Industriepolitik)")
	ed.wantText("[data-testid=programme-item]", "Initiativen: Initiative A")

	follow(`[data-testid=workshops] a[href$="/workshops/neu"]`)
	ed.check("new workshop form")
	browsertest.Fill(t, ed.ctx, "#feld-titel", "Werkstatt Fachkräfte")
	setValue("#feld-beginn_zeit", "07:00")
	setValue("#feld-ende_zeit", "08:00")
	browsertest.Submit(t, ed.ctx, `[data-testid=part-form] button[type=submit]:not([name])`)
	ed.check("workshop form with the workshop before the event")
	ed.wantFieldError("feld-beginn_zeit", "Der Workshop muss innerhalb der Veranstaltung liegen: 16.03.2027, 09:30 bis 16:00 Uhr.")
	setValue("#feld-beginn_zeit", "13:00")
	setValue("#feld-ende_zeit", "14:30")
	browsertest.Submit(t, ed.ctx, `[data-testid=part-form] button[type=submit]:not([name])`)
	ed.at(eventPath)
	ed.check("event page with its workshop")
	ed.wantText("[data-testid=workshop]", "Werkstatt Fachkräfte")

	browsertest.Submit(t, ed.ctx, `[data-testid=publish-form] button[type=submit]`)
	ed.check("publishing asks for confirmation")
	browsertest.Submit(t, ed.ctx, `[data-testid="publish-confirm-form"] button[type=submit]`)
	ed.check("event page after publishing")
	ed.wantText("[data-testid=status]", "veröffentlicht")
	ed.wantText("[data-testid=flash]", "veröffentlicht")
}

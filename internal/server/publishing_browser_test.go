package server

import (
	"testing"

	"github.com/chromedp/chromedp/kb"

	"rii/internal/browsertest"
)

// TestPublishingInBrowser walks the Service-Stelle's publishing by keyboard
// in Chromium: the draft's preview, the confirmation, publishing, taking it
// back to draft; then a report published before its event ended, with the
// extra confirmation. Every state passes axe-core.
func TestPublishingInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	p := w.addDraftEvent()
	base := w.ts.URL
	admin := "/verwaltung/veranstaltungen/" + itoa(p.EventID)

	ed := newFlowTab(t, b.Tab(t), base, "editor")
	browserSignIn(t, ed.ctx, base, w, "editor")
	browsertest.Navigate(t, ed.ctx, base+admin)
	ed.check("draft event")
	ed.wantText(`[data-testid="event-hidden"]`, "Vera Vertraulich")

	follow := func(selector string) {
		t.Helper()
		browsertest.TabTo(t, ed.ctx, selector)
		browsertest.Press(t, ed.ctx, kb.Enter)
	}
	follow(`[data-testid="event-preview-link"]`)
	ed.at("/veranstaltungen/" + p.Slug)
	ed.check("event preview")
	ed.wantText(`[data-testid="preview-banner"] .kern-title`, "Vorschau – nicht veröffentlicht")
	ed.wantText(`[data-testid="preview-hidden"]`, "Vera Vertraulich")

	follow(`[data-testid="preview-publish"]`)
	ed.at(admin + "/veroeffentlichen")
	ed.check("confirm publishing")
	browsertest.Submit(t, ed.ctx, `[data-testid="publish-confirm-form"] button[type=submit]`)
	ed.at(admin)
	ed.check("event published")
	ed.wantText(`[data-testid="status"]`, "veröffentlicht")

	browsertest.Submit(t, ed.ctx, `[data-testid="unpublish-form"] button[type=submit]`)
	ed.at(admin)
	ed.check("event back to draft")
	ed.wantText(`[data-testid="status"]`, "Entwurf")
	ed.wantText(`[data-testid="status-history"]`, "veröffentlicht → Entwurf")

	// Publish again, then the report before the event ends.
	browsertest.Submit(t, ed.ctx, `[data-testid="publish-form"] button[type=submit]`)
	ed.at(admin + "/veroeffentlichen")
	browsertest.Submit(t, ed.ctx, `[data-testid="publish-confirm-form"] button[type=submit]`)
	ed.at(admin)
	browsertest.Navigate(t, ed.ctx, base+admin+"/bericht")
	browsertest.Submit(t, ed.ctx, `button[name="aktion"][value="veroeffentlichen"]`)
	ed.at(admin + "/bericht/veroeffentlichen")
	ed.check("confirm an early report")
	ed.wantText(`[data-testid="publish-early"]`, "endet erst am")
	browsertest.Submit(t, ed.ctx, `[data-testid="publish-confirm-form"] button[type=submit]`)
	ed.check("early report not confirmed")
	ed.wantSummary("#feld-vorzeitig", "noch nicht vorbei")
	browsertest.TabTo(t, ed.ctx, `#feld-vorzeitig-ja`)
	browsertest.Keys(t, ed.ctx, " ")
	browsertest.Submit(t, ed.ctx, `[data-testid="publish-confirm-form"] button[type=submit]`)
	ed.at(admin + "/bericht")
	ed.check("report published")
	ed.wantText(`[data-testid="flash"]`, "veröffentlicht")
}

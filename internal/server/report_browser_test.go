package server

import (
	"strings"
	"testing"

	"rii/internal/browsertest"
)

// TestReportEditorInBrowser writes a report in Chromium by keyboard: the
// preview state and the saved state pass axe-core, the preview shows the
// extensions, nothing typed is lost; then the public report page, with
// page scripts switched off, shows every part and passes axe-core.
func TestReportEditorInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent()
	base := w.ts.URL
	path := editorPath(w.event.ID)
	// Typed at the start of the text, before the fixture's section.
	const body = "::: kurz\nZiel: Vernetzen.\n:::\n\n> Vernetzung ist entscheidend.\n> -- Wolfgang Lemb\n\n::: mehr\n[Service-Stelle](mailto:Service-RII@dihk.de)\n:::\n\n"

	admin := newFlowTab(t, b.Tab(t), base, "admin")
	browserSignIn(t, admin.ctx, base, w, "admin")
	browsertest.Navigate(t, admin.ctx, base+path)
	browsertest.Fill(t, admin.ctx, "#feld-text", body)
	browsertest.Submit(t, admin.ctx, `button[name="aktion"][value="vorschau"]`)
	admin.check("report preview")
	admin.at(path)
	admin.wantText(`[data-testid="report-preview"] h2`, "Vorschau – noch nicht gespeichert")
	admin.wantText(`[data-testid="report-preview"] [data-testid="report-box-kurz"] h3`, "In Kürze")
	admin.wantText(`[data-testid="report-preview"] [data-testid="report-quote"] figcaption`, "Wolfgang Lemb")
	admin.wantText(`[data-testid="report-preview"] [data-testid="report-more"] h3`, "Mehr zum Thema")
	typed := flowJS[string](t, admin.ctx, `document.querySelector('#feld-text').value`)
	if typed != body+"## Ergebnisse\n\nViel Energie." {
		t.Errorf("the textarea after the preview holds %q", typed)
	}

	browsertest.Submit(t, admin.ctx, `button[name="aktion"][value="speichern"]`)
	admin.check("report saved")
	admin.wantText(`[data-testid="flash"]`, "gespeichert")

	visitor := b.Tab(t)
	scripts(t, visitor, false)
	browsertest.Navigate(t, visitor, base+"/berichte/"+w.event.Slug)
	for id, want := range map[string]string{
		"report-kicker": "Testbericht", "report-title": "Der Testdialog", "report-subtitle": "Was besprochen wurde",
		"report-facts": "10. Dezember 2026", "report-body": "Viel Energie.", "report-box-kurz": "Ziel: Vernetzen.",
		"report-quote": "Vernetzung ist entscheidend.", "report-more": "Service-Stelle", "report-contact": "Dr. Erika Rednerin",
	} {
		if got := browsertest.Text(t, visitor, `[data-testid="`+id+`"]`); !strings.Contains(got, want) {
			t.Errorf("without JavaScript, %s shows %q, want %q in it", id, got, want)
		}
	}
	noAxeViolations(t, visitor, "report page without JavaScript")
}

package server

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"rii/internal/browsertest"
)

// TestProposalReviewLoopByKeyboard follows a visitor's proposal through the
// whole review conversation in Chromium, keyboard only, with axe-core and
// the page checks in every state: the visitor proposes from the start page
// (first with a mistake), confirms through the e-mailed link, the editors
// are told, an editor returns it with a comment (first forgetting it), the
// proposer – now an invited member – sets a password, sees the comment,
// edits and resubmits, the editor publishes, the member is told, and the
// history lists every step with the comment.
func TestProposalReviewLoopByKeyboard(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	base := w.ts.URL
	const (
		email    = "erika.beispiel@beispiel.example"
		slug     = "netzwerk-oberlausitz"
		comment  = "Bitte nennen Sie die Website der Initiative."
		password = "Oberlausitz-Netzwerk-Fahrrad-2026"
	)
	ed := w.users["editor"].Email

	// 1. The visitor finds the form from the start page.
	visitor := newFlowTab(t, b.Tab(t), base, "visitor")
	browsertest.Navigate(t, visitor.ctx, base+"/")
	visitor.check("start page")
	browsertest.Submit(t, visitor.ctx, `main a[href="/initiativen/vorschlagen"]`)
	visitor.check("proposal form")
	visitor.at("/initiativen/vorschlagen")
	browsertest.Fill(t, visitor.ctx, "#feld-ihr_name", "Erika Beispiel")
	browsertest.Fill(t, visitor.ctx, "#feld-ihre_email", "erika.beispiel.beispiel.example")
	browsertest.Fill(t, visitor.ctx, "#feld-name", "Netzwerk Oberlausitz")
	browsertest.Fill(t, visitor.ctx, "#feld-kurzbeschreibung", "Unternehmen halten Fachkräfte in der Region.")
	browsertest.TabTo(t, visitor.ctx, `[data-testid="land-14"] > summary`)
	browsertest.Keys(t, visitor.ctx, kb.Enter) // opens Sachsen
	browsertest.TabTo(t, visitor.ctx, "#kreis-14626")
	browsertest.Keys(t, visitor.ctx, " ")
	browsertest.TabTo(t, visitor.ctx, "#feld-themen-fachkraefte")
	browsertest.Keys(t, visitor.ctx, " ")
	browsertest.TabTo(t, visitor.ctx, "#feld-einwilligung")
	browsertest.Keys(t, visitor.ctx, " ")
	browsertest.Submit(t, visitor.ctx, `form[data-testid=proposal-form] button[type=submit]:not([name])`)
	visitor.check("proposal form with an invalid address")
	visitor.wantSummary("#feld-ihre_email", "E-Mail-Adresse")
	visitor.wantFieldError("feld-ihre_email", "E-Mail-Adresse")
	if n := flowJS[int](t, visitor.ctx, `document.querySelectorAll('#gewaehlt-kreise-14626:checked, #feld-themen-fachkraefte:checked, #feld-einwilligung:checked').length`); n != 3 {
		t.Errorf("after the error %d of 3 choices are kept", n)
	}
	browsertest.TabTo(t, visitor.ctx, `#fehler a[href="#feld-ihre_email"]`)
	flowPress(t, visitor.ctx, kb.Enter)
	if !flowEventually(t, visitor.ctx, `document.activeElement && document.activeElement.id === 'feld-ihre_email'`) {
		t.Fatal("the error summary does not lead to the field")
	}
	if err := chromedp.Do(visitor.ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	browsertest.Type(t, visitor.ctx, email)
	browsertest.Submit(t, visitor.ctx, `form[data-testid=proposal-form] button[type=submit]:not([name])`)
	visitor.check("proposal sent")
	visitor.at("/initiativen/vorschlagen/gesendet")
	w.wantMails(ed) // not before the address is confirmed

	// 2. The link from the e-mail, confirmed with the button.
	_, body := w.lastMail(email)
	m := proposalLinkPath.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no confirmation link:\n%s", body)
	}
	browsertest.Navigate(t, visitor.ctx, base+m[1])
	visitor.check("confirmation page")
	browsertest.Submit(t, visitor.ctx, `main form button[type=submit]`)
	visitor.check("proposal confirmed")
	visitor.at("/initiativen/vorschlagen/bestaetigt")
	w.wantMails(ed, "Neuer Vorschlag zur Prüfung: Netzwerk Oberlausitz")

	// 3. The editor returns it, first without the required comment.
	editor := newFlowTab(t, b.Tab(t), base, "editor")
	browserSignIn(t, editor.ctx, base, w, "editor")
	browsertest.Navigate(t, editor.ctx, base+"/verwaltung/initiativen?status=submitted")
	editor.check("proposals waiting for review")
	browsertest.Submit(t, editor.ctx, `a[href="/initiativen/`+slug+`/verlauf"]`)
	editor.check("review page of the proposal")
	editor.wantText(`[data-testid=proposer]`, email)
	browsertest.Submit(t, editor.ctx, `[data-testid=return-form] button[value=zurueckgeben]`)
	editor.check("return without a comment")
	editor.wantSummary("#feld-kommentar", "was sie ändern soll")
	editor.wantFieldError("feld-kommentar", "was sie ändern soll")
	browsertest.Fill(t, editor.ctx, "#feld-kommentar", comment)
	browsertest.Submit(t, editor.ctx, `[data-testid=return-form] button[value=zurueckgeben]`)
	editor.check("review page after returning")
	editor.at("/initiativen/" + slug + "/verlauf")
	editor.wantText("[data-testid=flash]", "liegt im Postausgang")

	// 4. The proposer is invited with the comment, sets a password, edits
	// and hands the profile in again.
	_, body = w.lastMail(email)
	if !strings.Contains(body, comment) {
		t.Errorf("the invitation does not carry the comment:\n%s", body)
	}
	inv := regexp.MustCompile(`https?://\S+(/einladung/[A-Za-z0-9_-]+)`).FindStringSubmatch(body)
	if inv == nil {
		t.Fatalf("no invitation link:\n%s", body)
	}
	member := newFlowTab(t, b.Tab(t), base, "proposer")
	browsertest.Navigate(t, member.ctx, base+inv[1])
	member.check("invitation")
	browsertest.Fill(t, member.ctx, "#feld-passwort", password)
	browsertest.Fill(t, member.ctx, "#feld-wiederholung", password)
	browsertest.Submit(t, member.ctx, `main form button[type=submit]`)
	// Setting the password signs the new member in and leads to the
	// (unpublished) profile, with the way to the form.
	member.check("the proposal's profile after the invitation")
	member.at("/initiativen/" + slug)
	member.wantText("[data-testid=flash]", "Sie sind angemeldet")
	browsertest.Submit(t, member.ctx, `main a[href="/initiativen/`+slug+`/bearbeiten"]`)
	member.check("edit page with the comment")
	member.wantText(`[data-testid=review-comment]`, comment)
	member.wantText(`button[value=einreichen]`, "Erneut zur Prüfung einreichen")
	browsertest.Fill(t, member.ctx, "#feld-website", "https://www.oberlausitz.example")
	browsertest.Submit(t, member.ctx, `button[value=einreichen]`)
	member.check("edit page after resubmitting")
	member.at("/initiativen/" + slug + "/bearbeiten")
	member.wantText("[data-testid=flash]", "erneut zur Prüfung eingereicht")
	if n := flowJS[int](t, member.ctx, `document.querySelectorAll('[data-testid=review-comment], button[value=einreichen]').length`); n != 0 {
		t.Error("after resubmitting the member still sees the comment or the button")
	}
	w.wantMails(ed, "Neuer Vorschlag zur Prüfung: Netzwerk Oberlausitz", "Erneut zur Prüfung eingereicht: Netzwerk Oberlausitz")

	// 5. The editor publishes; the member is told; the history tells all.
	browsertest.Navigate(t, editor.ctx, base+"/initiativen/"+slug+"/verlauf")
	editor.check("review page of the resubmitted proposal")
	browsertest.Submit(t, editor.ctx, `[data-testid=status-form] button[value=veroeffentlichen]`)
	editor.check("review page after publishing")
	editor.wantText(`[data-testid=status]`, "veröffentlicht")
	w.wantMails(email, "Bitte bestätigen Sie Ihren Vorschlag „Netzwerk Oberlausitz“", "Rückfrage zu Ihrer Initiative „Netzwerk Oberlausitz“",
		"Ihre Initiative „Netzwerk Oberlausitz“ ist veröffentlicht")
	w.wantLink(email, "/initiativen/"+slug)
	history := browsertest.Text(t, editor.ctx, `[data-testid=revisions]`)
	for _, step := range []string{"Veröffentlicht – ", "Person editor", "Erneut zur Prüfung eingereicht – ", "Erika Beispiel",
		"Bearbeitet – ", "Zurückgegeben – ", comment, "Angelegt – ", "Erika Beispiel (Vorschlag ohne Konto)"} {
		if !strings.Contains(history, step) {
			t.Errorf("the history lacks %q:\n%s", step, history)
		}
	}
	browsertest.Navigate(t, visitor.ctx, base+"/initiativen/"+slug)
	visitor.check("the published profile")
	visitor.wantText("main", "https://www.oberlausitz.example")
}

package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rii/internal/config"
)

// mails lists the subjects of the outbox messages to an address, oldest
// first.
func (w *world) mails(to string) []string {
	w.t.Helper()
	rows, err := w.pool.Query(context.Background(), `SELECT subject FROM outbox WHERE recipient = $1 ORDER BY id`, to)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// wantMails checks the subjects of every e-mail to an address so far:
// each step told exactly once, nothing else.
func (w *world) wantMails(to string, subjects ...string) {
	w.t.Helper()
	got := w.mails(to)
	if strings.Join(got, "\n") != strings.Join(subjects, "\n") {
		w.t.Errorf("e-mails to %s:\n  %s\nwant:\n  %s", to, strings.Join(got, "\n  "), strings.Join(subjects, "\n  "))
	}
}

// wantLink checks that the newest e-mail to an address links to path.
func (w *world) wantLink(to, path string, more ...string) {
	w.t.Helper()
	_, body := w.lastMail(to)
	if !strings.Contains(body, w.srv.link(path)+"\n") { // the whole address, not a longer one
		w.t.Errorf("the e-mail to %s does not link to %s:\n%s", to, path, body)
	}
	for _, m := range more {
		if !strings.Contains(body, m) {
			w.t.Errorf("the e-mail to %s does not say %q:\n%s", to, m, body)
		}
	}
}

// TestReviewConversationNotifiesEachStepOnce follows a member's proposal
// through return, resubmission, publication and archiving: each step
// writes exactly one e-mail to the right people with the right link, the
// member sees the comment until resubmitting, and the history names every
// step with the comment.
func TestReviewConversationNotifiesEachStepOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	member, editor := w.client(), w.client()
	w.signIn(member, "member-a")
	w.signIn(editor, "editor")
	ed, mem := w.users["editor"].Email, w.users["member-a"].Email
	const slug = "zukunft-lausitz"

	res := member.PostForm("/initiativen/neu", url.Values{"name": {"Zukunft Lausitz"}, "kreise": {"12071"}}).WantStatus(http.StatusSeeOther)
	if !strings.Contains(member.Get(res.Header.Get("Location")).Text(`[data-testid="flash"]`), "meldet sich, sobald sie veröffentlicht ist") {
		t.Error("the member is not told what happens next")
	}
	w.wantMails(ed, "Neuer Vorschlag zur Prüfung: Zukunft Lausitz")
	w.wantLink(ed, "/initiativen/"+slug+"/verlauf", "Person member-a")
	w.wantMails(w.users["admin"].Email) // admins are not the Service-Stelle's reviewers

	// The return form says the comment is required, not optional.
	page := editor.Get("/initiativen/" + slug + "/verlauf").WantStatus(http.StatusOK)
	if page.Find(`[data-testid="return-form"] textarea[name="kommentar"][required]`).Length() != 1 ||
		strings.Contains(page.Text(`[data-testid="return-form"]`), "optional") {
		t.Errorf("the return form's comment field: %q", page.Text(`[data-testid="return-form"]`))
	}
	editor.PostForm("/initiativen/"+slug+"/status", url.Values{"aktion": {"zurueckgeben"}, "kommentar": {"Bitte Themen ergänzen."},
		"version": {reviewedVersion(editor, slug)}}).WantStatus(http.StatusSeeOther)
	w.wantMails(mem, "Rückfrage zu Ihrer Initiative „Zukunft Lausitz“")
	w.wantLink(mem, "/initiativen/"+slug+"/bearbeiten", "Bitte Themen ergänzen.")

	// The account page leads to the form of the returned profile.
	if got := member.Get("/konto").Text(`main a[href="/initiativen/` + slug + `/bearbeiten"]`); got != "Zukunft Lausitz (Entwurf)" {
		t.Errorf("account page link to the returned profile: %q", got)
	}
	// The member sees the comment and the button to hand in again.
	edit := member.Get("/initiativen/" + slug + "/bearbeiten").WantStatus(http.StatusOK)
	if !strings.Contains(edit.Text(`[data-testid="review-comment"]`), "Bitte Themen ergänzen.") {
		t.Error("the member does not see the comment")
	}
	if got := edit.Text(`button[name="aktion"][value="einreichen"]`); got != "Erneut zur Prüfung einreichen" {
		t.Errorf("resubmit button %q", got)
	}
	form := editForm(t, edit)
	form["themen"] = []string{"energie"}
	form.Set("aktion", "speichern") // saving alone keeps the draft and the comment
	member.PostForm("/initiativen/"+slug+"/bearbeiten", form).WantStatus(http.StatusSeeOther)
	edit = member.Get("/initiativen/" + slug + "/bearbeiten")
	if edit.Find(`[data-testid="review-comment"]`).Length() != 1 {
		t.Error("the comment is gone after a save without resubmitting")
	}
	w.wantMails(ed, "Neuer Vorschlag zur Prüfung: Zukunft Lausitz")

	form = editForm(t, edit)
	form.Set("aktion", "einreichen")
	member.PostForm("/initiativen/"+slug+"/bearbeiten", form).WantStatus(http.StatusSeeOther)
	w.wantMails(ed, "Neuer Vorschlag zur Prüfung: Zukunft Lausitz", "Erneut zur Prüfung eingereicht: Zukunft Lausitz")
	w.wantLink(ed, "/initiativen/"+slug+"/verlauf")
	edit = member.Get("/initiativen/" + slug + "/bearbeiten")
	if edit.Find(`[data-testid="review-comment"]`).Length() != 0 || edit.Find(`button[value="einreichen"]`).Length() != 0 {
		t.Error("after resubmitting the member still sees the comment or the button")
	}

	editor.PostForm("/initiativen/"+slug+"/status", url.Values{"aktion": {"veroeffentlichen"},
		"version": {reviewedVersion(editor, slug)}}).WantStatus(http.StatusSeeOther)
	w.wantLink(mem, "/initiativen/"+slug, "veröffentlicht")
	editor.PostForm("/initiativen/"+slug+"/status", url.Values{"aktion": {"archivieren"},
		"version": {reviewedVersion(editor, slug)}}).WantStatus(http.StatusSeeOther)
	w.wantMails(mem, "Rückfrage zu Ihrer Initiative „Zukunft Lausitz“", "Ihre Initiative „Zukunft Lausitz“ ist veröffentlicht",
		"Ihre Initiative „Zukunft Lausitz“ ist archiviert")
	w.wantLink(mem, "/initiativen/"+slug+"/bearbeiten", "archiviert")
	w.wantMails(w.users["member-b"].Email) // not a member of this initiative

	// The history: every step, who, and the comment at the return.
	hist := editor.Get("/initiativen/" + slug + "/verlauf")
	var steps []string
	hist.Find(`[data-testid="revisions"] > li h3`).Each(func(_ int, s *goquerySel) { steps = append(steps, s.Text()) })
	want := []string{"Archiviert", "Veröffentlicht", "Erneut zur Prüfung eingereicht", "Bearbeitet", "Zurückgegeben", "Angelegt"}
	if len(steps) != len(want) {
		t.Fatalf("history:\n%s", strings.Join(steps, "\n"))
	}
	for i, s := range want {
		if !strings.Contains(steps[i], ": "+s+" – ") || !strings.Contains(steps[i], "Person ") {
			t.Errorf("history entry %d %q, want step %q with who", i, steps[i], s)
		}
	}
	if got := hist.Find(`[data-testid="revisions"] > li`).Eq(4).Find(`[data-testid="revision-comment"]`).Text(); !strings.Contains(got, "Bitte Themen ergänzen.") {
		t.Errorf("the return's comment in the history: %q", got)
	}
}

// TestNothingIsSentForAStepThatRolledBack: the e-mails are written before
// the version check, so a step refused for a stale version (409) must
// leave no e-mail behind – for the editor's steps and for resubmitting.
func TestNothingIsSentForAStepThatRolledBack(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	member, editor := w.client(), w.client()
	w.signIn(member, "member-a")
	w.signIn(editor, "editor")
	ed, mem := w.users["editor"].Email, w.users["member-a"].Email
	member.PostForm("/initiativen/neu", url.Values{"name": {"Zukunft Lausitz"}, "kreise": {"12071"}}).WantStatus(http.StatusSeeOther)
	stale := reviewedVersion(editor, "zukunft-lausitz")
	form := editForm(t, member.Get("/initiativen/zukunft-lausitz/bearbeiten"))
	member.PostForm("/initiativen/zukunft-lausitz/bearbeiten", form).WantStatus(http.StatusSeeOther) // a new version
	for _, action := range []url.Values{
		{"aktion": {"zurueckgeben"}, "kommentar": {"Zu spät."}, "version": {stale}},
		{"aktion": {"veroeffentlichen"}, "version": {stale}},
		{"aktion": {"archivieren"}, "version": {stale}},
	} {
		editor.PostForm("/initiativen/zukunft-lausitz/status", action).WantStatus(http.StatusConflict)
	}
	w.wantMails(mem)

	// Returned; the member resubmits from a page an editor has moved on from.
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"zurueckgeben"}, "kommentar": {"Bitte ergänzen."},
		"version": {reviewedVersion(editor, "zukunft-lausitz")}}).WantStatus(http.StatusSeeOther)
	old := editForm(t, member.Get("/initiativen/zukunft-lausitz/bearbeiten"))
	editor.PostForm("/initiativen/zukunft-lausitz/verlauf/1", nil).WantStatus(http.StatusSeeOther) // restore: a new version
	old.Set("aktion", "einreichen")
	member.PostForm("/initiativen/zukunft-lausitz/bearbeiten", old).WantStatus(http.StatusConflict)
	w.wantMails(ed, "Neuer Vorschlag zur Prüfung: Zukunft Lausitz")
	if got := editor.Get("/initiativen/zukunft-lausitz/verlauf").Text(`[data-testid="status"]`); got != "Entwurf" {
		t.Errorf("status after the refused resubmission %q", got)
	}
}

// TestReviewNotifyAddressReplacesTheEditors: with RII_REVIEW_NOTIFY set,
// proposals go to that address only.
func TestReviewNotifyAddressReplacesTheEditors(t *testing.T) {
	t.Parallel()
	w := newWorld(t, func(c *config.Config) { c.ReviewNotify = "service-rii@beispiel.example" })
	member := w.client()
	w.signIn(member, "member-a")
	member.PostForm("/initiativen/neu", url.Values{"name": {"Zukunft Lausitz"}, "kreise": {"12071"}}).WantStatus(http.StatusSeeOther)
	w.wantMails("service-rii@beispiel.example", "Neuer Vorschlag zur Prüfung: Zukunft Lausitz")
	w.wantMails(w.users["editor"].Email)
}

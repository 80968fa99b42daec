package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestReviewReturnPublishAndRestore(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	member, editor := w.client(), w.client()
	w.signIn(member, "member-a")
	w.signIn(editor, "editor")
	member.PostForm("/initiativen/neu", url.Values{"name": {"Zukunft Lausitz"}, "kreise": {"12071"}}).WantStatus(http.StatusSeeOther)

	list := editor.Get("/verwaltung/initiativen?status=submitted").WantStatus(http.StatusOK)
	if !strings.Contains(list.Text(`[data-testid="initiative-table"]`), "Zukunft Lausitz") {
		t.Fatal("the submission is not in the editors' list")
	}
	// Returning needs a comment; with one, the member is told by e-mail.
	v := reviewedVersion(editor, "zukunft-lausitz")
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"zurueckgeben"}, "version": {v}}).WantStatus(http.StatusUnprocessableEntity)
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"zurueckgeben"}, "kommentar": {"Bitte Themen ergänzen."}, "version": {v}}).
		WantStatus(http.StatusSeeOther)
	_, body := w.lastMail(w.users["member-a"].Email)
	if !strings.Contains(body, "Bitte Themen ergänzen.") || !strings.Contains(body, "/initiativen/zukunft-lausitz/bearbeiten") {
		t.Errorf("return mail:\n%s", body)
	}
	edit := member.Get("/initiativen/zukunft-lausitz/bearbeiten").WantStatus(http.StatusOK)
	if !strings.Contains(edit.Text(`[data-testid="review-comment"]`), "Bitte Themen ergänzen.") {
		t.Error("the member does not see the comment")
	}
	form := editForm(t, edit)
	form["themen"] = []string{"energie", "strukturwandel"}
	member.PostForm("/initiativen/zukunft-lausitz/bearbeiten", form).WantStatus(http.StatusSeeOther)

	// An action the status does not allow is refused.
	v = reviewedVersion(editor, "zukunft-lausitz")
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"loeschen"}, "version": {v}}).WantStatus(http.StatusUnprocessableEntity)
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {v}}).WantStatus(http.StatusSeeOther)
	manage := editor.Get("/initiativen/zukunft-lausitz/verlauf").WantStatus(http.StatusOK)
	if got := manage.Text(`[data-testid="status"]`); got != "veröffentlicht" {
		t.Errorf("status %q", got)
	}
	// Created, returned, edited, published: each a version.
	if n := manage.Find(`[data-testid="revisions"] > li`).Length(); n != 4 {
		t.Errorf("%d versions in the history, want 4", n)
	}
	if !strings.Contains(manage.Text(`[data-testid="revisions"]`), "Strukturwandel") {
		t.Error("the history does not show the changed topics by name")
	}
	// Restoring version 1 makes version 5 with the old topics.
	editor.PostForm("/initiativen/zukunft-lausitz/verlauf/1", nil).WantStatus(http.StatusSeeOther)
	restored := editForm(t, editor.Get("/initiativen/zukunft-lausitz/bearbeiten"))
	if restored.Get("version") != "5" || len(restored["themen"]) != 0 {
		t.Errorf("after restoring: %v", restored)
	}
	// Officials read the history but change nothing.
	off := w.client()
	w.signIn(off, "official")
	if off.Get("/initiativen/zukunft-lausitz/verlauf").WantStatus(http.StatusOK).Find(`form[action$="/status"]`).Length() != 0 {
		t.Error("officials get the review form")
	}
	off.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"archivieren"}}).WantStatus(http.StatusForbidden)
	// They reach the read-only lists from the header's "Verwaltung".
	home := off.Get("/verwaltung").WantStatus(http.StatusOK)
	if home.Find(`a[href="/verwaltung/initiativen"]`).Length() != 1 || home.Find(`a[href="/verwaltung/benutzer/einladen"]`).Length() != 0 {
		t.Error("officials' overview offers the wrong areas")
	}
	if home.Find(`nav[aria-label="Benutzerkonto"] a[href="/verwaltung"]`).Length() != 1 {
		t.Error("officials have no way to the administration from the header")
	}
}

// reviewedVersion is the version the review form on the history page sends.
func reviewedVersion(c *webtestClient, slug string) string {
	v, _ := c.Get("/initiativen/" + slug + "/verlauf").WantStatus(http.StatusOK).Find(`input[name="version"]`).Attr("value")
	return v
}

// TestPublishingIsTiedToTheReviewedVersion: a member's edit between review
// and "Veröffentlichen" makes the publish a 409 with the current page; so
// does a second editor acting on the same version.
func TestPublishingIsTiedToTheReviewedVersion(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	member, editor, other := w.client(), w.client(), w.client()
	w.signIn(member, "member-a")
	w.signIn(editor, "editor")
	w.signIn(other, "admin")
	member.PostForm("/initiativen/neu", url.Values{"name": {"Zukunft Lausitz"}, "kreise": {"12071"}}).WantStatus(http.StatusSeeOther)
	reviewed := reviewedVersion(editor, "zukunft-lausitz")
	form := editForm(t, member.Get("/initiativen/zukunft-lausitz/bearbeiten"))
	form.Set("kurzbeschreibung", "Ungeprüfter Text")
	member.PostForm("/initiativen/zukunft-lausitz/bearbeiten", form).WantStatus(http.StatusSeeOther)

	res := editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {reviewed}})
	res.WantStatus(http.StatusConflict)
	if !strings.Contains(res.Text(`[data-testid="error-summary"], .kern-alert, main`), "inzwischen geändert") {
		t.Errorf("the conflict page does not say what happened:\n%s", res.Text("main"))
	}
	w.client().Get("/initiativen/zukunft-lausitz").WantStatus(http.StatusNotFound) // nothing went live

	// Reviewed again: two editors act on the same version, the second loses.
	current := reviewedVersion(editor, "zukunft-lausitz")
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {current}}).WantStatus(http.StatusSeeOther)
	other.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"zurueckgeben"}, "kommentar": {"Nein."}, "version": {current}}).
		WantStatus(http.StatusConflict)
	if got := w.client().Get("/initiativen/zukunft-lausitz").WantStatus(http.StatusOK).Text("main"); !strings.Contains(got, "Ungeprüfter Text") {
		t.Errorf("the reviewed version is not what went live:\n%s", got)
	}
}

// TestMemberEditOfPublishedProfileGoesLive: as the README states, a linked
// member's change to a published profile is public at once (the
// Service-Stelle sees it in the history), and the profile stays published.
func TestMemberEditOfPublishedProfileGoesLive(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	member := w.client()
	w.signIn(member, "member-a")
	form := editForm(t, member.Get("/initiativen/initiative-a/bearbeiten"))
	form.Set("kurzbeschreibung", "Neu vom Mitglied")
	form.Set("kreise", "12071")
	member.PostForm("/initiativen/initiative-a/bearbeiten", form).WantStatus(http.StatusSeeOther)
	if got := w.client().Get("/initiativen/initiative-a").WantStatus(http.StatusOK).Text("main"); !strings.Contains(got, "Neu vom Mitglied") {
		t.Errorf("the member's edit is not live:\n%s", got)
	}
	editor := w.client()
	w.signIn(editor, "editor")
	if got := editor.Get("/initiativen/initiative-a/verlauf").Text(`[data-testid="status"]`); got != "veröffentlicht" {
		t.Errorf("status after the member's edit %q, want veröffentlicht", got)
	}
}

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
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"zurueckgeben"}}).WantStatus(http.StatusUnprocessableEntity)
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"zurueckgeben"}, "kommentar": {"Bitte Themen ergänzen."}}).
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
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"loeschen"}}).WantStatus(http.StatusUnprocessableEntity)
	editor.PostForm("/initiativen/zukunft-lausitz/status", url.Values{"aktion": {"veroeffentlichen"}}).WantStatus(http.StatusSeeOther)
	manage := editor.Get("/initiativen/zukunft-lausitz/verlauf").WantStatus(http.StatusOK)
	if got := manage.Text(`[data-testid="status"]`); got != "veröffentlicht" {
		t.Errorf("status %q", got)
	}
	if n := manage.Find(`[data-testid="revisions"] > li`).Length(); n != 2 {
		t.Errorf("%d versions in the history, want 2", n)
	}
	if !strings.Contains(manage.Text(`[data-testid="revisions"]`), "Strukturwandel") {
		t.Error("the history does not show the changed topics by name")
	}
	// Restoring version 1 makes version 3 with the old topics.
	editor.PostForm("/initiativen/zukunft-lausitz/verlauf/1", nil).WantStatus(http.StatusSeeOther)
	restored := editForm(t, editor.Get("/initiativen/zukunft-lausitz/bearbeiten"))
	if restored.Get("version") != "3" || len(restored["themen"]) != 0 {
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

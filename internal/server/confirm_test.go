package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestStaleProfilesAndOneClickConfirmation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	editor := w.client()
	w.signIn(editor, "editor")
	// Both fixture initiatives were published two years ago and never
	// confirmed (a fresh publication is not stale: TestStaleCountsFromPublication).
	if _, err := w.pool.Exec(t.Context(), `UPDATE initiatives SET published_at = $1`, w.clock.Now().AddDate(-2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	list := editor.Get("/verwaltung/initiativen/veraltet").WantStatus(http.StatusOK)
	if got := list.Text(`[data-testid="result-count"]`); got != "2 Profile" {
		t.Fatalf("stale count %q", got)
	}
	editor.PostForm("/verwaltung/initiativen/veraltet", url.Values{}).WantStatus(http.StatusUnprocessableEntity)
	editor.PostForm("/verwaltung/initiativen/veraltet", url.Values{"initiativen": {itoa(w.initA)}}).WantStatus(http.StatusSeeOther)
	// member-a and target are linked to Initiative A: both get a link.
	for _, key := range []string{"member-a", "target"} {
		if w.mailCount(w.users[key].Email) != 1 {
			t.Errorf("%s got %d reminders", key, w.mailCount(w.users[key].Email))
		}
	}
	if w.mailCount(w.users["member-b"].Email) != 0 {
		t.Error("a member of another initiative was reminded")
	}
	_, body := w.lastMail(w.users["member-a"].Email)
	m := regexpConfirm.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in the reminder:\n%s", body)
	}
	link := m[1]
	visitor := w.client() // no sign-in needed
	page := visitor.Get(link).WantStatus(http.StatusOK)
	if !strings.Contains(page.Text("h1"), "aktuell") {
		t.Errorf("confirmation page: %q", page.Text("h1"))
	}
	visitor.PostForm(link, nil).WantStatus(http.StatusOK)
	visitor.PostForm(link, nil).WantStatus(http.StatusNotFound) // once
	if got := editor.Get("/verwaltung/initiativen/veraltet").Text(`[data-testid="result-count"]`); got != "1 Profile" {
		t.Errorf("after confirming, stale count %q", got)
	}
	// A year later it is stale again; a member confirms from the edit page.
	w.clock.Advance(366 * 24 * time.Hour)
	member := w.client()
	w.signIn(member, "member-a")
	member.PostForm("/initiativen/initiative-a/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	other := w.client()
	w.signIn(other, "member-b")
	other.PostForm("/initiativen/initiative-a/bestaetigen", nil).WantStatus(http.StatusForbidden)
	if n := w.auditCountObject("initiative.confirmed", "initiative", w.initA); n != 2 {
		t.Errorf("%d confirmations audited, want 2", n)
	}
	// Expired links do not work.
	editor = w.client() // the old session ended with the year
	w.signIn(editor, "editor")
	editor.PostForm("/verwaltung/initiativen/veraltet", url.Values{"initiativen": {itoa(w.initB)}}).WantStatus(http.StatusSeeOther)
	_, body = w.lastMail(w.users["member-b"].Email)
	w.clock.Advance(31 * 24 * time.Hour)
	visitor.Get(regexpConfirm.FindStringSubmatch(body)[1]).WantStatus(http.StatusNotFound)
}

var regexpConfirm = mustRegexp(`https?://[^/\s]+(/bestaetigen/[A-Za-z0-9_-]+)`)

package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rii/internal/mail"
	"rii/internal/store"
)

// registrationTokenLink is any personal registration or invitation link.
var registrationTokenLink = regexp.MustCompile(`/anmeldung/(?:einladung/)?([A-Za-z0-9_-]{20,})`)

// TestRegistrationMailsHoldNoUsableLink (issue 13 on issue 9's e-mails):
// the personal links of registering, confirming, being promoted, reminded
// and invited never stand in an outbox body nor on the admin's
// Postausgang; they reach the recipient, work, and once delivered the
// database nowhere holds them.
func TestRegistrationMailsHoldNoUsableLink(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 1)
	ctx := context.Background()
	sender := &recordingSender{}
	worker := mail.NewWorker(w.st, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
	worker.Keys = w.srv.keys
	// deliver sends what is due and returns the path of the newest personal
	// link delivered to address.
	deliver := func(address string) string {
		t.Helper()
		if _, err := worker.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
		sender.mu.Lock()
		defer sender.mu.Unlock()
		for i := len(sender.sent) - 1; i >= 0; i-- {
			if m := sender.sent[i]; m.To == address {
				if strings.Contains(m.Body, store.LinkPlaceholder) {
					t.Fatalf("delivered with the placeholder:\n%s", m.Body)
				}
				if l := registrationTokenLink.FindString(m.Body); l != "" {
					return l
				}
			}
		}
		t.Fatalf("no personal link delivered to %s", address)
		return ""
	}
	c, page := w.client(), "/veranstaltungen/"+w.event.Slug

	// Registering: person 1 holds the only place and never confirms;
	// person 2 confirms onto the waiting list.
	c.PostForm(page+"/anmeldung", registrationForm(1, ws[0], question)).WantStatus(http.StatusSeeOther)
	c.PostForm(page+"/anmeldung", registrationForm(2, ws[1], question)).WantStatus(http.StatusSeeOther)
	deliver("person1@beispiel.example")
	c.PostForm(deliver("person2@beispiel.example")+"/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	// Promoted: person 1's hold lapses, person 2 gets the place.
	if err := w.srv.lapseHolds(ctx, w.clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Reminded.
	ev, err := w.st.Event(ctx, w.event.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.srv.remindRegistrations(ctx, ev.StartsAt.Add(-47*time.Hour)); err != nil {
		t.Fatal(err)
	}
	// Invited.
	w.editorClient().PostForm("/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/einladungen",
		url.Values{"liste": {"Erika Muster; erika@beispiel.example"}}).WantStatus(http.StatusSeeOther)

	// Waiting: every message with a link holds the placeholder and a sealed
	// link, no token, and the admin sees neither.
	var subjects []string
	admin := w.client()
	w.signIn(admin, "admin")
	rows, err := w.pool.Query(ctx, `SELECT id, subject, body, coalesce(secret_link, '') FROM outbox
		WHERE sent_at IS NULL AND (registration_id IS NOT NULL OR invitation_id IS NOT NULL) ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	type waiting struct {
		id                    int64
		subject, body, sealed string
	}
	var pending []waiting
	for rows.Next() {
		var m waiting
		if err := rows.Scan(&m.id, &m.subject, &m.body, &m.sealed); err != nil {
			t.Fatal(err)
		}
		pending = append(pending, m)
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	for _, m := range pending {
		subjects = append(subjects, m.subject)
		if registrationTokenLink.MatchString(m.body) || registrationTokenLink.MatchString(m.sealed) ||
			m.sealed == "" || !strings.Contains(m.body, store.LinkPlaceholder) {
			t.Errorf("waiting message %q stores a usable link or no sealed one:\n%s\nsecret %q", m.subject, m.body, m.sealed)
		}
		res := admin.Get("/verwaltung/postausgang/" + itoa(m.id)).WantStatus(http.StatusOK)
		if registrationTokenLink.MatchString(string(res.Body)) || !strings.Contains(res.Text("main"), "nur in der zugestellten E-Mail") {
			t.Errorf("the admin's view of %q shows a link or no placeholder:\n%s", m.subject, res.Text("main"))
		}
	}
	for _, want := range []string{"Warteliste", "Anmeldung bestätigt", "Erinnerung", "Einladung"} {
		if !strings.Contains(strings.Join(subjects, "\n"), want) {
			t.Errorf("no waiting %q e-mail among %q", want, subjects)
		}
	}

	// Delivered: the links reach the recipients and work; then the database
	// nowhere holds a token, nor does the admin's view.
	invitation := deliver("erika@beispiel.example")
	personal := deliver("person2@beispiel.example")
	var tokens []string
	sender.mu.Lock()
	for _, m := range sender.sent {
		for _, l := range registrationTokenLink.FindAllStringSubmatch(m.Body, -1) {
			tokens = append(tokens, l[1])
		}
	}
	sender.mu.Unlock()
	if len(tokens) < 6 {
		t.Fatalf("%d personal links delivered, want one per e-mail (6)", len(tokens))
	}
	guest := w.client()
	guest.Get(invitation).WantStatus(http.StatusOK)
	if got := guest.Get(personal).WantStatus(http.StatusOK).Text("[data-testid=registration-status]"); got != "bestätigt" {
		t.Errorf("the delivered personal link shows %q", got)
	}
	if found := w.databaseContains(tokens); len(found) > 0 {
		t.Errorf("after delivery the database still holds %v", found)
	}
	for _, m := range pending {
		body := string(admin.Get("/verwaltung/postausgang/" + itoa(m.id)).WantStatus(http.StatusOK).Body)
		for _, tok := range tokens {
			if strings.Contains(body, tok) {
				t.Errorf("the admin's view of %q shows a delivered token", m.subject)
			}
		}
	}
}

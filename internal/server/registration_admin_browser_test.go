package server

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
	"rii/internal/registration"
	"rii/internal/store"
)

// TestRegistrationAdminInBrowser opens the registration pages with
// participants in Chromium (axe, skip link, one h1, no CSP errors), then
// the check-in on a phone (390×844): no sideways scrolling, and a tap by
// keyboard leads to a page that passes axe too.
func TestRegistrationAdminInBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addEvent()
	w.pool.Exec(t.Context(), `UPDATE workshops SET capacity = 1 WHERE id = $1`, w.event.WorkshopID)
	w.exec(`UPDATE events SET registration_open = true WHERE id = $1`, w.event.ID) // invitees register only while it is open
	qid, err := w.st.AddQuestion(t.Context(), store.Question{EventID: w.event.ID, Kind: registration.QuestionYesNo,
		Label: registration.AccessibilityQuestion, Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	hash := make([]byte, 32)
	res, err := w.st.Register(t.Context(), store.NewRegistration{EventID: w.event.ID, Name: "Anna Ahorn",
		Email: "anna@beispiel.example", Organisation: "Ahornwerk", Workshops: []int64{w.event.WorkshopID},
		Answers: []store.Answer{{QuestionID: qid, Answer: registration.Yes}}, Source: registration.SourceManual,
		Confirmed: true, TokenHash: hash, Now: w.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	anna := res.Registration
	w.registerPerson("Berta Birke mit einem sehr langen Namen, der auf dem Telefon umbrechen muss", "berta@beispiel.example", w.event.WorkshopID)
	token, hash := newToken()
	if _, _, err := w.st.CreateInvitation(t.Context(), w.event.ID, store.NewInvitation{Name: "Ina Invitee",
		Email: "ina@beispiel.example", TokenHash: hash}, nil, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(w.srv.Handler())
	t.Cleanup(ts.Close)
	base := ts.URL + "/verwaltung/veranstaltungen/" + itoa(w.event.ID)

	ctx := b.Tab(t)
	browserSignIn(t, ctx, ts.URL, w, "editor")
	for _, p := range []string{"/anmeldung", "/teilnehmende", "/teilnehmende/" + itoa(anna.ID), "/einlass", "/einladungen"} {
		browsertest.CheckPage(t, ctx, base+p)
	}
	// The invitee's page, and its error state after a post without consent.
	guest := b.Tab(t)
	browsertest.CheckPage(t, guest, ts.URL+"/anmeldung/einladung/"+token)
	browsertest.Submit(t, guest, `[data-testid=accept-form] button[type=submit]`)
	if got := browsertest.Text(t, guest, "[data-testid=error-summary] a"); got == "" {
		t.Error("no error summary after accepting without consent")
	}
	if v := browsertest.Axe(t, guest); len(v) > 0 {
		t.Errorf("axe on the invitation's error state: %v", v)
	}

	phone := b.Tab(t)
	if err := chromedp.Do(phone, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, phone, ts.URL, w, "editor")
	browsertest.CheckPage(t, phone, base+"/einlass")
	wide, err := chromedp.Run(phone, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Error("the check-in page scrolls sideways at 390 px")
	}
	browsertest.Submit(t, phone, `form[action$="/einlass/`+itoa(anna.ID)+`"] button`)
	if got := browsertest.Text(t, phone, "[data-testid=attended-count] strong"); got != "1" {
		t.Errorf("after the tap the count shows %q, want 1", got)
	}
	if v := browsertest.Axe(t, phone); len(v) > 0 {
		t.Errorf("axe after the tap: %v", v)
	}
}

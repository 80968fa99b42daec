package server

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"rii/internal/browsertest"
)

// TestRegistrationFlowByKeyboard registers for the test event in Chromium,
// by keyboard only, once with scripts on and once with page scripts off:
// a refused form, the neutral answer, the personal link from the outbox,
// confirming (the online link appears), changing the workshop and
// cancelling. Every state must pass axe-core.
func TestRegistrationFlowByKeyboard(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w, _, question := registrationWorld(t, 10)
	for i, js := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		t.Run(name, func(t *testing.T) {
			ctx := b.Tab(t)
			tab := newFlowTab(t, ctx, w.ts.URL, "visitor "+name)
			check := tab.check
			if !js {
				scripts(t, ctx, false)
				check = func(state string) { noAxeViolations(t, ctx, state) }
			}
			registrationByKeyboard(t, ctx, w, question, i+1, check)
		})
	}
}

func registrationByKeyboard(t *testing.T, ctx context.Context, w *world, question string, i int, check func(string)) {
	email := "tastatur" + strconv.Itoa(i) + "@beispiel.example"
	browsertest.Navigate(t, ctx, w.ts.URL+"/veranstaltungen/"+w.event.Slug)
	check("event page with the registration form")
	browsertest.Fill(t, ctx, "#feld-name", "Tasta Tur")
	browsertest.Fill(t, ctx, "#feld-email", email)
	// A radio group is one tab stop: Space chooses the first option.
	browsertest.TabTo(t, ctx, "#feld-workshop-1-0")
	browsertest.Keys(t, ctx, " ")
	browsertest.TabTo(t, ctx, "#"+"feld-"+question+"-0")
	browsertest.Keys(t, ctx, " ")
	browsertest.Submit(t, ctx, `form[data-testid="registration-form"] button[type=submit]`)
	check("registration form without consent")
	if got := browsertest.Text(t, ctx, "#fehler"); !strings.Contains(got, "Verarbeitung Ihrer Angaben") {
		t.Fatalf("error summary %q", got)
	}
	browsertest.TabTo(t, ctx, "#feld-einwilligung")
	browsertest.Keys(t, ctx, " ")
	browsertest.Submit(t, ctx, `form[data-testid="registration-form"] button[type=submit]`)
	check("registration sent")
	if browsertest.Text(t, ctx, `[data-testid="registration-sent"] h1`) != "Fast geschafft" {
		t.Fatalf("after registering: %s", browsertest.Location(t, ctx))
	}

	browsertest.Navigate(t, ctx, w.ts.URL+w.personalPath(email))
	check("personal page, pending")
	browsertest.Submit(t, ctx, `form[action$="/bestaetigen"] button[type=submit]`)
	check("personal page, confirmed")
	if got := browsertest.Text(t, ctx, `[data-testid="registration-status"]`); got != "bestätigt" {
		t.Fatalf("status after confirming: %q", got)
	}
	if got := browsertest.Text(t, ctx, `[data-testid="online-link"]`); got != "https://konferenz.beispiel.example/testdialog" {
		t.Errorf("online link %q", got)
	}
	// The workshop: arrow keys move the choice within the group.
	browsertest.TabTo(t, ctx, `form[action$="/workshop"] input[type=radio]:checked`)
	browsertest.Keys(t, ctx, kb.ArrowDown)
	browsertest.Submit(t, ctx, `form[action$="/workshop"] button[type=submit]`)
	check("personal page, workshop changed")
	if got := browsertest.Text(t, ctx, `[data-testid="registration-notice"]`); got != "Ihre Workshop-Wahl ist gespeichert." {
		t.Errorf("after changing the workshop: %q", got)
	}
	if got := browsertest.Text(t, ctx, `form[action$="/workshop"] input[type=radio]:checked + label`); got != "Werkstatt Fachkräfte" {
		t.Errorf("chosen workshop now %q", got)
	}
	browsertest.Submit(t, ctx, `form[action$="/stornieren"] button[type=submit]`)
	check("cancel without the tick")
	browsertest.TabTo(t, ctx, "#feld-sicher")
	browsertest.Keys(t, ctx, " ")
	browsertest.Submit(t, ctx, `form[action$="/stornieren"] button[type=submit]`)
	check("personal page, cancelled")
	if got := browsertest.Text(t, ctx, `[data-testid="registration-status"]`); got != "storniert" {
		t.Errorf("status after cancelling: %q", got)
	}
}

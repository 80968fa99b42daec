package server

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"rii/internal/browsertest"
)

// maxFormHeight is the most a form with a picker may measure at 1,280 px
// wide, with 1,000 initiatives, 400 districts and 500 contacts to choose
// from (issue 16: the profile form measured 21,700 px).
const maxFormHeight = 4000

// pickerWorld is a portal with 1,000 generated initiatives, the 400
// districts, 500 generated contact persons, the fixture's event and the
// Wachstumsregion Ems-Achse.
func pickerWorld(t *testing.T) (*world, int64) {
	t.Helper()
	w := newWorld(t)
	w.addEvent()
	ctx := t.Context()
	if err := w.st.InsertSyntheticInitiatives(ctx, 1000, 16); err != nil {
		t.Fatal(err)
	}
	if err := w.st.InsertSyntheticContacts(ctx, 500, 16); err != nil {
		t.Fatal(err)
	}
	ems := w.addInitiative("wachstumsregion-ems-achse", "Wachstumsregion Ems-Achse")
	for what, want := range map[string]int{
		`SELECT count(*) FROM initiatives`:       1000 + 3,
		`SELECT count(*) FROM current_districts`: 400,
		`SELECT count(*) FROM contacts`:          500 + 1,
	} {
		if n := w.count(what); n < want {
			t.Fatalf("%s = %d, want at least %d", what, n, want)
		}
	}
	return w, ems
}

// formTab opens a tab 1,280 px wide, signed in as who, with page scripts
// on or off.
func formTab(t *testing.T, b *browsertest.Browser, w *world, who string, js bool) context.Context {
	t.Helper()
	ctx := b.Tab(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	browserSignIn(t, ctx, w.ts.URL, w, who)
	scripts(t, ctx, js)
	return ctx
}

// pageHeight is the document's height in CSS pixels.
func pageHeight(t *testing.T, ctx context.Context) int {
	t.Helper()
	return flowJS[int](t, ctx, `document.documentElement.scrollHeight`)
}

// wantShort fails when the page is taller than maxFormHeight.
func wantShort(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	h := pageHeight(t, ctx)
	t.Logf("%s: %d px tall at 1,280 px", what, h)
	if h > maxFormHeight {
		t.Errorf("%s is %d px tall at 1,280 px, want at most %d", what, h, maxFormHeight)
	}
}

// TestPickersAtScaleInTheBrowser uses the profile form, the invitation
// form, the user page and the programme item and workshop forms with 1,000 initiatives, 400 districts
// and 500 contacts, by keyboard: each at most 4,000 px tall, choosing by
// search with page scripts off (round trips through the server), the
// region filter as one types with them on, zero axe violations.
func TestPickersAtScaleInTheBrowser(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w, ems := pickerWorld(t)
	base := w.ts.URL

	t.Run("profile without JavaScript", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "member-a", false)
		browsertest.Navigate(t, ctx, base+"/initiativen/initiative-a/bearbeiten")
		wantShort(t, ctx, "profile form")
		noAxeViolations(t, ctx, "profile form")

		browsertest.Fill(t, ctx, "#feld-kreise_suche", "Lörrach")
		browsertest.Submit(t, ctx, `[data-region-picker] button[name=suchen]`)
		noAxeViolations(t, ctx, "profile form, districts found")
		if got := browsertest.Text(t, ctx, `[data-testid="regions-found"]`); got != "1 Kreis gefunden." {
			t.Errorf("search says %q", got)
		}
		tick(t, ctx, "#kreis-08336")
		browsertest.Fill(t, ctx, "#feld-kreise_suche", "Saarbrücken")
		browsertest.Submit(t, ctx, `[data-region-picker] button[name=suchen]`)
		if got := flowJS[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="regions-chosen"] input:checked')].map(i => i.value)`); !slices.Equal(got, []string{"08336"}) {
			t.Errorf("after the second search the chosen districts are %v, want Lörrach", got)
		}
		tick(t, ctx, "#land-10") // the whole Saarland in one tick
		wantShort(t, ctx, "profile form with a search")
		browsertest.Submit(t, ctx, `form[action$="/bearbeiten"] button[type=submit]:not([name])`)
		if got := browsertest.Location(t, ctx); got != "/initiativen/initiative-a" {
			t.Fatalf("saving leads to %s, want the profile", got)
		}
		var stored []string
		if err := w.pool.QueryRow(t.Context(), `SELECT array_agg(ags ORDER BY ags) FROM initiative_districts WHERE initiative_id = $1`, w.initA).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if want := []string{"08336", "10041", "10042", "10043", "10044", "10045", "10046"}; !slices.Equal(stored, want) {
			t.Errorf("stored districts %v, want Lörrach and the Saarland", stored)
		}
	})

	t.Run("profile filter as one types", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "member-b", true)
		browsertest.Navigate(t, ctx, base+"/initiativen/initiative-b/bearbeiten")
		browsertest.Fill(t, ctx, "#feld-kreise_suche", "Loerr")
		visible := flowJS[[]string](t, ctx, `[...document.querySelectorAll('[data-region-key]')].filter(e => e.offsetParent !== null).map(e => e.textContent.trim())`)
		if !slices.Equal(visible, []string{"Lörrach"}) {
			t.Errorf("typing Loerr shows %q, want Lörrach alone", visible)
		}
		if got := browsertest.Text(t, ctx, `[data-testid="regions-found"]`); got != "1 Kreis gefunden." {
			t.Errorf("the filter says %q", got)
		}
		if browsertest.Location(t, ctx) != "/initiativen/initiative-b/bearbeiten" {
			t.Error("typing left the page")
		}
		if vs := browsertest.Axe(t, ctx); len(vs) > 0 {
			t.Errorf("filtered profile form: axe: %v", vs)
		}
		// On a phone nothing runs off to the side.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
			t.Fatal(err)
		}
		browsertest.Navigate(t, ctx, base+"/initiativen/initiative-b/bearbeiten")
		if wide := flowJS[int](t, ctx, `document.documentElement.scrollWidth`); wide > 390 {
			t.Errorf("the profile form is %d px wide on a 390 px phone", wide)
		}
		t.Logf("profile form on a phone: %d px tall", pageHeight(t, ctx))
	})

	t.Run("invitation without JavaScript", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "admin", false)
		browsertest.Navigate(t, ctx, base+"/verwaltung/benutzer/einladen")
		wantShort(t, ctx, "invitation form")
		browsertest.Fill(t, ctx, "#feld-name", "Erika Muster")
		browsertest.Fill(t, ctx, "#feld-email", "erika.muster@beispiel.example")
		browsertest.Fill(t, ctx, "#feld-initiativen-suche", "Ems Achse")
		browsertest.Submit(t, ctx, `[data-testid="picker-initiativen"] button[name=suchen]`)
		noAxeViolations(t, ctx, "invitation form, initiatives found")
		wantShort(t, ctx, "invitation form with results")
		if got := browsertest.Text(t, ctx, `[data-testid="picker-suggestion"] button`); got != "„Wachstumsregion Ems-Achse“" {
			t.Errorf("Meinten Sie offers %q", got)
		}
		if got := flowJS[string](t, ctx, `document.querySelector('#feld-name').value`); got != "Erika Muster" {
			t.Errorf("the search lost the name: %q", got)
		}
		tick(t, ctx, "#feld-initiativen-treffer-"+itoa(ems))
		browsertest.Submit(t, ctx, `main form[action="/verwaltung/benutzer/einladen"] button[type=submit]:not([name])`)
		var linked []int64
		err := w.pool.QueryRow(t.Context(), `SELECT array_agg(ui.initiative_id) FROM user_initiatives ui JOIN users u ON u.id = ui.user_id
			WHERE u.email = 'erika.muster@beispiel.example'`).Scan(&linked)
		if err != nil || !slices.Equal(linked, []int64{ems}) {
			t.Errorf("invited member linked to %v, want [%d] (%v; at %s)", linked, ems, err, browsertest.Location(t, ctx))
		}
	})

	t.Run("invitation suggestions as one types", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "editor", true)
		browsertest.Navigate(t, ctx, base+"/verwaltung/benutzer/einladen")
		browsertest.Fill(t, ctx, "#feld-initiativen-suche", "Ems Ach")
		shown := `[...document.querySelectorAll('[data-testid="picker-initiativen"] [data-testid="picker-results"] label')]
			.some(l => l.textContent.trim() === 'Wachstumsregion Ems-Achse')`
		for deadline := time.Now().Add(20 * time.Second); !flowJS[bool](t, ctx, shown); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("typing shows no results within 20 s")
			}
		}
		if browsertest.Location(t, ctx) != "/verwaltung/benutzer/einladen" || flowJS[string](t, ctx, `document.activeElement.id`) != "feld-initiativen-suche" {
			t.Error("the suggestions took the page or the focus away")
		}
		if vs := browsertest.Axe(t, ctx); len(vs) > 0 {
			t.Errorf("invitation form with suggestions: axe: %v", vs)
		}
		if errs := browsertest.ConsoleErrors(ctx); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
	})

	t.Run("programme without JavaScript", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "editor", false)
		path := "/verwaltung/veranstaltungen/" + itoa(w.event.ID) + "/programm/neu"
		browsertest.Navigate(t, ctx, base+path)
		wantShort(t, ctx, "programme item form")
		browsertest.Fill(t, ctx, "#feld-titel", "Grußwort")
		browsertest.Fill(t, ctx, "#feld-personen-suche", "Erika Rednerin")
		browsertest.Submit(t, ctx, `[data-testid="picker-personen"] button[name=suchen]`)
		noAxeViolations(t, ctx, "programme item form, people found")
		speaker := itoa(w.event.SpeakerID)
		tick(t, ctx, "#feld-personen-treffer-"+speaker)
		browsertest.Submit(t, ctx, `[data-testid="picker-personen"] button[name=suchen]`)
		browsertest.Fill(t, ctx, "#feld-personen-zusatz-"+speaker, "Staatssekretärin")
		flowJS[bool](t, ctx, `(() => { document.querySelector('#feld-beginn_zeit').value = '10:00'; return true })()`)
		browsertest.Submit(t, ctx, `[data-testid=part-form] button[type=submit]:not([name])`)
		if n := w.count(`SELECT count(*) FROM programme_item_people pp JOIN programme_items p ON p.id = pp.item_id
			WHERE p.title = 'Grußwort' AND pp.contact_id = $1 AND pp.function = 'Staatssekretärin'`, w.event.SpeakerID); n != 1 {
			t.Errorf("the speaker chosen by search is not on stage (at %s: %q)", browsertest.Location(t, ctx),
				browsertest.Text(t, ctx, `[data-testid="error-summary"]`))
		}
	})

	t.Run("user page without JavaScript", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "admin", false)
		target := w.users["target"].ID
		path := "/verwaltung/benutzer/" + itoa(target)
		browsertest.Navigate(t, ctx, base+path)
		wantShort(t, ctx, "user page")
		browsertest.Fill(t, ctx, "#feld-initiativen-suche", "Ems Achse")
		browsertest.Submit(t, ctx, `[data-testid="picker-initiativen"] button[name=suchen]`)
		noAxeViolations(t, ctx, "user page, initiatives found")
		wantShort(t, ctx, "user page with results")
		tick(t, ctx, "#feld-initiativen-treffer-"+itoa(ems))
		browsertest.Submit(t, ctx, `main form[action="`+path+`"] button[type=submit]:not([name])`)
		var linked []int64
		err := w.pool.QueryRow(t.Context(), `SELECT array_agg(initiative_id ORDER BY initiative_id) FROM user_initiatives WHERE user_id = $1`,
			target).Scan(&linked)
		if err != nil || !slices.Equal(linked, []int64{w.initA, ems}) {
			t.Errorf("the member is linked to %v, want [%d %d] (%v; at %s)", linked, w.initA, ems, err, browsertest.Location(t, ctx))
		}
	})

	t.Run("workshop without JavaScript", func(t *testing.T) {
		t.Parallel()
		ctx := formTab(t, b, w, "editor", false)
		browsertest.Navigate(t, ctx, base+"/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/workshops/neu")
		wantShort(t, ctx, "workshop form")
		browsertest.Fill(t, ctx, "#feld-personen-suche", "Erika Rednerin")
		browsertest.Submit(t, ctx, `[data-testid="picker-personen"] button[name=suchen]`)
		noAxeViolations(t, ctx, "workshop form, people found")
		wantShort(t, ctx, "workshop form with results")
		if n := flowJS[int](t, ctx, `document.querySelectorAll('#feld-personen-treffer-`+itoa(w.event.SpeakerID)+`').length`); n != 1 {
			t.Errorf("the speaker is not among the results for her name (%d)", n)
		}
	})
}

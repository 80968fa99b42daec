package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"rii/internal/store"
	"rii/internal/webtest"
)

// pickerChosen reads the values ticked in a picker's chosen list.
func pickerChosen(res *webtest.Response, name string) []string {
	var out []string
	res.Find(`[data-testid="picker-` + name + `"] [data-testid="picker-chosen"] input[type=checkbox][checked]`).Each(func(_ int, s *goquerySel) {
		out = append(out, s.AttrOr("value", ""))
	})
	return out
}

// pickerResults reads the labels of a picker's results.
func pickerResults(res *webtest.Response, name string) []string {
	var out []string
	res.Find(`[data-testid="picker-` + name + `"] [data-testid="picker-results"] label`).Each(func(_ int, s *goquerySel) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

// addInitiative creates a published initiative named name.
func (w *world) addInitiative(slug, name string) int64 {
	w.t.Helper()
	id, err := w.st.CreateInitiative(w.t.Context(), slug, "published", store.InitiativeProfile{Name: name}, store.Actor{Label: "Testdaten"}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// TestInvitationPicksInitiativesTolerantly chooses the invited member's
// initiative by search, over HTTP as a browser without scripts: "Ems
// Achse" is no initiative's name, so saving is refused with "Meinten Sie
// „Wachstumsregion Ems-Achse“?", whose button takes it; the name spelt
// in other case and punctuation is taken as it is.
func TestInvitationPicksInitiativesTolerantly(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ems := w.addInitiative("wachstumsregion-ems-achse", "Wachstumsregion Ems-Achse")
	w.addInitiative("emsland-forum", "Forum Industrie Emsland")
	admin := w.client()
	w.signIn(admin, "admin")
	const path = "/verwaltung/benutzer/einladen"
	res := admin.Get(path).WantStatus(http.StatusOK)
	if n := res.Find(`input[name=initiativen]`).Length(); n != 0 {
		t.Errorf("the empty form lists %d initiatives, want none before a search", n)
	}

	base := url.Values{"name": {"Erika Muster"}, "email": {"erika@beispiel.example"}, "rolle": {"member"}}
	with := func(kv ...string) url.Values {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}

	// Searching keeps the form and lists the matches, the Ems-Achse first.
	res = admin.PostForm(path, with("initiativen_suche", "Ems Achse", "suchen", "initiativen")).WantStatus(http.StatusOK)
	if res.Find(`#feld-name`).AttrOr("value", "") != "Erika Muster" {
		t.Error("the search lost the name")
	}
	if got := pickerResults(res, "initiativen"); len(got) == 0 || got[0] != "Wachstumsregion Ems-Achse" {
		t.Errorf("results %q, want Wachstumsregion Ems-Achse first", got)
	}
	if got := strings.Join(strings.Fields(res.Text(`[data-testid="picker-suggestion"]`)), " "); got != "Meinten Sie „Wachstumsregion Ems-Achse“?" {
		t.Errorf("suggestion reads %q", got)
	}

	// Saving with the query unanswered is refused, nothing created.
	res = admin.PostForm(path, with("initiativen_suche", "Ems Achse")).WantStatus(http.StatusUnprocessableEntity)
	if got := res.Text(`#feld-initiativen .kern-error`); !strings.Contains(got, "Keine Initiative im Verzeichnis heißt „Ems Achse“") {
		t.Errorf("error reads %q", got)
	}
	if got := res.Find(`[data-testid="picker-suggestion"] button`).AttrOr("value", ""); got != itoa(ems) {
		t.Errorf("the suggestion button takes %q, want %d", got, ems)
	}
	var n int
	if err := w.pool.QueryRow(t.Context(), `SELECT count(*) FROM users WHERE email = 'erika@beispiel.example'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d accounts after the refused invitation (%v)", n, err)
	}

	// "Meinten Sie" takes it: chosen, the query gone.
	res = admin.PostForm(path, with("initiativen_suche", "Ems Achse", "initiativen_waehlen", itoa(ems))).WantStatus(http.StatusOK)
	if got := pickerChosen(res, "initiativen"); !slices.Equal(got, []string{itoa(ems)}) {
		t.Errorf("chosen %v after Meinten Sie, want %d", got, ems)
	}
	if q := res.Find(`#feld-initiativen-suche`).AttrOr("value", "x"); q != "" {
		t.Errorf("the query %q stays after taking the suggestion", q)
	}

	// The name in other case and punctuation is taken on saving.
	admin.PostForm(path, with("initiativen_suche", "wachstumsregion  EMS achse")).WantStatus(http.StatusSeeOther)
	var linked []int64
	err := w.pool.QueryRow(t.Context(), `SELECT array_agg(ui.initiative_id) FROM user_initiatives ui JOIN users u ON u.id = ui.user_id
		WHERE u.email = 'erika@beispiel.example'`).Scan(&linked)
	if err != nil || !slices.Equal(linked, []int64{ems}) {
		t.Errorf("invited member linked to %v, want [%d] (%v)", linked, ems, err)
	}
}

// TestUserPagePicksInitiatives adds an initiative by ticking a search
// result and removes one by unticking it, on the user page.
func TestUserPagePicksInitiatives(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ems := w.addInitiative("wachstumsregion-ems-achse", "Wachstumsregion Ems-Achse")
	admin := w.client()
	w.signIn(admin, "admin")
	path := "/verwaltung/benutzer/" + itoa(w.users["target"].ID)
	res := admin.Get(path).WantStatus(http.StatusOK)
	if got := pickerChosen(res, "initiativen"); !slices.Equal(got, []string{itoa(w.initA)}) {
		t.Fatalf("chosen %v, want Initiative A", got)
	}
	res = admin.PostForm(path, url.Values{"rolle": {"member"}, "initiativen": {itoa(w.initA)}, "initiativen_suche": {"ems-achse"},
		"suchen": {"initiativen"}}).WantStatus(http.StatusOK)
	if got := pickerResults(res, "initiativen"); !slices.Equal(got, []string{"Wachstumsregion Ems-Achse"}) {
		t.Fatalf("results %q", got)
	}
	// Tick the result, untick Initiative A, save.
	admin.PostForm(path, url.Values{"rolle": {"member"}, "initiativen": {itoa(ems)}, "initiativen_suche": {"ems-achse"},
		"initiativen_angezeigt": {itoa(ems)}}).WantStatus(http.StatusSeeOther)
	if got := pickerChosen(admin.Get(path), "initiativen"); !slices.Equal(got, []string{itoa(ems)}) {
		t.Errorf("after saving: chosen %v, want only the Ems-Achse", got)
	}
	// A forged id is a message, not a 500.
	res = admin.PostForm(path, url.Values{"rolle": {"member"}, "initiativen": {"999999"}}).WantStatus(http.StatusUnprocessableEntity)
	if got := res.Text(`#feld-initiativen .kern-error`); got != "Bitte wählen Sie nur Einträge aus der Liste." {
		t.Errorf("forged id: %q", got)
	}
}

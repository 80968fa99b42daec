package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"rii/internal/webtest"
)

// regionsOf reads the chosen districts and Länder from a profile form.
func regionsOf(res *webtest.Response) (districts, lands []string) {
	res.Find(`[data-testid="regions-chosen"] input[type=checkbox][checked]`).Each(func(_ int, s *goquerySel) {
		if s.AttrOr("name", "") == "kreise_land" {
			lands = append(lands, s.AttrOr("value", ""))
		} else {
			districts = append(districts, s.AttrOr("value", ""))
		}
	})
	return districts, lands
}

// TestRegionChoiceWithoutJavaScript chooses regions as a browser without
// scripts does, by round trips through the real router: 16 Länder, the
// search narrows them and keeps everything typed, a whole Land in one
// tick, chosen districts first and removed by unticking.
func TestRegionChoiceWithoutJavaScript(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	w.signIn(c, "member-a")
	const path = "/initiativen/initiative-a/bearbeiten"
	res := c.Get(path).WantStatus(http.StatusOK)
	if n := res.Find(`[data-testid="region-picker"] details[data-land]`).Length(); n != 16 {
		t.Errorf("%d Länder in the region choice, want 16", n)
	}
	if n := res.Find(`details[data-land][open]`).Length(); n != 0 {
		t.Errorf("%d Länder open on a profile without regions, want none", n)
	}
	// The contact persons are found before the form, not after it.
	links := res.Find(`[data-testid="profile-links"] a`)
	if links.First().Text() != "Ansprechpersonen verwalten" || links.First().AttrOr("href", "") != "/initiativen/initiative-a/kontakte" {
		t.Errorf("first profile link %q → %q", links.First().Text(), links.First().AttrOr("href", ""))
	}
	if res.Find(`[data-testid="profile-links"] ~ form`).Length() != 1 {
		t.Error("the profile links do not come before the form")
	}

	// A search for "Lorrach" (no umlaut) keeps what was typed and shows
	// only Landkreis Lörrach, in Baden-Württemberg, opened.
	form := editForm(t, res)
	form.Set("kurzbeschreibung", "Noch nicht gespeichert")
	form.Set("kreise_suche", "Lorrach")
	form.Set("suchen", "kreise")
	res = c.PostForm(path, form).WantStatus(http.StatusOK)
	if got := res.Find(`#feld-kurzbeschreibung`).Text(); got != "Noch nicht gespeichert" {
		t.Errorf("the search lost the short description: %q", got)
	}
	if got := res.Find(`details[data-land]`).Length(); got != 1 || res.Find(`details[data-land="08"][open]`).Length() != 1 {
		t.Errorf("search shows %d Länder, want Baden-Württemberg alone and open", got)
	}
	if got := res.Find(`details[data-land="08"] [data-region-key] label`).Text(); got != "Lörrach" {
		t.Errorf("search found %q, want Lörrach", got)
	}
	if got := res.Text(`[data-testid="regions-found"]`); got != "1 Kreis gefunden." {
		t.Errorf("status says %q", got)
	}
	if w.version("initiative-a") != 1 {
		t.Error("the search saved the profile")
	}

	// Tick Lörrach and the whole Saarland, search again: both listed first.
	form = editForm(t, res)
	form.Add("kreise", "08336")
	form.Add("kreise_land", "10")
	form.Set("kreise_suche", "")
	form.Set("suchen", "kreise")
	res = c.PostForm(path, form).WantStatus(http.StatusOK)
	districts, lands := regionsOf(res)
	if !slices.Equal(districts, []string{"08336"}) || !slices.Equal(lands, []string{"10"}) {
		t.Errorf("chosen: districts %v, Länder %v; want Lörrach and the Saarland", districts, lands)
	}
	if got := res.Text(`[data-testid="regions-chosen"]`); !strings.Contains(got, "Saarland – alle Kreise") || !strings.Contains(got, "Lörrach (Baden-Württemberg)") {
		t.Errorf("chosen list reads %q", got)
	}
	if res.Find(`details[data-land="10"] input[name=kreise]`).Length() != 0 || res.Find(`details[data-land="08"] input[value="08336"]`).Length() != 0 {
		t.Error("chosen districts are offered again in their Land")
	}
	if got := res.Text(`details[data-land="08"] summary`); got != "Baden-Württemberg – 1 von 44 Kreise gewählt" {
		t.Errorf("Baden-Württemberg's summary reads %q", got)
	}

	// Save: the Saarland's six districts and Lörrach.
	form = editForm(t, res)
	delete(form, "suchen")
	c.PostForm(path, form).WantStatus(http.StatusSeeOther)
	var stored []string
	if err := w.pool.QueryRow(t.Context(), `SELECT array_agg(ags ORDER BY ags) FROM initiative_districts WHERE initiative_id = $1`, w.initA).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if want := []string{"08336", "10041", "10042", "10043", "10044", "10045", "10046"}; !slices.Equal(stored, want) {
		t.Errorf("stored districts %v, want %v", stored, want)
	}

	// Unticking the Saarland removes it.
	form = editForm(t, c.Get(path).WantStatus(http.StatusOK))
	if !slices.Equal(form["kreise_land"], []string{"10"}) {
		t.Fatalf("the saved Saarland is not shown as the whole Land: %v", form["kreise_land"])
	}
	delete(form, "kreise_land")
	c.PostForm(path, form).WantStatus(http.StatusSeeOther)
	if districts, lands := regionsOf(c.Get(path)); !slices.Equal(districts, []string{"08336"}) || len(lands) != 0 {
		t.Errorf("after unticking the Saarland: districts %v, Länder %v", districts, lands)
	}

	// A Land that does not exist is a clear message, nothing saved.
	form.Set("kreise_land", "99")
	res = c.PostForm(path, form).WantStatus(http.StatusUnprocessableEntity)
	if got := res.Text(`#feld-kreise .kern-error`); got != "Bitte wählen Sie nur Länder aus der Liste." {
		t.Errorf("unknown Land: %q", got)
	}
	if w.version("initiative-a") != 3 {
		t.Errorf("version %d after the refused save, want 3", w.version("initiative-a"))
	}
}

package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rii/internal/webtest"
)

// editForm reads the edit form of a page as a browser would submit it.
func editForm(t *testing.T, res *webtest.Response) url.Values {
	t.Helper()
	v := url.Values{}
	res.Find(`form[action$="/bearbeiten"] input, form[action$="/bearbeiten"] textarea, form[action$="/bearbeiten"] select`).Each(func(_ int, s *goquerySel) {
		name, _ := s.Attr("name")
		switch {
		case name == "":
		case s.Is("textarea"):
			v.Add(name, s.Text())
		case s.Is("select"):
			v.Add(name, s.Find("option[selected]").AttrOr("value", s.Find("option").First().AttrOr("value", "")))
		case s.AttrOr("type", "") == "checkbox":
			if _, on := s.Attr("checked"); on {
				v.Add(name, s.AttrOr("value", ""))
			}
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	return v
}

func (w *world) version(slug string) int {
	w.t.Helper()
	var v int
	if err := w.pool.QueryRow(context.Background(), `SELECT version FROM initiatives WHERE slug = $1`, slug).Scan(&v); err != nil {
		w.t.Fatal(err)
	}
	return v
}

func TestMemberEditsOwnInitiative(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	w.signIn(c, "member-a")
	form := editForm(t, c.Get("/initiativen/initiative-a/bearbeiten").WantStatus(http.StatusOK))
	if form.Get("name") != "Initiative A" || form.Get("version") != "1" {
		t.Fatalf("form not filled: %v", form)
	}
	form.Set("kurzbeschreibung", "Wir vernetzen die Industrie am Hochrhein.")
	form.Set("gruendungsjahr", "2012")
	form.Set("website", "https://www.beispiel.de")
	form.Set("rechtsform", "ev")
	form["kreise"] = []string{"08336", "08337"}
	form["themen"] = []string{"energie", "innovation"}
	form.Set("mitglied_name", "Beispiel GmbH")
	form.Set("mitglied_art", "unternehmen")
	res := c.PostForm("/initiativen/initiative-a/bearbeiten", form).WantStatus(http.StatusSeeOther)
	if res.Header.Get("Location") != "/initiativen/initiative-a" {
		t.Errorf("redirect to %q", res.Header.Get("Location"))
	}
	again := editForm(t, c.Get("/initiativen/initiative-a/bearbeiten"))
	if again.Get("version") != "2" || again.Get("gruendungsjahr") != "2012" || len(again["kreise"]) != 2 ||
		again.Get("mitglied_name") != "Beispiel GmbH" {
		t.Errorf("saved profile not shown again: %v", again)
	}
	var changes string
	err := w.pool.QueryRow(t.Context(), `SELECT changes::text FROM initiative_revisions WHERE version = 2 AND initiative_id = $1`, w.initA).Scan(&changes)
	if err != nil || !strings.Contains(changes, "founding_year") || !strings.Contains(changes, "districts") {
		t.Errorf("revision 2 changes = %s (%v)", changes, err)
	}
	// Another member cannot, not even by changing the slug in the URL.
	other := w.client()
	w.signIn(other, "member-b")
	other.PostForm("/initiativen/initiative-a/bearbeiten", form).WantStatus(http.StatusForbidden)
	if w.version("initiative-a") != 2 {
		t.Error("a refused edit changed the profile")
	}
}

func TestInvalidProfileChangesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	w.signIn(c, "editor")
	form := editForm(t, c.Get("/initiativen/initiative-a/bearbeiten"))
	form.Set("name", "")
	form.Set("gruendungsjahr", "zwölf")
	form.Set("website", "javascript:alert(1)")
	form["kreise"] = []string{"99999"}
	form.Set("kurzbeschreibung", "Bleibt erhalten <b>fett</b>")
	res := c.PostForm("/initiativen/initiative-a/bearbeiten", form).WantStatus(http.StatusUnprocessableEntity)
	if n := res.Find(`[data-testid="error-summary"] li`).Length(); n != 4 {
		t.Errorf("%d errors in the summary, want 4: %s", n, res.Text(`[data-testid="error-summary"]`))
	}
	if got := res.Find("#feld-kurzbeschreibung").Text(); got != "Bleibt erhalten <b>fett</b>" {
		t.Errorf("typed text lost or changed: %q", got)
	}
	if res.Find("b").Length() > 0 {
		t.Error("typed markup became markup")
	}
	if w.version("initiative-a") != 1 {
		t.Error("an invalid profile was saved")
	}
}

// TestConcurrentEditsConflict: two people open the same profile; the second
// to save gets 409 with both versions and keeps what they typed.
func TestConcurrentEditsConflict(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna, ben := w.client(), w.client()
	w.signIn(anna, "member-a")
	w.signIn(ben, "editor")
	fa := editForm(t, anna.Get("/initiativen/initiative-a/bearbeiten"))
	fb := editForm(t, ben.Get("/initiativen/initiative-a/bearbeiten"))
	for _, f := range []url.Values{fa, fb} {
		f["kreise"] = []string{"08336"}
	}
	fa.Set("kurzbeschreibung", "Fassung von Anna")
	fb.Set("kurzbeschreibung", "Fassung von Ben")
	fb.Set("gruendungsjahr", "1999")
	anna.PostForm("/initiativen/initiative-a/bearbeiten", fa).WantStatus(http.StatusSeeOther)

	res := ben.PostForm("/initiativen/initiative-a/bearbeiten", fb).WantStatus(http.StatusConflict)
	table := res.Text(`[data-testid="conflict-table"]`)
	if !strings.Contains(table, "Fassung von Anna") || !strings.Contains(table, "Fassung von Ben") {
		t.Errorf("conflict table lacks a version: %q", table)
	}
	if !strings.Contains(res.Text(`[data-testid="conflict"]`), "Person member-a") {
		t.Errorf("conflict does not say who saved: %q", res.Text(`[data-testid="conflict"]`))
	}
	kept := editForm(t, res)
	if kept.Get("kurzbeschreibung") != "Fassung von Ben" || kept.Get("gruendungsjahr") != "1999" || kept.Get("version") != "2" {
		t.Errorf("Ben's input not kept or version not moved on: %v", kept)
	}
	if w.version("initiative-a") != 2 {
		t.Fatal("the conflicting save changed the profile")
	}
	// Saving again is a deliberate overwrite.
	ben.PostForm("/initiativen/initiative-a/bearbeiten", kept).WantStatus(http.StatusSeeOther)
	if w.version("initiative-a") != 3 {
		t.Error("the deliberate overwrite was not saved")
	}
}

func TestMemberProposesInitiative(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	w.signIn(c, "member-b")
	form := url.Values{"name": {"Industrie am Neckar"}, "kurzbeschreibung": {"Neu"}, "kreise": {"08111"}, "version": {""}}
	res := c.PostForm("/initiativen/neu", form).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/initiativen/industrie-am-neckar/bearbeiten" {
		t.Errorf("redirect to %q", loc)
	}
	c.PostForm("/initiativen/neu", form).WantStatus(http.StatusSeeOther) // same name: next free slug
	var statuses string
	err := w.pool.QueryRow(t.Context(), `
		SELECT string_agg(i.slug || ':' || i.status || ':' || (ui.user_id IS NOT NULL)::text, ',' ORDER BY i.slug)
		FROM initiatives i LEFT JOIN user_initiatives ui ON ui.initiative_id = i.id AND ui.user_id = $1
		WHERE i.name = 'Industrie am Neckar'`, w.users["member-b"].ID).Scan(&statuses)
	if err != nil || statuses != "industrie-am-neckar:submitted:true,industrie-am-neckar-2:submitted:true" {
		t.Errorf("proposals: %q (%v)", statuses, err)
	}
	// The proposer may edit it while it waits; officials may not propose.
	c.Get("/initiativen/industrie-am-neckar/bearbeiten").WantStatus(http.StatusOK)
	off := w.client()
	w.signIn(off, "official")
	off.PostForm("/initiativen/neu", form).WantStatus(http.StatusForbidden)
}

func TestHostileInputInTheProfileForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	w.signIn(c, "editor")
	for _, v := range hostileValues {
		form := url.Values{"version": {"1"}, "kreise": {"08336", v}}
		for _, f := range []string{"name", "kurzbeschreibung", "beschreibung", "rechtsform", "gruendungsjahr", "website",
			"themen", "branchen", "zielgruppen", "formate", "mitglied_name", "mitglied_art"} {
			form.Set(f, v)
		}
		for _, path := range []string{"/initiativen/initiative-a/bearbeiten", "/initiativen/neu"} {
			res := c.PostForm(path, form)
			if res.StatusCode >= 500 {
				t.Errorf("POST %s with %.30q: %d", path, v, res.StatusCode)
			}
			if res.Doc().Find(`script:not([src^="/static/"]), img[onerror]`).Length() > 0 {
				t.Errorf("POST %s with %.30q: input became markup", path, v)
			}
		}
	}
	if w.version("initiative-a") != 1 {
		t.Error("hostile input was saved")
	}
}

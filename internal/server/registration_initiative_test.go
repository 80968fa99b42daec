package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"rii/internal/store"
)

// TestRegistrationInitiativeIsMatchedTolerantly: the public registration
// form takes the initiative's name up to case, accents and punctuation; a
// near miss gets "Meinten Sie …?" with the closest published name, the
// input kept and nothing stored; a draft is never taken nor suggested.
func TestRegistrationInitiativeIsMatchedTolerantly(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 10)
	if _, err := w.st.CreateInitiative(context.Background(), "geheimprojekt", "draft",
		store.InitiativeProfile{Name: "Geheimprojekt Lausitz"}, store.Actor{Label: "Testdaten"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c, path := w.client(), "/veranstaltungen/"+w.event.Slug+"/anmeldung"

	form := registrationForm(1, ws[0], question)
	form.Set("initiative", "  INITIATIVE-a! ")
	c.PostForm(path, form).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registrations WHERE email = 'person1@beispiel.example' AND initiative_id = $1`, w.initA); n != 1 {
		t.Error("the initiative named up to case and punctuation was not taken")
	}

	registrations := w.count(`SELECT count(*) FROM registrations`)
	for typed, want := range map[string]string{
		"Initiatve A":           "Meinten Sie „Initiative A“?",
		"Geheimprojekt Lausitz": "steht nicht im Verzeichnis",
		"Geheimprojekt Lausiz":  "steht nicht im Verzeichnis",
	} {
		form := registrationForm(2, ws[0], question)
		form.Set("initiative", typed)
		res := c.PostForm(path, form).WantStatus(http.StatusUnprocessableEntity)
		wantFieldError(t, res, "initiative", want)
		if msg := res.Text("#feld-initiative-fehler"); strings.Contains(msg, "Geheimprojekt") {
			t.Errorf("%q: a draft is named to the public: %q", typed, msg)
		}
		if got := res.Find("#feld-initiative").AttrOr("value", ""); got != typed {
			t.Errorf("%q: typed initiative not kept: %q", typed, got)
		}
		if got := res.Find("#feld-name").AttrOr("value", ""); got != "Person 2" {
			t.Errorf("%q: typed name not kept: %q", typed, got)
		}
	}
	if n := w.count(`SELECT count(*) FROM registrations`); n != registrations {
		t.Errorf("%d registrations stored with an unknown initiative", n-registrations)
	}
}

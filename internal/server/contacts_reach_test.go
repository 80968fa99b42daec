package server

import (
	"net/http"
	"strings"
	"testing"

	"rii/internal/store"
)

// TestMemberKeepsContactsOfEveryVisibility: the member who creates a
// contact keeps seeing and editing it, whatever its visibility; the
// visibility only governs who else sees the person.
func TestMemberKeepsContactsOfEveryVisibility(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	c := w.as("member-a")
	for _, vis := range []string{store.VisibilityPublic, store.VisibilityMembers, store.VisibilityEditors} {
		form := validContact()
		name := "Person " + vis
		form.Set("name", name)
		form.Set("email", vis+"@beispiel.example")
		form.Set("sichtbarkeit", vis)
		res := c.PostForm("/initiativen/initiative-a/kontakte/neu", form).WantStatus(http.StatusSeeOther)
		list := c.Get(res.Header.Get("Location")).WantStatus(http.StatusOK)
		if !strings.Contains(list.Text(`[data-testid="flash"], .kern-alert`), visibilityLabel(vis)) {
			t.Errorf("%s: the flash does not name the visibility: %q", vis, list.Text(".kern-alert"))
		}
		link := list.Find(`[data-testid="contact-row"] a:contains("` + name + `")`)
		if link.Length() != 1 {
			t.Fatalf("%s: the new contact is not in the member's list: %q", vis, list.Text(`[data-testid="contact-table"]`))
		}
		href := link.AttrOr("href", "")
		edit := c.Get(href).WantStatus(http.StatusOK)
		if got := edit.Find("#feld-sichtbarkeit option[selected]").AttrOr("value", ""); got != vis {
			t.Errorf("%s: the form shows visibility %q", vis, got)
		}
		form.Set("funktion", "Vorstand "+vis)
		form.Set("version", edit.Find(`input[name="version"]`).AttrOr("value", ""))
		c.PostForm(href, form).WantStatus(http.StatusSeeOther)
		if n := w.count(`SELECT count(*) FROM contacts WHERE name = $1 AND function = $2 AND visibility = $3`, name, "Vorstand "+vis, vis); n != 1 {
			t.Errorf("%s: the member's edit is not saved", vis)
		}
	}
	// Another initiative's member sees none of them.
	if other := w.as("member-b").Get("/initiativen/initiative-a/kontakte/neu"); other.StatusCode != http.StatusForbidden {
		t.Errorf("member-b on A's contacts: %d", other.StatusCode)
	}
	// And the public profile shows the public one only.
	profile := w.as("anonymous").Get("/initiativen/initiative-a").WantStatus(http.StatusOK).Text("main")
	if !strings.Contains(profile, "Person public") || strings.Contains(profile, "Person members") || strings.Contains(profile, "Person editors") {
		t.Errorf("public profile shows the wrong people: %q", profile)
	}
}

// TestContactVisibilityHasNoDefault: the new-contact form chooses no
// visibility, and sending none is a clear error that changes nothing.
func TestContactVisibilityHasNoDefault(t *testing.T) {
	t.Parallel()
	w := newContactWorld(t)
	c := w.as("member-a")
	form := c.Get("/initiativen/initiative-a/kontakte/neu").WantStatus(http.StatusOK)
	if got := form.Find("#feld-sichtbarkeit option[selected]").AttrOr("value", "x"); got != "" {
		t.Errorf("preselected visibility %q, want none", got)
	}
	vals := validContact()
	vals.Del("sichtbarkeit")
	res := c.PostForm("/initiativen/initiative-a/kontakte/neu", vals).WantStatus(http.StatusUnprocessableEntity)
	if msg := res.Text("#feld-sichtbarkeit-fehler"); !strings.Contains(msg, "Bitte wählen Sie, wer die Angaben sehen darf") {
		t.Errorf("message %q", msg)
	}
	if res.Find(`#fehler a[href="#feld-sichtbarkeit"]`).Length() != 1 {
		t.Error("the error summary does not lead to the visibility")
	}
	if got := res.Find("#feld-name").AttrOr("value", ""); got != "Erika Muster" {
		t.Errorf("typed name lost: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM contacts`); n != 0 {
		t.Errorf("%d contacts stored without a visibility", n)
	}
}

package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hostileValues are inputs no form may answer with a 500 or execute.
var hostileValues = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`javascript:alert(1)`,
	`'; DROP TABLE users; --`,
	"\xff\xfe\xfd ungültiges UTF-8",
	"Zeile\r\nBcc: opfer@beispiel.example",
	strings.Repeat("ä", 300000), // 600 KB
	"\x00\x01\x02",
}

// TestHostileInputInEveryForm posts hostile values into every field of
// every form a signed-in admin can reach: never a 500, never markup from
// the input in the page.
func TestHostileInputInEveryForm(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	admin := w.client()
	w.signIn(admin, "admin")
	visitor := w.client()
	forms := []struct {
		c      string
		path   string
		fields []string
	}{
		{"visitor", "/anmelden", []string{"email", "passwort", "weiter"}},
		{"visitor", "/passwort-vergessen", []string{"email"}},
		{"visitor", "/anmelden/zweiter-faktor", []string{"code"}},
		{"visitor", "/einladung/x", []string{"passwort", "wiederholung"}},
		{"admin", "/konto/passwort", []string{"alt", "passwort", "wiederholung"}},
		{"admin", "/konto/zwei-faktor/codes", []string{"passwort"}},
		{"admin", "/verwaltung/benutzer/einladen", []string{"name", "email", "rolle", "initiativen"}},
		{"admin", "/verwaltung/benutzer/" + itoa(w.users["target"].ID), []string{"rolle", "initiativen"}},
	}
	for _, f := range forms {
		c := visitor
		if f.c == "admin" {
			c = admin
		}
		for _, v := range hostileValues {
			form := url.Values{}
			for _, name := range f.fields {
				form.Set(name, v)
			}
			res := c.PostForm(f.path, form)
			if res.StatusCode >= 500 {
				t.Errorf("POST %s with %.30q: status %d", f.path, v, res.StatusCode)
			}
			if res.Doc().Find(`script:not([src^="/static/"]), img[onerror]`).Length() > 0 {
				t.Errorf("POST %s with %.30q: input became markup", f.path, v)
			}
		}
	}
	// Hostile query strings on the list.
	for _, v := range hostileValues {
		res := admin.Get("/verwaltung/benutzer?q=" + url.QueryEscape(v) + "&seite=" + url.QueryEscape(v))
		// 600 KB in the URL meets the server's header limit (431) first.
		if (res.StatusCode != http.StatusOK && res.StatusCode != http.StatusRequestHeaderFieldsTooLarge) || res.Doc().Find("script").Length() > 0 {
			t.Errorf("list with %.30q: %d", v, res.StatusCode)
		}
	}
	// No account was created or changed by any of it.
	var users int
	if err := w.pool.QueryRow(t.Context(), `SELECT count(*) FROM users`).Scan(&users); err != nil || users != 6 {
		t.Errorf("%d accounts after the hostile posts, want the 6 of the fixture (%v)", users, err)
	}
}

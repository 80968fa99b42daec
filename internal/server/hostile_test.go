package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rii/internal/webtest"
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

// hostileShort are hostile values short enough for a query string.
var hostileShort = []string{`<script>alert(1)</script>`, "\xff\xfe", "\x00", "-1", "0", "99999999999999999999",
	"2026-02-30", "31.12.2026", `"`, strings.Repeat("9", 3000)}

// wantCalmAnswer fails on a 5xx, on input that became markup, and on an
// error answer without a German page.
func wantCalmAnswer(t *testing.T, what string, res *webtest.Response) {
	t.Helper()
	if res.StatusCode >= 500 {
		t.Errorf("%s: status %d", what, res.StatusCode)
		return
	}
	if res.Doc().Find(`script:not([src^="/static/"]), img[onerror]`).Length() > 0 {
		t.Errorf("%s: input became markup", what)
	}
	if strings.TrimSpace(res.Text("main")) == "" {
		t.Errorf("%s: status %d without a page", what, res.StatusCode)
	}
}

// TestHostileInputOnRecentForms: the search syntax, the dashboard's
// filters, the pickers' search and the review comment answer hostile input
// calmly (never a 500, a German page) and change nothing.
func TestHostileInputOnRecentForms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	visitor, editor, official := w.client(), w.editorClient(), w.client()
	w.signIn(official, "official")
	audits := w.count(`SELECT count(*) FROM audit_log`)
	items := w.count(`SELECT count(*) FROM programme_items`)

	// Search syntax: thousands of terms, unbalanced quotes, only operators.
	queries := append([]string{strings.Repeat("wort ", 3000), strings.Repeat("-a oder ", 1000), `"unbalanciert`, `""`, `"`,
		"-", "- - -", "oder", "oder oder", `-"`, `"oder"`, "*", "a:b", `\`}, hostileShort...)
	for _, q := range queries {
		for _, path := range []string{"/suche", "/initiativen", "/veranstaltungen"} {
			res := visitor.Get(path + "?q=" + url.QueryEscape(q))
			wantCalmAnswer(t, fmt.Sprintf("%s?q=%.30q", path, q), res)
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s?q=%.30q: status %d, want the page with a hint or a message", path, q, res.StatusCode)
			}
		}
	}

	// The dashboard's filters, alone and within each kind of period.
	pages := []string{"/dashboard", "/dashboard/abdeckung", "/dashboard/themen", "/dashboard/vernetzung",
		"/dashboard/aktivitaet", "/dashboard/taetigkeitsbericht"}
	for _, v := range hostileShort {
		e := url.QueryEscape(v)
		for _, query := range []string{"zeitraum=" + e, "zeitraum=jahr&jahr=" + e, "zeitraum=quartal&quartal=" + e,
			"zeitraum=frei&von=" + e + "&bis=2026-01-01", "zeitraum=frei&von=2026-01-01&bis=" + e, "seite=" + e,
			"sortierung=" + e, "person=" + e + "&art=" + e + "&objekt=" + e} {
			for _, p := range pages {
				wantCalmAnswer(t, p+"?"+query[:min(len(query), 60)], official.Get(p+"?"+query))
			}
		}
	}

	// Pickers' search: the proposal's regions (a visitor) and the
	// programme's people (an editor).
	programme := "/verwaltung/veranstaltungen/" + itoa(w.event.ID) + "/programm/neu"
	for _, v := range append([]string{strings.Repeat("a ", 2000)}, hostileShort...) {
		res := visitor.PostForm("/initiativen/vorschlagen", url.Values{"suchen": {"kreise"}, "kreise_suche": {v}, "kreise": {v}})
		wantCalmAnswer(t, fmt.Sprintf("proposal region search %.30q", v), res)
		res = visitor.PostForm("/initiativen/vorschlagen", url.Values{"kreise_waehlen": {v}, "kreise_angezeigt": {v}})
		wantCalmAnswer(t, fmt.Sprintf("proposal region take %.30q", v), res)
		res = editor.PostForm(programme, url.Values{"suchen": {"personen"}, "personen_suche": {v}, "personen": {v}})
		wantCalmAnswer(t, fmt.Sprintf("programme people search %.30q", v), res)
	}

	// The review comment and action, on a published initiative.
	for _, v := range hostileValues {
		for _, action := range []string{actionReturn, v} {
			res := editor.PostForm("/initiativen/initiative-a/status", url.Values{"aktion": {action}, "kommentar": {v}, "version": {v}})
			wantCalmAnswer(t, fmt.Sprintf("review %.20q with %.30q", action, v), res)
		}
	}

	if n := w.count(`SELECT count(*) FROM initiatives WHERE status = 'published'`); n != 2 {
		t.Errorf("%d published initiatives after the hostile input, want the 2 of the fixture", n)
	}
	if n := w.count(`SELECT count(*) FROM initiative_proposals`) + w.count(`SELECT count(*) FROM programme_items`) - items; n != 0 {
		t.Errorf("%d proposals or programme items stored by the hostile input", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_log`); n != audits {
		t.Errorf("%d audit entries written by the hostile input", n-audits)
	}
}

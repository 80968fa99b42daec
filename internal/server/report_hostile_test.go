package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/event"
	"rii/internal/webtest"
)

// inert fails the test if the parsed page region holds anything that can
// run: scripts, event handlers, javascript:/data:/vbscript: URLs.
func inert(t *testing.T, where string, sel *goquery.Selection) {
	t.Helper()
	if n := sel.Find("script:not([type='application/ld+json']), iframe, object, embed, style, svg").Length(); n > 0 {
		t.Errorf("%s: %d active elements", where, n)
	}
	sel.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" ||
				((a.Key == "href" || a.Key == "src" || a.Key == "action") && (strings.HasPrefix(v, "javascript:") ||
					strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:"))) {
				t.Errorf("%s: <%s %s=%q>", where, s.Nodes[0].Data, a.Key, a.Val)
			}
		}
	})
}

// TestReportHostileInputIsInert types script and markup into every text
// field and the Markdown, and checks the parsed preview and public page.
func TestReportHostileInputIsInert(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ev := w.addReportEvent("feindlich", event.StatusPublished)
	path := editorPath(ev.ID)
	c := w.client()
	w.signIn(c, "editor")
	const attack = `<script>alert(1)</script><img src=x onerror=alert(1)>"><a href="javascript:alert(1)">x</a>`
	body := attack + "\n\n[klick](javascript:alert(1)) [e](&#106;avascript:alert(2)) [d](data:text/html,<script>alert(3)</script>)\n\n" +
		"![x](javascript:alert(4))\n\n::: kurz\n<iframe src=//evil.example></iframe>\n:::\n\n> <style>*{}</style>\n> — <b onmouseover=alert(5)>Name</b>"
	vals := url.Values{"dachzeile": {attack}, "titel": {attack}, "untertitel": {attack}, "text": {body},
		"kontakt_rolle": {attack}, "hinweis": {attack}, "aktion": {"vorschau"}}
	pre := c.PostForm(path, vals)
	if pre.StatusCode >= 500 {
		t.Fatalf("preview: %d", pre.StatusCode)
	}
	inert(t, "preview", pre.Find("main"))
	if got := pre.Text(`[data-testid="report-preview"] [data-testid="report-title"]`); got != attack {
		t.Errorf("title in the preview = %q, want the typed text shown as text", got)
	}
	// The body has a foreign image: refused at the field; without it, saved.
	vals.Set("aktion", "speichern")
	c.PostForm(path, vals).WantStatus(http.StatusUnprocessableEntity)
	vals.Set("text", strings.Replace(body, "![x](javascript:alert(4))", "", 1))
	c.PostForm(path, vals).WantStatus(http.StatusSeeOther)
	c.PostForm(path+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}, "bestaetigt": {"ja"},
		"vorzeitig": {"ja"}}).WantStatus(http.StatusSeeOther)
	for _, who := range []*webtest.Client{w.client(), c} {
		page := who.Get("/berichte/feindlich").WantStatus(http.StatusOK)
		inert(t, "report page", page.Find("main"))
		if page.Find("head script, head style").Length() > 0 {
			t.Error("markup from the report reached the head")
		}
		if got := page.Text(`[data-testid="report-kicker"]`); got != attack {
			t.Errorf("kicker = %q", got)
		}
		if page.Find(`[data-testid="report-body"] a`).Length() != 0 {
			t.Errorf("dangerous links kept as links: %s", page.Text(`[data-testid="report-body"]`))
		}
	}
	feed := w.client().Get("/berichte/feed.atom").WantStatus(http.StatusOK)
	if strings.Contains(strings.ToLower(feed.Text("content")), "<script") {
		t.Error("the feed content carries a script")
	}
}

// TestReportFormsSurviveHostileValues posts the hostile values into every
// field of every report form: never a 500, never markup from the input.
func TestReportFormsSurviveHostileValues(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.client()
	w.signIn(c, "admin")
	path := editorPath(w.event.ID)
	for _, v := range hostileValues {
		for _, aktion := range []string{"vorschau", "speichern"} {
			form := url.Values{"aktion": {aktion}, "version": {v}}
			for _, f := range []string{"dachzeile", "titel", "untertitel", "text", "kontakt", "kontakt_rolle", "hinweis"} {
				form.Set(f, v)
			}
			res := c.PostForm(path, form)
			if res.StatusCode >= 500 || res.StatusCode == http.StatusSeeOther {
				t.Errorf("%s with %.30q: status %d", aktion, v, res.StatusCode)
			}
			if res.Doc().Find("main script, main img[onerror]").Length() > 0 {
				t.Errorf("%s with %.30q: input became markup", aktion, v)
			}
		}
		if res := c.PostForm(path+"/status", url.Values{"aktion": {v}, "version": {v}}); res.StatusCode >= 500 {
			t.Errorf("status with %.30q: %d", v, res.StatusCode)
		}
		if res := postFile(c, path+"/bilder", "datei", v, []byte(v), url.Values{"alt": {v}}); res.StatusCode >= 500 {
			t.Errorf("image with %.30q: %d", v, res.StatusCode)
		}
		if res := c.PostForm(path+"/verlauf/"+url.PathEscape(v), nil); res.StatusCode >= 500 {
			t.Errorf("restore %.30q: %d", v, res.StatusCode)
		}
	}
	rep, _ := w.st.ReportByID(t.Context(), w.event.ReportID)
	if rep.Version != 1 || rep.Status != event.ReportPublished {
		t.Errorf("report changed by hostile posts: v%d %s", rep.Version, rep.Status)
	}
}

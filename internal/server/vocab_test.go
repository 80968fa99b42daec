package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"rii/internal/account"
	"rii/internal/browsertest"
	"rii/internal/webtest"
)

// vocabWorld is a world whose server also serves the vocabulary routes,
// mounted as routes.go mounts them for editors and admins.
type vocabWorld struct {
	*world
	ts *httptest.Server
}

func newVocabWorld(t *testing.T) *vocabWorld {
	t.Helper()
	w := newWorld(t)
	s := w.srv
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(middleware.RequestID, s.securityHeaders, s.limitBody, s.sessions.LoadAndSave, s.loadUser,
			s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
		r.Get("/verwaltung/begriffe", s.handle(s.listVocab))
		r.Post("/verwaltung/begriffe/{liste}", s.handle(s.createVocabTerm))
		r.Get("/verwaltung/begriffe/{liste}/{slug}", s.handle(s.editVocabTerm))
		r.Post("/verwaltung/begriffe/{liste}/{slug}", s.handle(s.updateVocabTerm))
		r.Post("/verwaltung/begriffe/{liste}/{slug}/loeschen", s.handle(s.deleteVocabTerm))
	})
	r.Mount("/", s.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	return &vocabWorld{world: w, ts: ts}
}

func (w *vocabWorld) as(key string) *webtest.Client {
	c := webtest.NewClient(w.t, w.ts.URL)
	if key != "anonymous" {
		w.signIn(c, key)
	}
	return c
}

func (w *vocabWorld) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.pool.Exec(context.Background(), sql, args...); err != nil {
		w.t.Fatal(err)
	}
}

func (w *vocabWorld) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *vocabWorld) vocabAudits(action, objectID string) int {
	return w.count(`SELECT count(*) FROM audit_log WHERE action = $1 AND object_type = 'vocabulary' AND object_id = $2`, action, objectID)
}

func TestVocabListShowsEveryListWithUsage(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	w.exec(`INSERT INTO initiative_topics (initiative_id, topic) VALUES ($1, 'energie'), ($2, 'energie')`, w.initA, w.initB)
	res := w.as("editor").Get("/verwaltung/begriffe").WantStatus(http.StatusOK)
	if n := res.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1, want 1", n)
	}
	for _, key := range []string{"themen", "branchen", "zielgruppen", "formate", "rechtsformen"} {
		sec := res.Find(`[data-testid="vocab-` + key + `"]`)
		if sec.Length() != 1 || sec.Find(`form[action="/verwaltung/begriffe/`+key+`"]`).Length() != 1 {
			t.Errorf("list %s or its add form is missing", key)
		}
	}
	if res.Find(`#feld-themen-beschreibung`).Length() != 1 || res.Find(`#feld-branchen-beschreibung`).Length() != 0 {
		t.Error("only topics have a description")
	}
	var found bool
	res.Find(`[data-testid="vocab-themen"] [data-testid="vocab-row"]`).Each(func(_ int, row *goquery.Selection) {
		if strings.Contains(row.Text(), "Energie") {
			found = true
			if got := strings.TrimSpace(row.Find("td").Eq(1).Text()); got != "2" {
				t.Errorf("Energie used by %s, want 2", got)
			}
			if h, _ := row.Find("a").Attr("href"); h != "/verwaltung/begriffe/themen/energie" {
				t.Errorf("edit link %q", h)
			}
		}
	})
	if !found {
		t.Error("Energie is not listed")
	}
	w.as("admin").Get("/verwaltung/begriffe").WantStatus(http.StatusOK)
}

func TestVocabAddAndDuplicate(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	c := w.as("editor")
	res := c.PostForm("/verwaltung/begriffe/themen", url.Values{"themen-name": {"  Wasserstoff & Ökologie "}, "themen-beschreibung": {"Grüner Wasserstoff"}})
	res.WantStatus(http.StatusSeeOther)
	var name, desc string
	var pos, maxPos int
	if err := w.pool.QueryRow(t.Context(), `SELECT name, description, position, (SELECT max(position) FROM topics WHERE slug <> 'wasserstoff-und-oekologie') FROM topics WHERE slug = 'wasserstoff-und-oekologie'`).Scan(&name, &desc, &pos, &maxPos); err != nil {
		t.Fatal(err)
	}
	if name != "Wasserstoff & Ökologie" || desc != "Grüner Wasserstoff" || pos != maxPos+1 {
		t.Errorf("stored %q %q at %d (max before %d)", name, desc, pos, maxPos)
	}
	if n := w.vocabAudits("vocabulary.added", "topics/wasserstoff-und-oekologie"); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	if !strings.Contains(c.Get("/verwaltung/begriffe").Text("main"), "Wasserstoff & Ökologie") {
		t.Error("the new term is not listed")
	}

	before := w.count(`SELECT count(*) FROM sectors`)
	for _, dup := range []string{"Chemie", "chemie", "CHEMIE!"} { // same name, or another name with the same slug
		res := c.PostForm("/verwaltung/begriffe/branchen", url.Values{"branchen-name": {dup}}).WantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(res.Text("#feld-branchen-name-fehler"), "gibt es in der Liste schon") {
			t.Errorf("%q: no field error, got %q", dup, res.Text("main"))
		}
		if res.Find(`[data-testid="error-summary"] a[href="#feld-branchen-name"]`).Length() != 1 {
			t.Errorf("%q: the summary does not link to the field", dup)
		}
	}
	if got := w.count(`SELECT count(*) FROM sectors`); got != before {
		t.Errorf("%d sectors after duplicates, want %d", got, before)
	}
	// The same name in another list is fine.
	c.PostForm("/verwaltung/begriffe/formate", url.Values{"formate-name": {"Chemie"}}).WantStatus(http.StatusSeeOther)
	c.PostForm("/verwaltung/begriffe/rechtsformen", url.Values{"rechtsformen-name": {"Anstalt"}}).WantStatus(http.StatusSeeOther)
	if w.count(`SELECT count(*) FROM legal_forms WHERE slug = 'anstalt'`) != 1 {
		t.Error("legal form not added")
	}
}

func TestVocabRenameKeepsSlugAndLinks(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	w.exec(`INSERT INTO initiative_topics (initiative_id, topic) VALUES ($1, 'energie')`, w.initA)
	w.exec(`UPDATE initiatives SET legal_form = 'ev' WHERE id = $1`, w.initB)
	c := w.as("admin")
	res := c.Get("/verwaltung/begriffe/themen/energie").WantStatus(http.StatusOK)
	if v, _ := res.Find("#feld-name").Attr("value"); v != "Energie" {
		t.Errorf("name field %q", v)
	}
	if res.Find(`form[action="/verwaltung/begriffe/themen/energie/loeschen"]`).Length() != 0 {
		t.Error("a used term offers deletion")
	}
	c.PostForm("/verwaltung/begriffe/themen/energie", url.Values{"name": {"Energie und Wärme"}, "beschreibung": {"Strom, Wärme"}}).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM topics WHERE slug = 'energie' AND name = 'Energie und Wärme' AND description = 'Strom, Wärme'`); n != 1 {
		t.Error("topic not renamed in place")
	}
	if n := w.count(`SELECT count(*) FROM initiative_topics WHERE initiative_id = $1 AND topic = 'energie'`, w.initA); n != 1 {
		t.Error("the initiative lost its topic")
	}
	if n := w.vocabAudits("vocabulary.renamed", "topics/energie"); n != 1 {
		t.Errorf("%d rename audits, want 1", n)
	}
	c.PostForm("/verwaltung/begriffe/rechtsformen/ev", url.Values{"name": {"Verein"}}).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM initiatives WHERE id = $1 AND legal_form = 'ev'`, w.initB); n != 1 {
		t.Error("the initiative lost its legal form")
	}
	// Renaming to another term's name is a field error.
	res = c.PostForm("/verwaltung/begriffe/themen/energie", url.Values{"name": {"Innovation"}}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("#feld-name-fehler"), "gibt es in der Liste schon") {
		t.Errorf("no field error: %q", res.Text("main"))
	}
	c.Get("/verwaltung/begriffe/themen/gibt-es-nicht").WantStatus(http.StatusNotFound)
	c.PostForm("/verwaltung/begriffe/themen/gibt-es-nicht", url.Values{"name": {"Neu"}}).WantStatus(http.StatusNotFound)
}

func TestVocabDelete(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	w.exec(`INSERT INTO initiative_sectors (initiative_id, sector) VALUES ($1, 'chemie'), ($2, 'chemie')`, w.initA, w.initB)
	w.exec(`UPDATE initiatives SET legal_form = 'ev' WHERE id = $1`, w.initB)
	c := w.as("editor")

	res := c.Get("/verwaltung/begriffe/branchen/pharma").WantStatus(http.StatusOK)
	if res.Find(`form[action="/verwaltung/begriffe/branchen/pharma/loeschen"]`).Length() != 1 {
		t.Error("an unused term offers no deletion")
	}
	res = c.PostForm("/verwaltung/begriffe/branchen/pharma/loeschen", nil).WantStatus(http.StatusUnprocessableEntity)
	if res.Find(`[data-testid="error-summary"] a[href="#feld-bestaetigt"]`).Length() != 1 {
		t.Error("an unconfirmed deletion has no error")
	}
	if w.count(`SELECT count(*) FROM sectors WHERE slug = 'pharma'`) != 1 {
		t.Error("pharma deleted without confirmation")
	}
	confirmed := url.Values{"bestaetigt": {"ja"}}
	c.PostForm("/verwaltung/begriffe/branchen/pharma/loeschen", confirmed).WantStatus(http.StatusSeeOther)
	if w.count(`SELECT count(*) FROM sectors WHERE slug = 'pharma'`) != 0 {
		t.Error("pharma not deleted")
	}
	if n := w.vocabAudits("vocabulary.deleted", "sectors/pharma"); n != 1 {
		t.Errorf("%d delete audits, want 1", n)
	}
	c.PostForm("/verwaltung/begriffe/branchen/pharma/loeschen", confirmed).WantStatus(http.StatusNotFound)

	for path, msg := range map[string]string{
		"/verwaltung/begriffe/branchen/chemie/loeschen": "„Chemie“ wird von 2 Initiativen verwendet und kann nicht gelöscht werden.",
		"/verwaltung/begriffe/rechtsformen/ev/loeschen": "„Eingetragener Verein (e.V.)“ wird von 1 Initiative verwendet und kann nicht gelöscht werden.",
	} {
		res := c.PostForm(path, confirmed).WantStatus(http.StatusUnprocessableEntity)
		if got := strings.TrimSpace(res.Text(`[data-testid="delete-error"] .kern-alert__body`)); got != msg {
			t.Errorf("%s: message %q, want %q", path, got, msg)
		}
	}
	if w.count(`SELECT count(*) FROM sectors WHERE slug = 'chemie'`) != 1 || w.count(`SELECT count(*) FROM legal_forms WHERE slug = 'ev'`) != 1 {
		t.Error("a used term was deleted")
	}
	if w.count(`SELECT count(*) FROM audit_log WHERE action = 'vocabulary.deleted'`) != 1 {
		t.Error("a refused deletion was audited")
	}
}

func TestVocabHostileInput(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	c := w.as("editor")
	before := w.count(`SELECT (SELECT count(*) FROM topics) + (SELECT count(*) FROM formats)`)
	inputs := map[string]int{
		"":                          http.StatusUnprocessableEntity,
		"   ":                       http.StatusUnprocessableEntity,
		"A":                         http.StatusUnprocessableEntity,
		"!!":                        http.StatusUnprocessableEntity,
		"Ж Ж":                       http.StatusUnprocessableEntity,
		"Null\x00Byte":              http.StatusUnprocessableEntity,
		"Zeile\nUmbruch":            http.StatusUnprocessableEntity,
		"kaputt \xff\xfe":           http.StatusUnprocessableEntity,
		strings.Repeat("a", 101):    http.StatusUnprocessableEntity,
		strings.Repeat("x", 100000): http.StatusUnprocessableEntity,
		`<script>alert(1)</script>`: http.StatusSeeOther,
	}
	for in, status := range inputs {
		for _, target := range []struct{ path, field string }{
			{"/verwaltung/begriffe/formate", "formate-name"},
			{"/verwaltung/begriffe/themen/energie", "name"},
		} {
			res := c.PostForm(target.path, url.Values{target.field: {in}})
			if res.StatusCode != status {
				t.Errorf("%s %.40q: status %d, want %d", target.path, in, res.StatusCode, status)
			}
			if strings.Contains(string(res.Body), "<script>alert") {
				t.Errorf("%s: markup echoed unescaped", target.path)
			}
		}
	}
	for _, desc := range []string{"Null\x00Byte", "kaputt \xff", strings.Repeat("d", 100000)} {
		c.PostForm("/verwaltung/begriffe/themen", url.Values{"themen-name": {"Gut"}, "themen-beschreibung": {desc}}).
			WantStatus(http.StatusUnprocessableEntity)
	}
	// The markup name was added once (as a format) and set once (on the topic).
	if got := w.count(`SELECT (SELECT count(*) FROM topics) + (SELECT count(*) FROM formats)`); got != before+1 {
		t.Errorf("%d terms, want %d", got, before+1)
	}
	page := c.Get("/verwaltung/begriffe").WantStatus(http.StatusOK)
	if strings.Contains(string(page.Body), "<script>alert") || !strings.Contains(page.Text("main"), "<script>alert(1)</script>") {
		t.Error("the markup name is not shown as text")
	}
	c.Get("/verwaltung/begriffe/formate/script-alert-1-script").WantStatus(http.StatusOK)
}

func TestVocabUnknownListAndAccess(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	c := w.as("editor")
	for _, path := range []string{"/verwaltung/begriffe/users", "/verwaltung/begriffe/topics", "/verwaltung/begriffe/themen%3B%20DROP"} {
		c.PostForm(path, url.Values{"name": {"Neu"}}).WantStatus(http.StatusNotFound)
	}
	c.Get("/verwaltung/begriffe/topics/energie").WantStatus(http.StatusNotFound)
	c.Get("/verwaltung/begriffe/users/energie").WantStatus(http.StatusNotFound)
	c.PostForm("/verwaltung/begriffe/users/energie/loeschen", nil).WantStatus(http.StatusNotFound)

	paths := []struct{ method, path string }{
		{"GET", "/verwaltung/begriffe"},
		{"POST", "/verwaltung/begriffe/themen"},
		{"GET", "/verwaltung/begriffe/themen/energie"},
		{"POST", "/verwaltung/begriffe/themen/energie"},
		{"POST", "/verwaltung/begriffe/themen/innovation/loeschen"},
	}
	for _, key := range []string{"member-a", "official", "anonymous"} {
		cl := w.as(key)
		for _, p := range paths {
			var res *webtest.Response
			if p.method == "GET" {
				res = cl.Get(p.path)
			} else {
				res = cl.PostForm(p.path, url.Values{"themen-name": {"Neu"}, "name": {"Neu"}, "bestaetigt": {"ja"}})
			}
			if key == "anonymous" {
				res.WantStatus(http.StatusSeeOther)
				if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/anmelden") {
					t.Errorf("%s %s: redirect to %q", p.method, p.path, loc)
				}
			} else {
				res.WantStatus(http.StatusForbidden)
			}
		}
	}
	if w.count(`SELECT count(*) FROM topics WHERE slug IN ('neu', 'innovation') AND name <> 'Innovation'`)+
		w.count(`SELECT count(*) FROM topics WHERE name = 'Neu'`) != 0 || w.count(`SELECT count(*) FROM topics WHERE slug = 'innovation'`) != 1 {
		t.Error("a refused request changed the topics")
	}
}

func TestVocabPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newVocabWorld(t)
	w.exec(`INSERT INTO initiative_topics (initiative_id, topic) VALUES ($1, 'energie')`, w.initA)
	ctx := b.Tab(t)
	browserSignIn(t, ctx, w.ts.URL, w.world, "editor")
	browsertest.CheckPage(t, ctx, w.ts.URL+"/verwaltung/begriffe")
	browsertest.CheckPage(t, ctx, w.ts.URL+"/verwaltung/begriffe/themen/energie")
	browsertest.CheckPage(t, ctx, w.ts.URL+"/verwaltung/begriffe/branchen/pharma")
}

// vocabRouteTable is what routes_test.go's routeTable should list for the
// vocabulary routes (an empty form, {liste}=themen, {slug}=energie).
var vocabRouteTable = map[string]want{
	"GET /verwaltung/begriffe":                          staff200,
	"POST /verwaltung/begriffe/themen":                  staff422,
	"GET /verwaltung/begriffe/themen/energie":           staff200,
	"POST /verwaltung/begriffe/themen/energie":          staff422,
	"POST /verwaltung/begriffe/themen/energie/loeschen": staff422,
}

func TestVocabRoutesForEveryRole(t *testing.T) {
	t.Parallel()
	w := newVocabWorld(t)
	for i, role := range roles {
		c := w.as(role)
		for key, wantStatus := range vocabRouteTable {
			method, path, _ := strings.Cut(key, " ")
			var res *webtest.Response
			if method == http.MethodGet {
				res = c.Get(path)
			} else {
				res = c.PostForm(path, url.Values{})
			}
			if res.StatusCode != wantStatus[i] {
				t.Errorf("%s as %s: status %d, want %d", key, role, res.StatusCode, wantStatus[i])
			}
		}
	}
	if w.count(`SELECT count(*) FROM topics WHERE slug = 'energie' AND name = 'Energie'`) != 1 {
		t.Error("empty forms changed Energie")
	}
}

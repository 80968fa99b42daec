package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/browsertest"
	"rii/internal/store"
	"rii/internal/webtest"
)

// directoryRoutes mounts the directory's handlers in front of the portal,
// with the middleware the public group has, until routes.go carries them.
func directoryRoutes(s *Server) http.Handler {
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(middleware.RequestID, s.securityHeaders, s.recoverPanics, middleware.GetHead,
			middleware.Compress(5, "text/html", "application/json", "text/csv"), s.sessions.LoadAndSave, s.loadUser)
		r.Get("/initiativen", s.handle(s.listDirectory))
		r.Get("/initiativen.csv", s.handle(s.listOpenDataCSV))
		r.Get("/initiativen.json", s.handle(s.listOpenDataJSON))
		r.Get("/initiativen/offene-daten", s.handle(s.showOpenData))
		r.Get("/initiativen/{slug}", s.handle(s.showInitiative))
	})
	r.Mount("/", s.Handler())
	return r
}

// dirWorld is the fixture world served with the directory's routes.
type dirWorld struct {
	*world
	url string
}

func newDirWorld(t *testing.T) *dirWorld {
	t.Helper()
	w := newWorld(t)
	ts := httptest.NewServer(directoryRoutes(w.srv))
	t.Cleanup(ts.Close)
	return &dirWorld{world: w, url: ts.URL}
}

// as returns a client signed in as key ("anonymous": none).
func (d *dirWorld) as(key string) *webtest.Client {
	d.t.Helper()
	c := webtest.NewClient(d.t, d.url)
	if key != "anonymous" {
		d.signIn(c, key)
	}
	return c
}

// profileSeed is an initiative with a full profile, for handler tests.
type profileSeed struct {
	slug, name, status, short, desc, website string
	districts, topics, sectors               []string
	members                                  [][2]string // name, kind
}

// seedProfile inserts (or, for an existing slug, fills) an initiative.
func seedProfile(t *testing.T, pool *pgxpool.Pool, p profileSeed) int64 {
	t.Helper()
	ctx := context.Background()
	if p.status == "" {
		p.status = "published"
	}
	var id int64
	err := pool.QueryRow(ctx, `
		INSERT INTO initiatives (slug, name, status, short_description, description, website, legal_form, founding_year,
			confirmed_at, published_at)
		VALUES ($1, $2, $3, $4, $5, nullif($6, ''), 'ev', 2015, '2026-03-02 10:00+01',
			CASE WHEN $3 = 'published' THEN now() END)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name, status = excluded.status,
			short_description = excluded.short_description, description = excluded.description, website = excluded.website,
			legal_form = excluded.legal_form, founding_year = excluded.founding_year, confirmed_at = excluded.confirmed_at
		RETURNING id`, p.slug, p.name, p.status, p.short, p.desc, p.website).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	var mNames, mKinds []string
	for _, m := range p.members {
		mNames, mKinds = append(mNames, m[0]), append(mKinds, m[1])
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO initiative_districts (initiative_id, ags) SELECT $1, unnest($2::text[])`, []any{p.districts}},
		{`INSERT INTO initiative_topics (initiative_id, topic) SELECT $1, unnest($2::text[])`, []any{p.topics}},
		{`INSERT INTO initiative_sectors (initiative_id, sector) SELECT $1, unnest($2::text[])`, []any{p.sectors}},
		{`INSERT INTO initiative_target_groups (initiative_id, target_group) VALUES ($1, 'unternehmen'), ($1, 'schueler')`, nil},
		{`INSERT INTO initiative_formats (initiative_id, format) VALUES ($1, 'dialog')`, nil},
		{`INSERT INTO initiative_members (initiative_id, name, kind, position)
			SELECT $1, n, k, o FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(n, k, o)`, []any{mNames, mKinds}},
	} {
		if _, err := pool.Exec(ctx, q.sql, append([]any{id}, q.args...)...); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

// Contacts of the privacy fixture: one per visibility, each findable by
// its unique e-mail address and phone number.
var privacyContacts = []struct{ visibility, name, email, phone string }{
	{store.VisibilityPublic, "Petra Öffentlich", "oeffentlich.7f3a@kontakt.example", "+49 7621 100001"},
	{store.VisibilityMembers, "Max Mitglied", "mitglieder.9c2e@kontakt.example", "+49 7621 200002"},
	{store.VisibilityEditors, "Sabine Servicestelle", "servicestelle.4b8d@kontakt.example", "+49 7621 300003"},
}

// seedDirectoryWorld gives initiative A (member-a's) a full profile with a
// contact of each visibility, initiative B a short one, and adds a draft.
func seedDirectoryWorld(t *testing.T, d *dirWorld) {
	t.Helper()
	seedProfile(t, d.pool, profileSeed{slug: "initiative-a", name: "Chemie und Pharma am Hochrhein e.V.",
		short:   "Die Chemie- und Pharmaindustrie am Hochrhein zeigt sich.",
		desc:    "Erster Absatz mit <script>alert('x')</script> & Umlauten.\nZweite Zeile.\n\nZweiter Absatz.",
		website: "https://www.chemie-hochrhein.example/", districts: []string{"08336", "08337", "09162"},
		topics: []string{"akzeptanz", "fachkraefte"}, sectors: []string{"chemie", "pharma"},
		members: [][2]string{{"Evonik Operations GmbH", "unternehmen"}, {"IHK Hochrhein-Bodensee", "kammer"}, {"IG BCE", "gewerkschaft"}}})
	seedProfile(t, d.pool, profileSeed{slug: "initiative-b", name: "Wachstumsregion Ems-Achse",
		short: "Netzwerk im Nordwesten", districts: []string{"03454"}, topics: []string{"fachkraefte"}, sectors: []string{"maschinenbau"}})
	seedProfile(t, d.pool, profileSeed{slug: "entwurf-chemie", name: "Chemie-Entwurf", status: "draft",
		short: "Noch nicht geprüft", districts: []string{"08336"}, topics: []string{"akzeptanz"}})
	now := time.Now()
	for i, c := range privacyContacts {
		nc := store.NewContact{Name: c.name, Function: "Geschäftsführung", Organisation: "Verein", Email: c.email,
			Phone: c.phone, Visibility: c.visibility}
		if c.visibility != store.VisibilityEditors {
			nc.ConsentAt = &now
		}
		id, err := d.st.CreateContact(t.Context(), nc, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.st.LinkContact(t.Context(), d.initA, id, "Ansprechperson", i); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDirectoryListSearchFacetsAndMap(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	c := d.as("anonymous")

	res := c.Get("/initiativen").WantStatus(http.StatusOK)
	if got := res.Text(`[data-testid="result-count"]`); got != "2 Initiativen gefunden" {
		t.Errorf("count %q", got)
	}
	cards := res.Find(`[data-testid="directory-list"] > li`)
	if cards.Length() != 2 || cards.First().Find("h3 a").AttrOr("href", "") != "/initiativen/initiative-a" {
		t.Fatalf("%d cards, first %q", cards.Length(), cards.First().Find("h3 a").AttrOr("href", ""))
	}
	if got := cards.First().Find("dd").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !slices.Equal(got,
		[]string{"Baden-Württemberg, Bayern", "Fachkräfte und Nachwuchs, Akzeptanz und Kommunikation"}) {
		t.Errorf("card facts %q", got)
	}
	if res.Find(`h1`).Length() != 1 || res.Find(`h2#ergebnisse`).Length() != 1 || res.Find(`ul.directory-list h3`).Length() != 2 {
		t.Error("headings: one h1, a results h2, an h3 per result")
	}
	if n := res.Find(`[data-testid="region-table"] tbody tr`).Length(); n != 16 {
		t.Errorf("Länder table has %d rows", n)
	}
	if !strings.Contains(res.Text(`[data-testid="directory-map"]`), "© GeoBasis-DE / BKG (2021)") {
		t.Error("map without its credit")
	}
	if href := res.Find(`[data-testid="region-table"] a:contains("Bayern")`).AttrOr("href", ""); href != "/initiativen?land=09" {
		t.Errorf("Bayern links to %q", href)
	}
	if res.Find(`[data-testid="reset-filters"]`).Length() != 0 {
		t.Error("a reset link without filters")
	}

	// Typos, and filters that narrow: the Hochrhein initiative only.
	res = c.Get("/initiativen?q=Chemi+Hochrein").WantStatus(http.StatusOK)
	if got := res.Text(`[data-testid="result-count"]`); got != "1 Initiative gefunden" {
		t.Errorf("typo search: %q", got)
	}
	res = c.Get("/initiativen?land=08&thema=akzeptanz&thema=unbekannt&kreis=99999&sortierung=neu").WantStatus(http.StatusOK)
	if got := res.Text(`[data-testid="result-count"]`); got != "1 Initiative gefunden" {
		t.Errorf("filtered: %q", got)
	}
	if !res.Find(`#filter-land-08`).Is(`[checked]`) || !res.Find(`#filter-thema-akzeptanz`).Is(`[checked]`) {
		t.Error("chosen values are not checked")
	}
	if got := res.Text(`label[for="filter-thema-fachkraefte"]`); got != "Fachkräfte und Nachwuchs 1 , 1 Initiative" {
		t.Errorf("topic count %q", got)
	}
	var active []string
	res.Find(`[data-testid="active-filters"] a`).Each(func(_ int, a *goquery.Selection) {
		active = append(active, a.AttrOr("href", ""))
	})
	if want := []string{"/initiativen?sortierung=neu&thema=akzeptanz", "/initiativen?land=08&sortierung=neu"}; !slices.Equal(active, want) {
		t.Errorf("remove links %q, want %q (unknown values dropped)", active, want)
	}
	if href := res.Find(`[data-testid="reset-filters"]`).AttrOr("href", ""); href != "/initiativen?sortierung=neu" {
		t.Errorf("reset %q", href)
	}
	// One Land chosen: its districts on the map, linked with the Land.
	if n := res.Find(`[data-testid="region-table"] tbody tr`).Length(); n != 44 {
		t.Errorf("district table of Baden-Württemberg has %d rows", n)
	}
	if href := res.Find(`[data-testid="region-table"] a:contains("Lörrach")`).AttrOr("href", ""); href != "/initiativen?kreis=08336&land=08&sortierung=neu&thema=akzeptanz" {
		t.Errorf("Lörrach links to %q", href)
	}
	if csv := res.Find(`[data-testid="csv-link"]`).AttrOr("href", ""); csv != "/initiativen.csv?land=08&sortierung=neu&thema=akzeptanz" {
		t.Errorf("CSV link %q", csv)
	}

	res = c.Get("/initiativen?q=gibt+es+nirgends").WantStatus(http.StatusOK)
	if res.Find(`[data-testid="no-results"]`).Length() != 1 || res.Text(`[data-testid="result-count"]`) != "Keine Initiative gefunden" {
		t.Error("no results: no message")
	}
}

func TestDirectoryPaging(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	if err := d.st.InsertSyntheticInitiatives(t.Context(), 43, 1); err != nil {
		t.Fatal(err)
	}
	c := d.as("anonymous")
	res := c.Get("/initiativen?thema=&land=xx").WantStatus(http.StatusOK)
	if got := res.Text(`[data-testid="result-count"]`); got != "45 Initiativen gefunden" {
		t.Fatalf("count %q", got)
	}
	next := res.Find(`[data-testid="pager"] a[rel="next"]`).AttrOr("href", "")
	if next != "/initiativen?seite=2" {
		t.Fatalf("next page %q", next)
	}
	res = c.Get("/initiativen?seite=3").WantStatus(http.StatusOK)
	if n := res.Find(`[data-testid="directory-card"]`).Length(); n != 5 || res.Find(`head title`).Text() != "Initiativen – Seite 3 – RII-Portal" {
		t.Errorf("page 3: %d cards, title %q", n, res.Find("head title").Text())
	}
	// The pager: previous, the first and every page (there are 3), the
	// current one marked, no next page.
	pager := res.Find(`[data-testid="pager"] li a`).Map(func(_ int, s *goquerySel) string {
		return s.AttrOr("href", "") + " " + s.AttrOr("aria-current", "-") + " " + s.Text()
	})
	if want := []string{"/initiativen?seite=2 - Vorherige Seite", "/initiativen - 1", "/initiativen?seite=2 - 2",
		"/initiativen?seite=3 page 3"}; !slices.Equal(pager, want) {
		t.Errorf("page 3: pager %q, want %q", pager, want)
	}
	if res.Header.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("list cache header %q", res.Header.Get("Cache-Control"))
	}
	res = c.Get("/initiativen?seite=9").WantStatus(http.StatusOK)
	if res.Find(`[data-testid="past-end"] a[href="/initiativen"]`).Length() != 1 || res.Find(`[data-testid="no-results"]`).Length() != 0 {
		t.Error("a page past the end does not lead back")
	}
}

func TestParseDirectoryQuery(t *testing.T) {
	t.Parallel()
	v := url.Values{
		"q":          {"  <b>Chemie</b>\x00 "},
		"land":       {"08", "8", "17", "08", "00", "16"},
		"kreis":      {"08336", "0833", "083361", "abcde"},
		"thema":      {"innovation", "Innovation", "a--b", "-x", strings.Repeat("a", 61), "klimaschutz"},
		"branche":    {"chemie'; --"},
		"sortierung": {"DROP"},
		"seite":      {"-3"},
	}
	d := parseDirectoryQuery(v)
	if d.Q != "<b>Chemie</b>" || !slices.Equal(d.States, []string{"08", "16"}) || !slices.Equal(d.Districts, []string{"08336"}) ||
		!slices.Equal(d.Topics, []string{"innovation", "klimaschutz"}) || d.Sectors != nil || d.Sort != "" || d.Page != 1 {
		t.Errorf("parsed %+v", d)
	}
	if f := d.filter(); f.Sort != store.SortRelevance || f.Terms.Word() != "chemie" {
		t.Errorf("filter %+v", f)
	}
	many := url.Values{}
	for i := range 50 {
		many.Add("kreis", strings.Repeat("0", 4)+string(rune('0'+i%10)))
		many.Add("thema", "t"+itoa(int64(i)))
	}
	if d := parseDirectoryQuery(many); len(d.Districts) != 10 || len(d.Topics) != maxFilterValues {
		t.Errorf("bounded: %d districts, %d topics", len(d.Districts), len(d.Topics))
	}
	if got := (directoryQuery{Q: "a&b", Topics: []string{"x"}, Sort: "neu"}).href("/initiativen"); got != "/initiativen?q=a%26b&sortierung=neu&thema=x" {
		t.Errorf("href %q", got)
	}
}

func TestShadeLevels(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		counts []int
		levels []int
		legend []string
	}{
		{[]int{0, 0}, []int{0, 0}, []string{"keine Initiative"}},
		{[]int{0, 1, 3, 1}, []int{0, 1, 2, 1}, []string{"keine Initiative", "1 Initiative", "2 bis 3 Initiativen"}},
		{[]int{1, 2, 3, 4, 5, 6, 7, 1200}, []int{1, 1, 2, 2, 3, 4, 4, 5},
			[]string{"1 bis 2 Initiativen", "3 bis 4 Initiativen", "5 Initiativen", "6 bis 7 Initiativen", "8 bis 1.200 Initiativen"}},
	} {
		levels, legend := shadeLevels(c.counts)
		var labels []string
		for _, l := range legend {
			labels = append(labels, l.Label)
		}
		if !slices.Equal(levels, c.levels) || !slices.Equal(labels, c.legend) {
			t.Errorf("shadeLevels(%v) = %v %q, want %v %q", c.counts, levels, labels, c.levels, c.legend)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 83019213: "83.019.213"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
}

// TestDirectoryPagesAreAccessible opens every page the directory draws in
// Chromium (list with results, without, with filters and a Land's district
// map; profile public and an editor's view of a draft; the open data
// page): zero axe violations, no CSP violation (the JSON-LD block is data,
// not script), no console error.
func TestDirectoryPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	if err := d.st.InsertSyntheticInitiatives(t.Context(), 30, 3); err != nil {
		t.Fatal(err)
	}
	for viewer, paths := range map[string][]string{
		"anonymous": {"/initiativen", "/initiativen?seite=2", "/initiativen?q=gibt+es+nirgends",
			"/initiativen?q=chemie&thema=akzeptanz&branche=chemie&land=08&land=09",
			"/initiativen?land=08&kreis=08336", "/initiativen/initiative-a", "/initiativen/initiative-b",
			"/initiativen/offene-daten"},
		"member-a": {"/initiativen/initiative-a"},
		"editor":   {"/initiativen/entwurf-chemie", "/initiativen/initiative-a", "/initiativen?q=Chemie"},
	} {
		t.Run(viewer, func(t *testing.T) {
			t.Parallel()
			ctx := b.Tab(t)
			if viewer != "anonymous" {
				browserSignIn(t, ctx, d.url, d.world, viewer)
			}
			for _, path := range paths {
				browsertest.CheckPage(t, ctx, d.url+path)
			}
		})
	}
}

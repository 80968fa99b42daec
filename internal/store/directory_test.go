package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/pgtest"
	"rii/internal/store"
)

// dirSeed is an initiative for the directory tests.
type dirSeed struct {
	slug, name, status, short, desc string
	districts, topics, sectors      []string
	published, updated              time.Time
}

// seedDirectory inserts initiatives with their links by SQL, so these tests
// depend on nothing but the schema.
func seedDirectory(t *testing.T, pool *pgxpool.Pool, seeds ...dirSeed) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	for _, s := range seeds {
		if s.status == "" {
			s.status = "published"
		}
		if s.published.IsZero() {
			s.published = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if s.updated.IsZero() {
			s.updated = s.published
		}
		var id int64
		err := pool.QueryRow(ctx, `
			INSERT INTO initiatives (slug, name, status, short_description, description, published_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, CASE WHEN $3 = 'published' THEN $6::timestamptz END, $7) RETURNING id`,
			s.slug, s.name, s.status, s.short, s.desc, s.published, s.updated).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []struct {
			sql    string
			values []string
		}{
			{`INSERT INTO initiative_districts (initiative_id, ags) SELECT $1, unnest($2::text[])`, s.districts},
			{`INSERT INTO initiative_topics (initiative_id, topic) SELECT $1, unnest($2::text[])`, s.topics},
			{`INSERT INTO initiative_sectors (initiative_id, sector) SELECT $1, unnest($2::text[])`, s.sectors},
		} {
			if _, err := pool.Exec(ctx, q.sql, id, q.values); err != nil {
				t.Fatal(err)
			}
		}
		ids[s.slug] = id
	}
	return ids
}

// directoryFixture is a small directory: the Hochrhein initiative spans two
// districts of Baden-Württemberg, Ems-Achse three of Niedersachsen, one
// initiative is in Bavaria and NRW, one is a draft.
func directoryFixture(t *testing.T) (*store.Store, map[string]int64) {
	t.Helper()
	pool := pgtest.NewPool(t)
	ids := seedDirectory(t, pool,
		dirSeed{slug: "chemie-hochrhein", name: "Chemie und Pharma am Hochrhein e.V.", short: "Die Chemie- und Pharmaindustrie am Hochrhein",
			districts: []string{"08336", "08337"}, topics: []string{"akzeptanz", "fachkraefte"}, sectors: []string{"chemie", "pharma"},
			published: time.Date(2021, 3, 16, 0, 0, 0, 0, time.UTC)},
		dirSeed{slug: "ems-achse", name: "Wachstumsregion Ems-Achse", desc: "Netzwerk für Fachkräfte im Emsland",
			districts: []string{"03454", "03457", "03452"}, topics: []string{"fachkraefte"}, sectors: []string{"maschinenbau"},
			published: time.Date(2022, 5, 1, 0, 0, 0, 0, time.UTC), updated: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		dirSeed{slug: "industry-at-work", name: "industry@work", short: "Ausbildung und Öffentlichkeit",
			districts: []string{"09162", "05111"}, topics: []string{"akzeptanz"}, sectors: []string{"metall-elektro"},
			published: time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC)},
		dirSeed{slug: "aerger-initiative", name: "Ärger-Initiative Überlingen", districts: []string{"08435"},
			topics: []string{"energie"}, published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)},
		dirSeed{slug: "entwurf", name: "Chemie-Entwurf", status: "draft", districts: []string{"08336"}, topics: []string{"akzeptanz"}},
	)
	return store.New(pool), ids
}

func slugsOf(p *store.DirectoryPage) []string {
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.Slug)
	}
	return out
}

func facet(values []store.FacetValue, key string) store.FacetValue {
	for _, v := range values {
		if v.Key == key {
			return v
		}
	}
	return store.FacetValue{}
}

func TestDirectorySearchAndSort(t *testing.T) {
	t.Parallel()
	s, _ := directoryFixture(t)
	ctx := t.Context()
	for _, c := range []struct {
		name string
		f    store.DirectoryFilter
		want []string
	}{
		{"all by German name, published only", store.DirectoryFilter{},
			[]string{"aerger-initiative", "chemie-hochrhein", "industry-at-work", "ems-achse"}},
		{"typos", store.DirectoryFilter{Terms: store.SearchTerms("Chemi Hochrein")}, []string{"chemie-hochrhein"}},
		{"prefix in the description", store.DirectoryFilter{Terms: store.SearchTerms("emsl")}, []string{"ems-achse"}},
		{"stemmed word in the short description", store.DirectoryFilter{Terms: store.SearchTerms("Ausbildungen")}, []string{"industry-at-work"}},
		{"with accents", store.DirectoryFilter{Terms: store.SearchTerms("ärger überlingen")}, []string{"aerger-initiative"}},
		{"unaccented typing", store.DirectoryFilter{Terms: store.SearchTerms("arger uberlingen")}, []string{"aerger-initiative"}},
		{"newest", store.DirectoryFilter{Sort: store.SortNewest},
			[]string{"industry-at-work", "ems-achse", "chemie-hochrhein", "aerger-initiative"}},
		{"recently updated", store.DirectoryFilter{Sort: store.SortUpdated},
			[]string{"ems-achse", "industry-at-work", "chemie-hochrhein", "aerger-initiative"}},
		{"paging", store.DirectoryFilter{Limit: 2, Offset: 2}, []string{"industry-at-work", "ems-achse"}},
		{"past the last page", store.DirectoryFilter{Limit: 2, Offset: 4}, nil},
		{"terms and a Land, newest", store.DirectoryFilter{Terms: store.SearchTerms("ausbildung"), States: []string{"09"},
			Sort: store.SortNewest}, []string{"industry-at-work"}},
		{"terms and another Land", store.DirectoryFilter{Terms: store.SearchTerms("ausbildung"), States: []string{"08"}}, nil},
		{"terms, a Land and a topic by relevance", store.DirectoryFilter{Terms: store.SearchTerms("chemie"), States: []string{"08"},
			Topics: []string{"akzeptanz"}, Sort: store.SortRelevance}, []string{"chemie-hochrhein"}},
		{"an exclusion by relevance", store.DirectoryFilter{Terms: store.SearchTerms("chemie oder ausbildung -hochrhein"),
			Sort: store.SortRelevance}, []string{"industry-at-work"}},
		{"only an exclusion", store.DirectoryFilter{Terms: store.SearchTerms("-hochrhein")},
			[]string{"aerger-initiative", "industry-at-work", "ems-achse"}},
	} {
		p, err := s.Directory(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := slugsOf(p); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	p, err := s.Directory(ctx, store.DirectoryFilter{Terms: store.SearchTerms("chemie"), Sort: store.SortRelevance})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) == 0 || p.Entries[0].Slug != "chemie-hochrhein" || p.Total != 1 {
		t.Fatalf("relevance: %q (total %d)", slugsOf(p), p.Total)
	}
	e := p.Entries[0]
	if !slices.Equal(e.States, []string{"Baden-Württemberg"}) || !slices.Equal(e.Topics, []string{"Fachkräfte und Nachwuchs", "Akzeptanz und Kommunikation"}) {
		t.Errorf("entry: states %q, topics %q", e.States, e.Topics)
	}
}

func TestDirectoryFacetsIgnoreTheirOwnFilter(t *testing.T) {
	t.Parallel()
	s, _ := directoryFixture(t)
	p, err := s.Directory(t.Context(), store.DirectoryFilter{States: []string{"08"}, Topics: []string{"akzeptanz"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := slugsOf(p); !slices.Equal(got, []string{"chemie-hochrhein"}) || p.Total != 1 {
		t.Fatalf("results %q, total %d", got, p.Total)
	}
	if len(p.States) != 16 || len(p.Districts) != 400 || len(p.Topics) != 10 || len(p.Sectors) != 17 {
		t.Fatalf("facet sizes %d %d %d %d", len(p.States), len(p.Districts), len(p.Topics), len(p.Sectors))
	}
	for _, c := range []struct {
		values              []store.FacetValue
		key                 string
		count, map_         int
		name, parentOfKreis string
	}{
		// Länder: the topic filter applies, the Land filter does not.
		{p.States, "08", 1, 1, "Baden-Württemberg", ""},
		{p.States, "09", 1, 1, "Bayern", ""},
		{p.States, "05", 1, 1, "Nordrhein-Westfalen", ""},
		{p.States, "03", 0, 0, "Niedersachsen", ""},
		// Districts: Land and topic apply; the map leaves out the Land.
		{p.Districts, "08336", 1, 1, "Lörrach", "08"},
		{p.Districts, "09162", 0, 1, "München", "09"},
		{p.Districts, "08435", 0, 0, "Bodenseekreis", "08"},
		// Topics: the Land applies, topics do not.
		{p.Topics, "energie", 1, 0, "Energie", ""},
		{p.Topics, "fachkraefte", 1, 0, "Fachkräfte und Nachwuchs", ""},
		{p.Topics, "akzeptanz", 1, 0, "Akzeptanz und Kommunikation", ""},
		// Sectors: both apply.
		{p.Sectors, "chemie", 1, 0, "Chemie", ""},
		{p.Sectors, "metall-elektro", 0, 0, "Metall und Elektro", ""},
	} {
		v := facet(c.values, c.key)
		if v.Count != c.count || v.MapCount != c.map_ || v.Name != c.name || v.Parent != c.parentOfKreis {
			t.Errorf("%s: %+v, want count %d, map %d, name %q, parent %q", c.key, v, c.count, c.map_, c.name, c.parentOfKreis)
		}
	}
	if p.States[0].Name != "Baden-Württemberg" || p.States[15].Name != "Thüringen" {
		t.Errorf("Länder not in German order: %s … %s", p.States[0].Name, p.States[15].Name)
	}
}

func TestDirectoryIgnoresUnknownValues(t *testing.T) {
	t.Parallel()
	s, _ := directoryFixture(t)
	ctx := t.Context()
	all, err := s.Directory(ctx, store.DirectoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []store.DirectoryFilter{
		{States: []string{"99"}}, {Districts: []string{"99999", "16056"}}, {Topics: []string{"gibt-es-nicht"}},
		{Sectors: []string{"x"}}, {Districts: []string{"x' OR 1=1 --", "\xff"}},
	} {
		p, err := s.Directory(ctx, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if p.Total != all.Total {
			t.Errorf("%+v: total %d, want %d (ignored)", f, p.Total, all.Total)
		}
	}
	// A known value next to an unknown one filters by the known one.
	p, err := s.Directory(ctx, store.DirectoryFilter{Topics: []string{"energie", "gibt-es-nicht"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := slugsOf(p); !slices.Equal(got, []string{"aerger-initiative"}) {
		t.Errorf("known and unknown topic: %q", got)
	}
}

func TestInitiativeDetailAndContacts(t *testing.T) {
	t.Parallel()
	s, ids := directoryFixture(t)
	ctx := t.Context()
	d, err := s.InitiativeDetail(ctx, "ems-achse")
	if err != nil {
		t.Fatal(err)
	}
	var regions []string
	for _, r := range d.Regions {
		regions = append(regions, r.StateName+"/"+r.Name)
	}
	if want := []string{"Niedersachsen/Aurich", "Niedersachsen/Emsland", "Niedersachsen/Leer"}; !slices.Equal(regions, want) {
		t.Errorf("regions %q, want %q", regions, want)
	}
	if len(d.Topics) != 1 || d.Topics[0] != (store.Term{Slug: "fachkraefte", Name: "Fachkräfte und Nachwuchs"}) || d.FoundingYear != nil {
		t.Errorf("detail: %+v", d)
	}
	if _, err := s.InitiativeDetail(ctx, "gibt-es-nicht"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown slug: %v", err)
	}
	now := time.Now()
	for i, vis := range []string{store.VisibilityPublic, store.VisibilityMembers, store.VisibilityEditors} {
		c := store.NewContact{Name: "Person " + vis, Email: vis + "@kontakt.example", Visibility: vis}
		if vis != store.VisibilityEditors {
			c.ConsentAt = &now
		}
		id, err := s.CreateContact(ctx, c, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.LinkContact(ctx, ids["ems-achse"], id, "Ansprechperson", i); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		vis  []string
		want int
	}{{nil, 0}, {[]string{"public"}, 1}, {[]string{"public", "members"}, 2}, {[]string{"public", "members", "editors"}, 3}} {
		list, err := s.VisibleContacts(ctx, ids["ems-achse"], c.vis)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != c.want {
			t.Errorf("visibilities %q: %d contacts, want %d", c.vis, len(list), c.want)
		}
		for _, x := range list {
			if !slices.Contains(c.vis, x.Visibility) {
				t.Errorf("visibilities %q: got a %s contact", c.vis, x.Visibility)
			}
		}
	}
}

func TestOpenDataHonoursTheFilter(t *testing.T) {
	t.Parallel()
	s, _ := directoryFixture(t)
	list, err := s.OpenData(t.Context(), store.DirectoryFilter{Sectors: []string{"chemie", "maschinenbau"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range list {
		got = append(got, d.Slug)
	}
	if !slices.Equal(got, []string{"chemie-hochrhein", "ems-achse"}) {
		t.Errorf("open data %q", got)
	}
}

func TestInsertSyntheticInitiatives(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	s := store.New(pool)
	ctx := t.Context()
	if err := s.InsertSyntheticInitiatives(ctx, 450, 7); err != nil {
		t.Fatal(err)
	}
	// The same seed again: the slugs exist, nothing new, no error.
	if err := s.InsertSyntheticInitiatives(ctx, 450, 7); err != nil {
		t.Fatal(err)
	}
	var n, sample, published, covered, topicless int
	err := pool.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE sample), count(*) FILTER (WHERE status = 'published'),
			(SELECT count(DISTINCT ags) FROM initiative_districts),
			count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM initiative_topics x WHERE x.initiative_id = i.id))
		FROM initiatives i`).Scan(&n, &sample, &published, &covered, &topicless)
	if err != nil {
		t.Fatal(err)
	}
	if n != 450 || sample != 450 || published != 450 || covered != 400 || topicless != 0 {
		t.Errorf("%d initiatives, %d sample, %d published, %d districts covered, %d without topic", n, sample, published, covered, topicless)
	}
	p, err := s.Directory(ctx, store.DirectoryFilter{Terms: store.SearchTerms("Industrie"), Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total == 0 || len(p.Entries) != 5 {
		t.Errorf("search in synthetic data: total %d, %d entries", p.Total, len(p.Entries))
	}
}

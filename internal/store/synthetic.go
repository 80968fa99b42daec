package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"rii/internal/initiative"
)

// Word lists for synthetic initiatives: enough variety that search, facets
// and sorting behave as with real data, German throughout.
var (
	synthPatterns = []string{
		"Industrieinitiative %s", "Zukunft Industrie %s", "Bündnis für Industrie %s", "Industrieregion %s",
		"%s – Industrie. Zukunft. Leben.", "Netzwerk Industrie %s", "Industriedialog %s", "Allianz Industrie %s",
		"Wirtschaftsforum %s", "Initiative Fachkräfte %s", "Forum Zukunftsindustrie %s", "Werkstatt Wandel %s",
	}
	synthSectorPatterns = []string{"%s-Netzwerk %s", "Cluster %s %s", "%s am Standort %s", "Kompetenznetz %s %s"}
	synthSectorWords    = []string{"Chemie", "Chemie", "Metall", "Kunststoff", "Automobil", "Maschinenbau", "Wasserstoff",
		"Papier", "Glas", "Stahl", "Logistik", "Pharma", "Elektro", "Lebensmittel", "Energie"}
	synthOpeners = []string{
		"Unternehmen, Kammern, Gewerkschaften und Kommunen arbeiten gemeinsam daran,",
		"Das Bündnis bringt Betriebe, Schulen und Verwaltung zusammen, um",
		"Die Initiative lädt Bürgerinnen und Bürger in die Werkhallen ein, um",
		"Gemeinsam mit Hochschulen und Berufsschulen setzt sich das Netzwerk dafür ein,",
		"Seit ihrer Gründung verfolgt die Initiative das Ziel,",
	}
	synthGoals = []string{
		"die Akzeptanz der Industrie in der Region zu stärken.",
		"junge Menschen für eine Ausbildung in technischen Berufen zu begeistern.",
		"den Weg zur klimaneutralen Produktion gemeinsam zu gehen.",
		"Fachkräfte zu gewinnen und in der Region zu halten.",
		"die Digitalisierung kleiner und mittlerer Unternehmen voranzubringen.",
		"den Strukturwandel aktiv und sozial gerecht zu gestalten.",
		"den Industriestandort sichtbar zu machen und neue Ansiedlungen zu fördern.",
		"Innovationen aus der Forschung schneller in die Betriebe zu bringen.",
	}
	synthDetails = []string{
		"Jedes Jahr findet eine Lange Nacht der Industrie statt, bei der Betriebe ihre Türen öffnen.",
		"Regelmäßige Netzwerktreffen bieten Raum für Austausch zwischen Geschäftsführungen und Betriebsräten.",
		"Ein Schülerwettbewerb macht Technik und Produktion im Unterricht erlebbar.",
		"Die Mitglieder veröffentlichen gemeinsam einen Bericht zur Lage der Industrie in der Region.",
		"Ein Dialogforum bringt Politik, Wirtschaft und Zivilgesellschaft an einen Tisch.",
		"Betriebsbesichtigungen zeigen, wie moderne Produktion heute aussieht.",
	}
	synthMembers = []struct{ pattern, kind string }{
		{"IHK %s", "kammer"}, {"Handwerkskammer %s", "kammer"}, {"IG Metall %s", "gewerkschaft"},
		{"IG BCE Bezirk %s", "gewerkschaft"}, {"Wirtschaftsförderung %s", "kommune"}, {"Kreisverwaltung %s", "landkreis"},
		{"Hochschule %s", "wissenschaft"}, {"Arbeitgeberverband %s", "verband"}, {"%s Werke GmbH", "unternehmen"},
		{"Maschinenfabrik %s AG", "unternehmen"},
	}
	synthLegalForms = []string{"ev", "ev", "ev", "gmbh", "buendnis", "buendnis", "netzwerk", "netzwerk", "projekt", "sonstige"}
)

// synthRow is one generated initiative with its links.
type synthRow struct {
	slug, name, short, long, legalForm, website string
	founded                                     int
	published, updated                          time.Time
	districts, topics, sectors                  []string
	members                                     [][2]string // name, kind
}

// InsertSyntheticInitiatives adds n published initiatives, marked
// sample = true, spread over all current districts (every district gets
// one before any gets a second), with generated German names, descriptions,
// topics, sectors and member organisations: data for load and performance
// tests. The same seed gives the same data; slugs carry a random suffix, so
// a repeated seed skips the rows it already made instead of failing.
func (s *Store) InsertSyntheticInitiatives(ctx context.Context, n int, seed int64) error {
	var districts []struct{ ags, name string }
	rows, err := s.db.Query(ctx, `SELECT ags, display_name FROM current_districts ORDER BY ags`)
	if err != nil {
		return fmt.Errorf("store: synthetic initiatives: %w", err)
	}
	for rows.Next() {
		var d struct{ ags, name string }
		if err := rows.Scan(&d.ags, &d.name); err != nil {
			return fmt.Errorf("store: synthetic initiatives: %w", err)
		}
		districts = append(districts, d)
	}
	if err := rows.Err(); err != nil || len(districts) == 0 {
		return fmt.Errorf("store: synthetic initiatives: districts: %v", err)
	}
	var topics, sectors []string
	err = s.db.QueryRow(ctx, `SELECT ARRAY(SELECT slug FROM topics ORDER BY position), ARRAY(SELECT slug FROM sectors ORDER BY position)`).
		Scan(&topics, &sectors)
	if err != nil {
		return fmt.Errorf("store: synthetic initiatives: vocabularies: %w", err)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	order := rng.Perm(len(districts))
	const chunk = 2000
	for start := 0; start < n; start += chunk {
		batch := make([]synthRow, 0, min(chunk, n-start))
		for i := start; i < n && i < start+chunk; i++ {
			d := districts[order[i%len(order)]]
			batch = append(batch, synthInitiative(rng, d.ags, d.name, districts, topics, sectors))
		}
		if err := s.insertSynthetic(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// synthInitiative generates one initiative based in the district ags.
func synthInitiative(rng *rand.Rand, ags, place string, districts []struct{ ags, name string }, topics, sectors []string) synthRow {
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	r := synthRow{legalForm: pick(synthLegalForms), founded: 1990 + rng.IntN(34), districts: []string{ags}}
	if rng.IntN(4) == 0 {
		r.name = fmt.Sprintf(pick(synthSectorPatterns), pick(synthSectorWords), place)
	} else {
		r.name = fmt.Sprintf(pick(synthPatterns), place)
	}
	r.short = pick(synthOpeners) + " " + pick(synthGoals)
	r.long = r.short + " " + pick(synthDetails) + "\n\n" + pick(synthDetails) + " " + pick(synthOpeners) + " " + pick(synthGoals)
	// A suffix from the seeded generator keeps slugs unique across names.
	r.slug = initiative.Slugify(r.name) + "-" + strconv.FormatUint(rng.Uint64()%(36*36*36*36*36*36), 36)
	r.website = "https://www." + r.slug + ".example"
	// A few more districts of the same Land, as initiatives often span some.
	for range rng.IntN(3) {
		if o := districts[rng.IntN(len(districts))]; o.ags[:2] == ags[:2] && o.ags != ags {
			r.districts = append(r.districts, o.ags)
		}
	}
	for _, i := range rng.Perm(len(topics))[:1+rng.IntN(3)] {
		r.topics = append(r.topics, topics[i])
	}
	for _, i := range rng.Perm(len(sectors))[:1+rng.IntN(2)] {
		r.sectors = append(r.sectors, sectors[i])
	}
	for _, i := range rng.Perm(len(synthMembers))[:2+rng.IntN(3)] {
		r.members = append(r.members, [2]string{fmt.Sprintf(synthMembers[i].pattern, place), synthMembers[i].kind})
	}
	base := time.Date(2021, 3, 16, 10, 0, 0, 0, time.UTC)
	r.published = base.Add(time.Duration(rng.IntN(4*365*24)) * time.Hour)
	r.updated = r.published.Add(time.Duration(rng.IntN(365*24)) * time.Hour)
	return r
}

// insertSynthetic writes one batch and its links in a single statement; a
// slug that exists already skips its row.
func (s *Store) insertSynthetic(ctx context.Context, batch []synthRow) error {
	var slugs, names, shorts, longs, forms, sites []string
	var founded []int32
	var published, updated []time.Time
	var lSlug, lDistrict, tSlug, tTopic, sSlug, sSector, mSlug, mName, mKind []string
	for _, r := range batch {
		slugs, names, shorts, longs = append(slugs, r.slug), append(names, r.name), append(shorts, r.short), append(longs, r.long)
		forms, sites, founded = append(forms, r.legalForm), append(sites, r.website), append(founded, int32(r.founded))
		published, updated = append(published, r.published), append(updated, r.updated)
		for _, d := range r.districts {
			lSlug, lDistrict = append(lSlug, r.slug), append(lDistrict, d)
		}
		for _, t := range r.topics {
			tSlug, tTopic = append(tSlug, r.slug), append(tTopic, t)
		}
		for _, x := range r.sectors {
			sSlug, sSector = append(sSlug, r.slug), append(sSector, x)
		}
		for _, m := range r.members {
			mSlug, mName, mKind = append(mSlug, r.slug), append(mName, m[0]), append(mKind, m[1])
		}
	}
	_, err := s.db.Exec(ctx, `
		WITH ins AS (
			INSERT INTO initiatives (slug, name, short_description, description, legal_form, founding_year, website,
				status, created_at, published_at, updated_at, confirmed_at, sample)
			SELECT x.slug, x.name, x.short, x.long, x.form, x.founded, x.site,
				'published', x.published, x.published, x.updated, x.updated, true
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[],
				$8::timestamptz[], $9::timestamptz[]) AS x(slug, name, short, long, form, founded, site, published, updated)
			ON CONFLICT (slug) DO NOTHING
			RETURNING id, slug
		), d AS (
			INSERT INTO initiative_districts (initiative_id, ags)
			SELECT DISTINCT ins.id, x.ags FROM ins JOIN unnest($10::text[], $11::text[]) AS x(slug, ags) USING (slug)
		), t AS (
			INSERT INTO initiative_topics (initiative_id, topic)
			SELECT ins.id, x.topic FROM ins JOIN unnest($12::text[], $13::text[]) AS x(slug, topic) USING (slug)
		), m AS (
			INSERT INTO initiative_members (initiative_id, name, kind, position)
			SELECT ins.id, x.name, x.kind, x.pos FROM ins
			JOIN unnest($16::text[], $17::text[], $18::text[]) WITH ORDINALITY AS x(slug, name, kind, pos) USING (slug)
		)
		INSERT INTO initiative_sectors (initiative_id, sector)
		SELECT ins.id, x.sector FROM ins JOIN unnest($14::text[], $15::text[]) AS x(slug, sector) USING (slug)`,
		slugs, names, shorts, longs, forms, founded, sites, published, updated,
		lSlug, lDistrict, tSlug, tTopic, sSlug, sSector, mSlug, mName, mKind)
	if err != nil {
		return fmt.Errorf("store: synthetic initiatives: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// Word lists for synthetic events, workshops and reports.
var (
	synthEventTitles = []string{"Industriedialog %s", "Regionalkonferenz Industrie %s", "Netzwerktreffen %s",
		"Zukunftsforum Industrie %s", "Werkstattgespräch %s", "Fachkräftedialog %s"}
	synthEventKinds    = []string{"industriedialog", "regionalkonferenz", "netzwerktreffen", "fachveranstaltung", "workshopreihe"}
	synthEventFormats  = []string{"digital", "praesenz", "hybrid"}
	synthWorkshopTopic = []string{"Wasserstoff in der Produktion", "Fachkräfte gewinnen und halten", "Digitale Zwillinge",
		"Akzeptanz der Industrie vor Ort", "Energie sparen im Mittelstand", "Kreislaufwirtschaft", "Ausbildung 4.0",
		"Flächen für Ansiedlungen", "Klimaneutrale Prozesswärme"}
	synthResults = []string{
		"Die Teilnehmenden vereinbarten ein gemeinsames Pilotprojekt mit der Hochschule.",
		"Als wichtigste Hürde nannten die Betriebe lange Genehmigungsverfahren.",
		"Die Initiativen wollen ihre Erfahrungen in einem Leitfaden bündeln.",
		"Ein Folgetreffen soll die Ergebnisse mit der Landesregierung besprechen.",
		"Schülerinnen und Schüler sollen früher Einblick in die Betriebe erhalten.",
	}
)

// InsertSyntheticEvents adds n events, one in ten a draft and the others
// published, each with three workshops (with results and a topic) and a
// published report: data for performance tests of search and topic pages.
// The same seed gives the same data; one statement per 500 events.
func (s *Store) InsertSyntheticEvents(ctx context.Context, n int, seed int64) error {
	var places []string
	err := s.db.QueryRow(ctx, `SELECT ARRAY(SELECT display_name FROM current_districts ORDER BY ags)`).Scan(&places)
	if err != nil {
		return fmt.Errorf("store: synthetic events: districts: %w", err)
	}
	if len(places) == 0 {
		return fmt.Errorf("store: synthetic events: no districts loaded")
	}
	var topics []string
	if err := s.db.QueryRow(ctx, `SELECT ARRAY(SELECT slug FROM topics ORDER BY position)`).Scan(&topics); err != nil {
		return fmt.Errorf("store: synthetic events: topics: %w", err)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0xe7e7))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	base := time.Date(2021, 3, 16, 9, 0, 0, 0, time.UTC)
	const chunk = 500
	for start := 0; start < n; start += chunk {
		var slugs, titles, kinds, formats, statuses, summaries, eTopics []string
		var starts []time.Time
		var wSlug, wTitle, wDesc, wResults, wTopic []string
		for i := start; i < n && i < start+chunk; i++ {
			place := pick(places)
			slug := "synth-" + strconv.FormatInt(seed, 36) + "-" + strconv.Itoa(i)
			status := "published"
			if i%10 == 9 {
				status = "draft"
			}
			slugs, titles = append(slugs, slug), append(titles, fmt.Sprintf(pick(synthEventTitles), place))
			kinds, formats, statuses = append(kinds, pick(synthEventKinds)), append(formats, pick(synthEventFormats)), append(statuses, status)
			summaries = append(summaries, pick(synthOpeners)+" "+pick(synthGoals))
			eTopics = append(eTopics, pick(topics))
			starts = append(starts, base.Add(time.Duration(rng.IntN(5*365))*24*time.Hour))
			for range 3 {
				wSlug, wTitle, wTopic = append(wSlug, slug), append(wTitle, pick(synthWorkshopTopic)), append(wTopic, pick(topics))
				wDesc = append(wDesc, pick(synthDetails))
				wResults = append(wResults, "## Ergebnisse\n\n"+pick(synthResults)+" "+pick(synthResults))
			}
		}
		_, err := s.db.Exec(ctx, `
			WITH ev AS (
				INSERT INTO events (slug, title, kind, format, starts_at, ends_at, summary, description, status,
					published_at, created_at, updated_at)
				SELECT x.slug, x.title, x.kind, x.format, x.starts, x.starts + interval '4 hours', x.summary,
					x.summary || ' ' || x.title, x.status, CASE WHEN x.status <> 'draft' THEN x.starts END, x.starts, x.starts
				FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
					AS x(slug, title, kind, format, starts, summary, status)
				ON CONFLICT (slug) DO NOTHING
				RETURNING id, slug, title, starts_at
			), et AS (
				INSERT INTO event_topics (event_id, topic)
				SELECT ev.id, x.topic FROM ev JOIN unnest($1::text[], $8::text[]) AS x(slug, topic) USING (slug)
			), rep AS (
				INSERT INTO reports (event_id, title, subtitle, body, status, published_at, created_at, updated_at)
				SELECT ev.id, 'Bericht: ' || ev.title, 'Was beim Treffen besprochen wurde', x.summary,
					'published', ev.starts_at + interval '2 days', ev.starts_at, ev.starts_at
				FROM ev JOIN unnest($1::text[], $6::text[]) AS x(slug, summary) USING (slug)
			), ws AS (
				INSERT INTO workshops (event_id, title, description, results, starts_at, ends_at, position, created_at, updated_at)
				SELECT ev.id, x.title, x.descr, x.results, ev.starts_at + interval '1 hour', ev.starts_at + interval '2 hours',
					x.pos, ev.starts_at, ev.starts_at
				FROM ev JOIN unnest($9::text[], $10::text[], $11::text[], $12::text[]) WITH ORDINALITY
					AS x(slug, title, descr, results, pos) USING (slug)
				RETURNING id, position
			)
			INSERT INTO workshop_topics (workshop_id, topic)
			SELECT ws.id, ($13::text[])[ws.position] FROM ws`,
			slugs, titles, kinds, formats, starts, summaries, statuses, eTopics, wSlug, wTitle, wDesc, wResults, wTopic)
		if err != nil {
			return fmt.Errorf("store: synthetic events: %w", err)
		}
	}
	return nil
}

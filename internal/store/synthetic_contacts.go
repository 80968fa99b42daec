package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

var (
	synthFirstNames = []string{"Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin",
		"Lukas", "Mia", "Niklas", "Olga", "Paul", "Rana", "Sebastian", "Tanja", "Uwe", "Vera", "Wolfgang", "Yasemin", "Zoe"}
	synthLastNames = []string{"Albrecht", "Becker", "Çelik", "Dietrich", "Engel", "Fischer", "Günther", "Hoffmann", "Jäger",
		"Krüger", "Lehmann", "Möller", "Neumann", "Özdemir", "Peters", "Richter", "Schäfer", "Thomas", "Vogel", "Weiß",
		"Zimmermann", "Schulz", "Wagner", "Koch", "Bauer"}
	synthTitles        = []string{"", "", "", "Dr. ", "Prof. Dr. "}
	synthOrganisations = []string{"IHK %s", "Handwerkskammer %s", "IG Metall %s", "Wirtschaftsförderung %s", "Hochschule %s",
		"Arbeitgeberverband %s", "%s Werke GmbH", "Kreisverwaltung %s"}
	synthFunctions = []string{"Geschäftsführung", "Referentin Industriepolitik", "Projektleitung", "Vorstand", "Bereichsleitung Standort",
		"Pressesprecherin", "Betriebsratsvorsitz", "Koordination"}
)

// InsertSyntheticContacts adds n generated contact persons linked to no
// initiative (speakers and moderators for the pickers of programme items
// and workshops), with German names, organisations in the districts and
// addresses under beispiel.example; one in four is public with a recorded
// consent, the others are for the Service-Stelle only. The same seed gives
// the same people.
func (s *Store) InsertSyntheticContacts(ctx context.Context, n int, seed int64) error {
	var places []string
	rows, _ := s.db.Query(ctx, `SELECT display_name FROM current_districts ORDER BY ags`)
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return fmt.Errorf("store: synthetic contacts: %w", err)
		}
		places = append(places, p)
	}
	if err := rows.Err(); err != nil || len(places) == 0 {
		return fmt.Errorf("store: synthetic contacts: districts: %v", err)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0xc0de))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	var names, functions, orgs, emails, visibilities []string
	var consents []*time.Time
	consent := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	for i := range n {
		first, last := pick(synthFirstNames), pick(synthLastNames)
		names = append(names, pick(synthTitles)+first+" "+last)
		functions = append(functions, pick(synthFunctions))
		orgs = append(orgs, fmt.Sprintf(pick(synthOrganisations), pick(places)))
		emails = append(emails, fmt.Sprintf("person-%d@beispiel.example", i+1))
		if rng.IntN(4) == 0 {
			visibilities, consents = append(visibilities, VisibilityPublic), append(consents, &consent)
		} else {
			visibilities, consents = append(visibilities, VisibilityEditors), append(consents, nil)
		}
	}
	_, err := s.db.Exec(ctx, `
		INSERT INTO contacts (name, function, organisation, email, visibility, consent_at, consent_method, consent_purpose)
		SELECT x.name, x.fn, x.org, x.email, x.vis, x.consent,
			CASE WHEN x.consent IS NULL THEN '' ELSE 'per E-Mail' END,
			CASE WHEN x.consent IS NULL THEN '' ELSE 'Nennung im Programm (Beispieldaten)' END
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
			AS x(name, fn, org, email, vis, consent)`, names, functions, orgs, emails, visibilities, consents)
	if err != nil {
		return fmt.Errorf("store: synthetic contacts: %w", err)
	}
	return nil
}

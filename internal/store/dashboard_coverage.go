package store

import (
	"context"
	"slices"
)

// RegionCoverage is a Land or a current district with its population
// (Destatis, 31.12.2018) and the published initiatives working there.
type RegionCoverage struct {
	Key        string `db:"key"` // Land code or AGS
	Name       string `db:"name"`
	StateCode  string `db:"state_code"`
	StateName  string `db:"state_name"`
	Kind       string `db:"kind"` // of a district: Landkreis, Kreisfreie Stadt, …
	Population int    `db:"population"`
	// Initiatives counts each initiative once per region, however many of
	// the Land's districts it covers.
	Initiatives int `db:"initiatives"`
}

// Coverage counts the published initiatives of every current district, of
// every Land and of Germany, in one statement: districts (by AGS), Länder
// (by code, Kind "Land"), Germany (Kind "Bund"). An initiative counts once
// per region, however many of its districts it covers.
func (s *Store) Coverage(ctx context.Context) (districts, states []RegionCoverage, germany RegionCoverage, err error) {
	rows, _ := s.db.Query(ctx, `
		WITH covered AS (
			SELECT idi.ags, idi.initiative_id FROM initiative_districts idi
			JOIN initiatives i ON i.id = idi.initiative_id WHERE i.status = 'published'
		), dc AS (
			SELECT ags, count(*) AS n FROM covered GROUP BY ags
		), sc AS (
			SELECT left(ags, 2) AS code, count(DISTINCT initiative_id) AS n FROM covered GROUP BY 1
		), sp AS (
			SELECT state_code, sum(population) AS p FROM current_districts GROUP BY 1
		)
		SELECT * FROM (
		SELECT d.ags AS key, d.display_name AS name, d.state_code, st.name AS state_name, d.kind, d.population,
			coalesce(dc.n, 0)::int AS initiatives
		FROM current_districts d JOIN states st ON st.code = d.state_code LEFT JOIN dc ON dc.ags = d.ags
		UNION ALL
		SELECT st.code, st.name, st.code, st.name, 'Land', coalesce(sp.p, 0)::int, coalesce(sc.n, 0)::int
		FROM states st LEFT JOIN sp ON sp.state_code = st.code LEFT JOIN sc ON sc.code = st.code
		UNION ALL
		SELECT 'DE', 'Deutschland', '', '', 'Bund', (SELECT coalesce(sum(p), 0) FROM sp)::int,
			(SELECT count(DISTINCT initiative_id) FROM covered)::int
		) x ORDER BY kind = 'Bund', kind = 'Land', key`)
	all, err := collect[RegionCoverage](rows, "coverage")
	if err != nil {
		return nil, nil, germany, err
	}
	n := len(all) - 1 // the last row is Germany's
	first := slices.IndexFunc(all, func(r RegionCoverage) bool { return r.Kind == "Land" })
	return all[:first], all[first:n], all[n], nil
}

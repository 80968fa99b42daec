package server

import (
	"context"
	"time"
)

// dashData is the dashboard's known world, added to newWorld (clock:
// 24 November 2026, 10:00 UTC). Initiatives A and B (published now) and:
//
//   - C published 1 June 2025 (the year before), covering München;
//   - D submitted for review 10 days ago, E a draft returned with a
//     comment, F archived on 2 March 2026 (audit log), G published in 2024
//     and never confirmed (stale);
//   - A covers Düsseldorf (05111), B Düsseldorf and Köln (05315); so NRW
//     has 2 initiatives, Bayern 1 (C), every other Land none, and the
//     Wartburgkreis (16063) none;
//   - events: "Frühjahrsdialog" held 10 March 2026 (40 participants, two
//     workshops on energie, one with results; A presents, B in a
//     workshop, C in the same workshop), "Silvesterdialog" starting
//     31 December 2025 23:30 Berlin (counts in 2025: 25 participants; A
//     and C present), "Neujahrsdialog" starting 1 January 2026 00:30
//     Berlin (counts in 2026: 10 participants, no report), "Abgesagt" on
//     1 May 2026 (cancelled), and "Herbstdialog" planned for
//     10 December 2026 with registration closing in three days.
type dashData struct {
	initC, initD, initE, initF, initG int64
	spring, silvester, newYear        int64
}

func (w *world) addDashboardData() dashData {
	w.t.Helper()
	ctx := context.Background()
	var d dashData
	must := func(err error) {
		w.t.Helper()
		if err != nil {
			w.t.Fatal(err)
		}
	}
	ins := func(slug, name, status string, published *time.Time, comment string, confirmed *time.Time) int64 {
		var id int64
		must(w.pool.QueryRow(ctx, `INSERT INTO initiatives (slug, name, status, published_at, review_comment, confirmed_at,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			slug, name, status, published, comment, confirmed, w.clock.Now().AddDate(0, 0, -10)).Scan(&id))
		return id
	}
	now := w.clock.Now()
	c, f, g := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	d.initC = ins("initiative-c", "Initiative C", "published", &c, "", &now)
	d.initD = ins("initiative-d", "Initiative D", "submitted", nil, "", nil)
	d.initE = ins("initiative-e", "Initiative E", "draft", nil, "Bitte die Kreise ergänzen.", nil)
	d.initF = ins("initiative-f", "Initiative F", "archived", &f, "", nil)
	d.initG = ins("initiative-g", "Initiative G", "published", &g, "", nil)
	// A and B were made by newWorld at the clock's time: confirm them so
	// only G is stale.
	_, err := w.pool.Exec(ctx, `UPDATE initiatives SET confirmed_at = $1 WHERE id IN ($2, $3)`, now, w.initA, w.initB)
	must(err)
	_, err = w.pool.Exec(ctx, `INSERT INTO initiative_districts (initiative_id, ags) VALUES
		($1, '05111'), ($2, '05111'), ($2, '05315'), ($3, '09162')`, w.initA, w.initB, d.initC)
	must(err)
	_, err = w.pool.Exec(ctx, `INSERT INTO audit_log (at, actor, action, object_type, object_id, details)
		VALUES ('2026-03-02 12:00+00', 'editor@beispiel.example', 'initiative.status_changed', 'initiative', $1,
			'{"from": "published", "to": "archived"}')`, itoa(d.initF))
	must(err)

	event := func(slug, title, status, start string, participants *int, closes *time.Time) int64 {
		var id int64
		must(w.pool.QueryRow(ctx, `INSERT INTO events (slug, title, kind, format, starts_at, ends_at, status, published_at,
			participant_count, registration_closes_at, cancel_notice, created_at, updated_at)
			VALUES ($1, $2, 'industriedialog', 'digital', $3::timestamptz, $3::timestamptz + interval '3 hours', $4,
				$3::timestamptz - interval '30 days', $5, $6, CASE WHEN $4 = 'cancelled' THEN 'Fällt aus.' ELSE '' END,
				$3::timestamptz - interval '30 days', $3::timestamptz - interval '30 days')
			RETURNING id`, slug, title, start, status, participants, closes).Scan(&id))
		return id
	}
	p40, p25, p10 := 40, 25, 10
	d.spring = event("fruehjahrsdialog", "Frühjahrsdialog", "completed", "2026-03-10 09:00+01", &p40, nil)
	d.silvester = event("silvesterdialog", "Silvesterdialog", "completed", "2025-12-31 23:30+01", &p25, nil)
	d.newYear = event("neujahrsdialog", "Neujahrsdialog", "published", "2026-01-01 00:30+01", &p10, nil)
	event("abgesagt", "Abgesagter Dialog", "cancelled", "2026-05-01 09:00+02", nil, nil)
	closes := now.AddDate(0, 0, 3)
	event("herbstdialog", "Herbstdialog", "published", "2026-12-10 09:00+01", nil, &closes)

	_, err = w.pool.Exec(ctx, `
		WITH ws AS (
			INSERT INTO workshops (event_id, title, results, starts_at, ends_at, created_at, updated_at)
			SELECT $1, t, r, '2026-03-10 10:00+01', '2026-03-10 11:00+01', now(), now()
			FROM (VALUES ('Werkstatt Wärme', '## Ergebnisse'), ('Werkstatt Strom', '')) AS x(t, r)
			RETURNING id, title
		), wt AS (
			INSERT INTO workshop_topics (workshop_id, topic) SELECT id, 'energie' FROM ws
		)
		INSERT INTO workshop_initiatives (workshop_id, initiative_id)
		SELECT ws.id, i FROM ws, unnest(ARRAY[$2, $3]::bigint[]) AS i WHERE ws.title = 'Werkstatt Wärme'`,
		d.spring, w.initB, d.initC)
	must(err)
	_, err = w.pool.Exec(ctx, `INSERT INTO event_topics (event_id, topic) VALUES ($1, 'energie'), ($1, 'innovation'), ($2, 'innovation')`,
		d.spring, d.silvester)
	must(err)
	_, err = w.pool.Exec(ctx, `
		WITH it AS (
			INSERT INTO programme_items (event_id, starts_at, title, kind)
			VALUES ($1, '2026-03-10 09:30+01', 'Initiativen stellen sich vor', 'presentation'),
				($2, '2025-12-31 23:45+01', 'Initiativen stellen sich vor', 'presentation')
			RETURNING id, event_id
		)
		INSERT INTO programme_item_initiatives (item_id, initiative_id)
		SELECT it.id, x.i FROM it JOIN (VALUES ($1::bigint, $3::bigint), ($2, $3), ($2, $4)) AS x(e, i) ON x.e = it.event_id`,
		d.spring, d.silvester, w.initA, d.initC)
	must(err)
	// Reports for the two completed events; the Neujahrsdialog has none.
	_, err = w.pool.Exec(ctx, `INSERT INTO reports (event_id, title, status, published_at, created_at, updated_at)
		SELECT id, 'Bericht ' || title, 'published', starts_at + interval '2 days', starts_at, starts_at
		FROM events WHERE id IN ($1, $2)`, d.spring, d.silvester)
	must(err)
	return d
}

// addDashboardRegistrations adds registrations across the boundary of 2025
// and 2026 (the events count by their start):
//
//   - Silvesterdialog (2025): 4 registrations, 3 confirmed of which 2
//     attended, 1 cancelled;
//   - Neujahrsdialog (2026): 5 registrations, 4 confirmed of which 3
//     attended, 1 waitlisted;
//   - Herbstdialog (planned, 2026): 3 registrations, 1 confirmed, 2 pending;
//   - Frühjahrsdialog: none, so its entered 40 participants still count.
//
// So 2026: 8 registrations, 5 confirmed, 3 attended (60,0 %); 2025: 4, 3,
// 2 (66,7 %). The people's names and addresses end in teilnahme.example,
// which no figure or export may show.
func (w *world) addDashboardRegistrations(d dashData) {
	w.t.Helper()
	_, err := w.pool.Exec(context.Background(), `
		INSERT INTO registrations (event_id, name, email, status, holds_place, hold_expires_at, created_at, consent_at,
			confirmed_at, ended_at, link_sent_at, attended_at)
		SELECT e.id, 'Person ' || x.n || ' teilnahme.example', 'person' || x.n || '@teilnahme.example', x.status,
			x.status IN ('confirmed', 'pending'), e.starts_at, e.starts_at - interval '20 days', e.starts_at - interval '20 days',
			CASE WHEN x.status IN ('confirmed', 'waitlisted') THEN e.starts_at - interval '19 days' END,
			CASE WHEN x.status = 'cancelled' THEN e.starts_at - interval '2 days' END,
			e.starts_at - interval '20 days', CASE WHEN x.came THEN e.starts_at END
		FROM (VALUES
			(1, 'silvesterdialog', 'confirmed', true), (2, 'silvesterdialog', 'confirmed', true),
			(3, 'silvesterdialog', 'confirmed', false), (4, 'silvesterdialog', 'cancelled', false),
			(5, 'neujahrsdialog', 'confirmed', true), (6, 'neujahrsdialog', 'confirmed', true),
			(7, 'neujahrsdialog', 'confirmed', true), (8, 'neujahrsdialog', 'confirmed', false),
			(9, 'neujahrsdialog', 'waitlisted', false),
			(10, 'herbstdialog', 'confirmed', false), (11, 'herbstdialog', 'pending', false),
			(12, 'herbstdialog', 'pending', false)
		) AS x(n, slug, status, came) JOIN events e ON e.slug = x.slug`)
	if err != nil {
		w.t.Fatal(err)
	}
}

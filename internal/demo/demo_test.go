package demo

import (
	"strings"
	"testing"
	"time"

	"rii/internal/event"

	"rii/internal/pgtest"
	"rii/internal/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSeedOnceWithTheKickOffInitiatives(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewPool(t)
	st := store.New(pool)
	res, err := Seed(t.Context(), st)
	if err != nil || !res.Seeded || len(res.Accounts) != 4 {
		t.Fatalf("first seed: %+v, %v", res, err)
	}
	again, err := Seed(t.Context(), st)
	if err != nil || again.Seeded {
		t.Fatalf("second seed did something: %+v, %v", again, err)
	}
	var published, districts, publicContacts, waiting int
	err = pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM initiatives WHERE status = 'published'),
		(SELECT count(*) FROM initiative_districts d JOIN initiatives i ON i.id = d.initiative_id WHERE i.status = 'published'),
		(SELECT count(*) FROM contacts WHERE visibility = 'public' AND consent_at IS NOT NULL),
		(SELECT count(*) FROM initiatives i JOIN initiative_proposals p ON p.initiative_id = i.id
			WHERE i.status = 'submitted' AND p.confirmed_at IS NOT NULL AND p.token_hash IS NULL)`).Scan(&published, &districts, &publicContacts, &waiting)
	if err != nil {
		t.Fatal(err)
	}
	if waiting != 1 {
		t.Errorf("%d visitors' proposals waiting for review, want 1", waiting)
	}
	if published != 4 || districts != 12 || publicContacts != 8 {
		t.Errorf("published %d, district links %d, public contacts %d; want 4, 12, 8 (presenters, speakers, report contact)", published, districts, publicContacts)
	}
	id, err := st.InitiativeIDBySlug(t.Context(), "chemie-und-pharma-am-hochrhein")
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.EditableInitiative(t.Context(), id)
	if err != nil || e.Profile.LegalForm != "ev" || len(e.Profile.Sectors) != 2 || e.Version != 1 {
		t.Errorf("Hochrhein profile: %+v, %v", e, err)
	}
	for _, a := range res.Accounts {
		if len(a.Password) < 20 {
			t.Errorf("demo password for %s too short", a.Email)
		}
	}
}

// TestKickOffEventAsTheReportTellsIt checks the facts the reference report
// gives: digital, 16 March 2021, on the BMWi's invitation, 170 participants,
// introduction, interview, panel, four presenting initiatives, five
// parallel workshops (sample data) and the published report.
func TestKickOffEventAsTheReportTellsIt(t *testing.T) {
	t.Parallel()
	st := store.New(pgtest.NewPool(t))
	if _, err := Seed(t.Context(), st); err != nil {
		t.Fatal(err)
	}
	e, err := st.EventBySlug(t.Context(), KickOffSlug)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2021, 3, 16, 9, 0, 0, 0, time.UTC) // 10:00 in Berlin (CET)
	if e.Format != event.FormatDigital || e.Status != event.StatusCompleted || !e.StartsAt.Equal(start) ||
		e.ParticipantCount == nil || *e.ParticipantCount != 170 || !strings.Contains(e.Invitation, "BMWi") || e.SampleNote == "" {
		t.Errorf("kick-off event: %+v", e)
	}
	items, err := st.ProgrammeItems(t.Context(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, it := range items {
		kinds[it.Kind]++
		if it.Kind == "presentation" && (len(it.Initiatives) != 4 || len(it.People) != 4) {
			t.Errorf("presentation: %d initiatives, %d presenters; want 4, 4", len(it.Initiatives), len(it.People))
		}
		if it.Kind == "interview" && len(it.People) != 2 {
			t.Errorf("interview with %d people, want the two chairs", len(it.People))
		}
	}
	for _, k := range []string{"welcome", "interview", "panel", "presentation", "workshops"} {
		if kinds[k] != 1 {
			t.Errorf("%d programme items of kind %s, want 1", kinds[k], k)
		}
	}
	ws, err := st.Workshops(t.Context(), e.ID)
	if err != nil || len(ws) != 5 {
		t.Fatalf("%d workshops (%v), want 5", len(ws), err)
	}
	for _, w := range ws {
		if !w.Sample || !w.StartsAt.Equal(ws[0].StartsAt) {
			t.Errorf("workshop %q: sample %v, parallel %v", w.Title, w.Sample, w.StartsAt.Equal(ws[0].StartsAt))
		}
	}
	r, err := st.ReportOfEvent(t.Context(), e.ID)
	if err != nil || r.Status != event.ReportPublished || strings.Count(r.Body, "::: kurz") != 2 ||
		!strings.Contains(r.Body, "::: mehr") || r.ContactID == nil || r.Kicker != "Regionale Initiativen stärken" {
		t.Errorf("report: %+v (%v)", r, err)
	}
}

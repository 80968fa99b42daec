package demo

import (
	"testing"

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
	var published, districts, publicContacts int
	err = pool.QueryRow(t.Context(), `SELECT
		(SELECT count(*) FROM initiatives WHERE status = 'published'),
		(SELECT count(*) FROM initiative_districts),
		(SELECT count(*) FROM contacts WHERE visibility = 'public' AND consent_at IS NOT NULL)`).Scan(&published, &districts, &publicContacts)
	if err != nil {
		t.Fatal(err)
	}
	if published != 4 || districts != 12 || publicContacts != 4 {
		t.Errorf("published %d, district links %d, public contacts %d; want 4, 12, 4", published, districts, publicContacts)
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

package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/account"
	"rii/internal/geo"
	"rii/internal/store"
)

// dashboardRequests are the dashboard's pages and downloads whose cost must
// not grow with the data: every page and export, the network's counted and
// live periods. {verbunden} stands for the initiative with the most
// meetings (see dashboardPaths).
var dashboardRequests = []string{
	"/dashboard",
	"/dashboard?zeitraum=quartal&jahr=2024&quartal=2",
	"/dashboard/abdeckung",
	"/dashboard/abdeckung?sortierung=name",
	"/dashboard/themen",
	"/dashboard/vernetzung",
	"/dashboard/vernetzung?zeitraum=jahr&jahr=2023&seite=2",
	"/dashboard/vernetzung?zeitraum=quartal&jahr=2024&quartal=2",
	"/dashboard/vernetzung/{verbunden}",
	"/dashboard/aktivitaet",
	"/dashboard/taetigkeitsbericht",
	"/dashboard/export/kennzahlen.csv",
	"/dashboard/export/entwicklung.csv",
	"/dashboard/export/abdeckung-kreise.csv",
	"/dashboard/export/abdeckung-laender.csv",
	"/dashboard/export/themen.csv",
	"/dashboard/export/themen-jahre.csv",
	"/dashboard/export/vernetzung.csv",
	"/dashboard/export/vernetzung.csv?zeitraum=jahr&jahr=2023",
}

// dashboardPaths is dashboardRequests with {verbunden} replaced by the slug
// of the initiative that took part in the most events.
func dashboardPaths(t testing.TB, pool *pgxpool.Pool) []string {
	t.Helper()
	var slug string
	err := pool.QueryRow(context.Background(), `SELECT i.slug FROM network_meetings m JOIN initiatives i ON i.id = m.initiative_id
		GROUP BY i.id ORDER BY count(*) DESC, i.id LIMIT 1`).Scan(&slug)
	if err != nil {
		t.Fatal(err)
	}
	paths := slices.Clone(dashboardRequests)
	for i, p := range paths {
		paths[i] = strings.ReplaceAll(p, "{verbunden}", slug)
	}
	return paths
}

// dashboardRoutes serves the dashboard's pages to an official with two
// sign-ins (so "since your last visit" runs), without the sign-in forms.
func dashboardRoutes(t testing.TB, s *Server) http.Handler {
	t.Helper()
	ctx := context.Background()
	id, err := s.store.CreateUser(ctx, store.NewUser{Email: "official@beispiel.example", Name: "Person official",
		Role: account.RoleOfficial, State: account.StateActive, PasswordHash: testHash(), Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{time.Now().AddDate(0, 0, -30), time.Now()} {
		if err := s.store.Audit(ctx, store.AuditEntry{At: at, ActorID: &id, Actor: "official@beispiel.example",
			Action: "signin", ObjectType: "user", ObjectID: itoa(id)}); err != nil {
			t.Fatal(err)
		}
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, &currentUser{User: u})))
		})
	})
	r.Get("/dashboard", s.handle(s.showDashboard))
	r.Get("/dashboard/abdeckung", s.handle(s.showDashboardCoverage))
	r.Get("/dashboard/themen", s.handle(s.showDashboardTopics))
	r.Get("/dashboard/vernetzung", s.handle(s.showDashboardNetwork))
	r.Get("/dashboard/vernetzung/{slug}", s.handle(s.showDashboardConnections))
	r.Get("/dashboard/aktivitaet", s.handle(s.showDashboardActivity))
	r.Get("/dashboard/taetigkeitsbericht", s.handle(s.showDashboardReport))
	r.Get("/dashboard/export/{name}", s.handle(s.showDashboardExport))
	return r
}

// seedDashboard adds n initiatives, events synthetic initiatives take
// part in and registrations to them, then counts the network as the
// network-refresh job does.
func seedDashboard(t testing.TB, s *Server, initiatives, events, registrations int, seed int64) {
	t.Helper()
	ctx := context.Background()
	if err := s.store.InsertSyntheticInitiatives(ctx, initiatives, seed); err != nil {
		t.Fatal(err)
	}
	if err := s.store.InsertSyntheticEvents(ctx, events, seed); err != nil {
		t.Fatal(err)
	}
	if err := s.store.InsertSyntheticParticipation(ctx, seed); err != nil {
		t.Fatal(err)
	}
	if err := s.store.InsertSyntheticRegistrations(ctx, registrations, seed); err != nil {
		t.Fatal(err)
	}
	if err := s.refreshNetwork(ctx, s.now()); err != nil {
		t.Fatal(err)
	}
}

// TestDashboardStatementsDoNotGrow counts the statements of every
// dashboard page with little and with much more data: the same number.
func TestDashboardStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	s, pool, counter := countedServer(t)
	ts := httptest.NewServer(dashboardRoutes(t, s))
	t.Cleanup(ts.Close)
	seedDashboard(t, s, 10, 10, 10, 1)
	paths := dashboardPaths(t, pool)
	small := statementsPerPath(t, ts, counter, paths...)
	seedDashboard(t, s, 2990, 290, 5000, 2)
	large := statementsPerPath(t, ts, counter, paths...)
	for _, path := range paths {
		if small[path] != large[path] || small[path] == 0 {
			t.Errorf("%s: %d statements with 10 initiatives, %d with 3,000", path, small[path], large[path])
		}
		t.Logf("%s: %d statements", path, large[path])
	}
}

// BenchmarkDashboard renders each dashboard page over 10,000 synthetic
// initiatives and 1,000 events with their workshops, participants and
// 100,000 registrations:
// store, view and template, no network. It reports the 95th percentile of
// the server time per page (p95-ms).
func BenchmarkDashboard(b *testing.B) {
	s, pool, counter := countedServer(b)
	seedDashboard(b, s, 10000, 1000, 100000, 1)
	// As autovacuum does after so many new rows: statistics, and the
	// visibility map that lets counts read an index alone.
	if _, err := pool.Exec(b.Context(), `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	if _, err := geo.Load(); err != nil { // built once per process
		b.Fatal(err)
	}
	h := dashboardRoutes(b, s)
	for _, path := range dashboardPaths(b, pool) {
		b.Run(path, func(b *testing.B) {
			counter.n.Store(0)
			var times []time.Duration
			for b.Loop() {
				rec := httptest.NewRecorder()
				start := time.Now()
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Accept-Encoding", "gzip, deflate, br") // as browsers send
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(counter.n.Load())/float64(b.N), "stmts/op")
		})
	}
}

// BenchmarkNetworkRefresh times the network-refresh job over the data of
// BenchmarkDashboard: the snapshot alone (store) and the whole job with
// the exports of every counted period.
func BenchmarkNetworkRefresh(b *testing.B) {
	s, pool, _ := countedServer(b)
	seedDashboard(b, s, 10000, 1000, 100000, 1)
	if _, err := pool.Exec(b.Context(), `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var pairs int
	if err := pool.QueryRow(b.Context(), `SELECT count(*) FROM network_pairs`).Scan(&pairs); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d pairs at events", pairs)
	b.Run("snapshot", func(b *testing.B) {
		for b.Loop() {
			if err := s.store.RefreshNetwork(b.Context(), s.now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("job", func(b *testing.B) {
		for b.Loop() {
			if err := s.refreshNetwork(b.Context(), s.now()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// searchRequests are the requests whose cost must not grow with the content.
var searchRequests = []string{
	"/suche?q=Industrie",
	"/suche?q=Fachkr%C3%A4fte+gewinnen",
	"/suche?q=Industriedialg",
	"/suche?q=Industrie&art=workshops&seite=2",
	"/suche?q=%22Zukunft+der+Industrie%22+-Chemie",
	"/themen",
	"/themen/energie",
}

// TestSearchStatementsDoNotGrow counts the SQL statements of each search
// and topic request with a little content and with a few thousand rows:
// the same number, so nothing runs a query per hit.
func TestSearchStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	s, _, counter := countedServer(t)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	count := func() map[string]int64 { return statementsPerPath(t, ts, counter, searchRequests...) }
	if err := s.store.InsertSyntheticInitiatives(t.Context(), 5, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.store.InsertSyntheticEvents(t.Context(), 3, 1); err != nil {
		t.Fatal(err)
	}
	small := count()
	if err := s.store.InsertSyntheticInitiatives(t.Context(), 1000, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.store.InsertSyntheticEvents(t.Context(), 500, 2); err != nil {
		t.Fatal(err)
	}
	large := count()
	for _, path := range searchRequests {
		if small[path] != large[path] || small[path] == 0 {
			t.Errorf("%s: %d statements with little content, %d with a lot", path, small[path], large[path])
		}
		t.Logf("%s: %d statements", path, large[path])
	}
}

// BenchmarkSearch renders searches over 5,000 synthetic initiatives and
// 1,000 events with 3,000 workshops and 900 reports: store, view and
// template, no network.
func BenchmarkSearch(b *testing.B) {
	s, pool, counter := countedServer(b)
	if err := s.store.InsertSyntheticInitiatives(b.Context(), 5000, 1); err != nil {
		b.Fatal(err)
	}
	if err := s.store.InsertSyntheticEvents(b.Context(), 1000, 1); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(b.Context(), `ANALYZE`); err != nil { // as autovacuum would soon after
		b.Fatal(err)
	}
	h := s.handle(s.showSearch)
	for _, path := range []string{"/suche?q=Industrie", "/suche?q=Wasserstoff+Produktion", "/suche?q=Industriedialg+Hochrein",
		"/suche?q=Industrie&art=berichte&seite=3"} {
		b.Run(path, func(b *testing.B) {
			counter.n.Store(0)
			for b.Loop() {
				rec := httptest.NewRecorder()
				h(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
			b.ReportMetric(float64(counter.n.Load())/float64(b.N), "stmts/op")
		})
	}
}

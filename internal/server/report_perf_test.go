package server

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// TestReportStatementsDoNotGrow counts the SQL statements of the report
// list, a report page and the feed with 2 and with 40 published reports:
// the same number, so nothing runs a query per report.
func TestReportStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	s, _, counter := countedServer(t)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	add := func(from, to int) {
		for i := from; i < to; i++ {
			start := now.AddDate(0, 0, -i)
			id, err := s.store.CreateEvent(t.Context(), fmt.Sprintf("dialog-%d", i), event.StatusPublished, store.EventFields{
				Title: fmt.Sprintf("Dialog %d", i), Kind: "industriedialog", Format: event.FormatDigital, StartsAt: start,
				EndsAt: start.Add(time.Hour)}, store.Actor{Label: "Test"}, now)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.store.CreateReport(t.Context(), id, event.ReportPublished, store.ReportFields{Title: fmt.Sprintf("Bericht %d", i),
				Body: "## Abschnitt\n\n::: kurz\nKurz.\n:::"}, store.Actor{Label: "Test"}, now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
	}
	paths := []string{"/berichte", "/berichte?seite=2", "/berichte/dialog-1", "/berichte/feed.atom"}
	count := func() map[string]int64 { return statementsPerPath(t, ts, counter, paths...) }
	add(0, 2)
	small := count()
	add(2, 40)
	large := count()
	for _, path := range paths {
		if path != "/berichte?seite=2" && (small[path] != large[path] || small[path] == 0) {
			t.Errorf("%s: %d statements with 2 reports, %d with 40", path, small[path], large[path])
		}
		t.Logf("%s: %d statements with 40 reports", path, large[path])
	}
}

package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"rii/internal/store"
)

func TestEventSlug(t *testing.T) {
	t.Parallel()
	for title, want := range map[string]string{
		"Industriedialog Nordwest 2026": "industriedialog-nordwest-2026",
		"Initiativen im Gespräch":       "initiativen-im-gespraech",
		"Neu":                           "veranstaltung-neu",
		"!!!":                           "veranstaltung",
		"Größe & Maß":                   "groesse-und-mass",
	} {
		if got := slugFromTitle(title); got != want {
			t.Errorf("slugFromTitle(%q) = %q, want %q", title, got, want)
		}
	}
}

// TestEventListPagesAndReport: the list pages through many events and the
// event page shows the report's status.
func TestEventListPagesAndReport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	for i := range adminEventsPerPage + 4 {
		start := w.clock.Now().AddDate(0, 0, -i-1)
		_, err := w.st.CreateEvent(t.Context(), "alt-"+strconv.Itoa(i), "draft", store.EventFields{Title: "Alt " + strconv.Itoa(i),
			Kind: "sonstige", Format: "digital", StartsAt: start, EndsAt: start.Add(time.Hour)}, store.Actor{Label: "Test"}, w.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
	}
	c := w.editorClient()
	first := c.Get("/verwaltung/veranstaltungen").WantStatus(http.StatusOK)
	if n := first.Find("[data-testid=event-table] tbody tr").Length(); n != adminEventsPerPage {
		t.Errorf("%d rows on page 1, want %d", n, adminEventsPerPage)
	}
	if got := first.Text("[data-testid=result-count]"); got != strconv.Itoa(adminEventsPerPage+5)+" Veranstaltungen" {
		t.Errorf("count %q", got)
	}
	next, _ := first.Find(`[data-testid=pager] a[rel=next]`).Attr("href")
	second := c.Get(next).WantStatus(http.StatusOK)
	if n := second.Find("[data-testid=event-table] tbody tr").Length(); n != 5 {
		t.Errorf("%d rows on page 2, want 5", n)
	}
	drafts := c.Get("/verwaltung/veranstaltungen?status=draft")
	if got := drafts.Text(`nav a[aria-current=page]`); !strings.Contains(got, "Entwurf ("+strconv.Itoa(adminEventsPerPage+4)+")") {
		t.Errorf("current status tab %q", got)
	}
	page := c.Get("/verwaltung/veranstaltungen/" + itoa(w.event.ID))
	if got := page.Text("[data-testid=report]"); !strings.Contains(got, "Status des Berichts: veröffentlicht") || !strings.Contains(got, "Bericht bearbeiten") {
		t.Errorf("report section %q", got)
	}
	if href, _ := page.Find("[data-testid=report] a").Attr("href"); href != "/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/bericht" {
		t.Errorf("report link %q", href)
	}
}

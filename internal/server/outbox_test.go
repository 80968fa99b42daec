package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/browsertest"
	"rii/internal/store"
	"rii/internal/webtest"
)

// newOutboxServer serves the Postausgang handlers in front of the portal
// (for its assets): these tests check the pages, not the admin group's
// access rules, which the route table's tests cover.
func newOutboxServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	s, _ := newServer(t)
	r := chi.NewRouter()
	r.Get("/verwaltung/postausgang", s.handle(s.listOutbox))
	r.Get("/verwaltung/postausgang/{id}", s.handle(s.showOutboxMessage))
	r.Mount("/", s.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	return ts, s.store
}

func newOutboxClient(t *testing.T) (*webtest.Client, *store.Store) {
	t.Helper()
	ts, st := newOutboxServer(t)
	return webtest.NewClient(t, ts.URL), st
}

func TestOutboxListShowsEveryState(t *testing.T) {
	t.Parallel()
	c, st := newOutboxClient(t)
	ctx := t.Context()
	sentAt := time.Date(2026, 11, 24, 13, 5, 0, 0, time.UTC) // 14:05 in Berlin
	ids := map[string]int64{}
	for _, subj := range []string{"Wartet", "Gesendet", "Protokolliert", "Fehlgeschlagen", "Erneut"} {
		id, err := st.EnqueueMail(ctx, strings.ToLower(subj)+"@example.de", subj, "Text zu "+subj)
		if err != nil {
			t.Fatal(err)
		}
		ids[subj] = id
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := st.MarkMailSent(ctx, ids["Gesendet"], store.ViaSMTP, sentAt)
	must(err)
	_, err = st.MarkMailSent(ctx, ids["Protokolliert"], store.ViaLog, sentAt)
	must(err)
	must(st.FailMail(ctx, ids["Fehlgeschlagen"], "550 5.1.1 Mailbox unavailable", sentAt))
	_, err = st.ClaimMail(ctx, time.Now(), time.Minute)
	must(err) // claims "Wartet", the oldest
	must(st.RetryMail(ctx, ids["Wartet"], "dial tcp: connection refused", sentAt))

	res := c.Get("/verwaltung/postausgang").WantStatus(http.StatusOK)
	if n := res.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1, want 1", n)
	}
	table := res.Find(`[data-testid="outbox-table"]`)
	if table.Find("caption").Length() != 1 || table.Find(`th[scope="col"]`).Length() != 4 {
		t.Error("the table lacks its caption or column headers")
	}
	want := map[string]string{
		"Erneut":         "wartet",
		"Fehlgeschlagen": "fehlgeschlagen",
		"Protokolliert":  "protokolliert",
		"Gesendet":       "gesendet per SMTP",
		"Wartet":         "wartet",
	}
	rows := table.Find("tbody tr")
	if rows.Length() != len(want) {
		t.Fatalf("%d rows, want %d", rows.Length(), len(want))
	}
	if first := strings.TrimSpace(rows.First().Find("td").Eq(1).Text()); first != "Erneut" {
		t.Errorf("first row is %q, want the newest message", first)
	}
	for i := range rows.Length() {
		row := rows.Eq(i)
		subj := strings.TrimSpace(row.Find("td").Eq(1).Text())
		if got := strings.TrimSpace(row.Find(`[data-testid="outbox-status"]`).Text()); got != want[subj] {
			t.Errorf("%s: status %q, want %q", subj, got, want[subj])
		}
		if href, _ := row.Find("a").Attr("href"); href != "/verwaltung/postausgang/"+itoa(ids[subj]) {
			t.Errorf("%s links to %q", subj, href)
		}
	}
	failed := rows.FilterFunction(func(_ int, s *goquerySel) bool { return strings.Contains(s.Text(), "Fehlgeschlagen") })
	if !strings.Contains(failed.Text(), "550 5.1.1 Mailbox unavailable") {
		t.Errorf("failed row does not show the error: %q", failed.Text())
	}
	waiting := rows.FilterFunction(func(_ int, s *goquerySel) bool { return strings.Contains(s.Text(), "wartet@example.de") })
	if !strings.Contains(waiting.Text(), "1 Versuch, nächster Versuch 24.11.2026, 14:05 Uhr") {
		t.Errorf("waiting row = %q, want its attempt and next try in Berlin time", waiting.Text())
	}
}

func TestOutboxMessageShowsTheText(t *testing.T) {
	t.Parallel()
	c, st := newOutboxClient(t)
	body := "Guten Tag,\n\n<b>bitte</b> klicken Sie:\nhttps://rii.example/einladung/abc\n"
	id, err := st.EnqueueMail(t.Context(), "a@example.de", "Einladung in das RII-Portal", body)
	if err != nil {
		t.Fatal(err)
	}
	res := c.Get("/verwaltung/postausgang/" + itoa(id)).WantStatus(http.StatusOK)
	if got := strings.TrimSpace(res.Text("h1")); got != "Einladung in das RII-Portal" {
		t.Errorf("h1 = %q", got)
	}
	if got := res.Find(`[data-testid="outbox-body"]`).Text(); got != body {
		t.Errorf("text = %q, want %q", got, body)
	}
	region := res.Find(`[role="region"]`)
	if label, _ := region.Attr("aria-labelledby"); res.Find("#"+label).Length() != 1 {
		t.Error("the text's scroll region has no label")
	}
	if !strings.Contains(res.Text(`[data-testid="outbox-facts"]`), "a@example.de") {
		t.Error("the recipient is missing")
	}
}

func TestOutboxPagesNeverFail(t *testing.T) {
	t.Parallel()
	c, st := newOutboxClient(t)
	for i := range outboxPerPage + 1 {
		if _, err := st.EnqueueMail(t.Context(), "a@example.de", "Nachricht "+itoa(int64(i)), "Text"); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"", "?seite=2", "?seite=0", "?seite=-1", "?seite=abc", "?seite=99999999999999999999",
		"?seite=9999", "?seite=%00", "?seite=1&seite=2", "?seite=2.5"} {
		res := c.Get("/verwaltung/postausgang" + q).WantStatus(http.StatusOK)
		if res.Find(`[data-testid="outbox-table"] tbody tr`).Length() == 0 {
			t.Errorf("%s: no rows", q)
		}
	}
	res := c.Get("/verwaltung/postausgang?seite=2")
	if got := res.Text(`[data-testid="pager"]`); !strings.Contains(got, "Seite 2 von 2") || !strings.Contains(got, "Vorherige Seite") {
		t.Errorf("pager on page 2 = %q", got)
	}
	if n := res.Find(`[data-testid="outbox-table"] tbody tr`).Length(); n != 1 {
		t.Errorf("page 2 has %d rows, want 1", n)
	}
	for _, path := range []string{"/verwaltung/postausgang/4711", "/verwaltung/postausgang/abc",
		"/verwaltung/postausgang/-1", "/verwaltung/postausgang/99999999999999999999"} {
		c.Get(path).WantStatus(http.StatusNotFound)
	}
}

// TestOutboxPagesAreAccessible runs the browser checks (axe-core, one h1,
// skip link, CSP) on both Postausgang templates, with every state shown.
func TestOutboxPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	ts, st := newOutboxServer(t)
	ctx := t.Context()
	var last int64
	for i := range outboxPerPage + 3 {
		id, err := st.EnqueueMail(ctx, "person"+itoa(int64(i))+"@example.de",
			"Einladung zum Industriedialog Nr. "+itoa(int64(i)), "Guten Tag,\n\nein sehr langer Link: https://rii.example/"+strings.Repeat("x", 300)+"\n")
		if err != nil {
			t.Fatal(err)
		}
		last = id
	}
	now := time.Now()
	if _, err := st.MarkMailSent(ctx, last, store.ViaSMTP, now); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkMailSent(ctx, last-1, store.ViaLog, now); err != nil {
		t.Fatal(err)
	}
	if err := st.FailMail(ctx, last-2, "550 5.1.1 Mailbox unavailable", now); err != nil {
		t.Fatal(err)
	}
	if err := st.RetryMail(ctx, last-3, "dial tcp 127.0.0.1:25: connect: connection refused", now); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/verwaltung/postausgang", "/verwaltung/postausgang?seite=2",
		"/verwaltung/postausgang/" + itoa(last-2)} {
		t.Run(path, func(t *testing.T) {
			browsertest.CheckPage(t, b.Tab(t), ts.URL+path)
		})
	}
}

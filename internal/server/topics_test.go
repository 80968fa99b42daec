package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestTopicsListCountsPublicContent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.addSearchContent()
	res := w.client().Get("/themen").WantStatus(http.StatusOK)
	cards := res.Find(`[data-testid="topic-card"]`)
	if cards.Length() != 10 {
		t.Errorf("%d topics, want the 10 of the vocabulary", cards.Length())
	}
	var energy string
	cards.Each(func(_ int, s *goquerySel) {
		if href, _ := s.Find("h2 a").Attr("href"); href == "/themen/energie" {
			energy = s.Find(".topic-card__counts").Text()
		}
	})
	// Published: Quastenflosser Allianz; Testdialog and Quastenflosser
	// Dialog with one workshop each. The draft initiative, the draft event
	// and its workshop do not count.
	if energy != "1 Initiative, 2 Veranstaltungen, 2 Workshops" {
		t.Errorf("energy counts = %q", energy)
	}
}

func TestTopicPageShowsTheThreadWithoutDrafts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	fx := w.addSearchContent()
	res := w.client().Get("/themen/energie").WantStatus(http.StatusOK)
	if got := res.Text("h1"); got != "Energie" {
		t.Errorf("h1 = %q", got)
	}
	events := res.Find(`[data-testid="timeline-event"] h3 a`).Map(func(_ int, s *goquerySel) string {
		h, _ := s.Attr("href")
		return h
	})
	if strings.Join(events, " ") != "/veranstaltungen/"+fx.EventSlug+" /veranstaltungen/testdialog" {
		t.Errorf("timeline = %v, want the two public events on energy, newest first", events)
	}
	first := res.Find(`[data-testid="timeline-event"]`).First()
	ws := first.Find(`[data-testid="timeline-workshop"]`)
	if href, _ := ws.Find("h4 a").Attr("href"); href != "/veranstaltungen/"+fx.EventSlug+"#workshop-"+itoa(fx.WorkshopID) {
		t.Errorf("workshop link = %q", href)
	}
	results := ws.Find(`[data-testid="workshop-results"]`)
	if results.Find("strong").Text() != "ErgebnisseQuastenflosser" || results.Find("h5").Text() != "Was herauskam" {
		t.Errorf("results not rendered from Markdown (headings below the workshop): %q", results.Text())
	}
	if results.Find("script").Length() > 0 || res.Find("script").Length() > 0 {
		t.Error("script from the results reached the page")
	}
	if href, _ := first.Find(`[data-testid="timeline-report"] a`).Attr("href"); href != "/berichte/"+fx.EventSlug {
		t.Errorf("report link = %q", href)
	}
	inits := res.Find(`[data-testid="topic-initiatives"] li a`)
	if inits.Length() != 1 || inits.Text() != "Quastenflosser Allianz" {
		t.Errorf("initiatives = %q", inits.Text())
	}
	if href, _ := res.Find(`[data-testid="topic-directory"]`).Attr("href"); href != "/initiativen?thema=energie" {
		t.Errorf("directory link = %q", href)
	}
	main := res.Text("main")
	for _, draft := range []string{"Geheim", "Entwurf", "geheim.beispiel.example", fx.HiddenContact} {
		if strings.Contains(main, draft) {
			t.Errorf("topic page shows %q", draft)
		}
	}
}

func TestTopicPageListsTwentyInitiativesAndLinksTheRest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := w.st.InsertSyntheticInitiatives(t.Context(), 150, 3); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := w.pool.QueryRow(t.Context(), `SELECT count(*) FROM initiative_topics x JOIN initiatives i ON i.id = x.initiative_id
		WHERE x.topic = 'innovation' AND i.status = 'published'`).Scan(&n); err != nil || n <= 20 {
		t.Fatalf("%d initiatives on innovation (%v): the test needs more than 20", n, err)
	}
	res := w.client().Get("/themen/innovation").WantStatus(http.StatusOK)
	if got := res.Find(`[data-testid="topic-initiatives"] li`).Length(); got != 20 {
		t.Errorf("%d initiatives listed, want 20", got)
	}
	if got := res.Text(`[data-testid="topic-directory"]`); got != "Alle Initiativen zum Thema im Verzeichnis ("+itoa(int64(n))+")" {
		t.Errorf("directory link says %q", got)
	}
	if res.Find(`[data-testid="timeline-event"]`).Length() != 0 {
		t.Error("timeline without events shows some")
	}
}

func TestUnknownTopicIsNotFound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.client()
	for _, path := range []string{"/themen/gibt-es-nicht", "/themen/ENERGIE", "/themen/%3Cscript%3E", "/themen/" + strings.Repeat("a", 200)} {
		if res := c.Get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.StatusCode)
		}
	}
}

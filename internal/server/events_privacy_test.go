package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	ical "github.com/emersion/go-ical"

	"rii/internal/event"
	"rii/internal/store"
	"rii/internal/webtest"
)

// addStageContacts puts a members-only and an editors-only contact on the
// fixture event's stage and moderating its workshop.
func (w *world) addStageContacts() {
	w.t.Helper()
	ctx := context.Background()
	consent := w.clock.Now().AddDate(0, -1, 0)
	var people []store.StagePerson
	for _, c := range []store.NewContact{
		{Name: "Max Mitgliedsperson", Email: "max.mitglied@beispiel.example", Phone: "+49 30 1111", Organisation: "Verband M",
			Visibility: store.VisibilityMembers, ConsentAt: &consent, ConsentMethod: "per E-Mail", ConsentPurpose: "Programm"},
		{Name: "Eva Internperson", Email: "eva.intern@beispiel.example", Phone: "+49 30 2222", Organisation: "Amt E",
			Visibility: store.VisibilityEditors},
	} {
		id, err := w.st.CreateContact(ctx, c, w.clock.Now())
		if err != nil {
			w.t.Fatal(err)
		}
		people = append(people, store.StagePerson{ContactID: id, Function: "Podium"})
	}
	items, err := w.st.ProgrammeItems(ctx, w.event.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	it := items[0]
	it.People = append(it.People, people...)
	if err := w.st.UpdateProgrammeItem(ctx, it); err != nil {
		w.t.Fatal(err)
	}
	ws, err := w.st.Workshop(ctx, w.event.ID, w.event.WorkshopID)
	if err != nil {
		w.t.Fatal(err)
	}
	f := ws.WorkshopFields
	f.Moderators = append(f.Moderators, people...)
	if _, err := w.st.UpdateWorkshop(ctx, w.event.ID, ws.ID, ws.Version, f, w.clock.Now()); err != nil {
		w.t.Fatal(err)
	}
}

// TestEventPagePrivacy: people on stage appear as their contact's
// visibility allows — public ones to everyone, members' ones to the members
// of the contact's initiative (these belong to none: no member), all to the
// Service-Stelle — and never with e-mail or phone;
// JSON-LD names only public people whoever looks. The online link appears
// in no public response, for nobody.
func TestEventPagePrivacy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.addStageContacts()
	secrets := []string{"konferenz.beispiel.example", "erika.rednerin@", "max.mitglied@", "eva.intern@", "1111", "2222"}
	paths := []string{"/veranstaltungen/testdialog", "/veranstaltungen", "/veranstaltungen/kalender.ics",
		"/veranstaltungen/testdialog/kalender.ics", "/", "/initiativen/initiative-a", "/initiativen/initiative-b"}
	for _, c := range []struct {
		viewer   string
		max, eva bool
	}{
		{"anonymous", false, false}, {"member-a", false, false}, {"member-b", false, false},
		{"editor", true, true}, {"official", true, true}, {"admin", true, true},
	} {
		cl := w.client()
		if c.viewer != "anonymous" {
			w.signIn(cl, c.viewer)
		}
		for _, path := range paths {
			res := cl.Get(path).WantStatus(http.StatusOK)
			body := string(res.Body)
			for _, s := range secrets {
				if strings.Contains(body, s) {
					t.Errorf("%s: %s contains %q", c.viewer, path, s)
				}
			}
			if strings.HasSuffix(path, ".ics") || path != "/veranstaltungen/testdialog" {
				for _, name := range []string{"Max Mitgliedsperson", "Eva Internperson"} {
					if strings.Contains(body, name) {
						t.Errorf("%s: %s names %s", c.viewer, path, name)
					}
				}
				continue
			}
			stage := strings.Join(res.Find(`[data-testid="stage-person"], [data-testid="moderator"], [data-testid="contributor"]`).
				Map(func(_ int, s *goquery.Selection) string { return s.Text() }), "|")
			if got := strings.Contains(stage, "Max Mitgliedsperson"); got != c.max {
				t.Errorf("%s sees the members' contact: %v, want %v", c.viewer, got, c.max)
			}
			if got := strings.Contains(stage, "Eva Internperson"); got != c.eva {
				t.Errorf("%s sees the editors' contact: %v, want %v", c.viewer, got, c.eva)
			}
			if n := strings.Count(body, "Max Mitgliedsperson"); c.max && n == 0 || !c.max && n != 0 {
				t.Errorf("%s: members' contact named %d times in the page", c.viewer, n)
			}
			ld, _ := json.Marshal(eventJSONLD(t, res))
			if strings.Contains(string(ld), "Mitgliedsperson") || strings.Contains(string(ld), "Internperson") {
				t.Errorf("%s: JSON-LD names a non-public person: %s", c.viewer, ld)
			}
		}
	}
}

// hostile is text typed into every field of an event, item and workshop.
const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>javascript:alert(4)`

// hostileResults is Markdown with links and raw HTML that must stay inert.
const hostileResults = "## Ergebnis\n\n[Klick](javascript:alert(5)) und <a href=\"javascript:alert(6)\">hier</a>\n\n" +
	"<script>alert(7)</script>\n\n<img src=x onerror=alert(8)>\n\n<iframe src=\"https://böse.example\"></iframe>\n\n" +
	"[gut](https://www.bmwk.de/)"

// TestEventHostileTextIsInert types script and markup into the fields of
// an event, its programme and workshop and Markdown into the results, then
// parses the page, the JSON-LD and the calendar file: the text is shown as
// text, nothing runs, no javascript: link survives.
func TestEventHostileTextIsInert(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := t.Context()
	start := berlinAt(t, "2026-12-20", "10:00")
	id := w.seedEvent("feindlich", event.StatusPublished, store.EventFields{Title: hostile, StartsAt: start, Place: hostile,
		Host: hostile, Invitation: hostile, Summary: hostile, Description: hostile, SampleNote: hostile, StateCode: "05"})
	consent := w.clock.Now().AddDate(0, -1, 0)
	cid, err := w.st.CreateContact(ctx, store.NewContact{Name: hostile, Function: hostile, Organisation: hostile,
		Visibility: store.VisibilityPublic, ConsentAt: &consent, ConsentMethod: "x", ConsentPurpose: "x"}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: id, StartsAt: start, Title: hostile, Kind: "panel",
		Description: hostile, People: []store.StagePerson{{ContactID: cid, Function: hostile}}}); err != nil {
		t.Fatal(err)
	}
	held := 12
	if _, err := w.st.CreateWorkshop(ctx, id, store.WorkshopFields{Title: hostile, Description: hostile, Place: hostile,
		StartsAt: start, EndsAt: start.Add(time.Hour), Results: hostileResults, ParticipantCount: &held,
		Moderators: []store.StagePerson{{ContactID: cid, Function: hostile}}}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := w.client()
	res := c.Get("/veranstaltungen/feindlich").WantStatus(http.StatusOK)
	assertInert(t, res)
	if got := res.Text("h1"); got != hostile {
		t.Errorf("h1 %q, want the typed text", got)
	}
	if got := res.Find(`[data-testid="programme-item"] h3`).Text(); got != hostile {
		t.Errorf("item title %q", got)
	}
	results := res.Find(`[data-testid="workshop-results"]`) // its "## Ergebnis" is an h6 under the h5 "Ergebnisse"
	if results.Find("h6").Text() != "Ergebnis" || results.Find(`a[href="https://www.bmwk.de/"]`).Length() != 1 {
		t.Errorf("results lost their Markdown: %s", goquery.NewDocumentFromNode(results.Nodes[0]).Text())
	}
	if results.Find("iframe, img").Length() != 0 {
		t.Error("raw HTML from the results survived")
	}
	if !strings.Contains(results.Text(), "12 Teilnehmende") {
		t.Errorf("participants: %q", results.Text())
	}
	if ld := eventJSONLD(t, res); ld["name"] != hostile {
		t.Errorf("JSON-LD name %q", ld["name"])
	}
	assertInert(t, c.Get("/veranstaltungen").WantStatus(http.StatusOK))
	assertInert(t, c.Get("/").WantStatus(http.StatusOK))
	cal := parseICS(t, c.Get("/veranstaltungen/feindlich/kalender.ics").WantStatus(http.StatusOK))
	ev := cal.Events()[0]
	for prop, want := range map[string]string{ical.PropSummary: hostile, ical.PropLocation: hostile, ical.PropDescription: hostile} {
		if got, _ := ev.Props.Text(prop); got != want {
			t.Errorf("%s %q, want the typed text", prop, got)
		}
	}
}

// assertInert fails for any script but the JSON-LD data block, any event
// handler attribute, any javascript: URL and any frame or object.
func assertInert(t *testing.T, res *webtest.Response) {
	t.Helper()
	if n := res.Find(`script:not([type="application/ld+json"]), iframe, object, embed, svg[onload]`).Length(); n != 0 {
		t.Errorf("%s: %d script, frame or object elements", res.Request.URL.Path, n)
	}
	res.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if strings.HasPrefix(a.Key, "on") || (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(v, "javascript:") {
				t.Errorf("%s: <%s %s=%q>", res.Request.URL.Path, s.Nodes[0].Data, a.Key, a.Val)
			}
		}
	})
}

// TestEventPageStatementsDoNotGrow counts the SQL statements of the event
// page, its calendar file and the list for an event with one item and one
// workshop and for one with 40 items, 15 workshops, 60 speakers and 20
// initiatives: the same number.
func TestEventPageStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	s, _, counter := countedServer(t)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	ctx := t.Context()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	consent := now.AddDate(0, -1, 0)
	build := func(slug string, items, workshops, speakers, initiatives int) {
		start := berlinAt(t, "2026-12-15", "09:00")
		id := seedEventOn(t, s.store, now, slug, event.StatusPublished, store.EventFields{StartsAt: start, EndsAt: start.Add(10 * time.Hour),
			Topics: []string{"energie", "innovation"}})
		var people []store.StagePerson
		for i := range speakers {
			cid, err := s.store.CreateContact(ctx, store.NewContact{Name: slug + " Person " + itoa(int64(i)), Visibility: store.VisibilityPublic,
				ConsentAt: &consent, ConsentMethod: "x", ConsentPurpose: "x"}, now)
			if err != nil {
				t.Fatal(err)
			}
			people = append(people, store.StagePerson{ContactID: cid, Function: "Rolle"})
		}
		var inits []int64
		for i := range initiatives {
			iid, err := s.store.CreateInitiative(ctx, slug+"-ini-"+itoa(int64(i)), "published", store.InitiativeProfile{Name: slug + " Initiative " + itoa(int64(i))}, store.Actor{Label: "T"}, now)
			if err != nil {
				t.Fatal(err)
			}
			inits = append(inits, iid)
		}
		for i := range items {
			if _, err := s.store.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: id, StartsAt: start.Add(time.Duration(i) * time.Minute),
				Title: "Punkt " + itoa(int64(i)), Kind: "panel", People: people[i*len(people)/items : (i+1)*len(people)/items],
				Initiatives: inits[i*len(inits)/items : (i+1)*len(inits)/items]}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range workshops {
			if _, err := s.store.CreateWorkshop(ctx, id, store.WorkshopFields{Title: "Workshop " + itoa(int64(i)), StartsAt: start.Add(time.Duration(i%3) * time.Hour),
				EndsAt: start.Add(time.Duration(i%3+1) * time.Hour), Results: "**Ergebnis**", Topics: []string{"energie"},
				Moderators: people[:min(len(people), 4)], Initiatives: inits[:min(len(inits), 3)]}, now); err != nil {
				t.Fatal(err)
			}
		}
	}
	build("klein", 1, 1, 1, 1)
	build("gross", 40, 15, 60, 20)
	count := func(path string) int64 { return statementsPerPath(t, ts, counter, path)[path] }
	for _, suffix := range []string{"", "/kalender.ics"} {
		small, large := count("/veranstaltungen/klein"+suffix), count("/veranstaltungen/gross"+suffix)
		if small != large || small == 0 {
			t.Errorf("/veranstaltungen/{event}%s: %d statements for the small event, %d for the large one", suffix, small, large)
		}
		t.Logf("/veranstaltungen/{event}%s: %d statements", suffix, large)
	}
	for _, path := range []string{"/veranstaltungen", "/veranstaltungen/kalender.ics", "/"} {
		t.Logf("%s: %d statements", path, count(path))
	}
}

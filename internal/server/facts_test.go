package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// TestStaleCountsFromPublication: a profile never confirmed counts from its
// publication; the list and the dashboard's figure apply the one rule.
func TestStaleCountsFromPublication(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// A was published two years ago, B a minute ago; neither confirmed.
	if _, err := w.pool.Exec(t.Context(), `UPDATE initiatives SET published_at = $1 WHERE id = $2`,
		w.clock.Now().AddDate(-2, 0, 0), w.initA); err != nil {
		t.Fatal(err)
	}
	editor := w.client()
	w.signIn(editor, "editor")
	list := editor.Get("/verwaltung/initiativen/veraltet").WantStatus(http.StatusOK)
	rows := list.Find(`[data-testid="stale-table"] tbody tr`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "Initiative A") {
		t.Fatalf("stale list %q, want Initiative A only", rows.Text())
	}
	if !strings.Contains(rows.Text(), "nie (veröffentlicht am") {
		t.Errorf("the row does not say since when: %q", rows.Text())
	}
	if got := editor.Get("/dashboard").WantStatus(http.StatusOK).Text(`[data-testid="work-stale"] [data-testid="work-total"]`); got != "1" {
		t.Errorf("dashboard's stale figure %q, want 1 like the list", got)
	}
	// A year and a day on, B is stale too.
	w.clock.Advance(366 * 24 * time.Hour)
	editor = w.client()
	w.signIn(editor, "editor")
	if n := editor.Get("/verwaltung/initiativen/veraltet").Find(`[data-testid="stale-table"] tbody tr`).Length(); n != 2 {
		t.Errorf("%d stale a year later, want 2", n)
	}
}

// TestContributorShowsTheFunctionOfTheItem: the "Mitwirkende" card names
// the function given for the programme item, not the contact's own (older)
// one.
func TestContributorShowsTheFunctionOfTheItem(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent() // Dr. Erika Rednerin: "Referentin"; at the Begrüßung "Abteilungsleiterin im Testministerium"
	res := w.client().Get("/veranstaltungen/testdialog").WantStatus(http.StatusOK)
	card := res.Find(`[data-testid="contributor"]`)
	if card.Length() != 1 {
		t.Fatalf("%d contributors", card.Length())
	}
	text := card.Text()
	if !strings.Contains(text, "Abteilungsleiterin im Testministerium, Testministerium") || strings.Contains(text, "Referentin") {
		t.Errorf("contributor %q: want the function for the item", text)
	}
	if !strings.Contains(text, "Workshop „Werkstatt Energie“ (Moderation)") {
		t.Errorf("contributor %q: the workshop's own function is missing", text)
	}
}

// TestEventListNamesEachWordOnce: a digital event reads "Digital" once.
func TestEventListNamesEachWordOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	start := w.clock.Now().AddDate(0, 1, 0)
	w.seedEvent("online-dialog", event.StatusPublished, store.EventFields{Format: event.FormatDigital, Place: "digital", StartsAt: start})
	w.seedEvent("vor-ort", event.StatusPublished, store.EventFields{Format: event.FormatHybrid, Place: "Hybrid", StartsAt: start.Add(time.Hour)})
	c := w.client()
	facts := c.Get("/veranstaltungen").WantStatus(http.StatusOK).Find(`[data-testid="card-facts"]`)
	want := []string{"Industriedialog, Digital", "Industriedialog, Hybrid"}
	if facts.Length() != 2 {
		t.Fatalf("%d cards", facts.Length())
	}
	for i := range want {
		if got := strings.TrimSpace(facts.Eq(i).Text()); got != want[i] {
			t.Errorf("card %d: %q, want %q", i, got, want[i])
		}
	}
	if home := c.Get("/").Text(`[data-testid="home-events"]`); strings.Contains(strings.ToLower(home), "digital, digital") {
		t.Errorf("start page %q", home)
	}
}

// TestNonPublicSpeakerIsMarkedAndWarned: the picker marks a person who
// will not appear publicly, saving warns the editor by name, and no public
// page shows the person.
func TestNonPublicSpeakerIsMarkedAndWarned(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	hidden, err := w.st.CreateContact(t.Context(), store.NewContact{Name: "Vera Vertraulich", Function: "Beraterin",
		Email: "vera@beispiel.example", Visibility: store.VisibilityEditors}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := w.client()
	w.signIn(c, "editor")
	base := "/verwaltung/veranstaltungen/" + itoa(w.event.ID)
	vals := url.Values{"titel": {"Gespräch"}, "art": {"interview"}, "datum": {"2026-12-10"}, "beginn_zeit": {"11:00"},
		"ende_zeit": {"11:30"}}
	// The people picker's results mark who will not appear publicly.
	for _, q := range []struct {
		query  string
		id     int64
		marked bool
	}{{"Vera", hidden, true}, {"Erika Rednerin", w.event.SpeakerID, false}} {
		search := url.Values{"personen_suche": {q.query}, "suchen": {"personen"}}
		for k, v := range vals {
			search[k] = v
		}
		found := c.PostForm(base+"/programm/neu", search).WantStatus(http.StatusOK)
		label := found.Text(`[data-testid="picker-results"] label[for$="-treffer-` + itoa(q.id) + `"]`)
		if label == "" || strings.Contains(label, notPublicMark) != q.marked {
			t.Errorf("picker result for %q: %q (marked: %v)", q.query, label, q.marked)
		}
	}
	vals["personen"] = []string{itoa(hidden), itoa(w.event.SpeakerID)}
	vals["personen_zusatz_"+itoa(hidden)] = []string{"Gesprächspartnerin"}
	vals["personen_zusatz_"+itoa(w.event.SpeakerID)] = []string{"Moderation"}
	res := c.PostForm(base+"/programm/neu", vals).WantStatus(http.StatusSeeOther)
	page := c.Get(res.Header.Get("Location")).WantStatus(http.StatusOK)
	warning := page.Find(`[data-testid="flash-warning"]`)
	if !strings.Contains(warning.Text(), "Vera Vertraulich (sichtbar: nur Service-Stelle)") || strings.Contains(warning.Text(), "Erika") {
		t.Errorf("warning after saving %q", warning.Text())
	}
	if !strings.Contains(page.Text(`[data-testid="flash"]`), "angelegt") {
		t.Error("the success message is gone")
	}
	// Editing the item shows the note at the chosen person.
	item := page.Find(`[data-testid="programme-item"] a:contains("Gespräch")`).AttrOr("href", "")
	if note := c.Get(item).WantStatus(http.StatusOK).Text(`[data-testid="picker-chosen"] label[for$="-gewaehlt-` + itoa(hidden) + `"]`); !strings.Contains(note, "Vera Vertraulich") || !strings.Contains(note, notPublicMark+" (sichtbar: nur Service-Stelle)") {
		t.Errorf("note at the person %q", note)
	}
	// Public pages: never the person, for visitors and members.
	anon, member := w.client(), w.client()
	w.signIn(member, "member-a")
	for _, viewer := range []struct {
		name string
		get  func(string) string
	}{
		{"visitor", func(p string) string { return string(anon.Get(p).Body) }},
		{"member", func(p string) string { return string(member.Get(p).Body) }},
	} {
		for _, p := range []string{"/veranstaltungen/testdialog", "/veranstaltungen/testdialog/kalender.ics", "/berichte/testdialog", "/suche?q=Vera"} {
			if body := viewer.get(p); strings.Contains(body, "Vertraulich") || strings.Contains(body, "vera@") {
				t.Errorf("%s sees the non-public person on %s", viewer.name, p)
			}
		}
	}
}

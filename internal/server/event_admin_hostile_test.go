package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/event"
	"rii/internal/store"
	"rii/internal/webtest"
	"rii/web/pages"
)

// markup is what an editor might paste into any text field: a script, an
// event handler and a javascript: link, each labelled with the field.
func markup(field string) string {
	return `<script>alert("` + field + `")</script>"><img src=x onerror=alert(1)><a href="javascript:alert(1)">` + field + `</a>`
}

// wantInert fails when the page holds a script element (other than the
// portal's own under /static/), an on… attribute or a javascript: link:
// none of them is part of any page, so any would have come from the input. It also checks that no id is used twice.
func wantInert(t *testing.T, res *webtest.Response, what string) {
	t.Helper()
	doc := res.Doc()
	if n := doc.Find(`script:not([src^="/static/"])`).Length(); n > 0 {
		t.Errorf("%s: %d script elements", what, n)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: <%s %s=%q>", what, goquery.NodeName(s), a.Key, a.Val)
			}
			if (a.Key == "href" || a.Key == "src" || a.Key == "action") &&
				strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("%s: <%s %s=%q>", what, goquery.NodeName(s), a.Key, a.Val)
			}
		}
	})
	ids := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if ids[id] {
			t.Errorf("%s: the id %q is used twice", what, id)
		}
		ids[id] = true
	})
	if n := doc.Find(`img[src="x"]`).Length(); n > 0 {
		t.Errorf("%s: the input became an img element", what)
	}
}

// TestEventAdminMarkupInert saves markup in every text field of an event,
// a programme item and a workshop through the forms, then parses each
// administration page: no script, no handler, no javascript: link came
// from the input, and the text shows literally.
func TestEventAdminMarkupInert(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()

	f := validEventForm()
	for _, k := range []string{"titel", "ort", "veranstalter", "einladung", "kurzbeschreibung", "beschreibung", "beispieldaten"} {
		f.Set(k, markup(k))
	}
	f.Set("adresse", "markup")
	loc := c.PostForm("/verwaltung/veranstaltungen/neu", f).WantStatus(http.StatusSeeOther).Header.Get("Location")
	item := url.Values{"titel": {markup("punkt")}, "art": {"panel"}, "beginn_zeit": {"10:00"},
		"beschreibung": {markup("punkt-beschreibung")}, "personen": {itoa(w.event.SpeakerID)},
		"personen_zusatz_" + itoa(w.event.SpeakerID): {markup("funktion")}}
	c.PostForm(loc+"/programm/neu", item).WantStatus(http.StatusSeeOther)
	ws := url.Values{"titel": {markup("workshop")}, "beginn_zeit": {"13:00"}, "ende_zeit": {"14:00"},
		"beschreibung": {markup("workshop-beschreibung")}, "ort": {markup("raum")}, "ergebnisse": {markup("ergebnisse") + "\n\n[x](javascript:alert(1))"},
		"personen": {itoa(w.event.SpeakerID)}, "personen_zusatz_" + itoa(w.event.SpeakerID): {markup("moderation")}}
	c.PostForm(loc+"/workshops/neu", ws).WantStatus(http.StatusSeeOther)
	var itemID, wsID int64
	if err := w.pool.QueryRow(t.Context(), `SELECT p.id, w.id FROM events e JOIN programme_items p ON p.event_id = e.id
		JOIN workshops w ON w.event_id = e.id WHERE e.slug = 'markup'`).Scan(&itemID, &wsID); err != nil {
		t.Fatal(err)
	}

	page := c.Get(loc).WantStatus(http.StatusOK)
	wantInert(t, page, "event page")
	for _, k := range []string{"titel", "veranstalter", "einladung"} {
		if got := page.Find("#feld-"+k).AttrOr("value", ""); got != markup(k) {
			t.Errorf("field %s shows %q, want the text as typed", k, got)
		}
	}
	for _, k := range []string{"ort", "kurzbeschreibung", "beschreibung", "beispieldaten"} {
		if got := page.Find("#feld-" + k).Text(); got != markup(k) {
			t.Errorf("textarea %s shows %q, want the text as typed", k, got)
		}
	}
	if got := page.Find("h1").Text(); !strings.Contains(got, markup("titel")) {
		t.Errorf("heading %q, want the title literally", got)
	}
	if got := page.Text("[data-testid=programme-item]"); !strings.Contains(got, markup("punkt")) || !strings.Contains(got, markup("funktion")) {
		t.Errorf("programme overview %q, want item title and function literally", got)
	}
	if got := page.Text("[data-testid=workshop] a"); got != markup("workshop") {
		t.Errorf("workshop overview %q", got)
	}

	list := c.Get("/verwaltung/veranstaltungen").WantStatus(http.StatusOK)
	wantInert(t, list, "event list")
	found := false
	list.Find("[data-testid=event-table] a").Each(func(_ int, a *goquery.Selection) { found = found || a.Text() == markup("titel") })
	if !found {
		t.Error("the list does not show the title as text")
	}

	itemPage := c.Get(loc + "/programm/" + itoa(itemID)).WantStatus(http.StatusOK)
	wantInert(t, itemPage, "programme item page")
	if got := itemPage.Find("#feld-titel").AttrOr("value", ""); got != markup("punkt") {
		t.Errorf("item title %q", got)
	}
	if got := itemPage.Find("#feld-personen-zusatz-"+itoa(w.event.SpeakerID)).AttrOr("value", ""); got != markup("funktion") {
		t.Errorf("function %q", got)
	}
	if got := itemPage.Find("#feld-beschreibung").Text(); got != markup("punkt-beschreibung") {
		t.Errorf("item description %q", got)
	}

	wsPage := c.Get(loc + "/workshops/" + itoa(wsID)).WantStatus(http.StatusOK)
	wantInert(t, wsPage, "workshop page")
	for k, want := range map[string]string{"beschreibung": markup("workshop-beschreibung"), "ort": markup("raum"),
		"ergebnisse": markup("ergebnisse") + "\n\n[x](javascript:alert(1))"} {
		if got := wsPage.Find("#feld-" + k).Text(); got != want {
			t.Errorf("workshop %s %q", k, got)
		}
	}
	if got := wsPage.Find("#feld-personen-zusatz-"+itoa(w.event.SpeakerID)).AttrOr("value", ""); got != markup("moderation") {
		t.Errorf("moderator function %q", got)
	}

	// Refused forms show the input inert too.
	f.Set("ende_zeit", "01:00")
	f.Set("adresse", "markup-2")
	wantInert(t, c.PostForm("/verwaltung/veranstaltungen/neu", f).WantStatus(http.StatusUnprocessableEntity), "refused event form")
	item.Set("beginn_zeit", "kaputt")
	wantInert(t, c.PostForm(loc+"/programm/neu", item).WantStatus(http.StatusUnprocessableEntity), "refused item form")
}

// snapshot is the state hostile requests must leave alone.
func (w *world) eventSnapshot() string {
	w.t.Helper()
	var s string
	err := w.pool.QueryRow(context.Background(), `SELECT concat_ws('|',
		(SELECT count(*) FROM events), (SELECT string_agg(id || ':' || version || ':' || status || ':' || title, ',' ORDER BY id) FROM events),
		(SELECT string_agg(id || ':' || title || ':' || starts_at, ',' ORDER BY id) FROM programme_items),
		(SELECT string_agg(id || ':' || version || ':' || title, ',' ORDER BY id) FROM workshops),
		(SELECT count(*) FROM programme_item_people), (SELECT count(*) FROM programme_item_initiatives),
		(SELECT count(*) FROM workshop_moderators), (SELECT count(*) FROM workshop_initiatives),
		(SELECT count(*) FROM contacts), (SELECT count(*) FROM event_topics))`).Scan(&s)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// TestEventAdminHostileInput posts hostile values into every field of
// every event form, and asks for ids that do not exist or belong to
// another event: never a 500, nothing changed.
func TestEventAdminHostileInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	ctx := context.Background()
	at := func(clock string) store.EventFields {
		s, _ := event.ParseLocal("2027-01-20", "09:00")
		e, _ := event.ParseLocal("2027-01-20", clock)
		return store.EventFields{Title: "Anderer Dialog", Kind: "industriedialog", Format: "digital", StartsAt: s, EndsAt: e}
	}
	other, err := w.st.CreateEvent(ctx, "anderer-dialog", event.StatusDraft, at("17:00"), store.Actor{Label: "Test"}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	f := at("17:00")
	otherItem, err := w.st.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: other, StartsAt: f.StartsAt, Title: "Fremd", Kind: "other"})
	if err != nil {
		t.Fatal(err)
	}
	otherWS, err := w.st.CreateWorkshop(ctx, other, store.WorkshopFields{Title: "Fremd", StartsAt: f.StartsAt, EndsAt: f.EndsAt}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := w.editorClient()
	before := w.eventSnapshot()
	base := "/verwaltung/veranstaltungen/" + itoa(w.event.ID)
	item, ws := base+"/programm/"+itoa(w.event.ItemID), base+"/workshops/"+itoa(w.event.WorkshopID)
	eventFields := append(pages.EventFormFields.Names(), "version")
	partFields := []string{"titel", "art", "datum", "beginn_zeit", "ende_zeit", "beschreibung", "plaetze", "ort", "online_link",
		"ergebnisse", "teilnehmende", "beispieldaten", "themen", "personen", "personen_suche", "initiativen", "initiativen_suche",
		"personen_zusatz_" + itoa(w.event.SpeakerID), "version"}
	forms := map[string][]string{
		"/verwaltung/veranstaltungen/neu": eventFields,
		base:                              eventFields,
		base + "/status":                  {"aktion", "teilnahme", "absage_hinweis", "version"},
		base + "/programm/neu":            partFields,
		item:                              partFields,
		item + "/loeschen":                {"bestaetigt"},
		base + "/workshops/neu":           partFields,
		ws:                                partFields,
		ws + "/loeschen":                  {"bestaetigt"},
		"/verwaltung/kontakte/neu":        append(pages.ContactFormFields.Names(), "version"),
	}
	values := append(append([]string{}, hostileValues...), "-1", "99999999999999999999", itoa(otherItem), "0")
	for path, fields := range forms {
		for _, v := range values {
			form := url.Values{}
			for _, name := range fields {
				form.Set(name, v)
			}
			res := c.PostForm(path, form)
			if res.StatusCode >= 500 || res.StatusCode < 400 {
				t.Errorf("POST %s with %.30q: status %d, want a refusal", path, v, res.StatusCode)
			}
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				wantInert(t, res, "POST "+path)
			}
		}
	}
	// A valid form with a person of no contact or a negative count.
	for _, bad := range []url.Values{
		{"titel": {"Gültig"}, "art": {"panel"}, "beginn_zeit": {"10:00"}, "personen": {"999999"}},
		{"titel": {"Gültig"}, "art": {"panel"}, "beginn_zeit": {"10:00"}, "personen": {"abc"}},
		{"titel": {"Gültig"}, "art": {"panel"}, "beginn_zeit": {"10:00"}, "initiativen_suche": {"Gibt es nirgends"}},
		{"titel": {"Gültig"}, "beginn_zeit": {"13:00"}, "ende_zeit": {"14:00"}, "teilnehmende": {"-20"}},
	} {
		path := base + "/programm/neu"
		if bad.Get("ende_zeit") != "" {
			path = base + "/workshops/neu"
		}
		c.PostForm(path, bad).WantStatus(http.StatusUnprocessableEntity)
	}
	// Unknown ids, ids of another event's parts, ids that are no numbers.
	for _, p := range []string{"/verwaltung/veranstaltungen/999999", "/verwaltung/veranstaltungen/abc",
		"/verwaltung/veranstaltungen/-1", "/verwaltung/veranstaltungen/99999999999999999999",
		base + "/programm/" + itoa(otherItem), base + "/workshops/" + itoa(otherWS), base + "/programm/x", base + "/workshops/1.5",
		"/verwaltung/veranstaltungen/" + itoa(other) + "/programm/" + itoa(w.event.ItemID)} {
		if got := c.Get(p).StatusCode; got != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, got)
		}
		for _, suffix := range []string{"", "/loeschen"} {
			res := c.PostForm(p+suffix, url.Values{"bestaetigt": {"ja"}, "titel": {"Übernommen"}, "art": {"panel"},
				"beginn_zeit": {"13:00"}, "ende_zeit": {"14:00"}, "version": {"1"}})
			if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("POST %s: %d, want 404", p+suffix, res.StatusCode)
			}
		}
	}
	if after := w.eventSnapshot(); after != before {
		t.Errorf("hostile requests changed the events:\nbefore %s\nafter  %s", before, after)
	}
}

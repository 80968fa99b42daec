package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/webtest"
)

// validEventForm is a valid event form; tests change single fields.
func validEventForm() url.Values {
	return url.Values{"titel": {"Industriedialog Nordwest"}, "adresse": {""}, "art": {"industriedialog"},
		"format": {"hybrid"}, "themen": {"energie", "innovation"}, "beginn_datum": {"2027-03-16"}, "beginn_zeit": {"09:30"},
		"ende_datum": {""}, "ende_zeit": {"16:00"}, "ort": {"Haus der Wirtschaft, Düsseldorf"}, "land": {"05"},
		"online_link": {"https://konferenz.beispiel.example/nordwest"}, "veranstalter": {"Service-Stelle RII"},
		"einladung": {"auf Einladung des BMWK"}, "kurzbeschreibung": {"Ein Dialog."}, "beschreibung": {"Mehr dazu."},
		"plaetze": {"120"}}
}

// editorClient signs in the editor.
func (w *world) editorClient() *webtest.Client {
	c := w.client()
	w.signIn(c, "editor")
	return c
}

// count runs a counting query.
func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// wantFieldError checks a German message at a field: the message element
// next to the field, tied to it by aria-describedby, and the error
// summary's link to it.
func wantFieldError(t *testing.T, res *webtest.Response, field, want string) {
	t.Helper()
	id := "feld-" + field
	if got := res.Text("#" + id + "-fehler"); !strings.Contains(got, want) {
		t.Errorf("message at %s = %q, want %q", field, got, want)
	}
	if d, _ := res.Find("#" + id).Attr("aria-describedby"); !strings.Contains(d, id+"-fehler") {
		t.Errorf("%s is not described by its message (aria-describedby %q)", field, d)
	}
	if inv, _ := res.Find("#" + id).Attr("aria-invalid"); inv != "true" {
		t.Errorf("%s is not marked aria-invalid", field)
	}
	link := res.Find(`[data-testid=error-summary] a[href="#` + id + `"]`)
	if !strings.Contains(link.Text(), want) {
		t.Errorf("the error summary has no link to %s saying %q", field, want)
	}
}

func TestEventCreateProgrammeWorkshopPublish(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()

	c.Get("/verwaltung/veranstaltungen/neu").WantStatus(http.StatusOK)
	res := c.PostForm("/verwaltung/veranstaltungen/neu", validEventForm()).WantStatus(http.StatusSeeOther)
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/verwaltung/veranstaltungen/"), 10, 64)
	if err != nil {
		t.Fatalf("redirected to %q, want the new event's page", loc)
	}
	var slug, status string
	if err := w.pool.QueryRow(t.Context(), `SELECT slug, status FROM events WHERE id = $1`, id).Scan(&slug, &status); err != nil {
		t.Fatal(err)
	}
	if slug != "industriedialog-nordwest" || status != "draft" {
		t.Errorf("slug %q status %q, want the title's slug as a draft", slug, status)
	}
	page := c.Get(loc).WantStatus(http.StatusOK)
	if got := page.Find("#feld-titel").AttrOr("value", ""); got != "Industriedialog Nordwest" {
		t.Errorf("title field %q", got)
	}
	if got := page.Text("[data-testid=report] a"); got != "Bericht anlegen" {
		t.Errorf("report link %q, want Bericht anlegen", got)
	}

	// A programme item with a speaker and a presenting initiative, typed by
	// name into the search field and taken on saving.
	speaker := itoa(w.event.SpeakerID)
	item := url.Values{"titel": {"Begrüßung"}, "art": {"welcome"}, "datum": {""}, "beginn_zeit": {"09:30"},
		"ende_zeit": {"10:00"}, "personen": {speaker}, "personen_zusatz_" + speaker: {"Abteilungsleiterin Industriepolitik"},
		"initiativen_suche": {"initiative a"}}
	c.PostForm(loc+"/programm/neu", item).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM programme_item_people pp JOIN programme_items p ON p.id = pp.item_id
		WHERE p.event_id = $1 AND pp.contact_id = $2 AND pp.function = 'Abteilungsleiterin Industriepolitik'`, id, w.event.SpeakerID); n != 1 {
		t.Errorf("%d speakers saved, want 1", n)
	}
	if n := w.count(`SELECT count(*) FROM programme_item_initiatives pi JOIN programme_items p ON p.id = pi.item_id
		WHERE p.event_id = $1 AND pi.initiative_id = $2`, id, w.initA); n != 1 {
		t.Errorf("%d presenting initiatives saved, want Initiative A", n)
	}
	// A workshop, by address of the contributing initiative.
	ws := url.Values{"titel": {"Werkstatt Wasserstoff"}, "datum": {"16.03.2027"}, "beginn_zeit": {"13:00"}, "ende_zeit": {"14:30"},
		"plaetze": {"30"}, "themen": {"energie"}, "personen": {speaker}, "personen_zusatz_" + speaker: {"Moderation"},
		"initiativen_suche": {"initiative-b"}, "beispieldaten": {"ja"}}
	c.PostForm(loc+"/workshops/neu", ws).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM workshops WHERE event_id = $1 AND sample AND capacity = 30`, id); n != 1 {
		t.Errorf("%d workshops saved, want 1", n)
	}
	page = c.Get(loc).WantStatus(http.StatusOK)
	if got := page.Text("[data-testid=programme-item]"); !strings.Contains(got, "Begrüßung") || !strings.Contains(got, "Dr. Erika Rednerin") || !strings.Contains(got, "Initiative A") {
		t.Errorf("programme overview %q", got)
	}
	if got := page.Text("[data-testid=workshop]"); !strings.Contains(got, "Werkstatt Wasserstoff") || !strings.Contains(got, "Beispieldaten") {
		t.Errorf("workshop overview %q", got)
	}

	// Publish, then complete with the participants.
	version := page.Find(`[data-testid=publish-form] input[name=version]`).AttrOr("value", "")
	c.PostForm(loc+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {version}, "bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	page = c.Get(loc)
	if got := page.Text("[data-testid=status]"); got != "veröffentlicht" {
		t.Errorf("status %q after publishing", got)
	}
	if page.Find("[data-testid=publish-form]").Length() != 0 {
		t.Error("a published event offers to publish again")
	}
	version = page.Find(`[data-testid=complete-form] input[name=version]`).AttrOr("value", "")
	c.PostForm(loc+"/status", url.Values{"aktion": {"abschliessen"}, "teilnahme": {"170"}, "version": {version}}).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM events WHERE id = $1 AND status = 'completed' AND participant_count = 170
		AND published_at IS NOT NULL`, id); n != 1 {
		t.Error("the event is not completed with 170 participants")
	}
	for _, action := range []string{"event.create", "event.status"} {
		if w.auditCountObject(action, "event", id) == 0 {
			t.Errorf("no audit entry %s", action)
		}
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action IN ('programme.create', 'workshop.create')
		AND details->>'event' = $1`, itoa(id)); n != 2 {
		t.Errorf("%d audit entries for programme and workshop, want 2", n)
	}

	// The list shows it, filtered by status.
	list := c.Get("/verwaltung/veranstaltungen?status=completed&sortierung=naechste").WantStatus(http.StatusOK)
	if got := list.Text("[data-testid=event-table] tbody"); !strings.Contains(got, "Industriedialog Nordwest") || strings.Contains(got, "Testdialog") {
		t.Errorf("completed events: %q", got)
	}
	// The same address again is a field error, not a 500.
	again := validEventForm()
	again.Set("adresse", "industriedialog-nordwest")
	res = c.PostForm("/verwaltung/veranstaltungen/neu", again).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "adresse", "schon vergeben")
}

// TestEventRefusedAtTheField: end before start, a capacity below zero, a
// workshop outside its event's time, and new event times that would leave
// a workshop outside: each a German message at the field, 422, the input
// kept, nothing saved.
func TestEventRefusedAtTheField(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	events := w.count(`SELECT count(*) FROM events`)

	f := validEventForm()
	f.Set("ende_zeit", "08:00")
	res := c.PostForm("/verwaltung/veranstaltungen/neu", f).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "ende_datum", "Das Ende muss nach dem Beginn liegen.")
	if got := res.Find("#feld-beschreibung").Text(); got != "Mehr dazu." {
		t.Errorf("the description typed is lost: %q", got)
	}

	f = validEventForm()
	f.Set("plaetze", "-5")
	res = c.PostForm("/verwaltung/veranstaltungen/neu", f).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "plaetze", "Die Zahl der Plätze darf nicht negativ sein.")
	if got := res.Find("#feld-plaetze").AttrOr("value", ""); got != "-5" {
		t.Errorf("capacity field %q, want what was typed", got)
	}
	if n := w.count(`SELECT count(*) FROM events`); n != events {
		t.Errorf("%d events after refused forms, want %d", n, events)
	}

	base := "/verwaltung/veranstaltungen/" + itoa(w.event.ID)
	workshops := w.count(`SELECT count(*) FROM workshops`)
	res = c.PostForm(base+"/workshops/neu", url.Values{"titel": {"Zu früh"}, "beginn_zeit": {"07:00"}, "ende_zeit": {"08:00"}}).
		WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "beginn_zeit", "Der Workshop muss innerhalb der Veranstaltung liegen: 10.12.2026, 09:30 bis 16:00 Uhr.")
	res = c.PostForm(base+"/workshops/neu", url.Values{"titel": {"W"}, "beginn_zeit": {"13:00"}, "ende_zeit": {"14:00"}, "plaetze": {"-1"}}).
		WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "plaetze", "Die Zahl der Plätze darf nicht negativ sein.")
	if n := w.count(`SELECT count(*) FROM workshops`); n != workshops {
		t.Errorf("%d workshops after refused forms, want %d", n, workshops)
	}

	// Moving the event's end before its workshop (13:00–14:30) is refused.
	page := c.Get(base)
	f = url.Values{}
	page.Find(`[data-testid=event-form] input:not([type=checkbox]), [data-testid=event-form] select, [data-testid=event-form] textarea`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if s.Is("textarea") {
			f.Set(name, s.Text())
		} else if s.Is("select") {
			f.Set(name, s.Find("option[selected]").AttrOr("value", ""))
		} else {
			f.Set(name, s.AttrOr("value", ""))
		}
	})
	f.Set("ende_zeit", "12:00")
	res = c.PostForm(base, f).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "ende_datum", "Der Workshop „Werkstatt Energie“ (10.12.2026, 13:00 bis 14:30 Uhr) läge außerhalb der neuen Zeiten")
	f.Set("ende_zeit", "16:00")
	f.Set("beginn_zeit", "13:30")
	res = c.PostForm(base, f).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "beginn_datum", "Der Workshop „Werkstatt Energie“")
	if n := w.count(`SELECT count(*) FROM events WHERE id = $1 AND version = 1`, w.event.ID); n != 1 {
		t.Error("the event changed although its workshop would fall outside")
	}
	// A programme item on a day the event does not have.
	res = c.PostForm(base+"/programm/neu", url.Values{"titel": {"Nachlese"}, "art": {"other"}, "datum": {"2026-12-11"},
		"beginn_zeit": {"10:00"}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "datum", "Der Programmpunkt muss an einem Tag der Veranstaltung liegen (10.12.2026).")
	// An unknown initiative.
	res = c.PostForm(base+"/programm/neu", url.Values{"titel": {"Vorstellung"}, "art": {"presentation"},
		"beginn_zeit": {"11:00"}, "initiativen_suche": {"Initiative Z"}}).WantStatus(http.StatusUnprocessableEntity)
	if got := res.Text("#feld-initiativen .kern-error"); !strings.Contains(got, "Keine Initiative im Verzeichnis heißt „Initiative Z“") {
		t.Errorf("unknown initiative message %q", got)
	}
	if got := res.Find("#feld-initiativen-suche").AttrOr("value", ""); got != "Initiative Z" {
		t.Errorf("the initiative typed is lost: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM programme_items WHERE event_id = $1`, w.event.ID); n != 2 {
		t.Errorf("%d programme items, want the fixture's 2", n)
	}
}

// TestEventStatusRules: cancelling needs a notice, which then stays;
// completing needs the count; nothing goes back to draft.
func TestEventStatusRules(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	base := "/verwaltung/veranstaltungen/" + itoa(w.event.ID)

	res := c.PostForm(base+"/status", url.Values{"aktion": {"absagen"}, "absage_hinweis": {"  "}, "version": {"1"}}).
		WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "absage_hinweis", "Bitte schreiben Sie einen Hinweis zur Absage")
	res = c.PostForm(base+"/status", url.Values{"aktion": {"abschliessen"}, "version": {"1"}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "teilnahme", "wie viele Personen")
	res = c.PostForm(base+"/status", url.Values{"aktion": {"veroeffentlichen"}, "version": {"1"}}).WantStatus(http.StatusUnprocessableEntity)
	if got := res.Text("#feld-aktion .kern-error"); !strings.Contains(got, "nicht möglich") {
		t.Errorf("publishing a published event: %q", got)
	}
	// A stale version is a conflict, not a change.
	res = c.PostForm(base+"/status", url.Values{"aktion": {"absagen"}, "absage_hinweis": {"Verschoben."}, "version": {"0"}}).
		WantStatus(http.StatusConflict)
	if n := w.count(`SELECT count(*) FROM events WHERE id = $1 AND status = 'published'`, w.event.ID); n != 1 {
		t.Error("a stale status form changed the event")
	}
	c.PostForm(base+"/status", url.Values{"aktion": {"absagen"}, "absage_hinweis": {"Verschoben auf das Frühjahr."}, "version": {"1"}}).
		WantStatus(http.StatusSeeOther)
	page := c.Get(base)
	if got := page.Text("[data-testid=cancel-notice]"); !strings.Contains(got, "Verschoben auf das Frühjahr.") {
		t.Errorf("cancel notice %q", got)
	}
	if page.Find("[data-testid=status-actions] form").Length() != 0 {
		t.Error("a cancelled event still offers status changes")
	}
}

// TestEventConflicts: two editors save the same event or workshop; the
// second gets 409 with both versions and keeps what they typed.
func TestEventConflicts(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	a, b := w.editorClient(), w.client()
	w.signIn(b, "admin")
	base := "/verwaltung/veranstaltungen/" + itoa(w.event.ID)

	f := validEventForm()
	f.Set("version", "1")
	f.Set("beginn_datum", "2026-12-10")
	f.Set("titel", "Fassung A")
	a.PostForm(base, f).WantStatus(http.StatusSeeOther)
	f.Set("titel", "Fassung B")
	res := b.PostForm(base, f).WantStatus(http.StatusConflict)
	if got := res.Text("[data-testid=conflict-table] tbody"); !strings.Contains(got, "Fassung A") || !strings.Contains(got, "Fassung B") {
		t.Errorf("conflict table %q", got)
	}
	if got := res.Text("[data-testid=conflict] p"); !strings.Contains(got, "Person editor") {
		t.Errorf("conflict names %q, want the editor", got)
	}
	if got := res.Find("#feld-titel").AttrOr("value", ""); got != "Fassung B" {
		t.Errorf("title field %q, want what B typed", got)
	}
	if got := res.Find(`[data-testid=event-form] input[name=version]`).AttrOr("value", ""); got != "2" {
		t.Errorf("version %q, want the saved one", got)
	}

	wsPath := base + "/workshops/" + itoa(w.event.WorkshopID)
	wf := url.Values{"titel": {"Werkstatt A"}, "beginn_zeit": {"13:00"}, "ende_zeit": {"14:30"}, "version": {"1"}}
	a.PostForm(wsPath, wf).WantStatus(http.StatusSeeOther)
	wf.Set("titel", "Werkstatt B")
	wf.Set("ergebnisse", "Viel gelernt.")
	res = b.PostForm(wsPath, wf).WantStatus(http.StatusConflict)
	if got := res.Text("[data-testid=conflict-table] tbody"); !strings.Contains(got, "Werkstatt A") || !strings.Contains(got, "Werkstatt B") {
		t.Errorf("workshop conflict table %q", got)
	}
	if got := res.Find("#feld-ergebnisse").Text(); got != "Viel gelernt." {
		t.Errorf("results field %q, want what B typed", got)
	}
	if n := w.count(`SELECT count(*) FROM workshops WHERE id = $1 AND title = 'Werkstatt A' AND version = 2`, w.event.WorkshopID); n != 1 {
		t.Error("the conflicting save changed the workshop")
	}
	if w.auditCountObject("workshop.update", "workshop", w.event.WorkshopID) != 1 {
		t.Error("want one audit entry for the one save")
	}
}

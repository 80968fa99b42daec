package server

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/registration"
	"rii/internal/store"
)

// registerPerson registers someone for the fixture event as staff would
// (address confirmed), choosing the given workshops.
func (w *world) registerPerson(name, email string, workshops ...int64) store.Registration {
	w.t.Helper()
	hash := sha256.Sum256([]byte(email))
	res, err := w.st.Register(context.Background(), store.NewRegistration{EventID: w.event.ID, Name: name, Email: email,
		Organisation: "Musterwerk GmbH", Workshops: workshops, Source: registration.SourceManual, Confirmed: true,
		TokenHash: hash[:], Now: w.clock.Now()})
	if err != nil {
		w.t.Fatal(err)
	}
	return res.Registration
}

// addRegistrationFixture gives the fixture event a question and a
// confirmed registration (for the route table's {question} and
// {registration}).
func (w *world) addRegistrationFixture() {
	w.t.Helper()
	id, err := w.st.AddQuestion(context.Background(), store.Question{EventID: w.event.ID, Kind: registration.QuestionText,
		Label: "Ihre Erwartungen?", Position: 1})
	if err != nil {
		w.t.Fatal(err)
	}
	w.event.QuestionID = id
	w.event.RegistrationID = w.registerPerson("Rita Routen", "rita.routen@beispiel.example", w.event.WorkshopID).ID
}

func setupPath(w *world) string {
	return "/verwaltung/veranstaltungen/" + itoa(w.event.ID) + "/anmeldung"
}

func TestRegistrationSetupSavesAndPromotesTheWaitingList(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	page := c.Get(setupPath(w)).WantStatus(http.StatusOK)
	if got := page.Text("[data-testid=registration-state]"); got != "Die Anmeldung ist geschlossen." {
		t.Errorf("state %q", got)
	}
	version := page.Find("[data-testid=setup-form] input[name=version]").AttrOr("value", "")
	wsField := "plaetze-w" + itoa(w.event.WorkshopID)
	if page.Find("#feld-"+wsField).Length() != 1 {
		t.Fatalf("no capacity field for the workshop")
	}
	form := url.Values{"offen": {"ja"}, "plaetze": {"1"}, wsField: {"5"}, "haltezeit": {"12"}, "erinnerung": {"24"},
		"version": {version}}
	c.PostForm(setupPath(w), form).WantStatus(http.StatusSeeOther)
	var open bool
	var capacity, wsCapacity, hold, lead int
	if err := w.pool.QueryRow(t.Context(), `SELECT e.registration_open, e.capacity, e.registration_hold_hours,
		e.reminder_lead_hours, w.capacity FROM events e JOIN workshops w ON w.event_id = e.id WHERE e.id = $1`,
		w.event.ID).Scan(&open, &capacity, &hold, &lead, &wsCapacity); err != nil {
		t.Fatal(err)
	}
	if !open || capacity != 1 || hold != 12 || lead != 24 || wsCapacity != 5 {
		t.Errorf("saved open %v capacity %d hold %d lead %d workshop %d", open, capacity, hold, lead, wsCapacity)
	}
	if n := w.auditCountObject("registration.settings", "event", w.event.ID); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	page = c.Get(setupPath(w)).WantStatus(http.StatusOK)
	if got := page.Text("[data-testid=registration-state]"); got != "Die Anmeldung ist zurzeit offen." {
		t.Errorf("state after opening %q", got)
	}

	// One place: the second person waits; two places: she is promoted and told.
	w.registerPerson("Anna Erste", "anna@beispiel.example")
	second := w.registerPerson("Berta Zweite", "berta@beispiel.example")
	if second.Status != registration.StatusWaitlisted {
		t.Fatalf("second person %s, want waitlisted", second.Status)
	}
	page = c.Get(setupPath(w)).WantStatus(http.StatusOK)
	form.Set("plaetze", "2")
	form.Set("version", page.Find("[data-testid=setup-form] input[name=version]").AttrOr("value", ""))
	c.PostForm(setupPath(w), form).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registrations WHERE id = $1 AND status = 'confirmed'`, second.ID); n != 1 {
		t.Errorf("the waiting person was not promoted by the higher capacity")
	}
	if subject, body := w.lastMail("berta@beispiel.example"); !strings.Contains(subject, "Anmeldung bestätigt") || !strings.Contains(body, "nachgerückt") {
		t.Errorf("promotion mail %q:\n%s", subject, body)
	}
}

func TestRegistrationSetupRefusesBadInputAndStaleVersions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	page := c.Get(setupPath(w)).WantStatus(http.StatusOK)
	version := page.Find("[data-testid=setup-form] input[name=version]").AttrOr("value", "")
	res := c.PostForm(setupPath(w), url.Values{"offen": {"ja"}, "plaetze": {"viele"}, "haltezeit": {"0"},
		"erinnerung": {"9999"}, "version": {version}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "plaetze", "Die Zahl der Plätze muss eine ganze Zahl ab 0 sein")
	wantFieldError(t, res, "haltezeit", "Die Haltezeit muss eine ganze Zahl von Stunden zwischen 1 und 720 sein")
	wantFieldError(t, res, "erinnerung", "Die Vorlaufzeit der Erinnerung muss")
	if got := res.Find("#feld-plaetze").AttrOr("value", ""); got != "viele" {
		t.Errorf("typed value not kept: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM events WHERE id = $1 AND NOT registration_open AND version = $2`, w.event.ID, version); n != 1 {
		t.Errorf("bad input changed the event")
	}

	// Someone else saves the event's facts meanwhile: 409 with both versions.
	w.pool.Exec(t.Context(), `UPDATE events SET version = version + 1, registration_hold_hours = 36 WHERE id = $1`, w.event.ID)
	res = c.PostForm(setupPath(w), url.Values{"haltezeit": {"24"}, "erinnerung": {"48"}, "version": {version}}).
		WantStatus(http.StatusConflict)
	if res.Find("[data-testid=conflict-table]").Length() != 1 || !strings.Contains(res.Text("[data-testid=conflict-table]"), "36") {
		t.Errorf("conflict table %q", res.Text("[data-testid=conflict-table]"))
	}
	if n := w.count(`SELECT registration_hold_hours FROM events WHERE id = $1`, w.event.ID); n != 36 {
		t.Errorf("a stale save overwrote the hold time: %d", n)
	}
	// Saving again from the conflict page is deliberate and goes through.
	next := res.Find("[data-testid=setup-form] input[name=version]").AttrOr("value", "")
	c.PostForm(setupPath(w), url.Values{"haltezeit": {"24"}, "erinnerung": {"48"}, "version": {next}}).WantStatus(http.StatusSeeOther)
}

func TestRegistrationQuestions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	fragen := setupPath(w) + "/fragen"
	res := c.PostForm(fragen, url.Values{"art": {"choice"}, "frage": {"Essen?"}, "optionen": {"Vegetarisch\nvegetarisch"}}).
		WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "optionen", "mindestens zwei verschiedene Antwortmöglichkeiten")
	res = c.PostForm(fragen, url.Values{"art": {"raten"}, "frage": {""}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "art", "Bitte wählen Sie die Art der Frage")
	wantFieldError(t, res, "frage", "Bitte geben Sie die Frage ein.")
	if n := w.count(`SELECT count(*) FROM event_questions`); n != 0 {
		t.Fatalf("%d questions stored from bad input", n)
	}

	c.PostForm(fragen, url.Values{"art": {"choice"}, "frage": {"Essen?"}, "optionen": {"Vegetarisch\r\nVegan\n\nMit Fleisch"},
		"pflicht": {"ja"}}).WantStatus(http.StatusSeeOther)
	page := c.Get(setupPath(w)).WantStatus(http.StatusOK)
	if page.Find("[data-testid=suggest-form]").Length() != 1 {
		t.Fatal("no suggestion of the accessibility question")
	}
	c.PostForm(fragen+"/barrierefreiheit", nil).WantStatus(http.StatusSeeOther)
	c.PostForm(fragen+"/barrierefreiheit", nil).WantStatus(http.StatusSeeOther) // a double click adds nothing
	page = c.Get(setupPath(w)).WantStatus(http.StatusOK)
	labels := page.Find("[data-testid=question] strong").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(labels, "|") != "Essen?|"+registration.AccessibilityQuestion {
		t.Fatalf("questions %q", labels)
	}
	if page.Find("[data-testid=suggest-form]").Length() != 0 {
		t.Error("the suggestion is still offered after it was taken")
	}
	if got := page.Text("[data-testid=question]"); !strings.Contains(got, "Vegetarisch, Vegan, Mit Fleisch") || !strings.Contains(got, "Pflichtfrage") {
		t.Errorf("choice question shows %q", got)
	}
	var ids []int64
	rows, _ := w.pool.Query(t.Context(), `SELECT id FROM event_questions ORDER BY position`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	// The second moves up; a bad direction is a message, nothing moves.
	c.PostForm(fragen+"/"+itoa(ids[1])+"/verschieben", url.Values{"richtung": {"hoch"}}).WantStatus(http.StatusSeeOther)
	c.PostForm(fragen+"/"+itoa(ids[1])+"/verschieben", url.Values{"richtung": {"seitwärts"}}).WantStatus(http.StatusUnprocessableEntity)
	if n := w.count(`SELECT position FROM event_questions WHERE id = $1`, ids[1]); n != 1 {
		t.Errorf("moved question at position %d, want 1", n)
	}
	// Deleting asks first, naming how many answers go.
	res = c.PostForm(fragen+"/"+itoa(ids[0])+"/loeschen", nil).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("[data-testid=confirm-delete]"), "0 Antworten") {
		t.Errorf("confirmation %q", res.Text("[data-testid=confirm-delete]"))
	}
	c.PostForm(fragen+"/"+itoa(ids[0])+"/loeschen", url.Values{"bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM event_questions`); n != 1 {
		t.Errorf("%d questions left, want 1", n)
	}
	for action, want := range map[string]int{"registration.question.create": 2, "registration.question.move": 1,
		"registration.question.delete": 1} {
		if n := w.auditCountObject(action, "event", w.event.ID); n != want {
			t.Errorf("%s audited %d times, want %d", action, n, want)
		}
	}
	// A question of another event is not found.
	c.PostForm(setupPath(w)+"/fragen/"+strconv.FormatInt(ids[1]+1000, 10)+"/loeschen", nil).WantStatus(http.StatusNotFound)
}

package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
)

func participantsPath(w *world) string {
	return "/verwaltung/veranstaltungen/" + itoa(w.event.ID) + "/teilnehmende"
}

// addParallelWorkshop adds a workshop in the fixture workshop's slot and
// sets both capacities.
func (w *world) addParallelWorkshop(capFixture, capNew int) int64 {
	w.t.Helper()
	ctx := context.Background()
	start, _ := event.ParseLocal("2026-12-10", "13:00")
	end, _ := event.ParseLocal("2026-12-10", "14:30")
	id, err := w.st.CreateWorkshop(ctx, w.event.ID, store.WorkshopFields{Title: "Werkstatt Wasser", StartsAt: start,
		EndsAt: end, Capacity: &capNew}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.pool.Exec(ctx, `UPDATE workshops SET capacity = $2 WHERE id = $1`, w.event.WorkshopID, capFixture); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// slotField is the form field of the fixture workshop's slot.
func slotField() string {
	start, _ := event.ParseLocal("2026-12-10", "13:00")
	return "workshop-" + strconv.FormatInt(start.Unix(), 10)
}

func TestParticipantsFiltersCountsSearchAndPaging(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.pool.Exec(t.Context(), `UPDATE workshops SET capacity = 1 WHERE id = $1`, w.event.WorkshopID)
	w.registerPerson("Anna Ahorn", "anna@beispiel.example", w.event.WorkshopID)
	w.registerPerson("Berta Birke", "berta@beispiel.example", w.event.WorkshopID) // workshop full: waits
	w.registerPerson("Carl Castanie", "carl@beispiel.example")
	gone := w.registerPerson("Gerd Gegangen", "gerd@beispiel.example")
	if _, _, err := w.st.CancelRegistration(t.Context(), gone.ID, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	hash := make([]byte, 32)
	if _, err := w.st.Register(t.Context(), store.NewRegistration{EventID: w.event.ID, Name: "Paula Pending",
		Email: "paula@beispiel.example", Source: registration.SourceManual, TokenHash: hash, Now: w.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	w.st.SetAttended(t.Context(), w.event.ID, int64(w.count(`SELECT id FROM registrations WHERE email = 'carl@beispiel.example'`)), true, w.clock.Now())

	c := w.editorClient()
	page := c.Get(participantsPath(w)).WantStatus(http.StatusOK)
	filters := page.Text("[data-testid=status-filters]")
	for _, want := range []string{"Alle (5)", "Unbestätigt (1)", "Bestätigt (2)", "Warteliste (1)", "Storniert (1)", "Anwesend (1)"} {
		if !strings.Contains(filters, want) {
			t.Errorf("filters %q lack %q", filters, want)
		}
	}
	res := c.Get(participantsPath(w) + "?status=waitlisted").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=participant-status]"); got != "Warteliste (Platz 1)" {
		t.Errorf("waiting row %q", got)
	}
	res = c.Get(participantsPath(w) + "?suche=AHORN").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=participant] a"); got != "Anna Ahorn" {
		t.Errorf("search found %q", got)
	}
	res = c.Get(participantsPath(w) + "?workshop=" + itoa(w.event.WorkshopID)).WantStatus(http.StatusOK)
	if got := res.Find("[data-testid=participant]").Length(); got != 2 {
		t.Errorf("%d in the workshop, want 2", got)
	}
	if got := res.Text("[data-testid=status-filters]"); !strings.Contains(got, "Alle (2)") {
		t.Errorf("counts do not follow the workshop filter: %q", got)
	}
	res = c.Get(participantsPath(w) + "?status=attended").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=participant] a"); got != "Carl Castanie" {
		t.Errorf("attended %q", got)
	}
	// Hostile filters are ignored, never a 500.
	c.Get(participantsPath(w) + "?status=%27;DROP&workshop=abc&suche=%00&seite=-3").WantStatus(http.StatusOK)

	// Paging: 50 a page.
	for i := range 50 {
		w.registerPerson("Zoe Zahl "+strconv.Itoa(100+i), "zoe"+strconv.Itoa(i)+"@beispiel.example")
	}
	res = c.Get(participantsPath(w) + "?seite=2").WantStatus(http.StatusOK)
	if got := res.Find("[data-testid=participant]").Length(); got != 5 {
		t.Errorf("%d rows on page 2, want 5", got)
	}

	// Officials read the same list, without the add form, and change nothing.
	o := w.client()
	w.signIn(o, "official")
	res = o.Get(participantsPath(w)).WantStatus(http.StatusOK)
	if res.Find("[data-testid=add-participant]").Length() != 0 {
		t.Error("officials see the add form")
	}
	o.PostForm(participantsPath(w)+"/neu", url.Values{"name": {"X"}, "email": {"x@beispiel.example"}}).WantStatus(http.StatusForbidden)
}

func TestParticipantAddMoveCancel(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	water := w.addParallelWorkshop(1, 1)
	c := w.editorClient()
	res := c.PostForm(participantsPath(w)+"/neu", url.Values{"name": {""}, "email": {"kein-at"}}).
		WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "name", "Bitte geben Sie einen Namen ein.")
	wantFieldError(t, res, "email", "gültige E-Mail-Adresse")
	res = c.PostForm(participantsPath(w)+"/neu", url.Values{"name": {"Ida Isar"}, "email": {"ida@beispiel.example"},
		slotField(): {"999999"}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, slotField(), "Bitte wählen Sie einen Workshop aus der Liste.")
	if n := w.count(`SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("%d registrations from bad input", n)
	}
	add := url.Values{"name": {"Ida Isar"}, "email": {"Ida@Beispiel.example"}, "organisation": {"Isarwerk"},
		slotField(): {itoa(w.event.WorkshopID)}}
	c.PostForm(participantsPath(w)+"/neu", add).WantStatus(http.StatusSeeOther)
	var ida store.Registration
	ida, err := w.st.Registration(t.Context(), int64(w.count(`SELECT id FROM registrations WHERE email = 'ida@beispiel.example'`)))
	if err != nil {
		t.Fatal(err)
	}
	if ida.Status != registration.StatusConfirmed || ida.Source != registration.SourceManual {
		t.Errorf("added by hand: %s from %s, want confirmed, manual", ida.Status, ida.Source)
	}
	if _, body := w.lastMail("ida@beispiel.example"); !strings.Contains(body, "/anmeldung/") {
		t.Errorf("no personal link in the e-mail:\n%s", body)
	}
	if n := w.auditCountObject("registration.create", "registration", ida.ID); n != 1 {
		t.Errorf("%d audit entries for adding", n)
	}
	res = c.PostForm(participantsPath(w)+"/neu", add).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "email", "schon eine Anmeldung")
	// The workshop is full now: the next person waits.
	add = url.Values{"name": {"Jan Jade"}, "email": {"jan@beispiel.example"}, slotField(): {itoa(w.event.WorkshopID)}}
	c.PostForm(participantsPath(w)+"/neu", add).WantStatus(http.StatusSeeOther)
	jan := w.count(`SELECT id FROM registrations WHERE email = 'jan@beispiel.example' AND status = 'waitlisted'`)
	if jan == 0 {
		t.Fatal("the person added to a full workshop does not wait")
	}

	// Ida moves to the other workshop: Jan gets her place and an e-mail.
	one := participantsPath(w) + "/" + itoa(ida.ID)
	c.PostForm(one+"/workshop", url.Values{slotField(): {itoa(water)}}).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registrations WHERE id = $1 AND status = 'confirmed'`, jan); n != 1 {
		t.Error("the waiting person was not promoted into the freed place")
	}
	if subject, body := w.lastMail("jan@beispiel.example"); !strings.Contains(subject, "Anmeldung bestätigt") || !strings.Contains(body, "nachgerückt") {
		t.Errorf("promotion mail %q:\n%s", subject, body)
	}
	// Jan cannot move into the full other workshop.
	res = c.PostForm(participantsPath(w)+"/"+itoa(int64(jan))+"/workshop", url.Values{slotField(): {itoa(water)}}).
		WantStatus(http.StatusUnprocessableEntity)
	if got := res.Text("#feld-workshop"); !strings.Contains(got, "ist voll") {
		t.Errorf("full workshop message %q", got)
	}
	// Cancelling asks for confirmation first.
	res = c.PostForm(one+"/stornieren", nil).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("[data-testid=error-summary]"), "Bitte bestätigen Sie") {
		t.Errorf("no confirmation asked: %q", res.Text("[data-testid=error-summary]"))
	}
	c.PostForm(one+"/stornieren", url.Values{"bestaetigt": {"ja"}}).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registrations WHERE id = $1 AND status = 'cancelled'`, ida.ID); n != 1 {
		t.Error("not cancelled")
	}
	page := c.Get(one).WantStatus(http.StatusOK)
	if page.Find("[data-testid=cancel]").Length() != 0 || !strings.Contains(page.Text("[data-testid=facts]"), "storniert") {
		t.Errorf("cancelled registration page: %q", page.Text("[data-testid=facts]"))
	}
	for _, a := range []string{"registration.workshop", "registration.cancel"} {
		if n := w.auditCountObject(a, "registration", ida.ID); n != 1 {
			t.Errorf("%s audited %d times", a, n)
		}
	}
	// A registration of another event is not found under this one.
	c.Get("/verwaltung/veranstaltungen/" + itoa(w.event.ID+1) + "/teilnehmende/" + itoa(ida.ID)).WantStatus(http.StatusNotFound)
}

// Two editors move two people into the last place of a workshop at once:
// the capacity holds.
func TestConcurrentMovesKeepWorkshopCapacity(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	water := w.addParallelWorkshop(10, 1)
	var ids []int64
	for i := range 6 {
		ids = append(ids, w.registerPerson("Person "+strconv.Itoa(i), "p"+strconv.Itoa(i)+"@beispiel.example", w.event.WorkshopID).ID)
	}
	editors := []string{"editor", "admin"}
	statuses := make([]int, len(ids))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, id := range ids {
		c := w.client()
		w.signIn(c, editors[i%2])
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = c.PostForm(participantsPath(w)+"/"+itoa(id)+"/workshop", url.Values{slotField(): {itoa(water)}}).StatusCode
		}()
	}
	close(start)
	wg.Wait()
	moved := 0
	for _, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			moved++
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("status %d", st)
		}
	}
	if n := w.count(`SELECT count(*) FROM registration_workshops WHERE workshop_id = $1`, water); moved != 1 || n != 1 {
		t.Errorf("%d moves succeeded, %d people in the one-place workshop; want 1 and 1", moved, n)
	}
}

func TestParticipantsCSVForExcel(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	qid, err := w.st.AddQuestion(t.Context(), store.Question{EventID: w.event.ID, Kind: registration.QuestionYesNo,
		Label: registration.AccessibilityQuestion, Position: 1})
	if err != nil {
		t.Fatal(err)
	}
	hash := make([]byte, 32)
	hash[0] = 1
	if _, err := w.st.Register(t.Context(), store.NewRegistration{EventID: w.event.ID, Name: "=HYPERLINK(\"x\")",
		Email: "formel@beispiel.example", Organisation: "Müller & Söhne; GmbH", Workshops: []int64{w.event.WorkshopID},
		Answers: []store.Answer{{QuestionID: qid, Answer: registration.Yes}}, Source: registration.SourceManual,
		Confirmed: true, TokenHash: hash, Now: w.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, viewer := range []string{"editor", "official"} {
		c := w.client()
		w.signIn(c, viewer)
		res := c.Get(participantsPath(w) + ".csv").WantStatus(http.StatusOK)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type %q", ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("cache control %q", cc)
		}
		if !bytes.HasPrefix(res.Body, []byte("\xef\xbb\xbf")) {
			t.Fatal("no byte order mark")
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\xef\xbb\xbf"))))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d rows, want header and one", len(rows))
		}
		want := map[string]string{"Name": "'=HYPERLINK(\"x\")", "E-Mail": "formel@beispiel.example",
			"Organisation": "Müller & Söhne; GmbH", "Status": "bestätigt", "Workshops": "Werkstatt Energie",
			"Quelle": "von Hand", registration.AccessibilityQuestion: "ja"}
		for i, h := range rows[0] {
			if v, ok := want[h]; ok && rows[1][i] != v {
				t.Errorf("column %s = %q, want %q", h, rows[1][i], v)
			}
			delete(want, h)
		}
		if len(want) != 0 {
			t.Errorf("columns missing: %v", want)
		}
		if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'registration.export' AND object_id = $1
			AND actor_id = $2 AND at IS NOT NULL`, itoa(w.event.ID), w.users[viewer].ID); n != 1 {
			t.Errorf("%s's export audited %d times, want 1", viewer, n)
		}
	}
}

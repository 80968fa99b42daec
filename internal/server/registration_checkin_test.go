package server

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func checkInPath(w *world) string {
	return "/verwaltung/veranstaltungen/" + itoa(w.event.ID) + "/einlass"
}

func TestCheckInAtTheDoor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.pool.Exec(t.Context(), `UPDATE workshops SET capacity = 1 WHERE id = $1`, w.event.WorkshopID)
	anna := w.registerPerson("Anna Ahorn", "anna@beispiel.example", w.event.WorkshopID)
	berta := w.registerPerson("Berta Birke", "berta@beispiel.example", w.event.WorkshopID) // waits
	w.registerPerson("Carl Castanie", "carl@beispiel.example")
	c := w.editorClient()
	page := c.Get(checkInPath(w) + "?suche=ahorn").WantStatus(http.StatusOK)
	if got := page.Find("[data-testid=checkin-person] strong").Text(); got != "Anna Ahorn" {
		t.Fatalf("search shows %q", got)
	}
	if got := page.Text("[data-testid=attended-count]"); got != "0 von 2 Bestätigten sind da." {
		t.Errorf("count %q", got)
	}
	tap := checkInPath(w) + "/" + itoa(anna.ID)
	res := c.PostForm(tap, url.Values{"suche": {"ahorn"}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != checkInPath(w)+"?suche=ahorn#person-"+itoa(anna.ID) {
		t.Errorf("back to %q, want the same search", loc)
	}
	c.PostForm(tap, url.Values{"suche": {"ahorn"}}).WantStatus(http.StatusSeeOther) // a second tap
	counts := func() (int, int) {
		return w.count(`SELECT coalesce(participant_count, -1) FROM events WHERE id = $1`, w.event.ID),
			w.count(`SELECT coalesce(participant_count, -1) FROM workshops WHERE id = $1`, w.event.WorkshopID)
	}
	if ev, ws := counts(); ev != 1 || ws != 1 {
		t.Errorf("participant counts event %d workshop %d, want 1 and 1", ev, ws)
	}
	if n := w.auditCountObject("registration.checkin", "registration", anna.ID); n != 1 {
		t.Errorf("check-in audited %d times, want once", n)
	}
	page = c.Get(checkInPath(w) + "?suche=ahorn").WantStatus(http.StatusOK)
	if !strings.HasPrefix(page.Text("[data-testid=checked-in]"), "Eingecheckt um") ||
		page.Find(`form[action="`+tap+`/zuruecknehmen"] button`).Length() != 1 {
		t.Error("the checked-in person shows no time and no undo")
	}
	c.PostForm(tap+"/zuruecknehmen", url.Values{}).WantStatus(http.StatusSeeOther)
	if ev, ws := counts(); ev != 0 || ws != 0 {
		t.Errorf("after undo: event %d workshop %d, want 0 and 0", ev, ws)
	}
	// Someone on the waiting list has no place: a message, nothing counted.
	res = c.PostForm(checkInPath(w)+"/"+itoa(berta.ID), url.Values{}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("[data-testid=checkin-message]"), "keine bestätigte Anmeldung") {
		t.Errorf("message %q", res.Text("[data-testid=checkin-message]"))
	}
	if ev, _ := counts(); ev != 0 {
		t.Errorf("a waiting person was counted")
	}
	// Officials see the door's page without buttons.
	o := w.client()
	w.signIn(o, "official")
	page = o.Get(checkInPath(w)).WantStatus(http.StatusOK)
	if page.Find("[data-testid=checkin-person]").Length() != 2 || page.Find("[data-testid=checkin-person] button").Length() != 0 {
		t.Errorf("official's page: %d people, %d buttons", page.Find("[data-testid=checkin-person]").Length(),
			page.Find("[data-testid=checkin-person] button").Length())
	}
	o.PostForm(tap, url.Values{}).WantStatus(http.StatusForbidden)
}

// Taps at once — the same person twice from two phones, and two people —
// count each person once.
func TestCheckInTappedConcurrentlyCountsOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	people := []int64{w.registerPerson("Anna Ahorn", "anna@beispiel.example", w.event.WorkshopID).ID,
		w.registerPerson("Berta Birke", "berta@beispiel.example", w.event.WorkshopID).ID}
	phones := []string{"editor", "admin"}
	var wg sync.WaitGroup
	start := make(chan struct{})
	statuses := make([]int, 8)
	for i := range statuses {
		c := w.client()
		w.signIn(c, phones[i%2])
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = c.PostForm(checkInPath(w)+"/"+itoa(people[i/4]), url.Values{}).StatusCode
		}()
	}
	close(start)
	wg.Wait()
	for _, st := range statuses {
		if st != http.StatusSeeOther {
			t.Errorf("tap answered %d", st)
		}
	}
	if n := w.count(`SELECT participant_count FROM events WHERE id = $1`, w.event.ID); n != 2 {
		t.Errorf("event participant count %d, want 2", n)
	}
	if n := w.count(`SELECT participant_count FROM workshops WHERE id = $1`, w.event.WorkshopID); n != 2 {
		t.Errorf("workshop participant count %d, want 2", n)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'registration.checkin'`); n != 2 {
		t.Errorf("%d check-ins audited, want 2", n)
	}
}

package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"rii/internal/registration"
	"rii/internal/store"
)

var personalLink = regexp.MustCompile(`https?://[^/\s]+(/anmeldung/[A-Za-z0-9_-]{43})`)

// openRegistration opens the test event for registration with capacity
// places, a second workshop beside the first (each with one place) and a
// required yes/no question. It returns the two workshop ids and the
// question's form field.
func (w *world) openRegistration(capacity int) (ws [2]int64, question string) {
	w.t.Helper()
	ctx := context.Background()
	one := 1
	w.exec(`UPDATE events SET capacity = $2, registration_open = true WHERE id = $1`, w.event.ID, capacity)
	w.exec(`UPDATE workshops SET capacity = 1 WHERE id = $1`, w.event.WorkshopID)
	wk, err := w.st.Workshop(ctx, w.event.ID, w.event.WorkshopID)
	if err != nil {
		w.t.Fatal(err)
	}
	second, err := w.st.CreateWorkshop(ctx, w.event.ID, store.WorkshopFields{Title: "Werkstatt Fachkräfte",
		StartsAt: wk.StartsAt, EndsAt: wk.EndsAt, Capacity: &one}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	q, err := w.st.AddQuestion(ctx, store.Question{EventID: w.event.ID, Kind: registration.QuestionYesNo,
		Label: registration.AccessibilityQuestion, Required: true})
	if err != nil {
		w.t.Fatal(err)
	}
	return [2]int64{w.event.WorkshopID, second}, questionField + strconv.FormatInt(q, 10)
}

// registrationWorld is a world whose test event is open for registration
// (see openRegistration).
func registrationWorld(t *testing.T, capacity int) (*world, [2]int64, string) {
	t.Helper()
	w := newWorld(t)
	w.addEvent()
	ws, question := w.openRegistration(capacity)
	return w, ws, question
}

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.pool.Exec(context.Background(), sql, args...); err != nil {
		w.t.Fatal(err)
	}
}

// registrationForm is a filled form for person i choosing workshop ws.
func registrationForm(i int, ws int64, question string) url.Values {
	return url.Values{"name": {"Person " + strconv.Itoa(i)}, "email": {"person" + strconv.Itoa(i) + "@beispiel.example"},
		"organisation": {"Beispiel GmbH"}, workshopField + "1": {itoa(ws)}, question: {"nein"}, "einwilligung": {"ja"}}
}

// personalPath is the personal link in the newest e-mail to address.
func (w *world) personalPath(address string) string {
	w.t.Helper()
	_, body := w.lastMail(address)
	m := personalLink.FindStringSubmatch(body)
	if m == nil {
		w.t.Fatalf("no personal link in the e-mail to %s:\n%s", address, body)
	}
	return m[1]
}

func TestRegistrationFlowOverHTTP(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 10)
	c, page := w.client(), "/veranstaltungen/"+w.event.Slug

	res := c.Get(page).WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=places-left]"); got != "noch 10 Plätze frei" {
		t.Errorf("places left: %q", got)
	}
	if strings.Contains(string(res.Body), "konferenz.beispiel.example") {
		t.Error("the online link is on the public page")
	}
	// Bad input: German messages, nothing stored.
	res = c.PostForm(page+"/anmeldung", url.Values{"email": {"kaputt"}}).WantStatus(http.StatusUnprocessableEntity)
	if n := res.Find("[data-testid=error-summary] li").Length(); n < 4 {
		t.Errorf("%d messages in the summary, want name, e-mail, workshop, question and consent", n)
	}
	if n := w.queryInt(`SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("%d registrations after a refused form", n)
	}
	// The honeypot: answered like a registration, nothing stored.
	bot := registrationForm(9, ws[0], question)
	bot.Set(honeypotField, "https://spam.example")
	c.PostForm(page+"/anmeldung", bot).WantStatus(http.StatusSeeOther)
	if n := w.queryInt(`SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("the honeypot stored %d registrations", n)
	}

	// Register: one e-mail with the personal link; the page confirms.
	c.PostForm(page+"/anmeldung", registrationForm(1, ws[0], question)).WantStatus(http.StatusSeeOther)
	link := w.personalPath("person1@beispiel.example")
	res = c.Get(link).WantStatus(http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("personal page Cache-Control %q", cc)
	}
	if res.Text("[data-testid=registration-status]") != "noch nicht bestätigt" || res.Find("[data-testid=online-link]").Length() != 0 {
		t.Fatalf("pending page: %q, online link shown: %d", res.Text("[data-testid=registration-status]"), res.Find("[data-testid=online-link]").Length())
	}
	// The same address again: one registration, no second e-mail within the resend spacing.
	c.PostForm(page+"/anmeldung", registrationForm(1, ws[1], question)).WantStatus(http.StatusSeeOther)
	if n := w.mailCount("person1@beispiel.example"); n != 1 {
		t.Errorf("%d e-mails after registering twice, want 1", n)
	}
	// Confirm: bestätigt, the online link on the page and in the e-mail with the .ics.
	c.PostForm(link+"/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	res = c.Get(link + "?bestaetigt").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=registration-status]"); got != "bestätigt" {
		t.Fatalf("status after confirming: %q", got)
	}
	if got := res.Text("[data-testid=online-link]"); got != "https://konferenz.beispiel.example/testdialog" {
		t.Errorf("online link: %q", got)
	}
	var subject, attachment string
	if err := w.pool.QueryRow(context.Background(), `SELECT subject, coalesce(attachment, '') FROM outbox
		WHERE recipient = 'person1@beispiel.example' ORDER BY id DESC LIMIT 1`).Scan(&subject, &attachment); err != nil {
		t.Fatal(err)
	}
	attachment = strings.ReplaceAll(attachment, "\r\n ", "") // unfold
	if !strings.HasPrefix(subject, "Anmeldung bestätigt") || !strings.Contains(attachment, "BEGIN:VEVENT") ||
		!strings.Contains(attachment, "konferenz.beispiel.example") {
		t.Errorf("confirmation e-mail %q with attachment %q", subject, attachment)
	}
	res = c.Get(page).WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=places-left]"); got != "noch 9 Plätze frei" {
		t.Errorf("places left after one registration: %q", got)
	}
	if strings.Contains(string(res.Body), "konferenz.beispiel.example") {
		t.Error("the online link is on the public page of a confirmed registrant")
	}

	// A second person wants the same (full) workshop: waiting list, position 1.
	c.PostForm(page+"/anmeldung", registrationForm(2, ws[0], question)).WantStatus(http.StatusSeeOther)
	link2 := w.personalPath("person2@beispiel.example")
	c.PostForm(link2+"/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	res = c.Get(link2).WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=registration-status]"); got != "Warteliste" || res.Find("[data-testid=online-link]").Length() != 0 {
		t.Fatalf("second person: %q", got)
	}
	// Person 1 cannot be moved into a full workshop … and moves to the free one.
	c.PostForm(link+"/workshop", url.Values{workshopField + "1": {itoa(ws[1])}}).WantStatus(http.StatusSeeOther)
	// … which freed the first workshop: person 2 is promoted and told.
	if subject, _ := w.lastMail("person2@beispiel.example"); !strings.HasPrefix(subject, "Anmeldung bestätigt") {
		t.Errorf("promoted person's e-mail: %q", subject)
	}
	// Cancelling needs the tick.
	c.PostForm(link+"/stornieren", nil).WantStatus(http.StatusUnprocessableEntity)
	c.PostForm(link+"/stornieren", url.Values{"sicher": {"ja"}}).WantStatus(http.StatusSeeOther)
	res = c.Get(link).WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=registration-status]"); got != "storniert" {
		t.Errorf("after cancelling: %q", got)
	}
	if n := w.queryInt(`SELECT count(*) FROM registrations WHERE status = 'confirmed'`); n != 1 {
		t.Errorf("%d confirmed after the cancellation, want 1", n)
	}
}

func TestRegistrationPostsAreLimitedPerClient(t *testing.T) {
	t.Parallel()
	w, _, _ := registrationWorld(t, 1000)
	c := w.client()
	path := "/veranstaltungen/" + w.event.Slug + "/anmeldung"
	for i := range maxRegistrationPosts {
		if res := c.PostForm(path, url.Values{}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("post %d: %d", i+1, res.StatusCode)
		}
	}
	c.PostForm(path, url.Values{}).WantStatus(http.StatusTooManyRequests)
	w.clock.Advance(throttleWindow + time.Minute)
	c.PostForm(path, url.Values{}).WantStatus(http.StatusUnprocessableEntity)
}

func TestRegistrationRetentionLeavesNoPersonalDataInTheDatabase(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 1)
	c, page := w.client(), "/veranstaltungen/"+w.event.Slug
	form := registrationForm(1, ws[0], question)
	form.Set("name", "Zacharias Unverwechselbar")
	form.Set("organisation", "Einzigartige Werke KG")
	form.Set(question, "ja")
	c.PostForm(page+"/anmeldung", form).WantStatus(http.StatusSeeOther)
	c.PostForm(w.personalPath("person1@beispiel.example")+"/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	c.PostForm(page+"/anmeldung", registrationForm(2, ws[0], question)).WantStatus(http.StatusSeeOther) // stays pending
	secrets := []string{"Zacharias Unverwechselbar", "person1@beispiel.example", "Einzigartige Werke KG",
		"Person 2", "person2@beispiel.example"}
	if found := w.databaseContains(secrets); len(found) != len(secrets) {
		t.Fatalf("before: found only %v", found)
	}
	// Not yet: the event has not been over for the retention period.
	ev, _ := w.st.Event(context.Background(), w.event.ID)
	if err := w.srv.anonymiseRegistrations(context.Background(), ev.EndsAt.AddDate(0, 0, 179)); err != nil {
		t.Fatal(err)
	}
	if found := w.databaseContains(secrets[:1]); len(found) != 1 {
		t.Fatal("anonymised too early")
	}
	if err := w.srv.anonymiseRegistrations(context.Background(), ev.EndsAt.AddDate(0, 0, 181)); err != nil {
		t.Fatal(err)
	}
	if found := w.databaseContains(secrets); len(found) > 0 {
		t.Errorf("after anonymising, the database still holds %v", found)
	}
	if n := w.queryInt(`SELECT count(*) FROM registrations WHERE event_id = $1`, w.event.ID); n != 2 {
		t.Errorf("%d registrations counted after anonymising, want 2", n)
	}
	if n := w.queryInt(`SELECT count(*) FROM registration_answers`); n != 0 {
		t.Errorf("%d answers left", n)
	}
}

// databaseContains searches every text-like column of every table for the
// values and returns those found: a dump of the database, searched.
func (w *world) databaseContains(values []string) []string {
	w.t.Helper()
	ctx := context.Background()
	rows, err := w.pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		w.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			w.t.Fatal(err)
		}
		tables = append(tables, n)
	}
	var found []string
	for _, v := range values {
		for _, tbl := range tables {
			var hit bool
			// The whole row as text: every column, whatever its type.
			if err := w.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+quoteIdent(tbl)+` t WHERE t::text ILIKE '%' || $1 || '%')`, v).Scan(&hit); err != nil {
				w.t.Fatal(err)
			}
			if hit {
				found = append(found, v+" in "+tbl)
				break
			}
		}
	}
	return found
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func TestRegistrationReminderIsQueuedOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 10)
	c, page := w.client(), "/veranstaltungen/"+w.event.Slug
	for i, wk := range []int64{ws[0], ws[1]} {
		c.PostForm(page+"/anmeldung", registrationForm(i, wk, question)).WantStatus(http.StatusSeeOther)
		c.PostForm(w.personalPath("person"+strconv.Itoa(i)+"@beispiel.example")+"/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	}
	ev, err := w.st.Event(context.Background(), w.event.ID)
	if err != nil {
		t.Fatal(err)
	}
	reminders := func() int {
		return w.queryInt(`SELECT count(*) FROM outbox WHERE subject LIKE 'Erinnerung:%'`)
	}
	// Three days ahead: too early for the default lead of two days.
	if err := w.srv.remindRegistrations(context.Background(), ev.StartsAt.Add(-72*time.Hour)); err != nil || reminders() != 0 {
		t.Fatalf("too early: %d reminders, %v", reminders(), err)
	}
	// Due: two app servers run the job at the same moment, twice.
	other := newServerOn(t, w.pool)
	due := ev.StartsAt.Add(-47 * time.Hour)
	done := make(chan error, 4)
	for _, srv := range []*Server{w.srv, other, w.srv, other} {
		go func() { done <- srv.remindRegistrations(context.Background(), due) }()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := reminders(); n != 2 {
		t.Errorf("%d reminders for 2 confirmed registrations", n)
	}
	_, body := w.lastMail("person1@beispiel.example")
	if !strings.Contains(body, "Online-Zugang: https://konferenz.beispiel.example/testdialog") {
		t.Errorf("reminder without the online link:\n%s", body)
	}
}

func TestRegistrationLapseJobPromotesAndMails(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 1)
	c, page := w.client(), "/veranstaltungen/"+w.event.Slug
	c.PostForm(page+"/anmeldung", registrationForm(1, ws[0], question)).WantStatus(http.StatusSeeOther) // holds the place, never confirms
	c.PostForm(page+"/anmeldung", registrationForm(2, ws[1], question)).WantStatus(http.StatusSeeOther)
	c.PostForm(w.personalPath("person2@beispiel.example")+"/bestaetigen", nil).WantStatus(http.StatusSeeOther)
	if subject, _ := w.lastMail("person2@beispiel.example"); !strings.HasPrefix(subject, "Warteliste") {
		t.Fatalf("second person: %q", subject)
	}
	if err := w.srv.lapseHolds(context.Background(), w.clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if subject, body := w.lastMail("person2@beispiel.example"); !strings.HasPrefix(subject, "Anmeldung bestätigt") ||
		!strings.Contains(body, "nachgerückt") {
		t.Errorf("after the lapse: %q\n%s", subject, body)
	}
	if got := c.Get("/datenschutz").WantStatus(http.StatusOK).Text("#veranstaltungen + dl"); !strings.Contains(got, "180 Tage nach der Veranstaltung") {
		t.Errorf("privacy page on registrations: %q", got)
	}
}

func TestMembersSeeOnlyTheirOwnRegistrations(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 10)
	a, b := w.client(), w.client()
	w.signIn(a, "member-a")
	w.signIn(b, "member-b")
	page := "/veranstaltungen/" + w.event.Slug
	// Signed in, the form comes prefilled with the account's name and address.
	res := a.Get(page).WantStatus(http.StatusOK)
	if got, _ := res.Find("#feld-email").Attr("value"); got != "member-a@beispiel.example" {
		t.Errorf("prefilled e-mail %q", got)
	}
	form := registrationForm(1, ws[0], question)
	form.Set("name", "Person member-a")
	form.Set("email", "member-a@beispiel.example")
	a.PostForm(page+"/anmeldung", form).WantStatus(http.StatusSeeOther)

	res = a.Get("/konto").WantStatus(http.StatusOK)
	if got := res.Text("[data-testid=my-registrations] li a"); got != "Testdialog Industrie" {
		t.Errorf("member A's registrations: %q", got)
	}
	if n := b.Get("/konto").WantStatus(http.StatusOK).Find("[data-testid=my-registrations]").Length(); n != 0 {
		t.Error("member B sees a registrations list")
	}
	// B cannot have A's link sent, A can (once the resend spacing has passed).
	id := w.queryInt(`SELECT id FROM registrations`)
	before := w.mailCount("member-a@beispiel.example")
	b.PostForm("/konto/anmeldungen/"+strconv.Itoa(id)+"/link", nil).WantStatus(http.StatusSeeOther)
	w.clock.Advance(registration.ResendAfter)
	b.PostForm("/konto/anmeldungen/"+strconv.Itoa(id)+"/link", nil).WantStatus(http.StatusSeeOther)
	if n := w.mailCount("member-a@beispiel.example"); n != before {
		t.Fatalf("member B had member A's link sent (%d e-mails, before %d)", n, before)
	}
	a.PostForm("/konto/anmeldungen/"+strconv.Itoa(id)+"/link", nil).WantStatus(http.StatusSeeOther)
	if n := w.mailCount("member-a@beispiel.example"); n != before+1 {
		t.Errorf("%d e-mails after A asked for the link, want %d", n, before+1)
	}
}

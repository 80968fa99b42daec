package server

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rii/internal/event"
	"rii/internal/registration"
)

var invitationLinkPath = regexp.MustCompile(`https?://[^/\s]+(/anmeldung/einladung/[A-Za-z0-9_-]+)`)

func TestInvitationsByListAndUpload(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.exec(`UPDATE events SET registration_open = true WHERE id = $1`, w.event.ID) // invitees register only while it is open
	c := w.editorClient()
	path := "/verwaltung/veranstaltungen/" + itoa(w.event.ID) + "/einladungen"
	res := c.PostForm(path, url.Values{"liste": {"Erika Muster; erika@beispiel.example\nMax Mann; kein-at"}}).
		WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "liste", "Zeile 2: „kein-at“ ist keine gültige E-Mail-Adresse.")
	if n := w.count(`SELECT count(*) FROM registration_invitations`); n != 0 {
		t.Fatalf("%d invitations from a bad list", n)
	}
	list := "Name;E-Mail\nErika Muster; Erika@Beispiel.example\nMax Mann;max@beispiel.example\n"
	c.PostForm(path, url.Values{"liste": {list}}).WantStatus(http.StatusSeeOther)
	c.PostForm(path, url.Values{"liste": {list}}).WantStatus(http.StatusSeeOther) // pasted twice: invited once
	if n := w.count(`SELECT count(*) FROM outbox WHERE invitation_id IS NOT NULL`); n != 2 {
		t.Errorf("%d invitation e-mails, want 2", n)
	}
	// An Excel CSV upload: BOM, commas, CRLF.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("datei", "gaeste.csv")
	fw.Write([]byte("\xef\xbb\xbfName,E-Mail\r\nOtto Öst,otto@beispiel.example\r\n"))
	mw.Close()
	c.Do(http.MethodPost, path, &body, mw.FormDataContentType()).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registration_invitations WHERE name = 'Otto Öst'`); n != 1 {
		t.Errorf("uploaded list not invited")
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'registration.invite' AND object_id = $1`, itoa(w.event.ID)); n != 3 {
		t.Errorf("%d invitation audits, want 3", n)
	}

	// Erika registers through her link: confirmed without double opt-in.
	_, mail := w.lastMail("erika@beispiel.example")
	m := invitationLinkPath.FindStringSubmatch(mail)
	if m == nil {
		t.Fatalf("no link in the invitation:\n%s", mail)
	}
	guest := w.client()
	page := guest.Get(m[1]).WantStatus(http.StatusOK)
	if !strings.Contains(page.Text("h1"), "Testdialog Industrie") {
		t.Errorf("invitation page heading %q", page.Text("h1"))
	}
	res = guest.PostForm(m[1], url.Values{"aktion": {"zusagen"}}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("[data-testid=error-summary]"), "Bitte stimmen Sie") {
		t.Errorf("consent not asked: %q", res.Text("[data-testid=error-summary]"))
	}
	guest.PostForm(m[1], url.Values{"aktion": {"zusagen"}, "einwilligung": {"ja"}, slotField(): {itoa(w.event.WorkshopID)}}).
		WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registrations r JOIN registration_invitations i ON i.registration_id = r.id
		WHERE r.email = 'erika@beispiel.example' AND r.status = 'confirmed' AND r.source = 'invitation' AND i.status = 'registered'`); n != 1 {
		t.Error("the invitee is not registered and confirmed")
	}
	if subject, _ := w.lastMail("erika@beispiel.example"); !strings.Contains(subject, "Anmeldung bestätigt") {
		t.Errorf("confirmation mail %q", subject)
	}
	if got := guest.Get(m[1]).WantStatus(http.StatusOK).Text("[data-testid=invitation-answered]"); !strings.Contains(got, "angemeldet") {
		t.Errorf("link after registering shows %q", got)
	}
	// Max declines.
	_, mail = w.lastMail("max@beispiel.example")
	guest.PostForm(invitationLinkPath.FindStringSubmatch(mail)[1], url.Values{"aktion": {"absagen"}}).WantStatus(http.StatusSeeOther)

	page = c.Get(path).WantStatus(http.StatusOK)
	if got := page.Text("[data-testid=invitation-counts]"); got != "Versandt: 1, angemeldet: 1, abgesagt: 1" {
		t.Errorf("counts %q", got)
	}
	o := w.client()
	w.signIn(o, "official")
	if o.Get(path).WantStatus(http.StatusOK).Find("[data-testid=invite-form]").Length() != 0 {
		t.Error("officials see the invite form")
	}
	o.PostForm(path, url.Values{"liste": {list}}).WantStatus(http.StatusForbidden)
}

// Retention erases invitations with their e-mails, like registrations.
func TestInvitationsGoWithRetention(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	c.PostForm("/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/einladungen",
		url.Values{"liste": {"Erika Muster; erika@beispiel.example"}}).WantStatus(http.StatusSeeOther)
	w.clock.Advance(400 * 24 * time.Hour)
	if err := w.srv.anonymiseRegistrations(t.Context(), w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if n := w.count(`SELECT count(*) FROM registration_invitations`) + w.count(`SELECT count(*) FROM outbox WHERE recipient = 'erika@beispiel.example'`); n != 0 {
		t.Errorf("%d invitations or e-mails left after retention", n)
	}
}

// TestInvitationPageAsksQuestionsAndRespectsTheWindow: the invitee answers
// the event's questions like the public form (required ones enforced) and
// cannot register while registration is closed or not yet open.
func TestInvitationPageAsksQuestionsAndRespectsTheWindow(t *testing.T) {
	t.Parallel()
	w, ws, question := registrationWorld(t, 10)
	w.editorClient().PostForm("/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/einladungen",
		url.Values{"liste": {"Erika Muster; erika@beispiel.example"}}).WantStatus(http.StatusSeeOther)
	_, mail := w.lastMail("erika@beispiel.example")
	link := invitationLinkPath.FindStringSubmatch(mail)[1]
	guest := w.client()
	if got := guest.Get(link).WantStatus(http.StatusOK).Text("[data-testid=accept-form] legend"); !strings.Contains(got, registration.AccessibilityQuestion) {
		t.Errorf("the invitation form does not ask the question; legends %q", got)
	}
	accept := url.Values{"aktion": {"zusagen"}, "einwilligung": {"ja"}, slotField(): {itoa(ws[1])}}
	res := guest.PostForm(link, accept).WantStatus(http.StatusUnprocessableEntity)
	wantMsg := "Bitte beantworten Sie die Frage „" + registration.AccessibilityQuestion + "“."
	if !strings.Contains(res.Text("[data-testid=error-summary]"), wantMsg) || !strings.Contains(res.Text("#feld-"+question), wantMsg) {
		t.Errorf("required question not enforced: summary %q, field %q", res.Text("[data-testid=error-summary]"), res.Text("#feld-"+question))
	}

	registered := func() int {
		return w.count(`SELECT count(*) FROM registrations WHERE email = 'erika@beispiel.example'`)
	}
	accept.Set(question, "ja")
	// Closed: a clear message, no form, and a post registers nobody.
	w.exec(`UPDATE events SET registration_open = false WHERE id = $1`, w.event.ID)
	page := guest.Get(link).WantStatus(http.StatusOK)
	if got := page.Text("[data-testid=invitation-closed]"); got != "Die Anmeldung zu dieser Veranstaltung ist geschlossen." || page.Find("[data-testid=accept-form]").Length() != 0 {
		t.Errorf("closed registration: message %q, accept forms %d", got, page.Find("[data-testid=accept-form]").Length())
	}
	res = guest.PostForm(link, accept).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("[data-testid=error-summary]"), "geschlossen") || registered() != 0 {
		t.Errorf("closed registration accepted: %q, %d registrations", res.Text("[data-testid=error-summary]"), registered())
	}
	// Not yet open: the message says when it opens.
	opens := w.clock.Now().Add(48 * time.Hour)
	w.exec(`UPDATE events SET registration_open = true, registration_opens_at = $2 WHERE id = $1`, w.event.ID, opens)
	want := "Die Anmeldung zu dieser Veranstaltung öffnet am " + opens.In(event.Berlin).Format("02.01.2006 um 15:04") + " Uhr."
	if got := guest.Get(link).WantStatus(http.StatusOK).Text("[data-testid=invitation-closed]"); got != want {
		t.Errorf("before the window: %q, want %q", got, want)
	}
	guest.PostForm(link, accept).WantStatus(http.StatusUnprocessableEntity)
	if registered() != 0 {
		t.Error("registered before the window opened")
	}
	// Open: registered with the answer.
	w.exec(`UPDATE events SET registration_opens_at = NULL WHERE id = $1`, w.event.ID)
	guest.PostForm(link, accept).WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM registration_answers a JOIN registrations r ON r.id = a.registration_id
		WHERE r.email = 'erika@beispiel.example' AND r.status = 'confirmed' AND a.answer = 'ja'`); n != 1 {
		t.Errorf("%d confirmed registrations with the answer, want 1", n)
	}
}

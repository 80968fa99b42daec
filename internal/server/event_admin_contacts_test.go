package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestStandaloneContact: editors create a speaker who belongs to no
// initiative, with the consent rules of every contact; the person is then
// offered in the programme form.
func TestStandaloneContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	page := c.Get("/verwaltung/kontakte/neu").WantStatus(http.StatusOK)
	if page.Find("#feld-rolle").Length() != 0 {
		t.Error("a contact of no initiative is asked for a role in an initiative")
	}
	contacts := w.count(`SELECT count(*) FROM contacts`)
	res := c.PostForm("/verwaltung/kontakte/neu", url.Values{"name": {"Prof. Dr. Rita Rednerin"}, "organisation": {"Hochschule Beispiel"},
		"sichtbarkeit": {"public"}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "einwilligung_datum", "braucht es die Einwilligung")
	if n := w.count(`SELECT count(*) FROM contacts`); n != contacts {
		t.Error("a public contact without consent was saved")
	}
	res = c.PostForm("/verwaltung/kontakte/neu", url.Values{"name": {"Prof. Dr. Rita Rednerin"}, "organisation": {"Hochschule Beispiel"},
		"sichtbarkeit": {"public"}, "einwilligung_datum": {"01.11.2026"}, "einwilligung_art": {"email"},
		"einwilligung_zweck": {"Nennung im Programm"}}).WantStatus(http.StatusSeeOther)
	id, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/verwaltung/kontakte/"), 10, 64)
	if n := w.count(`SELECT count(*) FROM contacts c WHERE id = $1 AND visibility = 'public'
		AND NOT EXISTS (SELECT 1 FROM initiative_contacts WHERE contact_id = c.id)`, id); n != 1 {
		t.Fatalf("contact %d not saved as a public contact of no initiative", id)
	}
	if w.auditCountObject("contact.created", "contact", id) != 1 {
		t.Error("the contact's creation is not audited")
	}
	form := c.PostForm("/verwaltung/veranstaltungen/"+itoa(w.event.ID)+"/programm/neu",
		url.Values{"personen_suche": {"Rednerin Hochschule"}, "suchen": {"personen"}}).WantStatus(http.StatusOK)
	if got := form.Text(`label[for="feld-personen-treffer-` + itoa(id) + `"]`); got != "Prof. Dr. Rita Rednerin (Hochschule Beispiel)" {
		t.Errorf("the programme form's search offers %q", got)
	}
}

// TestStandaloneContactVisibilityHasNoDefault: the Service-Stelle's form
// for a contact of no initiative preselects no visibility either; none sent
// is a German message at the field, with everything typed kept and nothing
// stored.
func TestStandaloneContactVisibilityHasNoDefault(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	c := w.editorClient()
	page := c.Get("/verwaltung/kontakte/neu").WantStatus(http.StatusOK)
	if got := page.Find("#feld-sichtbarkeit option[selected]").AttrOr("value", "x"); got != "" {
		t.Errorf("preselected visibility %q, want none", got)
	}
	contacts := w.count(`SELECT count(*) FROM contacts`)
	res := c.PostForm("/verwaltung/kontakte/neu", url.Values{"name": {"Prof. Dr. Rita Rednerin"}, "organisation": {"Hochschule Beispiel"},
		"email": {"rita@hochschule.example"}}).WantStatus(http.StatusUnprocessableEntity)
	wantFieldError(t, res, "sichtbarkeit", "Bitte wählen Sie, wer die Angaben sehen darf")
	if res.Find(`#fehler a[href="#feld-sichtbarkeit"]`).Length() != 1 {
		t.Error("the error summary does not lead to the visibility")
	}
	for field, want := range map[string]string{"name": "Prof. Dr. Rita Rednerin", "organisation": "Hochschule Beispiel", "email": "rita@hochschule.example"} {
		if got := res.Find("#feld-"+field).AttrOr("value", ""); got != want {
			t.Errorf("typed %s lost: %q", field, got)
		}
	}
	if n := w.count(`SELECT count(*) FROM contacts`); n != contacts {
		t.Error("a contact without a visibility was saved")
	}
}

// TestContactExportListsEventRoles: the DSGVO export names the programme
// items and workshops a person appears in.
func TestContactExportListsEventRoles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	c := w.editorClient()
	res := c.Get("/verwaltung/kontakte/" + itoa(w.event.SpeakerID) + "/export").WantStatus(http.StatusOK)
	var got contactExport
	if err := json.Unmarshal(res.Body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Events) != 3 {
		t.Fatalf("events = %+v, want the programme item, the report and the workshop", got.Events)
	}
	p, rep, m := got.Events[0], got.Events[1], got.Events[2]
	if rep.Part != "Ansprechperson eines Berichts" || rep.Title != "Der Testdialog" || rep.Function != "Referat Tests" {
		t.Errorf("report role %+v", rep)
	}
	if p.Event != "Testdialog Industrie" || p.Part != "Programmpunkt" || p.Title != "Begrüßung" ||
		p.Function != "Abteilungsleiterin im Testministerium" || !strings.HasSuffix(p.Address, "/veranstaltungen/testdialog") {
		t.Errorf("programme role %+v", p)
	}
	if m.Part != "Moderation eines Workshops" || m.Title != "Werkstatt Energie" || m.Function != "Moderation" {
		t.Errorf("workshop role %+v", m)
	}
}

// TestUnlinkKeepsSpeakers: taking a speaker off their last initiative keeps
// the person, because the programme still names them.
func TestUnlinkKeepsSpeakers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	if err := w.st.LinkContact(t.Context(), w.initA, w.event.SpeakerID, "Sprecherin", 0); err != nil {
		t.Fatal(err)
	}
	c := w.editorClient()
	c.PostForm("/initiativen/initiative-a/kontakte/"+itoa(w.event.SpeakerID)+"/entfernen", url.Values{"bestaetigt": {"ja"}}).
		WantStatus(http.StatusSeeOther)
	if n := w.count(`SELECT count(*) FROM programme_item_people WHERE contact_id = $1`, w.event.SpeakerID); n != 1 {
		t.Errorf("the speaker left the programme (%d rows)", n)
	}
}

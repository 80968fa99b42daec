package server

import (
	"context"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// eventFixture is the published event every world has: "Testdialog" on
// 10 December 2026 (after the test clock's start), with a programme item
// whose speaker is a public contact, a presentation by Initiative A, a
// workshop moderated by the same person with Initiative B contributing,
// and a published report.
type eventFixture struct {
	ID, ItemID, WorkshopID, ReportID, SpeakerID int64
	Slug                                        string
	// A question and a registration, once addRegistrationFixture made them.
	QuestionID, RegistrationID int64
}

// addEvent creates the event fixture.
func (w *world) addEvent() {
	w.t.Helper()
	ctx := context.Background()
	now := w.clock.Now()
	by := store.Actor{Label: "Testdaten"}
	consent := now.AddDate(0, -1, 0)
	var err error
	must := func(e error) {
		if e != nil {
			w.t.Fatal(e)
		}
	}
	ev := &w.event
	ev.Slug = "testdialog"
	ev.SpeakerID, err = w.st.CreateContact(ctx, store.NewContact{Name: "Dr. Erika Rednerin", Function: "Referentin",
		Organisation: "Testministerium", Email: "erika.rednerin@beispiel.example", Visibility: store.VisibilityPublic,
		ConsentAt: &consent, ConsentMethod: "per E-Mail", ConsentPurpose: "Nennung im Programm"}, now)
	must(err)
	at := func(clock string) time.Time {
		t, err := event.ParseLocal("2026-12-10", clock)
		must(err)
		return t
	}
	ev.ID, err = w.st.CreateEvent(ctx, ev.Slug, event.StatusPublished, store.EventFields{Title: "Testdialog Industrie",
		Kind: "industriedialog", Format: event.FormatHybrid, StartsAt: at("09:30"), EndsAt: at("16:00"),
		Place: "Haus der Wirtschaft, Beispielstraße 1, 40210 Düsseldorf", StateCode: "05",
		OnlineURL: "https://konferenz.beispiel.example/testdialog", Host: "Service- und Beratungsstelle für regionale Industrieinitiativen",
		Invitation: "auf Einladung des BMWK", Summary: "Ein Dialog für die Tests.", Topics: []string{"energie", "innovation"}},
		by, now)
	must(err)
	end := at("10:00")
	ev.ItemID, err = w.st.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: ev.ID, StartsAt: at("09:30"), EndsAt: &end,
		Title: "Begrüßung", Kind: "welcome", People: []store.StagePerson{{ContactID: ev.SpeakerID, Function: "Abteilungsleiterin im Testministerium"}}})
	must(err)
	_, err = w.st.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: ev.ID, StartsAt: at("10:00"), Title: "Initiativen stellen sich vor",
		Kind: "presentation", Initiatives: []int64{w.initA}})
	must(err)
	ev.WorkshopID, err = w.st.CreateWorkshop(ctx, ev.ID, store.WorkshopFields{Title: "Werkstatt Energie", StartsAt: at("13:00"),
		EndsAt: at("14:30"), Description: "Wie Betriebe Energie sparen.", Topics: []string{"energie"},
		Moderators: []store.StagePerson{{ContactID: ev.SpeakerID, Function: "Moderation"}}, Initiatives: []int64{w.initB}}, now)
	must(err)
	ev.ReportID, err = w.st.CreateReport(ctx, ev.ID, event.ReportPublished, store.ReportFields{Kicker: "Testbericht",
		Title: "Der Testdialog", Subtitle: "Was besprochen wurde", Body: "## Ergebnisse\n\nViel Energie.", ContactID: &ev.SpeakerID,
		ContactRole: "Referat Tests"}, by, now)
	must(err)
}

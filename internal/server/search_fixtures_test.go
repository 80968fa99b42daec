package server

import (
	"context"
	"time"

	"rii/internal/event"
	"rii/internal/store"
)

// searchFixture holds what addSearchContent made. Every public item
// carries the rare word "Quastenflosser", and so does every draft, so a
// search for it shows whether drafts leak.
type searchFixture struct {
	EventSlug  string
	WorkshopID int64
	// HiddenContact is visible to members only: moderator of the workshop
	// and contact of the report.
	HiddenContact string
}

// addSearchContent adds, besides the event fixture: a published initiative
// on energy, a draft initiative, a published event with a workshop (with
// results) and a published report, a draft event with a workshop and a
// report marked published, a published event with a draft report, the
// kick-off event of 2021, and stored markup in the texts.
func (w *world) addSearchContent() searchFixture {
	w.t.Helper()
	ctx := context.Background()
	now := w.clock.Now()
	by := store.Actor{Label: "Testdaten"}
	must := func(err error) {
		if err != nil {
			w.t.Fatal(err)
		}
	}
	at := func(date, clock string) time.Time {
		t, err := event.ParseLocal(date, clock)
		must(err)
		return t
	}
	fx := searchFixture{EventSlug: "quastenflosser-dialog", HiddenContact: "Verborgene Moderatorin"}
	_, err := w.st.CreateInitiative(ctx, "quastenflosser-allianz", "published", store.InitiativeProfile{
		Name: "Quastenflosser Allianz", ShortDescription: "Die Quastenflosser Allianz bringt Betriebe zusammen.",
		Description: "Wir sind <script>alert(1)</script> ein Netzwerk.", Topics: []string{"energie"}}, by, now)
	must(err)
	_, err = w.st.CreateInitiative(ctx, "chemie-hochrhein", "published", store.InitiativeProfile{
		Name: "Chemie und Pharma am Hochrhein", ShortDescription: "Die Industrie im Dreiländereck."}, by, now)
	must(err)
	_, err = w.st.CreateInitiative(ctx, "geheim-entwurf", "draft", store.InitiativeProfile{
		Name: "Geheiminitiative Quastenflosser", Topics: []string{"energie"}}, by, now)
	must(err)
	consent := now.AddDate(0, -1, 0)
	hidden, err := w.st.CreateContact(ctx, store.NewContact{Name: fx.HiddenContact, Email: "verborgen@beispiel.example",
		Visibility: store.VisibilityMembers, ConsentAt: &consent, ConsentMethod: "per E-Mail",
		ConsentPurpose: "Nennung für Mitglieder"}, now)
	must(err)

	// A published event with a workshop on energy and a published report.
	evID, err := w.st.CreateEvent(ctx, fx.EventSlug, event.StatusPublished, store.EventFields{Title: "Quastenflosser Dialog",
		Kind: "regionalkonferenz", Format: event.FormatDigital, StartsAt: at("2026-12-15", "10:00"), EndsAt: at("2026-12-15", "15:00"),
		OnlineURL: "https://geheim.beispiel.example/raum", Summary: "Die Quastenflosser treffen sich.",
		Description: `Ein Austausch. <script>alert("ev")</script> Die Quastenflosser <img src=x onerror=alert(1)> sprechen.`,
		Topics:      []string{"energie"}}, by, now)
	must(err)
	participants := 24
	fx.WorkshopID, err = w.st.CreateWorkshop(ctx, evID, store.WorkshopFields{Title: "Werkstatt der Quastenflosser",
		StartsAt: at("2026-12-15", "13:00"), EndsAt: at("2026-12-15", "14:00"), Description: "Über Wärme.",
		Results:          "## Was herauskam\n\nDie **Quastenflosser** wollen <script>alert(2)</script> mehr Wärmepumpen.",
		ParticipantCount: &participants, Topics: []string{"energie"},
		Moderators: []store.StagePerson{{ContactID: hidden, Function: "Moderation"}}}, now)
	must(err)
	_, err = w.st.CreateReport(ctx, evID, event.ReportPublished, store.ReportFields{Title: "Bericht vom Quastenflosser Dialog",
		Body: "Die Quastenflosser haben [hier](javascript:alert(3)) getagt.", ContactID: &hidden, ContactRole: "Referat"}, by, now)
	must(err)

	// A draft event: neither it, its workshop nor its report may show.
	draftID, err := w.st.CreateEvent(ctx, "geheimtreffen", event.StatusDraft, store.EventFields{Title: "Quastenflosser Geheimtreffen",
		Kind: "netzwerktreffen", Format: event.FormatDigital, StartsAt: at("2027-01-10", "10:00"), EndsAt: at("2027-01-10", "12:00"),
		Topics: []string{"energie"}}, by, now)
	must(err)
	_, err = w.st.CreateWorkshop(ctx, draftID, store.WorkshopFields{Title: "Geheimwerkstatt Quastenflosser",
		StartsAt: at("2027-01-10", "10:00"), EndsAt: at("2027-01-10", "11:00"), Results: "Geheime Quastenflosser.",
		Topics: []string{"energie"}}, now)
	must(err)
	_, err = w.st.CreateReport(ctx, draftID, event.ReportPublished, store.ReportFields{Title: "Geheimbericht Quastenflosser"}, by, now)
	must(err)

	// A published event whose report is still a draft.
	secondID, err := w.st.CreateEvent(ctx, "zweiter-dialog", event.StatusPublished, store.EventFields{Title: "Zweiter Dialog",
		Kind: "industriedialog", Format: event.FormatDigital, StartsAt: at("2027-02-01", "10:00"), EndsAt: at("2027-02-01", "12:00")},
		by, now)
	must(err)
	_, err = w.st.CreateReport(ctx, secondID, event.ReportDraft, store.ReportFields{Title: "Entwurfsbericht Quastenflosser"}, by, now)
	must(err)

	// The kick-off, held and cancelled notices aside.
	_, err = w.st.CreateEvent(ctx, "auftakt-2021", event.StatusCompleted, store.EventFields{Title: "Auftaktveranstaltung der Service- und Beratungsstelle",
		Kind: "auftakt", Format: event.FormatDigital, StartsAt: at("2021-03-16", "10:00"), EndsAt: at("2021-03-16", "13:00"),
		Invitation: "auf Einladung des BMWi"}, by, now)
	must(err)
	return fx
}

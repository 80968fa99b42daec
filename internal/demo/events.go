package demo

import (
	"context"
	"time"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
)

// KickOffSlug is the address of the kick-off event of 16 March 2021.
const KickOffSlug = "auftaktveranstaltung-2021"

// UpcomingSlug is the slug of the invented upcoming dialogue, open for registration.
const UpcomingSlug = "industriedialog-ems-achse"

// kickOffSampleNote says which facts of the kick-off event are not in the
// published report.
const kickOffSampleNote = "Die Uhrzeiten des Programms und die Mittagspause sowie Titel, Beschreibungen, " +
	"Themen und Ergebnisse der fünf parallelen Workshops sind ergänzt. Alle übrigen Angaben stammen aus dem " +
	"veröffentlichten Bericht der Veranstaltung."

// kickOffTime is a time of day on 16 March 2021 in Berlin.
func kickOffTime(clock string) time.Time {
	t, err := event.ParseLocal("2021-03-16", clock)
	if err != nil {
		panic(err) // constant input
	}
	return t
}

// person is someone the report names, listed publicly because it does.
type person struct{ name, function, organisation string }

// namedInReport adds a person named in the published report as a public
// contact: the report is the basis of the listing.
func namedInReport(ctx context.Context, tx *store.Store, p person, email string, now time.Time) (int64, error) {
	return tx.CreateContact(ctx, store.NewContact{Name: p.name, Function: p.function, Organisation: p.organisation,
		Email: email, Visibility: store.VisibilityPublic, ConsentAt: &kickOff,
		ConsentMethod:  "Namentlich genannt im veröffentlichten Bericht der Auftaktveranstaltung vom 16. März 2021",
		ConsentPurpose: "Nennung im Programm und im Bericht der Auftaktveranstaltung"}, now)
}

// seedEvents adds the kick-off event with its programme, workshops and
// report, and one upcoming sample event.
func seedEvents(ctx context.Context, tx *store.Store, ids seeded, now time.Time) error {
	by := store.Actor{Label: "Demo-Inhalte"}
	participants := 170
	id, err := tx.CreateEvent(ctx, KickOffSlug, event.StatusPublished, store.EventFields{
		Title:      "„Zusammenwachsen – für Stabilität und Zukunft!“ – Auftaktveranstaltung zu Zukunftsthemen der Industrie",
		Kind:       "auftakt",
		Format:     event.FormatDigital,
		StartsAt:   kickOffTime("10:00"),
		EndsAt:     kickOffTime("15:45"),
		Host:       "Service- und Beratungsstelle für regionale Industrieinitiativen",
		Invitation: "auf Einladung des Bundesministeriums für Wirtschaft und Energie (BMWi)",
		Summary: "Die digitale Auftaktveranstaltung der Service- und Beratungsstelle für regionale Industrieinitiativen " +
			"mit 170 Besucherinnen und Besuchern.",
		Description: "Die Service- und Beratungsstelle für regionale Industrieinitiativen wurde zum 1. Januar 2021 durch " +
			"das BMWi eingerichtet. Sie soll insbesondere bestehende regionale Industrieinitiativen in ihrem Wirken " +
			"unterstützen, weiter konsolidieren und vernetzen sowie die Kommunikation zwischen regionalen " +
			"Industrieinitiativen, dem Bündnis „Zukunft der Industrie“ und dem BMWi unterstützen. Zudem soll die " +
			"Service- und Beratungsstelle zusätzliche Industriedialoge initiieren.",
		ParticipantCount: &participants,
		Topics:           []string{"innovation", "digitalisierung", "klimaschutz", "akzeptanz", "fachkraefte"},
		SampleNote:       kickOffSampleNote,
	}, by, kickOff)
	if err != nil {
		return err
	}
	if _, err := tx.SetEventStatus(ctx, id, 1, event.StatusCompleted, "", kickOff.AddDate(0, 0, 1)); err != nil {
		return err
	}
	people := map[string]int64{}
	for key, p := range map[string]person{
		"horstmann": {"Dr. Winfried Horstmann", "Abteilungsleiter Industriepolitik", "Bundesministerium für Wirtschaft und Energie (BMWi)"},
		"lang":      {"Dr. Joachim Lang", "Vorsitzender des Bündnisses „Zukunft der Industrie“", "Bundesverband der Deutschen Industrie (BDI)"},
		"lemb":      {"Wolfgang Lemb", "Vorsitzender des Bündnisses „Zukunft der Industrie“", "IG Metall"},
	} {
		if people[key], err = namedInReport(ctx, tx, p, "", now); err != nil {
			return err
		}
	}
	if err := seedKickOffProgramme(ctx, tx, id, ids, people); err != nil {
		return err
	}
	if err := seedKickOffWorkshops(ctx, tx, id, ids, now); err != nil {
		return err
	}
	contact, err := namedInReport(ctx, tx, person{"Dirk von der Hude", "Referat Grundsatzfragen der Industriepolitik",
		"Bundesministerium für Wirtschaft und Energie (BMWi)"}, "schlaglichter@bmwi.bund.de", now)
	if err != nil {
		return err
	}
	_, err = tx.CreateReport(ctx, id, event.ReportPublished, store.ReportFields{
		Kicker:      "Regionale Initiativen stärken",
		Title:       "„Zusammenwachsen – für Stabilität und Zukunft!“",
		Subtitle:    "Auftaktveranstaltung zu Zukunftsthemen der Industrie",
		Body:        kickOffReport,
		ContactID:   &contact,
		ContactRole: "Referat: Grundsatzfragen der Industriepolitik",
	}, by, kickOff.AddDate(0, 0, 14))
	if err != nil {
		return err
	}
	return seedUpcomingEvent(ctx, tx, ids, now)
}

// seedKickOffProgramme adds the programme as the report tells it.
func seedKickOffProgramme(ctx context.Context, tx *store.Store, eventID int64, ids seeded, people map[string]int64) error {
	end := func(clock string) *time.Time { t := kickOffTime(clock); return &t }
	var presenters []store.StagePerson
	var initiatives []int64
	for _, d := range demoInitiatives {
		presenters = append(presenters, store.StagePerson{ContactID: ids.presenters[d.slug],
			Function: "Vertreter der Initiative"})
		initiatives = append(initiatives, ids.initiatives[d.slug])
	}
	items := []store.ProgrammeItem{
		{StartsAt: kickOffTime("10:00"), EndsAt: end("10:20"), Kind: "welcome", Title: "Einführung",
			Description: "Die Bedeutung der gesamtwirtschaftlichen Rahmenbedingungen für die Leistungsfähigkeit der " +
				"Industrie. Innovationen, Digitalisierung und die klimapolitischen Erfordernisse sind wesentliche " +
				"Zukunftsthemen der Industrie.",
			People: []store.StagePerson{{ContactID: people["horstmann"], Function: "Abteilungsleiter Industriepolitik im BMWi"}}},
		{StartsAt: kickOffTime("10:20"), EndsAt: end("10:50"), Kind: "interview",
			Title: "Regionale Akteure gezielt vernetzen – Bündnis „Zukunft der Industrie“",
			Description: "Interview mit den Vorsitzenden des Bündnisses „Zukunft der Industrie“ über die Innovationskraft " +
				"der deutschen Industrie in den Regionen.",
			People: []store.StagePerson{
				{ContactID: people["lang"], Function: "Vorsitzender des Bündnisses „Zukunft der Industrie“"},
				{ContactID: people["lemb"], Function: "Vorsitzender des Bündnisses „Zukunft der Industrie“"},
			}},
		{StartsAt: kickOffTime("10:50"), EndsAt: end("12:00"), Kind: "panel",
			Title: "Die Herausforderungen der Zukunft gemeinsam adressieren",
			Description: "Paneldiskussion mit Expertinnen und Experten der Industrieinitiativen und des BMWi. Frage an " +
				"das Publikum: „Wie sieht Ihre Vision einer zukunftsfähigen Industrie in Deutschland aus?“"},
		{StartsAt: kickOffTime("12:00"), EndsAt: end("13:00"), Kind: "break", Title: "Mittagspause"},
		{StartsAt: kickOffTime("13:00"), EndsAt: end("14:15"), Kind: "presentation",
			Title:       "Regionale Initiativen unterstützen und erweitern",
			Description: "Vier Vertreter geben Einblicke in die Struktur und Arbeitsweise ihrer Initiativen.",
			People:      presenters, Initiatives: initiatives},
		{StartsAt: kickOffTime("14:15"), EndsAt: end("15:45"), Kind: "workshops", Title: "Fünf parallele Workshops",
			Description: "Fünf parallele, thematisch unterschiedliche Workshops boten Gelegenheit zum Austausch."},
	}
	for i, it := range items {
		it.EventID, it.Position = eventID, i
		if _, err := tx.CreateProgrammeItem(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

// seedKickOffWorkshops adds the five parallel workshops. The report names
// neither their titles nor their results: all of it is sample data.
func seedKickOffWorkshops(ctx context.Context, tx *store.Store, eventID int64, ids seeded, now time.Time) error {
	workshops := []store.WorkshopFields{
		{Title: "Innovation und Digitalisierung in der regionalen Industrie", Topics: []string{"innovation", "digitalisierung"},
			Description: "Wie regionale Initiativen Unternehmen bei Innovation und Digitalisierung zusammenbringen.",
			Results: "- Regionale Innovationsnetzwerke brauchen feste Ansprechpersonen.\n" +
				"- Gute Beispiele sollen über das Portal sichtbar werden."},
		{Title: "Klimaschutz als Chance: Wege zur klimaneutralen Industrie", Topics: []string{"klimaschutz", "energie"},
			Description: "Was die klimaneutrale Industrie der Zukunft von den Regionen braucht.",
			Results: "- Die Industrie bietet Lösungen für den Klimaschutz; das soll stärker vermittelt werden.\n" +
				"- Energie- und Infrastrukturfragen werden regional unterschiedlich beantwortet."},
		{Title: "Fachkräfte und Nachwuchs für die Industrie gewinnen", Topics: []string{"fachkraefte"},
			Description: "Junge Menschen für die Industrie begeistern – mit Wettbewerben, Betriebsbesuchen und Social Media.",
			Results:     "- Foto- und Videowettbewerbe erreichen junge Zielgruppen gut.",
			Initiatives: []int64{ids.initiatives["industry-at-work"]}},
		{Title: "Akzeptanz und Kommunikation: Industrie in der Mitte der Gesellschaft", Topics: []string{"akzeptanz"},
			Description: "Wie der Nutzen der Industrie für die Region sichtbar wird.",
			Results:     "- Veranstaltungsformate vor Ort machen den Nutzen der Industrie erlebbar.",
			Initiatives: []int64{ids.initiatives["industrie-gemeinsam-zukunft-leben"]}},
		{Title: "Vernetzung über Landkreisgrenzen: Strukturen regionaler Initiativen", Topics: []string{"standortmarketing"},
			Description: "Bündnisse aus öffentlichen und privaten Akteuren: Rechtsform, Finanzierung, Arbeitsweise.",
			Results:     "- Landkreisübergreifende Bündnisse stärken die Vermarktung eines Industriestandorts.",
			Initiatives: []int64{ids.initiatives["chemie-und-pharma-am-hochrhein"], ids.initiatives["wachstumsregion-ems-achse"]}},
	}
	for i, w := range workshops {
		w.StartsAt, w.EndsAt, w.Sample, w.Position = kickOffTime("14:15"), kickOffTime("15:45"), true, i
		if _, err := tx.CreateWorkshop(ctx, eventID, w, now); err != nil {
			return err
		}
	}
	return nil
}

// seedUpcomingEvent adds an invented in-person dialogue on the third Tuesday
// of the month after next, so the demo always has an upcoming event.
func seedUpcomingEvent(ctx context.Context, tx *store.Store, ids seeded, now time.Time) error {
	first := time.Date(now.In(event.Berlin).Year(), now.In(event.Berlin).Month()+2, 1, 0, 0, 0, 0, event.Berlin)
	day := first.AddDate(0, 0, (int(time.Tuesday)-int(first.Weekday())+7)%7+14)
	at := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, event.Berlin)
	}
	capacity := 80
	opens, closes := now, at(0, 0).AddDate(0, 0, -7)
	id, err := tx.CreateEvent(ctx, UpcomingSlug, event.StatusPublished, store.EventFields{
		Title:                "Industriedialog Ems-Achse: Energie und Fachkräfte",
		Kind:                 "industriedialog",
		Format:               event.FormatHybrid,
		OnlineURL:            "https://konferenz.example.org/ems-achse",
		StartsAt:             at(10, 0),
		EndsAt:               at(15, 0),
		Place:                "Beispiel-Tagungszentrum, Musterstraße 1, 49808 Lingen (Ems)",
		StateCode:            "03",
		Host:                 "Service- und Beratungsstelle für regionale Industrieinitiativen",
		Summary:              "Ein regionaler Industriedialog mit der Wachstumsregion Ems-Achse (Beispielveranstaltung).",
		Capacity:             &capacity,
		RegistrationOpensAt:  &opens,
		RegistrationClosesAt: &closes,
		Topics:               []string{"energie", "fachkraefte"},
		SampleNote:           "Diese Veranstaltung ist für die Demo erfunden.",
	}, store.Actor{Label: "Demo-Inhalte"}, now)
	if err != nil {
		return err
	}
	end := at(10, 15)
	if _, err := tx.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: id, StartsAt: at(10, 0), EndsAt: &end,
		Kind: "welcome", Title: "Begrüßung"}); err != nil {
		return err
	}
	_, err = tx.CreateProgrammeItem(ctx, store.ProgrammeItem{EventID: id, StartsAt: at(10, 15), Kind: "presentation",
		Title: "Die Wachstumsregion Ems-Achse stellt sich vor", Position: 1,
		People:      []store.StagePerson{{ContactID: ids.presenters["wachstumsregion-ems-achse"], Function: "Geschäftsführung (Beispieldaten)"}},
		Initiatives: []int64{ids.initiatives["wachstumsregion-ems-achse"]}})
	if err != nil {
		return err
	}
	return seedUpcomingRegistration(ctx, tx, id, at, now)
}

// seedUpcomingRegistration opens the upcoming dialogue for registration
// with two parallel workshops and the accessibility question, so the whole
// flow can be tried after make run.
func seedUpcomingRegistration(ctx context.Context, tx *store.Store, eventID int64, at func(h, m int) time.Time, now time.Time) error {
	for i, title := range []string{"Energie: Versorgung und Netze in der Region", "Fachkräfte: Nachwuchs gewinnen und halten"} {
		capacity := 40
		if _, err := tx.CreateWorkshop(ctx, eventID, store.WorkshopFields{Title: title, StartsAt: at(13, 0), EndsAt: at(14, 30),
			Capacity: &capacity, Sample: true, Position: i, Topics: []string{[]string{"energie", "fachkraefte"}[i]}}, now); err != nil {
			return err
		}
	}
	if _, err := tx.AddQuestion(ctx, store.Question{EventID: eventID, Kind: registration.QuestionText,
		Label: registration.AccessibilityQuestion}); err != nil {
		return err
	}
	return tx.SetRegistrationConfig(ctx, eventID, store.RegistrationConfig{Open: true,
		HoldHours: int(registration.DefaultHold.Hours()), LeadHours: int(registration.DefaultReminderLead.Hours())})
}

// kickOffReport is the body of the published report, in the portal's
// Markdown: its sections, "In Kürze" boxes, the question put to the
// audience (repeated as a pull quote) and the "Mehr zum Thema" block,
// word for word (hyphenations of the print layout joined).
const kickOffReport = `Am 16. März 2021 fand die digitale Auftaktveranstaltung der Service- und Beratungsstelle für regionale Industrieinitiativen statt. An der Veranstaltung, zu der das Bundesministerium für Wirtschaft und Energie (BMWi) eingeladen hatte, nahmen 170 Besucherinnen und Besucher teil.

Die Service- und Beratungsstelle für regionale Industrieinitiativen wurde zum 1. Januar 2021 durch das BMWi eingerichtet. Sie soll insbesondere bestehende regionale Industrieinitiativen in ihrem Wirken unterstützen, weiter konsolidieren und vernetzen sowie die Kommunikation zwischen regionalen Industrieinitiativen, dem Bündnis „Zukunft der Industrie“ und dem BMWi unterstützen. Zudem soll die Service- und Beratungsstelle zusätzliche Industriedialoge initiieren.

::: kurz
Ziel: Die Kommunikation der Akteure untereinander zu Zukunftsthemen unterstützen.
:::

Dr. Winfried Horstmann, Abteilungsleiter Industriepolitik im BMWi, führte in die Veranstaltung ein und hob die Bedeutung der gesamtwirtschaftlichen Rahmenbedingungen für die Leistungsfähigkeit der Industrie hervor. Innovationen, Digitalisierung und die klimapolitischen Erfordernisse seien wesentliche Zukunftsthemen der Industrie.

## Regionale Akteure gezielt vernetzen – Bündnis „Zukunft der Industrie“

Die Vorsitzenden des Bündnisses „Zukunft der Industrie“, Dr. Joachim Lang (BDI) und Wolfgang Lemb (IG Metall), betonten in einem Interview die große Bedeutung der Innovationskraft der deutschen Industrie, die in den Regionen angesiedelt ist. Eine gezielte Vernetzung zwischen den regionalen Akteuren sei entscheidend, um die zukünftige Wettbewerbsfähigkeit sicherzustellen. Die Service- und Beratungsstelle könne hier die Aufgabe einer zentralen Vernetzungsplattform übernehmen.

## Die Herausforderungen der Zukunft gemeinsam adressieren

In der folgenden Paneldiskussion machten Expertinnen und Experten der Industrieinitiativen und des BMWi deutlich, dass die Industrie zentrale Lösungen für die Herausforderungen der Zukunft, wie zum Beispiel den Klimaschutz, bietet. Dieser Gedanke müsse stärker in der Mitte der Gesellschaft verankert werden. Anhand der an das Publikum gestellten Frage „Wie sieht Ihre Vision einer zukunftsfähigen Industrie in Deutschland aus?“ wurde deutlich, dass die Industrie der Zukunft klimaneutral, wettbewerbsfähig und innovationsfähig sein muss. Nur so kann die Industrie ein attraktiver Arbeitgeber bleiben.

> Wie sieht Ihre Vision einer zukunftsfähigen Industrie in Deutschland aus?
>
> — Frage an das Publikum der Paneldiskussion

## Regionale Initiativen unterstützen und erweitern

Am Nachmittag wurden gemeinsam Strategien und praktische Lösungen für aktuelle Herausforderungen der regionalen Industrie entwickelt. Dabei gaben vier Vertreter Einblicke in die Struktur und Arbeitsweise ihrer Initiativen. Klaus Uwe Scheifler zeigte anhand der Initiative „In|du|strie – Gemeinsam. Zukunft. Leben.“, wie durch verschiedene Veranstaltungsformate der ökonomische, ökologische und soziale Nutzen der Industrie sichtbar wird. „industry@work“ – vorgestellt von Ralf Bollenberg – spricht gezielt junge Zielgruppen mit Foto- und Videowettbewerben an, um sie für die Industrie zu begeistern. Dr. Dirk Lüerßen präsentierte das regionalpolitische Engagement der „Wachstumsregion Ems-Achse“. Am Beispiel „Chemie und Pharma am Hochrhein e.V.“ zeigte Dr. Olaf Breuer schließlich, wie sich ein Bündnis aus öffentlichen und privatwirtschaftlichen Akteuren erfolgreich und landkreisübergreifend für die Vernetzung und Vermarktung von Industrie einsetzt. Anschließend boten fünf parallele, thematisch unterschiedliche, Workshops Gelegenheit zum Austausch.

::: kurz
Auch junge Zielgruppen werden angesprochen und motiviert – z. B. mit der Initiative „industry@work“.
:::

## Mehr Vernetzung, mehr Austausch zwischen den regionalen Akteuren

### Eine Industriedialogstruktur in Deutschland etablieren

Die Stimmen der Teilnehmerinnen und Teilnehmer verdeutlichen den Bedarf an einem strukturierten Dialog zur aktuellen Situation der Industrie. Dieser und weiteren Aufgaben wird sich die Service- und Beratungsstelle in den nächsten zwei Jahren in enger Kooperation mit dem Bündnis „Zukunft der Industrie“ widmen, um eine Industrie-Dialogstruktur in Deutschland zu etablieren und zu vernetzen.

::: mehr
Für Fragen zum Projekt wenden Sie sich gerne an das Team der Service- und Beratungsstelle:
[Service-RII@dihk.de](mailto:Service-RII@dihk.de)

[t1p.de/Industrieinitiativen](http://t1p.de/Industrieinitiativen)
:::
`

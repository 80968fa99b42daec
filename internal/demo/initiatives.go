package demo

import (
	"context"
	"time"

	"rii/internal/store"
)

// sampleNote marks what the kick-off report does not say. Every profile
// carries it, so no invented fact passes for a real one.
const sampleNote = "\n\nHinweis: Dieses Profil ist Teil der Demo-Inhalte. Belegt sind die Angaben aus dem Bericht der " +
	"Auftaktveranstaltung vom 16. März 2021; Regionen, Themen, Branchen, Zielgruppen, Formate und Mitglieder sind Beispieldaten."

// kickOff is when the presenters were named in the published report: the
// basis of their public listing as contacts in the demo.
var kickOff = time.Date(2021, 3, 16, 10, 0, 0, 0, time.UTC)

// demoInitiative is one of the four initiatives that presented at the
// kick-off, with the presenter the report names.
type demoInitiative struct {
	slug      string
	profile   store.InitiativeProfile
	presenter string
}

var demoInitiatives = []demoInitiative{
	{
		slug: "industrie-gemeinsam-zukunft-leben",
		profile: store.InitiativeProfile{
			Name:             "In|du|strie – Gemeinsam. Zukunft. Leben.",
			ShortDescription: "Zeigt mit verschiedenen Veranstaltungsformaten den ökonomischen, ökologischen und sozialen Nutzen der Industrie.",
			Description: "Die Initiative „In|du|strie – Gemeinsam. Zukunft. Leben.“ macht durch verschiedene Veranstaltungsformate " +
				"den ökonomischen, ökologischen und sozialen Nutzen der Industrie sichtbar. Klaus Uwe Scheifler stellte sie bei der " +
				"Auftaktveranstaltung der Service- und Beratungsstelle am 16. März 2021 vor." + sampleNote,
			LegalForm:    "netzwerk",
			Districts:    []string{"05962"},
			Topics:       []string{"akzeptanz", "standortmarketing"},
			Sectors:      []string{"branchenuebergreifend"},
			TargetGroups: []string{"oeffentlichkeit", "unternehmen"},
			Formats:      []string{"veranstaltungen", "dialog"},
			Members:      []store.MemberOrg{{Name: "Beispiel-Unternehmen (Beispieldaten)", Kind: "unternehmen"}},
		},
		presenter: "Klaus Uwe Scheifler",
	},
	{
		slug: "industry-at-work",
		profile: store.InitiativeProfile{
			Name:             "industry@work",
			ShortDescription: "Spricht gezielt junge Zielgruppen mit Foto- und Videowettbewerben an, um sie für die Industrie zu begeistern.",
			Description: "„industry@work“ spricht gezielt junge Zielgruppen mit Foto- und Videowettbewerben an, um sie für die " +
				"Industrie zu begeistern. Ralf Bollenberg stellte die Initiative bei der Auftaktveranstaltung am 16. März 2021 vor." + sampleNote,
			LegalForm:    "projekt",
			Districts:    []string{"05120", "05122", "05124"},
			Topics:       []string{"fachkraefte", "akzeptanz"},
			Sectors:      []string{"metall-elektro", "branchenuebergreifend"},
			TargetGroups: []string{"schueler", "auszubildende"},
			Formats:      []string{"wettbewerbe"},
			Members:      []store.MemberOrg{{Name: "Beispiel-Kammer (Beispieldaten)", Kind: "kammer"}},
		},
		presenter: "Ralf Bollenberg",
	},
	{
		slug: "wachstumsregion-ems-achse",
		profile: store.InitiativeProfile{
			Name:             "Wachstumsregion Ems-Achse",
			ShortDescription: "Regionalpolitisches Engagement für Industrie und Wirtschaft entlang der Ems.",
			Description: "Dr. Dirk Lüerßen präsentierte bei der Auftaktveranstaltung am 16. März 2021 das regionalpolitische " +
				"Engagement der „Wachstumsregion Ems-Achse“." + sampleNote,
			LegalForm:    "ev",
			Districts:    []string{"03402", "03452", "03454", "03456", "03457", "03462"},
			Topics:       []string{"standortmarketing", "fachkraefte", "energie"},
			Sectors:      []string{"maschinenbau", "energiewirtschaft", "logistik"},
			TargetGroups: []string{"unternehmen", "politik"},
			Formats:      []string{"netzwerktreffen", "kampagnen"},
			Members: []store.MemberOrg{
				{Name: "Beispiel-Landkreis (Beispieldaten)", Kind: "landkreis"},
				{Name: "Beispiel-Unternehmen (Beispieldaten)", Kind: "unternehmen"},
			},
		},
		presenter: "Dr. Dirk Lüerßen",
	},
	{
		slug: "chemie-und-pharma-am-hochrhein",
		profile: store.InitiativeProfile{
			Name:             "Chemie und Pharma am Hochrhein e.V.",
			ShortDescription: "Ein Bündnis öffentlicher und privatwirtschaftlicher Akteure, das sich landkreisübergreifend für die Vernetzung und Vermarktung der Industrie einsetzt.",
			Description: "Am Beispiel „Chemie und Pharma am Hochrhein e.V.“ zeigte Dr. Olaf Breuer bei der Auftaktveranstaltung am " +
				"16. März 2021, wie sich ein Bündnis aus öffentlichen und privatwirtschaftlichen Akteuren erfolgreich und " +
				"landkreisübergreifend für die Vernetzung und Vermarktung von Industrie einsetzt." + sampleNote,
			LegalForm:    "ev",
			Districts:    []string{"08336", "08337"},
			Topics:       []string{"standortmarketing", "akzeptanz", "innovation"},
			Sectors:      []string{"chemie", "pharma"},
			TargetGroups: []string{"unternehmen", "oeffentlichkeit"},
			Formats:      []string{"netzwerktreffen", "kampagnen"},
			Members: []store.MemberOrg{
				{Name: "Beispiel-Chemieunternehmen (Beispieldaten)", Kind: "unternehmen"},
				{Name: "Beispiel-Gemeinde (Beispieldaten)", Kind: "kommune"},
			},
		},
		presenter: "Dr. Olaf Breuer",
	},
}

// seeded are the ids of the demo initiatives and of their presenters (as
// contacts), by initiative slug.
type seeded struct{ initiatives, presenters map[string]int64 }

// seedInitiatives adds the four initiatives with their presenters as
// public contacts.
func seedInitiatives(ctx context.Context, tx *store.Store, now time.Time) (seeded, error) {
	ids := seeded{initiatives: map[string]int64{}, presenters: map[string]int64{}}
	by := store.Actor{Label: "Demo-Inhalte"}
	for _, d := range demoInitiatives {
		id, err := tx.CreateInitiative(ctx, d.slug, "published", d.profile, by, now)
		if err != nil {
			return ids, err
		}
		ids.initiatives[d.slug] = id
		cid, err := tx.CreateContact(ctx, store.NewContact{
			Name: d.presenter, Function: "Vorstellung der Initiative bei der Auftaktveranstaltung 2021",
			Organisation: d.profile.Name, Visibility: store.VisibilityPublic, ConsentAt: &kickOff,
			ConsentMethod:  "Namentlich genannt im veröffentlichten Bericht der Auftaktveranstaltung vom 16. März 2021",
			ConsentPurpose: "Nennung als Ansprechperson im Verzeichnis der Initiativen",
		}, now)
		if err != nil {
			return ids, err
		}
		ids.presenters[d.slug] = cid
		if err := tx.LinkContact(ctx, id, cid, "Vorstellung bei der Auftaktveranstaltung", 0); err != nil {
			return ids, err
		}
	}
	return ids, nil
}

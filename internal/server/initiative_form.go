package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"rii/internal/account"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// editLabels are the texts that differ between creating and editing.
type editLabels struct {
	heading, intro, submit, action, cancel string
	// contacts and logo lead to the other parts of a profile (editing only).
	contacts, logo string
}

func editingLabels(e *store.EditableInitiative) editLabels {
	return editLabels{
		heading: "Profil bearbeiten: " + e.Profile.Name,
		intro:   "Status: " + initiative.StatusLabel(e.Status) + ". Jede Änderung wird mit Ihrem Namen im Verlauf festgehalten.",
		submit:  "Profil speichern", action: paths.Initiative(e.Slug, "bearbeiten"), cancel: paths.Initiative(e.Slug),
		contacts: paths.Initiative(e.Slug, "kontakte"), logo: paths.Initiative(e.Slug, "logo"),
	}
}

func newLabels(role account.Role) editLabels {
	l := editLabels{heading: "Initiative vorschlagen", submit: "Zur Prüfung einreichen", action: "/initiativen/neu", cancel: "/konto",
		intro: "Die Service-Stelle prüft Ihren Vorschlag und veröffentlicht ihn oder meldet sich mit Rückfragen. Bis dahin ist er nicht öffentlich."}
	if role == account.RoleEditor || role == account.RoleAdmin {
		l.heading, l.submit = "Initiative anlegen", "Entwurf anlegen"
		l.intro = "Die Initiative wird als Entwurf angelegt und ist erst nach der Veröffentlichung sichtbar."
	}
	return l
}

// profileForm fills the form from a stored profile.
func profileForm(p store.InitiativeProfile) components.Form {
	in := initiative.Input{Name: p.Name, ShortDescription: p.ShortDescription, Description: p.Description,
		LegalForm: p.LegalForm, Website: p.Website, Districts: p.Districts, Topics: p.Topics, Sectors: p.Sectors,
		TargetGroups: p.TargetGroups, Formats: p.Formats}
	if p.FoundingYear != 0 {
		in.FoundingYear = strconv.Itoa(p.FoundingYear)
	}
	for _, m := range p.Members {
		in.MemberNames = append(in.MemberNames, m.Name)
		in.MemberKinds = append(in.MemberKinds, m.Kind)
	}
	return inputForm(in)
}

// inputForm keeps raw input in a form; the sets travel joined by "\n".
func inputForm(in initiative.Input) components.Form { return components.Encode(in) }

// profileFromInput converts validated input for the store.
func profileFromInput(in initiative.Input) store.InitiativeProfile {
	p := store.InitiativeProfile{Name: strings.TrimSpace(in.Name), ShortDescription: strings.TrimSpace(in.ShortDescription),
		Description: strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n")), LegalForm: in.LegalForm,
		Website: initiative.NormalizeWebsite(in.Website), Districts: dedupe(in.Districts), Topics: dedupe(in.Topics), Sectors: dedupe(in.Sectors),
		TargetGroups: dedupe(in.TargetGroups), Formats: dedupe(in.Formats), Members: []store.MemberOrg{}}
	p.FoundingYear, _ = strconv.Atoi(strings.TrimSpace(in.FoundingYear))
	for i, name := range in.MemberNames {
		if name = strings.TrimSpace(name); name != "" && i < len(in.MemberKinds) {
			p.Members = append(p.Members, store.MemberOrg{Name: name, Kind: in.MemberKinds[i]})
		}
	}
	p.Normalize()
	return p
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// vocabularies are the editor-maintained lists and the districts, loaded
// once per request: ordered terms for the selects, sets for validation,
// names for display.
type vocabularies struct {
	*store.Vocabularies
	districts []store.District
}

func (s *Server) loadVocabularies(ctx context.Context) (vocabularies, error) {
	v, err := s.store.AllVocabularies(ctx)
	if err != nil {
		return vocabularies{}, err
	}
	ds, err := s.store.Districts(ctx)
	if err != nil {
		return vocabularies{}, err
	}
	return vocabularies{Vocabularies: v, districts: ds}, nil
}

// sets are the allowed values, for validation.
func (v vocabularies) sets() initiative.Vocab {
	set := func(ts []store.Term) map[string]bool {
		m := map[string]bool{}
		for _, t := range ts {
			m[t.Slug] = true
		}
		return m
	}
	out := initiative.Vocab{LegalForms: set(v.LegalForms), Topics: set(v.Topics), Sectors: set(v.Sectors),
		TargetGroups: set(v.TargetGroups), Formats: set(v.Formats), Districts: map[string]bool{}}
	for _, d := range v.districts {
		out.Districts[d.AGS] = true
	}
	return out
}

// names maps every slug and AGS to its German name, for display.
func (v vocabularies) names() map[string]string {
	names := map[string]string{}
	for _, l := range [][]store.Term{v.LegalForms, v.Topics, v.Sectors, v.TargetGroups, v.Formats} {
		for _, t := range l {
			names[t.Slug] = t.Name
		}
	}
	for _, d := range v.districts {
		names[d.AGS] = d.DisplayName
	}
	return names
}

// initiativeEditView builds the form page from vocabularies and the form.
func (s *Server) initiativeEditView(r *http.Request, v vocabularies, f components.Form, l editLabels) (pages.InitiativeEditView, error) {
	chosen := func(field string) map[string]bool {
		m := map[string]bool{}
		for _, x := range strings.Split(f.Value(field), "\n") {
			m[x] = true
		}
		return m
	}
	opts := func(ts []store.Term, field string) []components.Option {
		c := chosen(field)
		out := make([]components.Option, 0, len(ts))
		for _, t := range ts {
			out = append(out, components.Option{Value: t.Slug, Label: t.Name, Selected: c[t.Slug]})
		}
		return out
	}
	view := pages.InitiativeEditView{Frame: s.frame(r, l.heading), Heading: l.heading, Intro: l.intro, Action: l.action,
		Submit: l.submit, CancelHref: l.cancel, Form: f, ContactsHref: l.contacts, LogoHref: l.logo,
		LegalForms: append([]components.Option{{Value: "", Label: "– bitte wählen –", Selected: f.Value("rechtsform") == ""}},
			opts(v.LegalForms, "rechtsform")...),
		Topics: opts(v.Topics, "themen"), Sectors: opts(v.Sectors, "branchen"),
		TargetGroups: opts(v.TargetGroups, "zielgruppen"), Formats: opts(v.Formats, "formate")}
	view.Regions = regionPicker(v.districts, chosen("kreise"), f.Value("kreise_suche"))
	view.Regions.Error = f.Error("kreise")
	names := strings.Split(f.Value("mitglied_name"), "\n")
	kinds := strings.Split(f.Value("mitglied_art"), "\n")
	for i := range len(names) + emptyMemberRows {
		row := pages.MemberRow{Index: i}
		kind := ""
		if i < len(names) {
			row.Name = names[i]
		}
		if i < len(kinds) {
			kind = kinds[i]
		}
		for _, k := range initiative.MemberKinds {
			row.Kinds = append(row.Kinds, components.Option{Value: k.Slug, Label: k.Label, Selected: k.Slug == kind})
		}
		if strings.TrimSpace(row.Name) == "" && i < len(names) {
			continue // blank rows the user left are replaced by the fresh ones
		}
		view.Members = append(view.Members, row)
	}
	for i := range view.Members {
		view.Members[i].Index = i
	}
	return view, nil
}

// initiativeConflictRows shows the saved and the typed version side by side.
func initiativeConflictRows(saved, yours store.InitiativeProfile, names map[string]string) []pages.ConflictField {
	join := func(xs []string) string {
		out := make([]string, 0, len(xs))
		for _, x := range xs {
			if n, ok := names[x]; ok {
				x = n
			}
			out = append(out, x)
		}
		return strings.Join(out, ", ")
	}
	members := func(ms []store.MemberOrg) string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name+" ("+initiative.MemberKindLabel(m.Kind)+")")
		}
		return strings.Join(out, "\n")
	}
	year := func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	}
	rows := []pages.ConflictField{
		{Label: "Name", Saved: saved.Name, Yours: yours.Name},
		{Label: "Kurzbeschreibung", Saved: saved.ShortDescription, Yours: yours.ShortDescription},
		{Label: "Beschreibung", Saved: saved.Description, Yours: yours.Description},
		{Label: "Rechtsform", Saved: names[saved.LegalForm], Yours: names[yours.LegalForm]},
		{Label: "Gründungsjahr", Saved: year(saved.FoundingYear), Yours: year(yours.FoundingYear)},
		{Label: "Website", Saved: saved.Website, Yours: yours.Website},
		{Label: "Regionen", Saved: join(saved.Districts), Yours: join(yours.Districts)},
		{Label: "Themen", Saved: join(saved.Topics), Yours: join(yours.Topics)},
		{Label: "Branchen", Saved: join(saved.Sectors), Yours: join(yours.Sectors)},
		{Label: "Zielgruppen", Saved: join(saved.TargetGroups), Yours: join(yours.TargetGroups)},
		{Label: "Formate", Saved: join(saved.Formats), Yours: join(yours.Formats)},
		{Label: "Mitglieder", Saved: members(saved.Members), Yours: members(yours.Members)},
	}
	return rows
}

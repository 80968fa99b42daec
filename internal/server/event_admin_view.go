package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"rii/internal/event"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// maxPartPicks bounds the people or initiatives a form may send.
const maxPartPicks = 60

// eventEditView builds the event page; e is nil for a new event.
func (s *Server) eventEditView(r *http.Request, e *store.Event, f, sf components.Form) (pages.EventEditView, error) {
	c, err := s.loadVocabularies(r.Context())
	if err != nil {
		return pages.EventEditView{}, err
	}
	v := pages.EventEditView{Form: f, StatusForm: sf, CancelHref: "/verwaltung/veranstaltungen",
		Kinds: eventOptions(event.Kinds, f.Value("art"), ""), Formats: eventOptions(event.Formats, f.Value("format"), ""),
		States: c.stateOptions(f.Value("land")), Topics: c.topicOptions(f.Value("themen"))}
	if e == nil {
		v.Frame = s.frame(r, "Neue Veranstaltung")
		v.Heading, v.Action, v.Submit, v.Creating = "Neue Veranstaltung", "/verwaltung/veranstaltungen/neu", "Entwurf anlegen", true
		return v, nil
	}
	href := paths.AdminEvent(e.ID)
	v.Frame = s.frame(r, e.Title+": Veranstaltung bearbeiten")
	v.Heading, v.Action, v.Submit = "Veranstaltung bearbeiten: "+e.Title, href, "Angaben speichern"
	v.Status, v.CancelNotice, v.StatusAction = event.Label(event.Statuses, e.Status), e.CancelNotice, href+"/status"
	if event.Public(e.Status) {
		v.PublicHref = paths.Event(e.Slug)
	} else {
		v.PreviewHref = paths.Event(e.Slug)
	}
	for _, a := range event.Actions(e.Status) {
		v.CanPublish = v.CanPublish || a == event.ActionPublish
		v.CanComplete = v.CanComplete || a == event.ActionComplete
		v.CanCancel = v.CanCancel || a == event.ActionCancel
		v.CanUnpublish = v.CanUnpublish || a == event.ActionUnpublish
	}
	if err := s.fillPublishing(r, e, &v); err != nil {
		return v, err
	}
	v.NewItemHref, v.NewWorkshopHref, v.ReportHref = href+"/programm/neu", href+"/workshops/neu", href+"/bericht"
	v.RegistrationHref = registrationHref(e.ID)
	v.ReportLabel = "Bericht anlegen"
	switch rep, err := s.store.ReportOfEvent(r.Context(), e.ID); {
	case err == nil:
		v.ReportLabel, v.ReportStatus = "Bericht bearbeiten", reportStatusLabel(rep.Status)
	case !errors.Is(err, store.ErrNotFound):
		return v, err
	}
	return v, s.fillOverview(r, e, &v)
}

// fillOverview lists the programme and workshops with their people.
func (s *Server) fillOverview(r *http.Request, e *store.Event, v *pages.EventEditView) error {
	items, err := s.store.ProgrammeItems(r.Context(), e.ID)
	if err != nil {
		return err
	}
	ws, err := s.store.Workshops(r.Context(), e.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.Initiatives...)
	}
	names, inits, err := s.partNames(r, ids)
	if err != nil {
		return err
	}
	for _, it := range items {
		v.Items = append(v.Items, pages.ProgrammeRow{Time: itemTime(it), Title: it.Title, Kind: event.Label(event.ItemKinds, it.Kind),
			People: peopleNames(it.People, names), Initiatives: initiativeNames(it.Initiatives, inits),
			Href: paths.AdminEvent(e.ID, "programm", paths.ID(it.ID))})
	}
	for _, w := range ws {
		v.Workshops = append(v.Workshops, pages.WorkshopAdminRow{Title: w.Title, Time: event.FormatRange(w.StartsAt, w.EndsAt),
			Moderators: peopleNames(w.Moderators, names), Sample: w.Sample, Href: paths.AdminEvent(e.ID, "workshops", paths.ID(w.ID))})
	}
	return nil
}

// itemTime shows an item's time like the workshops beside it
// (event.FormatRange): "10.12.2026, 09:30 bis 10:00 Uhr".
func itemTime(it store.ProgrammeItem) string {
	if it.EndsAt == nil {
		return it.StartsAt.In(event.Berlin).Format("02.01.2006, 15:04") + " Uhr"
	}
	return event.FormatRange(it.StartsAt, *it.EndsAt)
}

// partNames loads the names of all contacts, marked when they will not
// appear publicly, and of the initiatives ids, for showing the people and
// initiatives of programme items.
func (s *Server) partNames(r *http.Request, ids []int64) (map[int64]string, map[int64]string, error) {
	contacts, err := s.store.ContactOptions(r.Context())
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(contacts))
	for _, c := range contacts {
		names[c.ID] = c.Name
		if c.Visibility != store.VisibilityPublic {
			names[c.ID] += " [" + notPublicMark + "]"
		}
	}
	list, err := s.store.InitiativesByID(r.Context(), ids)
	if err != nil {
		return nil, nil, err
	}
	inits := make(map[int64]string, len(list))
	for id, i := range list {
		inits[id] = i.Name
	}
	return names, inits, nil
}

func peopleNames(people []store.StagePerson, names map[int64]string) string {
	out := make([]string, 0, len(people))
	for _, p := range people {
		n := names[p.ContactID]
		if p.Function != "" {
			n += " (" + p.Function + ")"
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

func initiativeNames(ids []int64, names map[int64]string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, names[id])
	}
	return strings.Join(out, ", ")
}

// partPickers are the people and the initiatives of a programme item or
// workshop form.
type partPickers struct {
	people, initiatives pick
}

// readPartPickers reads both pickers of a posted form.
func readPartPickers(pf url.Values) partPickers {
	return partPickers{people: readPick(pf, "personen"), initiatives: readPick(pf, "initiativen")}
}

// storedPickers fills the pickers from stored people and initiatives.
func storedPickers(people []store.StagePerson, initiatives []int64) partPickers {
	ids, fns := make([]int64, 0, len(people)), map[int64]string{}
	for _, p := range people {
		ids = append(ids, p.ContactID)
		fns[p.ContactID] = p.Function
	}
	return partPickers{people: newPick("personen", ids, fns), initiatives: newPick("initiativen", initiatives, nil)}
}

// settlePartPickers settles both pickers (see settlePick) and puts their
// errors on the form; it returns the people with their functions and the
// initiatives chosen.
func (s *Server) settlePartPickers(r *http.Request, l partPickers, f *components.Form, saving bool) (people, initiatives components.Picker, stage []store.StagePerson, ids []int64, err error) {
	ctx := r.Context()
	for name, p := range map[string]*pick{"personen": &l.people, "initiativen": &l.initiatives} {
		if len(p.ids) > maxPartPicks {
			f.Fail(name, "Bitte wählen Sie höchstens "+strconv.Itoa(maxPartPicks)+" Einträge.")
			p.ids = p.ids[:maxPartPicks]
		}
	}
	if people, err = s.settlePick(ctx, s.contactPicks(), &l.people, saving); err != nil {
		return
	}
	if initiatives, err = s.settlePick(ctx, s.initiativePicks(), &l.initiatives, saving); err != nil {
		return
	}
	var pids, fns []string
	known := map[int64]bool{}
	for _, it := range people.Chosen {
		pids, fns = append(pids, it.Value), append(fns, it.Extra)
	}
	for _, id := range chosenIDs(people) {
		known[id] = true
	}
	persons, errs := event.ValidatePeople("personen", pids, fns, known)
	for name, msg := range map[string]string{"personen": people.Error, "initiativen": initiatives.Error} {
		if msg != "" {
			f.Fail(name, msg)
		}
	}
	failAll(f, errs, nil)
	for _, p := range persons {
		stage = append(stage, store.StagePerson{ContactID: p.ContactID, Function: p.Function})
	}
	return people, initiatives, stage, chosenIDs(initiatives), nil
}

// adminPart loads the event in the URL and reads the id of its programme
// item or workshop from the URL parameter param.
func (s *Server) adminPart(r *http.Request, param string) (*store.Event, int64, error) {
	e, err := s.adminEvent(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	if err != nil {
		return nil, 0, errNotFound
	}
	return e, id, nil
}

// renderDeleteUnconfirmed shows a programme item's or workshop's form
// again, 422, when the editor asked to delete it (what: "den Workshop")
// without ticking the confirmation; view builds the form.
func (s *Server) renderDeleteUnconfirmed(w http.ResponseWriter, r *http.Request, people []store.StagePerson, initiatives []int64,
	what string, view func(partPickers) (pages.PartEditView, error)) error {
	v, err := view(storedPickers(people, initiatives))
	if err != nil {
		return err
	}
	v.Delete.Fail("bestaetigt", "Bitte bestätigen Sie, dass Sie "+what+" löschen möchten.")
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.PartEdit(v))
}

// partPickerViews settles the pickers of a part form for showing and
// labels them: people (labelled people, with their functions) and
// initiatives.
func (s *Server) partPickerViews(r *http.Request, l partPickers, f components.Form, v *pages.PartEditView) error {
	scratch := components.NewForm() // the errors that count are on f already
	people, inits, _, _, err := s.settlePartPickers(r, l, &scratch, false)
	if err != nil {
		return err
	}
	fields := v.Fields()
	people.Label, people.SearchLabel, people.ExtraLabel = fields.Get("personen").Label, "Person suchen (Name oder Organisation)", "Funktion von"
	people.Hint = "Personen suchen, ankreuzen und ihre Funktion angeben, zum Beispiel „Abteilungsleiter Industriepolitik im BMWi“."
	inits.Label, inits.SearchLabel = fields.Get("initiativen").Label, "Initiative suchen (Name oder Teil davon)"
	if msg := f.Error("personen"); msg != "" {
		people.Error = msg
	}
	if msg := f.Error("initiativen"); msg != "" {
		inits.Error = msg
	}
	v.People, v.Initiatives = people, inits
	return nil
}

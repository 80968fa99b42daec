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

// emptyPartRows is how many blank rows of people and of initiatives the
// programme and workshop forms offer (they work without JavaScript).
const emptyPartRows = 3

// maxPartRows bounds the rows a form may send.
const maxPartRows = 60

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

// partLinks are the rows of people and initiatives of a programme item or
// workshop form, as typed.
type partLinks struct {
	PersonIDs, Functions, Initiatives []string
}

// readPartLinks reads the rows; too many is a field error.
func readPartLinks(pf url.Values, f *components.Form) partLinks {
	l := partLinks{PersonIDs: pf["person"], Functions: pf["funktion"], Initiatives: pf["initiative"]}
	if len(l.PersonIDs) > maxPartRows || len(l.Functions) > maxPartRows {
		f.Fail("personen", "Bitte tragen Sie höchstens "+strconv.Itoa(maxPartRows)+" Personen ein.")
		l.PersonIDs, l.Functions = nil, nil
	}
	if len(l.Initiatives) > maxPartRows {
		f.Fail("initiativen", "Bitte tragen Sie höchstens "+strconv.Itoa(maxPartRows)+" Initiativen ein.")
		l.Initiatives = nil
	}
	return l
}

// resolvePartLinks checks the people against the contacts and finds the
// initiatives by name or address; errors go to the form.
func (s *Server) resolvePartLinks(r *http.Request, l partLinks, f *components.Form) ([]store.StagePerson, []int64, error) {
	contacts, err := s.store.ContactOptions(r.Context())
	if err != nil {
		return nil, nil, err
	}
	known := make(map[int64]bool, len(contacts))
	for _, c := range contacts {
		known[c.ID] = true
	}
	people, errs := event.ValidatePeople("personen", l.PersonIDs, l.Functions, known)
	failAll(f, errs, nil)
	var keys []string
	for _, x := range l.Initiatives {
		if x = strings.TrimSpace(x); x != "" && validUTF8(x) && !strings.ContainsRune(x, 0) {
			keys = append(keys, x)
		}
	}
	found, err := s.store.InitiativesByNameOrSlug(r.Context(), keys)
	if err != nil {
		return nil, nil, err
	}
	lookup := func(k string) (int64, bool) {
		for _, i := range found {
			if strings.EqualFold(i.Name, k) || i.Slug == k {
				return i.ID, true
			}
		}
		return 0, false
	}
	ids, errs := event.ResolveInitiatives("initiativen", l.Initiatives, lookup)
	failAll(f, errs, nil)
	out := make([]store.StagePerson, 0, len(people))
	for _, p := range people {
		out = append(out, store.StagePerson{ContactID: p.ContactID, Function: p.Function})
	}
	return out, ids, nil
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
// without ticking the confirmation; view builds the form from the rows.
func (s *Server) renderDeleteUnconfirmed(w http.ResponseWriter, r *http.Request, people []store.StagePerson, initiatives []int64,
	what string, view func(partLinks) (pages.PartEditView, error)) error {
	l, err := s.storedLinks(r, people, initiatives)
	if err != nil {
		return err
	}
	v, err := view(l)
	if err != nil {
		return err
	}
	v.Delete.Fail("bestaetigt", "Bitte bestätigen Sie, dass Sie "+what+" löschen möchten.")
	return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.PartEdit(v))
}

// storedLinks fills the rows from stored people and initiatives.
func (s *Server) storedLinks(r *http.Request, people []store.StagePerson, initiatives []int64) (partLinks, error) {
	var l partLinks
	for _, p := range people {
		l.PersonIDs = append(l.PersonIDs, itoa(p.ContactID))
		l.Functions = append(l.Functions, p.Function)
	}
	names, err := s.store.InitiativesByID(r.Context(), initiatives)
	if err != nil {
		return l, err
	}
	for _, id := range initiatives {
		l.Initiatives = append(l.Initiatives, names[id].Name)
	}
	return l, nil
}

// partRows builds the rows of the form: the filled ones, then blank ones.
func (s *Server) partRows(r *http.Request, l partLinks, v *pages.PartEditView) error {
	contacts, err := s.store.ContactOptions(r.Context())
	if err != nil {
		return err
	}
	var people []pages.PersonRow
	for i := range len(l.PersonIDs) + emptyPartRows {
		id, fn := "", ""
		if i < len(l.PersonIDs) {
			id = l.PersonIDs[i]
		}
		if i < len(l.Functions) {
			fn = l.Functions[i]
		}
		if i < len(l.PersonIDs) && id == "" && fn == "" {
			continue // blank rows the user left are replaced by fresh ones
		}
		opts := []components.Option{{Value: "", Label: "– keine Person –", Selected: id == ""}}
		row := pages.PersonRow{Index: len(people), Function: fn}
		for _, c := range contacts {
			o := contactPickerOption(c, itoa(c.ID) == id)
			if o.Selected && c.Visibility != store.VisibilityPublic {
				row.NotPublic = notPublicNote(c.Name, c.Visibility)
			}
			opts = append(opts, o)
		}
		row.Contacts = opts
		people = append(people, row)
	}
	v.People = people
	var inits []pages.InitiativeRow
	for i := range len(l.Initiatives) + emptyPartRows {
		val := ""
		if i < len(l.Initiatives) {
			if val = l.Initiatives[i]; strings.TrimSpace(val) == "" {
				continue
			}
		}
		inits = append(inits, pages.InitiativeRow{Index: len(inits), Value: val})
	}
	v.Initiatives = inits
	return nil
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"rii/internal/event"
	"rii/internal/registration"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// An event's registration settings (issue 9, editors): the switch, the
// capacities of the event and its workshops, hold and reminder times, and
// the questions of the form. The settings share the event's version: a save
// over someone else's change is a 409 with both versions.

func registrationHref(eventID int64) string { return paths.AdminEvent(eventID, "anmeldung") }

// questionHref is the address of action on question questionID.
func questionHref(eventID, questionID int64, action string) string {
	return paths.AdminEvent(eventID, "anmeldung", "fragen", itoa(questionID), action)
}

// registrationNav links the registration pages of event e; current is the
// path of the page shown.
func registrationNav(e *store.Event, current string) pages.RegistrationNav {
	href := paths.AdminEvent(e.ID)
	n := pages.RegistrationNav{EventTitle: e.Title, EventHref: href}
	for _, l := range []struct{ label, path string }{{"Einstellungen und Fragen", "/anmeldung"},
		{"Teilnehmende", "/teilnehmende"}, {"Einlass", "/einlass"}, {"Einladungen", "/einladungen"}} {
		n.Links = append(n.Links, pages.StatusTab{Label: l.label, Href: href + l.path, Current: href+l.path == current})
	}
	return n
}

// registrationState says in one sentence whether people can register now.
func registrationState(rs store.RegistrationSettings, now time.Time) string {
	switch {
	case rs.OpenAt(now):
		return "Die Anmeldung ist zurzeit offen."
	case !rs.Open:
		return "Die Anmeldung ist geschlossen."
	case rs.Status != event.StatusPublished:
		return "Die Anmeldung ist eingeschaltet, öffnet aber erst, wenn die Veranstaltung veröffentlicht ist."
	case !now.Before(rs.StartsAt):
		return "Die Veranstaltung hat begonnen; Anmeldungen sind nicht mehr möglich."
	case rs.OpensAt != nil && now.Before(*rs.OpensAt):
		return "Die Anmeldung ist eingeschaltet und öffnet am " + formatTime(*rs.OpensAt) + "."
	}
	return "Die Anmeldefrist ist abgelaufen."
}

// setupForm fills the settings form from the stored settings.
func setupForm(e *store.Event, rs store.RegistrationSettings, ws []store.WorkshopPlaces) components.Form {
	f := components.NewForm()
	if rs.Open {
		f.Values["offen"] = "ja"
	}
	f.Values["plaetze"], f.Values["version"] = optInt(rs.Capacity), strconv.Itoa(e.Version)
	f.Values["haltezeit"], f.Values["erinnerung"] = strconv.Itoa(rs.HoldHours), strconv.Itoa(rs.LeadHours)
	for _, w := range ws {
		f.Values[workshopCapacityField(w.ID)] = optInt(w.Capacity)
	}
	return f
}

func workshopCapacityField(id int64) string { return "plaetze-w" + itoa(id) }

// readSetupForm reads and checks the posted settings.
func readSetupForm(r *http.Request, ws []store.WorkshopPlaces) (store.RegistrationSetup, components.Form, error) {
	if err := r.ParseForm(); err != nil {
		return store.RegistrationSetup{}, components.Form{}, err
	}
	pf := r.PostForm
	f := pages.RegistrationSetupFields.Read(pf)
	f.Values["version"] = pf.Get("version")
	if pf.Get("offen") == "ja" {
		f.Values["offen"] = "ja"
	}
	e := registration.Errors{}
	c := store.RegistrationSetup{Open: pf.Get("offen") == "ja", Workshops: map[int64]*int{},
		Capacity: registration.Capacity(e, "plaetze", pf.Get("plaetze"), "Die Zahl der Plätze")}
	for _, w := range ws {
		k := workshopCapacityField(w.ID)
		f.Values[k] = pf.Get(k)
		c.Workshops[w.ID] = registration.Capacity(e, k, pf.Get(k), "Die Zahl der Plätze im Workshop „"+w.Title+"“")
	}
	c.HoldHours = registration.Hours(e, "haltezeit", pf.Get("haltezeit"), "Die Haltezeit")
	c.LeadHours = registration.Hours(e, "erinnerung", pf.Get("erinnerung"), "Die Vorlaufzeit der Erinnerung")
	order := pages.RegistrationSetupFields.Names()[:1] // the event's places, then each workshop's
	for _, w := range ws {
		order = append(order, workshopCapacityField(w.ID))
	}
	failAll(&f, event.Errors(e), append(order, pages.RegistrationSetupFields.Names()[1:]...))
	return c, f, nil
}

// setupView builds the settings page with forms f (settings) and qf (new
// question).
func (s *Server) setupView(r *http.Request, e *store.Event, f, qf components.Form) (pages.RegistrationSetupView, error) {
	rc, err := s.store.RegistrationContext(r.Context(), e.ID)
	if err != nil {
		return pages.RegistrationSetupView{}, err
	}
	rs, ws, qs := rc.RegistrationSettings, rc.Workshops, rc.Questions
	href := registrationHref(e.ID)
	if f.Values == nil {
		f = setupForm(e, rs, ws)
	}
	v := pages.RegistrationSetupView{Frame: s.frame(r, "Anmeldung: "+e.Title), Nav: registrationNav(e, href),
		State: registrationState(rs, s.now()), Held: rs.Held, Waiting: rs.Waiting, Action: href, Form: f,
		QuestionAction: href + "/fragen", QuestionForm: qf,
		Kinds: eventOptions([]event.Option{{Slug: registration.QuestionText, Label: "Freitext"},
			{Slug: registration.QuestionChoice, Label: "Auswahl aus Antwortmöglichkeiten"},
			{Slug: registration.QuestionYesNo, Label: "Ja/Nein"}}, qf.Value("art"), "")}
	for _, w := range ws {
		v.Workshops = append(v.Workshops, pages.WorkshopCapacityField{Held: w.Held, Field: components.Field{
			Name: workshopCapacityField(w.ID), Label: "Plätze im Workshop „" + w.Title + "“ (" + event.FormatRange(w.StartsAt, w.EndsAt) + ")",
			Hint: "Belegt: " + strconv.Itoa(w.Held) + ". Leer lassen für keine Grenze.", InputMode: "numeric", Optional: true}})
	}
	suggest := true
	for i, q := range qs {
		suggest = suggest && q.Label != registration.AccessibilityQuestion
		v.Questions = append(v.Questions, pages.QuestionRow{Label: q.Label, Kind: registration.KindLabel(q.Kind),
			Options: strings.Join(q.Options, ", "), Required: q.Required, MoveAction: questionHref(e.ID, q.ID, "verschieben"),
			DeleteAction: questionHref(e.ID, q.ID, "loeschen"), First: i == 0, Last: i == len(qs)-1})
	}
	if suggest {
		v.SuggestAction, v.SuggestLabel = href+"/fragen/barrierefreiheit", registration.AccessibilityQuestion
	}
	return v, nil
}

func (s *Server) editRegistrationSetup(w http.ResponseWriter, r *http.Request) error {
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	v, err := s.setupView(r, e, components.Form{}, components.NewForm())
	if err != nil {
		return err
	}
	return s.render(w, r, pages.RegistrationSetup(v))
}

// updateRegistrationSetup saves the settings unless someone changed the
// event in between; places a higher capacity frees go to the waiting list.
func (s *Server) updateRegistrationSetup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.adminEvent(r)
	if err != nil {
		return err
	}
	ws, err := s.store.RegistrationWorkshops(ctx, e.ID)
	if err != nil {
		return err
	}
	c, f, err := readSetupForm(r, ws)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	var conflict *pages.ConflictView
	if f.OK() {
		version, _ := strconv.Atoi(f.Value("version"))
		err = s.store.InTx(ctx, func(tx *store.Store) error {
			next, promoted, err := tx.SaveRegistrationSetup(ctx, e.ID, version, c, s.now())
			if err != nil {
				return err
			}
			if err := s.mailPromoted(ctx, tx, promoted); err != nil {
				return err
			}
			return s.audit(r, tx, auditEntry{Action: "registration.settings", Object: "event", ID: itoa(e.ID), Details: map[string]any{"version": next,
				"open": c.Open, "capacity": c.Capacity, "promoted": len(promoted)}})
		})
		if errors.Is(err, store.ErrConflict) {
			if conflict, err = s.setupConflict(r, e.ID, c); err != nil {
				return err
			}
			status = http.StatusConflict
		} else if err != nil {
			return err
		} else {
			s.notifyMail()
			s.flash(r, "Die Einstellungen zur Anmeldung sind gespeichert.")
			http.Redirect(w, r, registrationHref(e.ID), http.StatusSeeOther)
			return nil
		}
	}
	if e, err = s.store.Event(ctx, e.ID); err != nil {
		return err
	}
	f.Values["version"] = strconv.Itoa(e.Version)
	v, err := s.setupView(r, e, f, components.NewForm())
	if err != nil {
		return err
	}
	v.Conflict = conflict
	return s.renderStatus(w, r, status, pages.RegistrationSetup(v))
}

// setupConflict lists where the saved settings differ from the typed ones.
func (s *Server) setupConflict(r *http.Request, eventID int64, yours store.RegistrationSetup) (*pages.ConflictView, error) {
	saved, err := s.store.RegistrationSettings(r.Context(), eventID)
	if err != nil {
		return nil, err
	}
	e, err := s.store.Event(r.Context(), eventID)
	if err != nil {
		return nil, err
	}
	show := func(open bool, capacity *int, hold, lead int) []string {
		return []string{yesNo(open), optInt(capacity), strconv.Itoa(hold), strconv.Itoa(lead)}
	}
	return s.conflictView(r.Context(), "event", eventID, "die Veranstaltung", e.UpdatedAt,
		pairRows([]string{"Anmeldung geöffnet", "Plätze", "Haltezeit (Stunden)", "Erinnerung (Stunden vorher)"},
			show(saved.Open, saved.Capacity, saved.HoldHours, saved.LeadHours),
			show(yours.Open, yours.Capacity, yours.HoldHours, yours.LeadHours)))
}

// adminQuestion loads the event and the question in the URL.
func (s *Server) adminQuestion(r *http.Request) (*store.Event, store.Question, error) {
	e, id, err := s.adminPart(r, "question")
	if err != nil {
		return nil, store.Question{}, err
	}
	q, err := s.store.EventQuestion(r.Context(), e.ID, id)
	return e, q, err
}

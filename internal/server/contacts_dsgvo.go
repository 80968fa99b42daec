package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
	"rii/web/paths"
)

// The Service-Stelle's view of contact persons for requests under the
// DSGVO: find a person, see and export everything held about them (Art.
// 15, 20), erase them (Art. 17).

const contactsPerPage = 25

// erasedAuditKeys are the details an audit entry about an erased contact
// keeps: ids, field names and settings, never a value of personal data.
var erasedAuditKeys = []string{"initiative", "fields", "visibility", "links"}

// contactAuditLabels name the contact actions of the audit log in German.
var contactAuditLabels = map[string]string{
	"contact.created":  "angelegt",
	"contact.updated":  "geändert",
	"contact.unlinked": "von einer Initiative entfernt",
	"contact.deleted":  "gelöscht",
	"contact.exported": "Auskunft exportiert",
	"contact.erased":   "auf Anfrage gelöscht",
}

func contactAuditLabel(action string) string {
	if l, ok := contactAuditLabels[action]; ok {
		return l
	}
	return auditLabel(action)
}

// contactAuditDetails describes an entry's details without values: the
// names of changed fields and the initiative concerned.
func contactAuditDetails(e store.AuditEntry, initiatives map[int64]string) string {
	var parts []string
	if id, ok := e.Details["initiative"].(float64); ok {
		name := initiatives[int64(id)]
		if name == "" {
			name = "Nr. " + strconv.FormatInt(int64(id), 10)
		}
		parts = append(parts, "Initiative: "+name)
	}
	if fields, ok := e.Details["fields"].([]any); ok {
		labels := map[string]string{}
		for _, d := range contactDisplay(contactInput{}) {
			labels[d.Column] = d.Label
		}
		var names []string
		for _, f := range fields {
			if s, ok := f.(string); ok && labels[s] != "" {
				names = append(names, labels[s])
			}
		}
		parts = append(parts, "Felder: "+strings.Join(names, ", "))
	}
	if v, ok := e.Details["visibility"].(string); ok {
		parts = append(parts, "Sichtbarkeit: "+visibilityLabel(v))
	}
	return strings.Join(parts, "; ")
}

func (s *Server) listAdminContacts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page := components.ParsePage(q)
	f := store.ContactFilter{Query: cleanQuery(q.Get("q"), 200), Limit: contactsPerPage, Offset: (page - 1) * contactsPerPage}
	items, total, err := s.store.ListContacts(r.Context(), f)
	if err != nil {
		return err
	}
	v := pages.ContactAdminListView{Frame: s.frame(r, "Ansprechpersonen"), Query: f.Query, Total: total,
		Pager: components.NewPager(*r.URL, page, contactsPerPage, total)}
	for _, it := range items {
		v.Rows = append(v.Rows, pages.ContactAdminRow{Name: it.Name, Email: it.Email, Organisation: it.Organisation,
			Visibility: visibilityLabel(it.Visibility), Initiatives: it.Initiatives, Href: paths.AdminContact(it.ID)})
	}
	return s.render(w, r, pages.ContactAdminList(v))
}

// adminContact loads the contact in the URL with its links and audit trail.
func (s *Server) adminContact(r *http.Request) (*store.Contact, []store.ContactLink, []store.AuditEntry, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, nil, nil, errNotFound
	}
	c, err := s.store.ContactByID(r.Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	links, err := s.store.ContactLinks(r.Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	audit, err := s.store.ContactAudit(r.Context(), id)
	return c, links, audit, err
}

func (s *Server) contactAdminView(r *http.Request, c *store.Contact, links []store.ContactLink, audit []store.AuditEntry, f components.Form) pages.ContactAdminView {
	href := paths.AdminContact(c.ID)
	v := pages.ContactAdminView{Frame: s.frame(r, c.Name+": Ansprechperson"), Name: c.Name, Form: f,
		ExportHref: href + "/export", EraseAction: href + "/loeschen", BackHref: "/verwaltung/kontakte"}
	for _, d := range contactDisplay(contactInput{NewContact: c.Fields()}) {
		if d.Column != "role" { // a role belongs to a link: shown with the initiatives
			v.Facts = append(v.Facts, pages.ContactFact{Term: d.Label, Value: d.Value})
		}
	}
	v.Facts = append(v.Facts, pages.ContactFact{Term: "Angelegt", Value: formatTime(c.CreatedAt)},
		pages.ContactFact{Term: "Zuletzt geändert", Value: formatTime(c.UpdatedAt)})
	names := map[int64]string{}
	for _, l := range links {
		names[l.InitiativeID] = l.Name
		v.Links = append(v.Links, pages.ContactLinkRow{Initiative: l.Name, Role: l.Role,
			Href: paths.Initiative(l.Slug, "kontakte", paths.ID(c.ID))})
	}
	for _, e := range audit {
		v.Audit = append(v.Audit, pages.ContactAuditRow{At: formatTime(e.At), Actor: e.Actor,
			Action: contactAuditLabel(e.Action), Details: contactAuditDetails(e, names)})
	}
	return v
}

func (s *Server) showAdminContact(w http.ResponseWriter, r *http.Request) error {
	c, links, audit, err := s.adminContact(r)
	if err != nil {
		return err
	}
	return s.render(w, r, pages.ContactAdmin(s.contactAdminView(r, c, links, audit, components.NewForm())))
}

// contactExport is everything the portal holds about a contact person, in
// the form handed to them. Who in the Service-Stelle made a change is the
// staff's data, not the person's, and stays out.
type contactExport struct {
	ExportedAt  string               `json:"exportiert_am"`
	Note        string               `json:"hinweis"`
	Person      contactExportPerson  `json:"person"`
	Initiatives []contactExportLink  `json:"initiativen"`
	Events      []contactExportEvent `json:"veranstaltungen"`
	Log         []contactExportEntry `json:"protokoll"`
}

type contactExportPerson struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Function     string `json:"funktion"`
	Organisation string `json:"organisation"`
	Email        string `json:"email"`
	Phone        string `json:"telefon"`
	Visibility   string `json:"sichtbarkeit"`
	Consent      struct {
		Date    string `json:"datum"`
		Method  string `json:"art"`
		Purpose string `json:"zweck"`
	} `json:"einwilligung"`
	CreatedAt string `json:"angelegt"`
	UpdatedAt string `json:"geaendert"`
}

type contactExportLink struct {
	Initiative string `json:"initiative"`
	Address    string `json:"adresse"`
	Role       string `json:"rolle"`
}

// contactExportEvent is a part the person has in an event: on stage in a
// programme item, moderating a workshop, or named as a report's contact.
type contactExportEvent struct {
	Event    string `json:"veranstaltung"`
	Address  string `json:"adresse"`
	Part     string `json:"rolle"`
	Title    string `json:"titel"`
	Function string `json:"funktion"`
}

type contactExportEntry struct {
	At      string `json:"zeit"`
	Action  string `json:"vorgang"`
	Details string `json:"details,omitempty"`
}

// showContactExport sends the JSON download, and records that it was made.
func (s *Server) showContactExport(w http.ResponseWriter, r *http.Request) error {
	c, links, audit, err := s.adminContact(r)
	if err != nil {
		return err
	}
	out := contactExport{ExportedAt: s.now().In(berlin).Format(time.RFC3339),
		Note: "Alle Daten, die das RII-Portal der Service- und Beratungsstelle für regionale Industrieinitiativen zu dieser Person speichert.",
		Person: contactExportPerson{ID: c.ID, Name: c.Name, Function: c.Function, Organisation: c.Organisation, Email: c.Email,
			Phone: c.Phone, Visibility: visibilityLabel(c.Visibility), CreatedAt: c.CreatedAt.In(berlin).Format(time.RFC3339),
			UpdatedAt: c.UpdatedAt.In(berlin).Format(time.RFC3339)},
		Initiatives: []contactExportLink{}, Events: []contactExportEvent{}, Log: []contactExportEntry{}}
	if c.ConsentAt != nil {
		out.Person.Consent.Date = c.ConsentAt.In(berlin).Format(time.DateOnly)
	}
	out.Person.Consent.Method, out.Person.Consent.Purpose = c.ConsentMethod, c.ConsentPurpose
	names := map[int64]string{}
	for _, l := range links {
		names[l.InitiativeID] = l.Name
		out.Initiatives = append(out.Initiatives, contactExportLink{Initiative: l.Name, Role: l.Role,
			Address: s.link(paths.Initiative(l.Slug))})
	}
	roles, err := s.store.ContactEventRoles(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, e := range roles {
		part := "Programmpunkt"
		switch e.Part {
		case "workshop":
			part = "Moderation eines Workshops"
		case "report":
			part = "Ansprechperson eines Berichts"
		}
		out.Events = append(out.Events, contactExportEvent{Event: e.EventTitle, Address: s.link(paths.Event(e.EventSlug)),
			Part: part, Title: e.Title, Function: e.Function})
	}
	for _, e := range audit {
		out.Log = append(out.Log, contactExportEntry{At: e.At.In(berlin).Format(time.RFC3339), Action: contactAuditLabel(e.Action),
			Details: contactAuditDetails(e, names)})
	}
	body, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	if err := s.audit(r, s.store, nil, "contact.exported", "contact", itoa(c.ID), nil); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="ansprechperson-`+itoa(c.ID)+`.json"`)
	h.Set("Cache-Control", "private, no-store")
	_, err = w.Write(append(body, '\n'))
	return err
}

// deleteAdminContact erases a contact person on request: the contact and
// its links go, the audit entries about it stay without personal data,
// all in one transaction. The reviewer confirms having checked the request.
func (s *Server) deleteAdminContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, links, audit, err := s.adminContact(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if r.PostForm.Get("geprueft") != "ja" {
		f := components.NewForm()
		f.Fail("geprueft", "Bitte bestätigen Sie, dass Sie die Anfrage geprüft haben.")
		return s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.ContactAdmin(s.contactAdminView(r, c, links, audit, f)))
	}
	err = s.store.InTx(ctx, func(tx *store.Store) error {
		n, err := tx.EraseContact(ctx, c.ID, erasedAuditKeys)
		if err != nil {
			return err
		}
		return s.audit(r, tx, nil, "contact.erased", "contact", itoa(c.ID), map[string]any{"links": n})
	})
	if err != nil {
		return err
	}
	// The flash lives in the session table until shown: no name in it.
	s.flash(r, "Die Ansprechperson Nr. "+itoa(c.ID)+" ist gelöscht; das Protokoll zu ihr enthält keine personenbezogenen Daten mehr.")
	http.Redirect(w, r, "/verwaltung/kontakte", http.StatusSeeOther)
	return nil
}

package server

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/geo"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/layout"
	"rii/web/pages"
	"rii/web/paths"
)

// viewerAccess is what the viewer of a profile may see and do there.
type viewerAccess struct {
	// Staff are editors, officials and admins: they see every status and
	// every contact.
	Staff bool
	// Linked is a member linked to this initiative.
	Linked bool
	// CanEdit: editors, admins and linked members (officials only read).
	CanEdit bool
}

// accessTo works out the viewer's access to one initiative.
func (s *Server) accessTo(r *http.Request, initiativeID int64) (viewerAccess, error) {
	u := userFrom(r.Context())
	var a viewerAccess
	switch {
	case u == nil:
	case u.Role == account.RoleEditor || u.Role == account.RoleAdmin:
		a = viewerAccess{Staff: true, CanEdit: true}
	case u.Role == account.RoleOfficial:
		a.Staff = true
	case u.Role == account.RoleMember:
		linked, err := s.store.IsLinked(r.Context(), u.ID, initiativeID)
		if err != nil {
			return a, err
		}
		a = viewerAccess{Linked: linked, CanEdit: linked}
	}
	return a, nil
}

// contactVisibilities lists the contact visibilities a viewer may see:
// public ones everyone, members' ones the members of this initiative, all
// of them the Service-Stelle, officials and admins.
func (a viewerAccess) contactVisibilities() []string {
	switch {
	case a.Staff:
		return []string{store.VisibilityPublic, store.VisibilityMembers, store.VisibilityEditors}
	case a.Linked:
		return []string{store.VisibilityPublic, store.VisibilityMembers}
	}
	return []string{store.VisibilityPublic}
}

// slugPattern is the shape of an initiative's slug (as the database
// checks it); anything else is not found without asking the database.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// showInitiative is /initiativen/{slug}: the profile. Only published
// initiatives are public; the Service-Stelle and linked members also see
// drafts, submissions and archived ones, with a banner saying so.
func (s *Server) showInitiative(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	if len(slug) > 120 || !slugPattern.MatchString(slug) {
		return errNotFound
	}
	d, err := s.store.InitiativeDetail(r.Context(), slug)
	if err != nil {
		return err
	}
	acc, err := s.accessTo(r, d.ID)
	if err != nil {
		return err
	}
	if d.Status != initiative.StatusPublished && !acc.Staff && !acc.Linked {
		return errNotFound
	}
	contacts, err := s.store.VisibleContacts(r.Context(), d.ID, acc.contactVisibilities())
	if err != nil {
		return err
	}
	m, err := geo.Load()
	if err != nil {
		return err
	}
	frame := s.frame(r, d.Name)
	frame.Description = d.ShortDescription
	v := profileView(frame, d, contacts, acc, m)
	logo, err := s.store.InitiativeLogo(r.Context(), d.ID)
	switch {
	case err == nil:
		v.Logo = &pages.ProfileLogo{Src: paths.Image(logo.ID), Alt: logo.Alt, Width: logo.Width, Height: logo.Height}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	if d.Status == initiative.StatusPublished {
		v.JSONLD = s.organisationLD(d, contacts)
	}
	evs, err := s.store.InitiativeEvents(r.Context(), d.ID)
	if err != nil {
		return err
	}
	v.Events = profileEvents(evs)
	return s.render(w, r, pages.Profile(v))
}

// profileStand says how current a profile is: when its initiative last
// confirmed it, else since when it is published (a profile never confirmed
// is as current as the day it went online).
func profileStand(confirmed, published *time.Time) string {
	switch {
	case confirmed != nil:
		return "Stand: zuletzt bestätigt am " + confirmed.In(berlin).Format("02.01.2006")
	case published != nil:
		return "Stand: veröffentlicht am " + published.In(berlin).Format("02.01.2006")
	}
	return "Stand: noch nicht veröffentlicht"
}

// profileView turns an initiative into its page.
func profileView(frame layout.Frame, d *store.InitiativeDetail, contacts []store.VisibleContact, acc viewerAccess, m *geo.Map) pages.ProfileView {
	v := pages.ProfileView{Frame: frame, Name: d.Name, ShortDescription: d.ShortDescription, LegalForm: d.LegalForm,
		Paragraphs: paragraphs(d.Description), DirectoryHref: "/initiativen", Confirmed: profileStand(d.ConfirmedAt, d.PublishedAt)}
	if d.Status != initiative.StatusPublished {
		v.Status = "Status: " + initiative.StatusLabel(d.Status) + ". Diese Seite ist nicht öffentlich; nur die " +
			"Service-Stelle und die Mitglieder der Initiative sehen sie."
	}
	if d.FoundingYear != nil {
		v.Founded = strconv.Itoa(*d.FoundingYear)
	}
	if strings.HasPrefix(d.Website, "https://") || strings.HasPrefix(d.Website, "http://") {
		v.Website = d.Website
		v.WebsiteLabel = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(d.Website, "https://"), "http://"), "/")
	}
	if acc.CanEdit {
		v.EditHref = paths.Initiative(d.Slug, "bearbeiten")
	}
	if acc.Staff {
		v.ManageHref = paths.Initiative(d.Slug, "verlauf")
	}
	var names []string
	for _, reg := range d.Regions {
		if n := len(v.Regions); n == 0 || v.Regions[n-1].State != reg.StateName {
			v.Regions = append(v.Regions, pages.RegionGroup{State: reg.StateName,
				StateHref: directoryQuery{States: []string{reg.StateCode}}.href("/initiativen")})
		}
		g := &v.Regions[len(v.Regions)-1]
		g.Districts = append(g.Districts, pages.Link{Label: reg.Name,
			Href: directoryQuery{States: []string{reg.StateCode}, Districts: []string{reg.AGS}}.href("/initiativen")})
		if shape, ok := m.Shape(reg.AGS); ok {
			v.Locator.Highlight = append(v.Locator.Highlight, shape.D)
			names = append(names, reg.Name)
		}
	}
	if len(v.Locator.Highlight) > 0 {
		v.HasLocator = true
		v.Locator.ViewBox, v.Locator.Label, v.Locator.Credit = m.ViewBox(), components.LocatorLabel(names...), geo.Credit
		for _, st := range m.States() {
			v.Locator.States = append(v.Locator.States, st.D)
		}
	}
	for _, t := range d.Topics {
		v.Topics = append(v.Topics, pages.Link{Label: t.Name, Href: directoryQuery{Topics: []string{t.Slug}}.href("/initiativen")})
	}
	for _, t := range d.Sectors {
		v.Sectors = append(v.Sectors, pages.Link{Label: t.Name, Href: directoryQuery{Sectors: []string{t.Slug}}.href("/initiativen")})
	}
	for _, t := range d.TargetGroups {
		v.TargetGroups = append(v.TargetGroups, t.Name)
	}
	for _, t := range d.Formats {
		v.Formats = append(v.Formats, t.Name)
	}
	v.Members = memberGroups(d.Members)
	v.Contacts = contactCards(contacts)
	if len(v.Contacts) == 0 {
		v.ContactsNote = "Für diese Initiative ist keine öffentliche Ansprechperson angegeben. Die Service- und " +
			"Beratungsstelle vermittelt gern den Kontakt: " + pages.ServiceEmail
	}
	return v
}

// paragraphs splits plain text at blank lines; line breaks within a
// paragraph stay (the page shows them).
func paragraphs(text string) []string {
	var out []string
	for _, p := range regexp.MustCompile(`\n[ \t\r]*\n`).Split(strings.ReplaceAll(text, "\r\n", "\n"), -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// memberKindHeadings are the plural headings of the member kinds.
var memberKindHeadings = map[string]string{
	"unternehmen": "Unternehmen", "kammer": "Kammern", "gewerkschaft": "Gewerkschaften",
	"kommune": "Städte und Gemeinden", "landkreis": "Landkreise", "verband": "Verbände",
	"wissenschaft": "Hochschulen und Forschung", "sonstige": "Weitere Partner",
}

// memberGroups groups member organisations by kind, in the kinds' order.
func memberGroups(members []store.MemberOrg) []pages.MemberGroup {
	var out []pages.MemberGroup
	for _, k := range initiative.MemberKinds {
		g := pages.MemberGroup{Kind: memberKindHeadings[k.Slug]}
		for _, m := range members {
			if m.Kind == k.Slug {
				g.Names = append(g.Names, m.Name)
			}
		}
		if len(g.Names) > 0 {
			out = append(out, g)
		}
	}
	return out
}

var (
	plainEmail = regexp.MustCompile(`^[^@\s<>"'()\[\]\\,;:]+@[^@\s<>"'()\[\]\\,;:]+\.[^@\s<>"'()\[\]\\,;:]+$`)
	phoneChars = regexp.MustCompile(`[^0-9+]`)
)

// contactCards shows contacts; e-mail and phone become links only when
// they look like an address and a number.
func contactCards(contacts []store.VisibleContact) []pages.ContactCard {
	var out []pages.ContactCard
	for _, c := range contacts {
		card := pages.ContactCard{Name: c.Name, Role: c.Role, Function: c.Function, Organisation: c.Organisation,
			Email: c.Email, Phone: c.Phone}
		if plainEmail.MatchString(c.Email) {
			card.EmailHref = "mailto:" + c.Email
		}
		if digits := phoneChars.ReplaceAllString(c.Phone, ""); len(digits) >= 5 && !strings.Contains(digits[1:], "+") {
			card.PhoneHref = "tel:" + digits
		}
		switch c.Visibility {
		case store.VisibilityMembers:
			card.Restricted = "Nur für Mitglieder der Initiative und die Service-Stelle sichtbar"
		case store.VisibilityEditors:
			card.Restricted = "Nur für die Service-Stelle sichtbar"
		}
		out = append(out, card)
	}
	return out
}

// organisationLD is the schema.org Organization of a published profile,
// for search engines. Only public contacts go in, whoever is looking.
type organisationLD struct {
	Context      string      `json:"@context"`
	Type         string      `json:"@type"`
	Name         string      `json:"name"`
	Description  string      `json:"description,omitempty"`
	URL          string      `json:"url"`
	SameAs       []string    `json:"sameAs,omitempty"`
	FoundingDate string      `json:"foundingDate,omitempty"`
	AreaServed   []ldThing   `json:"areaServed,omitempty"`
	KnowsAbout   []string    `json:"knowsAbout,omitempty"`
	Member       []ldThing   `json:"member,omitempty"`
	ContactPoint []ldContact `json:"contactPoint,omitempty"`
}

type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldContact struct {
	Type        string `json:"@type"`
	Name        string `json:"name"`
	ContactType string `json:"contactType,omitempty"`
	Email       string `json:"email,omitempty"`
	Telephone   string `json:"telephone,omitempty"`
}

func (s *Server) organisationLD(d *store.InitiativeDetail, contacts []store.VisibleContact) organisationLD {
	ld := organisationLD{Context: "https://schema.org", Type: "Organization", Name: d.Name,
		Description: d.ShortDescription, URL: s.link(paths.Initiative(d.Slug))}
	if strings.HasPrefix(d.Website, "https://") || strings.HasPrefix(d.Website, "http://") {
		ld.SameAs = []string{d.Website}
	}
	if d.FoundingYear != nil {
		ld.FoundingDate = strconv.Itoa(*d.FoundingYear)
	}
	for _, r := range d.Regions {
		ld.AreaServed = append(ld.AreaServed, ldThing{Type: "AdministrativeArea", Name: r.Name})
	}
	for _, t := range d.Topics {
		ld.KnowsAbout = append(ld.KnowsAbout, t.Name)
	}
	for _, m := range d.Members {
		ld.Member = append(ld.Member, ldThing{Type: "Organization", Name: m.Name})
	}
	for _, c := range contacts {
		if c.Visibility == store.VisibilityPublic {
			ld.ContactPoint = append(ld.ContactPoint, ldContact{Type: "ContactPoint", Name: c.Name,
				ContactType: c.Role, Email: c.Email, Telephone: c.Phone})
		}
	}
	return ld
}

package server

import (
	"net/http"
	"regexp"
	"slices"
	"strings"

	"rii/internal/account"
	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

const activityPerPage = 50

// activityKinds are the kinds of object in the audit log, in the filter's
// order, with their German names.
var activityKinds = []struct{ key, label string }{
	{"initiative", "Initiative"}, {"event", "Veranstaltung"}, {"report", "Bericht"}, {"workshop", "Workshop"},
	{"programme_item", "Programmpunkt"}, {"contact", "Ansprechperson"}, {"user", "Benutzerkonto"},
	{"vocabulary", "Begriff"}, {"import", "Import"},
}

// activityLabels name the audit actions the accounts' list (auditLabels)
// does not.
var activityLabels = map[string]string{
	"initiative.created": "Initiative angelegt", "initiative.updated": "Profil geändert",
	"initiative.status_changed": "Status geändert", "initiative.confirmed": "Aktualität bestätigt",
	"initiative.restored": "frühere Fassung wiederhergestellt", "initiative.imported": "Initiativen importiert",
	"initiative.logo_updated": "Logo geändert", "initiative.logo_removed": "Logo entfernt",
	"initiative.reconfirmation_requested": "an Bestätigung erinnert",
	"event.create":                        "Veranstaltung angelegt", "event.update": "Veranstaltung geändert", "event.status": "Status geändert",
	"programme.create": "Programmpunkt angelegt", "programme.update": "Programmpunkt geändert", "programme.delete": "Programmpunkt gelöscht",
	"workshop.create": "Workshop angelegt", "workshop.update": "Workshop geändert", "workshop.delete": "Workshop gelöscht",
	"report.create": "Bericht angelegt", "report.update": "Bericht geändert", "report.status": "Status geändert",
	"report.restore": "frühere Fassung wiederhergestellt", "report.image": "Bild hinzugefügt",
	"contact.created": "Ansprechperson angelegt", "contact.updated": "Ansprechperson geändert",
	"contact.deleted": "Ansprechperson gelöscht", "contact.unlinked": "Ansprechperson entfernt",
	"contact.exported": "Auskunft exportiert (DSGVO)", "contact.erased": "Ansprechperson gelöscht (DSGVO)",
}

// objectIDPattern is the shape of an audit object id.
var objectIDPattern = regexp.MustCompile(`^[a-z0-9_/-]{1,100}$`)

// showDashboardActivity is /dashboard/aktivitaet: who changed what, newest
// first, filtered by ?art=, ?person= (part of a name), ?objekt= (one
// object's history) and the period; never an address.
func (s *Server) showDashboardActivity(w http.ResponseWriter, r *http.Request) error {
	q, now := r.URL.Query(), s.now()
	p := parsePeriod(q, now, periodYear)
	page := components.ParsePage(q)
	f := store.ActivityFilter{Person: cleanQuery(q.Get("person"), 100), From: p.Cur.From, To: p.Cur.To,
		Limit: activityPerPage, Offset: (page - 1) * activityPerPage}
	v := pages.ActivityView{Frame: s.frame(r, pagedTitle("Dashboard: Aktivität", page)),
		Nav: s.dashNav(r, dashActivityPath, p, nil), Person: f.Person}
	v.Kinds = append(v.Kinds, components.Option{Value: "", Label: "alle Arten"})
	for _, k := range activityKinds {
		if k.key == q.Get("art") {
			f.ObjectType = k.key
		}
		v.Kinds = append(v.Kinds, components.Option{Value: k.key, Label: k.label, Selected: k.key == q.Get("art")})
	}
	if id := q.Get("objekt"); f.ObjectType != "" && objectIDPattern.MatchString(id) {
		f.ObjectID, v.Object = id, kindLabel(f.ObjectType)+" "+id
	}
	for key, vals := range p.query() {
		v.Hidden = append(v.Hidden, components.Option{Label: key, Value: vals[0]})
	}
	slices.SortFunc(v.Hidden, func(a, b components.Option) int { return strings.Compare(a.Label, b.Label) })
	rows, total, err := s.store.ListActivity(r.Context(), f)
	if err != nil {
		return err
	}
	v.Total, v.Pager = thousands(total), components.NewPager(*r.URL, page, activityPerPage, total)
	role := userFrom(r.Context()).Role
	for _, a := range rows {
		v.Rows = append(v.Rows, activityRow(a, role, p))
	}
	return s.render(w, r, pages.DashboardActivity(v))
}

// activityRow is an audit entry as the list shows it: the object named and
// linked where the viewer may read it, and its history in the log.
func activityRow(a store.Activity, role account.Role, p dashPeriod) pages.ActivityRow {
	row := pages.ActivityRow{When: formatTime(a.At), Who: a.ActorName, Kind: kindLabel(a.ObjectType), Object: a.ObjectID}
	if a.ActorRole != "" {
		row.Who += ", " + account.Role(a.ActorRole).Label()
	}
	row.What = activityLabels[a.Action]
	if row.What == "" {
		row.What = auditLabel(a.Action)
	}
	switch a.ObjectType {
	case "initiative", "event":
		if a.ObjectName != "" {
			row.Object = a.ObjectName
			id := a.EventID
			row.ObjectHref = objectHref(a.ObjectType, id, a.ObjectSlug, a.Status, role)
		}
	case "report":
		if a.ObjectName != "" {
			row.Object, row.ObjectHref = "Bericht zu „"+a.ObjectName+"“", objectHref("report", a.EventID, a.ObjectSlug, a.Status, role)
		}
	case "":
		row.Kind, row.Object = "–", ""
	}
	if a.ObjectType != "" && a.ObjectID != "" {
		q := p.query()
		q.Set("art", a.ObjectType)
		q.Set("objekt", a.ObjectID)
		row.HistoryHref = dashActivityPath + "?" + q.Encode()
	}
	return row
}

// kindLabel is the German name of a kind of object.
func kindLabel(key string) string {
	for _, k := range activityKinds {
		if k.key == key {
			return k.label
		}
	}
	return strings.ReplaceAll(key, "_", " ")
}

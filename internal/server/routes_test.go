package server

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// roles are the viewers of the route table, in column order.
var roles = []string{"anonymous", "member-a", "member-b", "editor", "official", "admin"}

// want gives the expected status per role, in the order of roles.
type want [6]int

const (
	ok  = http.StatusOK
	see = http.StatusSeeOther
	bad = http.StatusUnprocessableEntity
	no  = http.StatusForbidden
	nf  = http.StatusNotFound
)

var (
	everyone200 = want{ok, ok, ok, ok, ok, ok}
	signedIn200 = want{see, ok, ok, ok, ok, ok}
	staff200    = want{see, no, no, ok, no, ok}
	staff422    = want{see, no, no, bad, no, bad}
	admin200    = want{see, no, no, no, no, ok}
	admin303    = want{see, no, no, no, no, see}
	dash200     = want{see, no, no, ok, ok, ok}
)

// routeTable lists every route with the status each role gets. A request
// carries an empty form, so handlers that validate answer 422: what counts
// is who gets past the access checks. {id} is the "target" account (or
// the outbox message), {token} an unknown link.
var routeTable = map[string]want{
	"GET /":                                everyone200,
	"GET /impressum":                       everyone200,
	"GET /datenschutz":                     everyone200,
	"GET /barrierefreiheit":                everyone200,
	"GET /leichte-sprache":                 everyone200,
	"GET /kontakt":                         everyone200,
	"GET /robots.txt":                      everyone200,
	"GET /initiativen":                     everyone200,
	"GET /initiativen.csv":                 everyone200,
	"GET /initiativen.json":                everyone200,
	"GET /initiativen/offene-daten":        everyone200,
	"GET /initiativen/{slug}":              everyone200,
	"GET /veranstaltungen":                 everyone200,
	"GET /berichte":                        everyone200,
	"GET /themen":                          everyone200,
	"GET /suche":                           everyone200,
	"GET /themen/{topic}":                  everyone200,
	"GET /healthz":                         everyone200,
	"GET /readyz":                          everyone200,
	"GET /static/*":                        {nf, nf, nf, nf, nf, nf},
	"GET /anmelden":                        {ok, see, see, see, see, see},
	"POST /anmelden":                       {bad, bad, bad, bad, bad, bad},
	"GET /anmelden/zweiter-faktor":         {see, see, see, see, see, see},
	"POST /anmelden/zweiter-faktor":        {see, see, see, see, see, see},
	"POST /abmelden":                       {see, see, see, see, see, see},
	"GET /passwort-vergessen":              everyone200,
	"POST /passwort-vergessen":             {bad, bad, bad, bad, bad, bad},
	"GET /passwort-zuruecksetzen/{token}":  {nf, nf, nf, nf, nf, nf},
	"POST /passwort-zuruecksetzen/{token}": {nf, nf, nf, nf, nf, nf},
	"GET /einladung/{token}":               {nf, nf, nf, nf, nf, nf},
	"POST /einladung/{token}":              {nf, nf, nf, nf, nf, nf},

	"GET /konto":                    signedIn200,
	"POST /konto/passwort":          {see, bad, bad, bad, bad, bad},
	"POST /konto/sitzungen/beenden": {see, see, see, see, see, see},
	// Members have no second factor yet; the others have one.
	"GET /konto/zwei-faktor":            {see, ok, ok, see, see, see},
	"POST /konto/zwei-faktor":           {see, bad, bad, see, see, see},
	"POST /konto/zwei-faktor/codes":     {see, see, see, bad, bad, bad},
	"POST /konto/zwei-faktor/entfernen": {see, bad, bad, no, no, no},
	"POST /konto/anmeldungen/{id}/link": {see, see, see, see, see, see},

	// Profiles: members edit their own (member-a is linked to Initiative A),
	// officials change nothing.
	"GET /initiativen/neu":                {see, ok, ok, ok, no, ok},
	"POST /initiativen/neu":               {see, bad, bad, bad, no, bad},
	"GET /initiativen/{slug}/bearbeiten":  {see, ok, no, ok, no, ok},
	"POST /initiativen/{slug}/bearbeiten": {see, bad, no, bad, no, bad},

	// Proposals from visitors: signed-in people propose with the full form.
	"GET /initiativen/vorschlagen":            {ok, see, see, see, see, see},
	"POST /initiativen/vorschlagen":           {bad, see, see, see, see, see},
	"GET /initiativen/vorschlagen/gesendet":   everyone200,
	"GET /initiativen/vorschlagen/bestaetigt": everyone200,
	"GET /vorschlag/{token}":                  {nf, nf, nf, nf, nf, nf},
	"POST /vorschlag/{token}":                 {nf, nf, nf, nf, nf, nf},

	"GET /verwaltung/initiativen":                {see, no, no, ok, ok, ok},
	"GET /initiativen/{slug}/verlauf":            {see, no, no, ok, ok, ok},
	"POST /initiativen/{slug}/status":            {see, no, no, bad, no, bad},
	"POST /initiativen/{slug}/verlauf/{version}": {see, no, no, see, no, see},

	"GET /bestaetigen/{token}":              {nf, nf, nf, nf, nf, nf},
	"POST /bestaetigen/{token}":             {nf, nf, nf, nf, nf, nf},
	"POST /initiativen/{slug}/bestaetigen":  {see, see, no, see, no, see},
	"GET /verwaltung/initiativen/veraltet":  {see, no, no, ok, ok, ok},
	"POST /verwaltung/initiativen/veraltet": {see, no, no, bad, no, bad},

	"GET /initiativen/{slug}/kontakte":                 {see, ok, no, ok, no, ok},
	"GET /initiativen/{slug}/kontakte/neu":             {see, ok, no, ok, no, ok},
	"POST /initiativen/{slug}/kontakte/neu":            {see, bad, no, bad, no, bad},
	"GET /initiativen/{slug}/kontakte/{id}":            {see, ok, no, ok, no, ok},
	"POST /initiativen/{slug}/kontakte/{id}":           {see, bad, no, bad, no, bad},
	"POST /initiativen/{slug}/kontakte/{id}/entfernen": {see, bad, no, bad, no, bad},
	"GET /verwaltung/kontakte":                         staff200,
	"GET /verwaltung/kontakte/{id}":                    staff200,
	"GET /verwaltung/kontakte/{id}/export":             staff200,
	"POST /verwaltung/kontakte/{id}/loeschen":          staff422,

	"GET /bilder/{id}":                               everyone200,
	"GET /initiativen/{slug}/logo":                   {see, ok, no, ok, no, ok},
	"POST /initiativen/{slug}/logo":                  {see, bad, no, bad, no, bad},
	"POST /initiativen/{slug}/logo/entfernen":        {see, see, no, see, no, see},
	"GET /verwaltung/initiativen/import":             staff200,
	"POST /verwaltung/initiativen/import":            staff422,
	"GET /verwaltung/initiativen/import/vorlage.csv": staff200,
	"GET /verwaltung/initiativen/import/{id}":        staff200,
	"POST /verwaltung/initiativen/import/{id}":       staff422,

	"GET /verwaltung/begriffe":                          staff200,
	"POST /verwaltung/begriffe/{liste}":                 staff422,
	"GET /verwaltung/begriffe/{liste}/{slug}":           staff200,
	"POST /verwaltung/begriffe/{liste}/{slug}":          staff422,
	"POST /verwaltung/begriffe/{liste}/{slug}/loeschen": staff422,

	// Events: editors and admins only.
	"GET /verwaltung/veranstaltungen":                                          staff200,
	"GET /verwaltung/veranstaltungen/neu":                                      staff200,
	"POST /verwaltung/veranstaltungen/neu":                                     staff422,
	"GET /verwaltung/veranstaltungen/{eventID}":                                staff200,
	"POST /verwaltung/veranstaltungen/{eventID}":                               staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/status":                        staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/programm/neu":                   staff200,
	"POST /verwaltung/veranstaltungen/{eventID}/programm/neu":                  staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/programm/{item}":                staff200,
	"POST /verwaltung/veranstaltungen/{eventID}/programm/{item}":               staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/programm/{item}/loeschen":      staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/workshops/neu":                  staff200,
	"POST /verwaltung/veranstaltungen/{eventID}/workshops/neu":                 staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/workshops/{workshop}":           staff200,
	"POST /verwaltung/veranstaltungen/{eventID}/workshops/{workshop}":          staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/workshops/{workshop}/loeschen": staff422,
	"GET /verwaltung/kontakte/neu":                                             staff200,
	"POST /verwaltung/kontakte/neu":                                            staff422,

	// Registrations (issue 9): editors and admins change, officials read lists.
	"GET /verwaltung/veranstaltungen/{eventID}/anmeldung":                                staff200,
	"POST /verwaltung/veranstaltungen/{eventID}/anmeldung":                               staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/anmeldung/fragen":                        staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/anmeldung/fragen/barrierefreiheit":       {see, no, no, see, no, see},
	"POST /verwaltung/veranstaltungen/{eventID}/anmeldung/fragen/{question}/verschieben": staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/anmeldung/fragen/{question}/loeschen":    staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/teilnehmende":                             {see, no, no, ok, ok, ok},
	"GET /verwaltung/veranstaltungen/{eventID}/teilnehmende.csv":                         {see, no, no, ok, ok, ok},
	"GET /verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}":              {see, no, no, ok, ok, ok},
	"POST /verwaltung/veranstaltungen/{eventID}/teilnehmende/neu":                        staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}/workshop":    staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}/stornieren":  staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/einlass":                                  {see, no, no, ok, ok, ok},
	"POST /verwaltung/veranstaltungen/{eventID}/einlass/{registration}":                  {see, no, no, see, no, see},
	"POST /verwaltung/veranstaltungen/{eventID}/einlass/{registration}/zuruecknehmen":    {see, no, no, see, no, see},
	"GET /verwaltung/veranstaltungen/{eventID}/einladungen":                              {see, no, no, ok, ok, ok},
	"POST /verwaltung/veranstaltungen/{eventID}/einladungen":                             staff422,
	"GET /anmeldung/einladung/{token}":                                                   {nf, nf, nf, nf, nf, nf},
	"POST /anmeldung/einladung/{token}":                                                  {nf, nf, nf, nf, nf, nf},

	"GET /verwaltung":                           {see, no, no, ok, ok, ok},
	"GET /verwaltung/benutzer/einladen":         staff200,
	"POST /verwaltung/benutzer/einladen":        staff422,
	"GET /verwaltung/benutzer":                  admin200,
	"GET /verwaltung/benutzer/{id}":             admin200,
	"POST /verwaltung/benutzer/{id}":            {see, no, no, no, no, bad},
	"POST /verwaltung/benutzer/{id}/sperren":    admin303,
	"POST /verwaltung/benutzer/{id}/entsperren": admin303,
	"POST /verwaltung/benutzer/{id}/einladung":  admin303,
	"GET /verwaltung/postausgang":               admin200,
	"GET /verwaltung/postausgang/{id}":          admin200,
	"GET /verwaltung/status":                    admin200,

	// Public events: list, event page, calendar files.
	"GET /veranstaltungen/kalender.ics":         everyone200,
	"GET /veranstaltungen/{event}":              everyone200,
	"GET /veranstaltungen/{event}/kalender.ics": everyone200,
	// Registration: anyone may register (an empty form is refused); the
	// personal pages answer only to a known link.
	"POST /veranstaltungen/{event}/anmeldung":         {bad, bad, bad, bad, bad, bad},
	"GET /veranstaltungen/{event}/anmeldung/gesendet": everyone200,
	"GET /anmeldung/{token}":                          {nf, nf, nf, nf, nf, nf},
	"POST /anmeldung/{token}/bestaetigen":             {nf, nf, nf, nf, nf, nf},
	"POST /anmeldung/{token}/workshop":                {nf, nf, nf, nf, nf, nf},
	"POST /anmeldung/{token}/stornieren":              {nf, nf, nf, nf, nf, nf},
	// Reports: public pages and feed; the editor for editors and admins,
	// its history also for officials (reading).
	"GET /berichte/feed.atom":                                              everyone200,
	"GET /berichte/{event}":                                                everyone200,
	"GET /verwaltung/veranstaltungen/{eventID}/bericht":                    staff200,
	"POST /verwaltung/veranstaltungen/{eventID}/bericht":                   staff422,
	"POST /verwaltung/veranstaltungen/{eventID}/bericht/status":            staff422,
	"GET /verwaltung/veranstaltungen/{eventID}/bericht/verlauf":            {see, no, no, ok, ok, ok},
	"POST /verwaltung/veranstaltungen/{eventID}/bericht/verlauf/{version}": {see, no, no, see, no, see},
	"POST /verwaltung/veranstaltungen/{eventID}/bericht/bilder":            staff422,
	// Safe publishing: the confirmation pages, for editors and admins.
	"GET /verwaltung/veranstaltungen/{eventID}/veroeffentlichen":         staff200,
	"GET /verwaltung/veranstaltungen/{eventID}/bericht/veroeffentlichen": staff200,

	// The dashboard: read-only, for editors, officials and admins.
	"GET /dashboard":                    dash200,
	"GET /dashboard/abdeckung":          dash200,
	"GET /dashboard/themen":             dash200,
	"GET /dashboard/vernetzung":         dash200,
	"GET /dashboard/vernetzung/{slug}":  dash200,
	"GET /dashboard/aktivitaet":         dash200,
	"GET /dashboard/taetigkeitsbericht": dash200,
	"GET /dashboard/export/{name}":      dash200,
}

// TestEveryRouteForEveryRole requests every route registered in the router
// as each role and checks the status. It fails for a route the table does
// not list, so no route can be added without its access rule.
func TestEveryRouteForEveryRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.addEvent()
	w.addRegistrationFixture()
	w.addContact()
	w.imageID = w.addLogo(w.initB)
	w.importID = w.addImport()
	var routes []string
	err := chi.Walk(w.srv.Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := method + " " + route
		if _, listed := routeTable[key]; !listed {
			t.Errorf("route %s is not in the route table: add its expected status for every role", key)
		}
		routes = append(routes, key)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range routeTable {
		if !contains(routes, key) {
			t.Errorf("route table lists %s, which the router does not have", key)
		}
	}
	sort.Strings(routes)

	for i, role := range roles {
		t.Run(role, func(t *testing.T) {
			c := w.client()
			if role != "anonymous" {
				w.signIn(c, role)
			}
			for _, key := range routes {
				wantStatus, ok := routeTable[key]
				if !ok || key == "POST /abmelden" {
					continue // signing out would end the run; TestSignOut covers it
				}
				method, pattern, _ := strings.Cut(key, " ")
				path := w.concrete(pattern)
				var res int
				if method == http.MethodGet {
					res = c.Get(path).StatusCode
				} else {
					res = c.PostForm(path, url.Values{}).StatusCode
				}
				if res != wantStatus[i] {
					t.Errorf("%s %s as %s: status %d, want %d", method, path, role, res, wantStatus[i])
				}
			}
		})
	}
}

// concrete fills the route parameters.
func (w *world) concrete(pattern string) string {
	if strings.HasPrefix(pattern, "/verwaltung/begriffe/") {
		pattern = strings.NewReplacer("{liste}", "themen", "{slug}", "energie").Replace(pattern)
	}
	r := strings.NewReplacer(
		"{token}", "unbekannter-link",
		// Events: public routes by slug, administration by id.
		"{event}", w.event.Slug,
		"{eventID}", itoa(w.event.ID),
		"{item}", itoa(w.event.ItemID),
		"{workshop}", itoa(w.event.WorkshopID),
		"{question}", itoa(w.event.QuestionID),
		"{registration}", itoa(w.event.RegistrationID),
		"{topic}", "energie",
		"{name}", "kennzahlen.csv",
		"{slug}", "initiative-a",
		"{version}", "1",
		"{slug}", "initiative-a",
		"{version}", "1",
		"*", "gibt-es-nicht.css",
	)
	p := r.Replace(pattern)
	if strings.HasPrefix(p, "/bilder/{id}") {
		return strings.Replace(p, "{id}", itoa(w.imageID), 1)
	}
	if strings.HasPrefix(p, "/verwaltung/initiativen/import/{id}") {
		return strings.Replace(p, "{id}", itoa(w.importID), 1)
	}
	if strings.Contains(p, "kontakte/{id}") {
		return strings.Replace(p, "{id}", itoa(w.contactID), 1)
	}
	if strings.HasPrefix(p, "/verwaltung/postausgang/{id}") {
		return strings.Replace(p, "{id}", itoa(w.mailID), 1)
	}
	return strings.Replace(p, "{id}", itoa(w.users["target"].ID), 1)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

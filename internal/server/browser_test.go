package server

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"rii/internal/browsertest"
)

// errorTemplates are test-only routes that draw each error page through the
// real error adapter, so the browser checks those templates too.
var errorTemplates = map[string]error{
	"/_test/403": errForbidden,
	"/_test/405": errNotAllowed,
	"/_test/413": &http.MaxBytesError{Limit: 1},
	"/_test/500": errString("kaputt"),
	"/_test/503": &net.OpError{Op: "dial", Net: "unix", Err: errString("connection refused")},
}

type errString string

func (e errString) Error() string { return string(e) }

// pagesPerTab is how many pages TestEveryPageIsAccessible checks in one tab.
const pagesPerTab = 4

// pageCheck says who opens a page route in the browser test, and where.
type pageCheck struct {
	viewer string // anonymous, member-a, editor, admin; "flow" for pages only a flow reaches
	path   string
}

// pageRoutes maps every GET route that draws a page to its browser check;
// TestEveryPageRouteIsChecked keeps it complete.
var pageRoutes = map[string]pageCheck{
	"/anmelden":                           {"anonymous", "/anmelden"},
	"/passwort-vergessen":                 {"anonymous", "/passwort-vergessen"},
	"/passwort-zuruecksetzen/{token}":     {"anonymous", "/passwort-zuruecksetzen/abgelaufen"},
	"/einladung/{token}":                  {"anonymous", "/einladung/abgelaufen"},
	"/anmelden/zweiter-faktor":            {"flow", ""}, // TestInvitationToSignOutByKeyboard
	"/konto":                              {"admin", "/konto"},
	"/verwaltung/begriffe":                {"admin", "/verwaltung/begriffe"},
	"/verwaltung/begriffe/{liste}/{slug}": {"admin", "/verwaltung/begriffe/themen/energie"},
	"/initiativen/{slug}":                 {"anonymous", "/initiativen/initiative-b"}, // with a logo
	"/initiativen/offene-daten":           {"anonymous", "/initiativen/offene-daten"},
	"/verwaltung/initiativen/import":      {"admin", "/verwaltung/initiativen/import"},
	"/verwaltung/initiativen/import/{id}": {"admin", "/verwaltung/initiativen/import/{id}"},
	"/initiativen/{slug}/logo":            {"member-a", "/initiativen/initiative-a/logo"},
	"/initiativen/{slug}/kontakte":        {"member-a", "/initiativen/initiative-a/kontakte"},
	"/initiativen/{slug}/kontakte/neu":    {"member-a", "/initiativen/initiative-a/kontakte/neu"},
	"/initiativen/{slug}/kontakte/{id}":   {"member-a", "/initiativen/initiative-a/kontakte/{id}"},
	"/verwaltung/kontakte":                {"admin", "/verwaltung/kontakte"},
	"/verwaltung/kontakte/{id}":           {"admin", "/verwaltung/kontakte/{id}"},
	"/verwaltung/initiativen/veraltet":    {"admin", "/verwaltung/initiativen/veraltet"},
	"/bestaetigen/{token}":                {"anonymous", "/bestaetigen/abgelaufen"},
	"/verwaltung/initiativen":             {"admin", "/verwaltung/initiativen"},
	"/initiativen/{slug}/verlauf":         {"admin", "/initiativen/initiative-a/verlauf"},
	"/initiativen/neu":                    {"member-a", "/initiativen/neu"},
	// Visitors' proposals; TestProposalReviewLoopByKeyboard checks them in
	// every state of the review.
	"/initiativen/vorschlagen":            {"anonymous", "/initiativen/vorschlagen"},
	"/initiativen/vorschlagen/gesendet":   {"anonymous", "/initiativen/vorschlagen/gesendet"},
	"/initiativen/vorschlagen/bestaetigt": {"anonymous", "/initiativen/vorschlagen/bestaetigt"},
	"/vorschlag/{token}":                  {"anonymous", "/vorschlag/abgelaufen"},
	"/initiativen/{slug}/bearbeiten":      {"member-a", "/initiativen/initiative-a/bearbeiten"},
	"/konto/zwei-faktor":                  {"member-a", "/konto/zwei-faktor"},
	"/verwaltung":                         {"admin", "/verwaltung"},
	"/verwaltung/benutzer":                {"admin", "/verwaltung/benutzer"},
	"/verwaltung/benutzer/einladen":       {"admin", "/verwaltung/benutzer/einladen"},
	"/verwaltung/benutzer/{id}":           {"admin", "/verwaltung/benutzer/{id}"},
	"/verwaltung/postausgang":             {"admin", "/verwaltung/postausgang"},
	"/verwaltung/postausgang/{id}":        {"admin", "/verwaltung/postausgang/{id}"},
	"/verwaltung/status":                  {"admin", "/verwaltung/status"},
	// Events (administration), in a tab of their own: the editor's.
	"/verwaltung/veranstaltungen":                                    {"editor", "/verwaltung/veranstaltungen"},
	"/verwaltung/veranstaltungen/neu":                                {"editor", "/verwaltung/veranstaltungen/neu"},
	"/verwaltung/veranstaltungen/{eventID}":                          {"editor", "/verwaltung/veranstaltungen/{eventID}"},
	"/verwaltung/veranstaltungen/{eventID}/programm/neu":             {"editor", "/verwaltung/veranstaltungen/{eventID}/programm/neu"},
	"/verwaltung/veranstaltungen/{eventID}/veroeffentlichen":         {"editor", "/verwaltung/veranstaltungen/{eventID}/veroeffentlichen"},
	"/verwaltung/veranstaltungen/{eventID}/bericht/veroeffentlichen": {"editor", "/verwaltung/veranstaltungen/{eventID}/bericht/veroeffentlichen"},
	"/verwaltung/veranstaltungen/{eventID}/programm/{item}":          {"editor", "/verwaltung/veranstaltungen/{eventID}/programm/{item}"},
	"/verwaltung/veranstaltungen/{eventID}/workshops/neu":            {"editor", "/verwaltung/veranstaltungen/{eventID}/workshops/neu"},
	"/verwaltung/veranstaltungen/{eventID}/workshops/{workshop}":     {"editor", "/verwaltung/veranstaltungen/{eventID}/workshops/{workshop}"},
	"/verwaltung/kontakte/neu":                                       {"editor", "/verwaltung/kontakte/neu"},
	// Registrations (administration); TestRegistrationAdminInBrowser
	// checks them with participants, and the check-in at a phone's width.
	"/verwaltung/veranstaltungen/{eventID}/anmeldung":                   {"editor", "/verwaltung/veranstaltungen/{eventID}/anmeldung"},
	"/verwaltung/veranstaltungen/{eventID}/teilnehmende":                {"editor", "/verwaltung/veranstaltungen/{eventID}/teilnehmende"},
	"/verwaltung/veranstaltungen/{eventID}/teilnehmende/{registration}": {"flow", ""},
	"/verwaltung/veranstaltungen/{eventID}/einlass":                     {"editor", "/verwaltung/veranstaltungen/{eventID}/einlass"},
	"/verwaltung/veranstaltungen/{eventID}/einladungen":                 {"editor", "/verwaltung/veranstaltungen/{eventID}/einladungen"},
	"/anmeldung/einladung/{token}":                                      {"flow", ""}, // TestRegistrationAdminInBrowser
	// The dashboard, with its data and in print: TestDashboardInBrowser.
	"/dashboard":                    {"flow", ""},
	"/dashboard/abdeckung":          {"flow", ""},
	"/dashboard/themen":             {"flow", ""},
	"/dashboard/vernetzung":         {"flow", ""},
	"/dashboard/vernetzung/{slug}":  {"flow", ""},
	"/dashboard/aktivitaet":         {"flow", ""},
	"/dashboard/taetigkeitsbericht": {"flow", ""},
	// The visitor's registration pages: TestRegistrationFlowByKeyboard.
	"/anmeldung/{token}":                          {"flow", ""},
	"/veranstaltungen/{event}/anmeldung/gesendet": {"flow", ""},

	"/themen/{topic}":          {"anonymous", "/themen/{topic}"},
	"/veranstaltungen/{event}": {"anonymous", "/veranstaltungen/{event}"},
	// Reports (the preview and a rich report: TestReportEditorInBrowser).
	"/berichte/{event}":                                     {"anonymous", "/berichte/{event}"},
	"/verwaltung/veranstaltungen/{eventID}/bericht":         {"admin", "/verwaltung/veranstaltungen/{eventID}/bericht"},
	"/verwaltung/veranstaltungen/{eventID}/bericht/verlauf": {"admin", "/verwaltung/veranstaltungen/{eventID}/bericht/verlauf"},
}

func init() {
	for _, p := range publicPages {
		pageRoutes[p] = pageCheck{"anonymous", p}
	}
}

// TestEveryPageIsAccessible opens every page template in Chromium, as the
// viewer who may see it: lang, title, one h1, the skip link as the first
// tab stop, zero axe-core violations (WCAG 2.0/2.1/2.2 A and AA), and no
// CSP violation or console error.
func TestEveryPageIsAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	w.addContact()
	w.addEvent()
	w.imageID = w.addLogo(w.initB)
	w.importID = w.addImport()
	r := chi.NewRouter()
	for path, err := range errorTemplates {
		r.Get(path, w.srv.handle(func(http.ResponseWriter, *http.Request) error { return err }))
	}
	r.Mount("/", w.srv.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)

	byViewer := map[string][]string{"anonymous": {"/gibt-es-nicht"}}
	for path := range errorTemplates {
		byViewer["anonymous"] = append(byViewer["anonymous"], path)
	}
	for _, pc := range pageRoutes {
		if pc.viewer != "flow" {
			byViewer[pc.viewer] = append(byViewer[pc.viewer], w.concrete(pc.path))
		}
	}
	for viewer, paths := range byViewer {
		t.Run(viewer, func(t *testing.T) {
			t.Parallel()
			// A tab lives 60 seconds: the pages go in portions, one fresh
			// tab each, so a longer page table or a busy machine cannot
			// run a tab out of time.
			for i := 0; i < len(paths); i += pagesPerTab {
				ctx := b.Tab(t)
				if viewer != "anonymous" {
					browserSignIn(t, ctx, ts.URL, w, viewer)
				}
				for _, path := range paths[i:min(i+pagesPerTab, len(paths))] {
					browsertest.CheckPage(t, ctx, ts.URL+path)
				}
			}
		})
	}
}

// browserSignIn signs in through the forms, by keyboard.
func browserSignIn(t *testing.T, ctx context.Context, base string, w *world, key string) {
	t.Helper()
	u := w.users[key]
	browsertest.Navigate(t, ctx, base+"/anmelden")
	browsertest.Fill(t, ctx, "#feld-email", u.Email)
	browsertest.Fill(t, ctx, "#feld-passwort", testPassword)
	browsertest.Submit(t, ctx, `form[action="/anmelden"] button[type=submit]`)
	if u.Secret != "" {
		w.withSecondFactor(func(code string) {
			browsertest.Fill(t, ctx, "#feld-code", code)
			browsertest.Submit(t, ctx, `form button[type=submit]`)
		}, u.Secret)
	}
	if got := browsertest.Text(t, ctx, ".user-nav__name strong"); got == "" {
		t.Fatalf("%s is not signed in in the browser (at %s)", key, browsertest.Location(t, ctx))
	}
}

// TestEveryPageRouteIsChecked fails when a GET route that draws a page is
// missing from pageRoutes, so a new page cannot skip the browser check.
func TestEveryPageRouteIsChecked(t *testing.T) {
	t.Parallel()
	s, _ := newServer(t)
	notPages := map[string]bool{"/healthz": true, "/readyz": true, "/robots.txt": true, "/static/*": true,
		"/verwaltung/kontakte/{id}/export": true, "/bilder/{id}": true, "/verwaltung/initiativen/import/vorlage.csv": true,
		"/initiativen.csv": true, "/initiativen.json": true, "/berichte/feed.atom": true,
		"/veranstaltungen/kalender.ics": true, "/veranstaltungen/{event}/kalender.ics": true,
		"/verwaltung/veranstaltungen/{eventID}/teilnehmende.csv": true, "/dashboard/export/{name}": true}
	err := chi.Walk(s.Handler().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if _, ok := pageRoutes[route]; method == http.MethodGet && !notPages[route] && !ok {
			t.Errorf("GET %s is not in pageRoutes: add it so the browser test covers it", route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for route, pc := range pageRoutes {
		if pc.viewer == "flow" && !strings.HasPrefix(route, "/anmelden/") && !strings.Contains(route, "{registration}") &&
			!strings.Contains(route, "anmeldung") && !strings.HasPrefix(route, "/dashboard") {
			t.Errorf("%s is marked as covered by a flow test that does not reach it", route)
		}
	}
}

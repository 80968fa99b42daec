package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"rii/internal/account"
	"rii/internal/browsertest"
	"rii/internal/initiative"
	"rii/internal/store"
	"rii/internal/webtest"
)

// uploadServer serves the import, logo and image routes in front of the
// portal, wrapped as routes.go wraps its groups.
func uploadServer(t *testing.T, w *world) *httptest.Server {
	t.Helper()
	s := w.srv
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.securityHeaders, s.recoverPanics, s.crossOriginProtection, s.limitBody)
	r.Group(func(r chi.Router) {
		r.Use(s.sessions.LoadAndSave, s.loadUser)
		r.Get("/bilder/{id}", s.handle(s.showImage))
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/initiativen/{slug}/logo", s.handle(s.editLogo))
			r.Post("/initiativen/{slug}/logo", s.handle(s.updateLogo))
			r.Post("/initiativen/{slug}/logo/entfernen", s.handle(s.deleteLogo))
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser, s.requireRole(account.RoleEditor, account.RoleAdmin))
			r.Get("/verwaltung/initiativen/import", s.handle(s.newImport))
			r.Post("/verwaltung/initiativen/import", s.handle(s.createImport))
			r.Get("/verwaltung/initiativen/import/vorlage.csv", s.handle(s.showImportTemplate))
			r.Get("/verwaltung/initiativen/import/{id}", s.handle(s.showImport))
			r.Post("/verwaltung/initiativen/import/{id}", s.handle(s.updateImport))
		})
	})
	r.Mount("/", s.Handler())
	ts := httptest.NewServer(r)
	t.Cleanup(ts.Close)
	return ts
}

// addImport keeps a checked upload with one valid and one invalid row:
// the {id} of the import routes in the route table.
func (w *world) addImport() int64 {
	w.t.Helper()
	p := store.InitiativeProfile{Name: "Importierte Initiative", Districts: []string{"05315"}, Topics: []string{},
		Sectors: []string{}, TargetGroups: []string{}, Formats: []string{}, Members: []store.MemberOrg{}}
	id, err := w.st.CreateImport(context.Background(), store.NewImport{CreatedBy: w.users["editor"].ID,
		Filename: "initiativen.csv", Now: w.clock.Now(), Expires: w.clock.Now().Add(importLifetime), Rows: []store.ImportRow{
			{Line: 2, Name: p.Name, Slug: "importierte-initiative", Status: "draft", Profile: &p},
			{Line: 3, Name: "Ohne Kreis", Errors: []store.ImportError{{Field: "kreise", Message: "Bitte wählen Sie mindestens einen Landkreis."}}},
		}})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func TestParseImportFile(t *testing.T) {
	t.Parallel()
	many := "name;kreise\n" + strings.Repeat("A;05315\n", maxImportRows+1)
	tests := []struct {
		name, file string
		wantRows   int
		wantMsg    string // prefix
		check      func(t *testing.T, recs []importRecord)
	}{
		{"semicolon with BOM", "\xef\xbb\xbfname;kreise\r\nA;05315\r\n", 1, "", func(t *testing.T, recs []importRecord) {
			if recs[0].cells["name"] != "A" || recs[0].line != 2 {
				t.Errorf("%+v", recs[0])
			}
		}},
		{"comma, quoted", "name,kreise\n\"A, B\",05315|05362\n", 1, "", func(t *testing.T, recs []importRecord) {
			if recs[0].cells["name"] != "A, B" || recs[0].cells["kreise"] != "05315|05362" {
				t.Errorf("%+v", recs[0])
			}
		}},
		{"tab", "name\tkreise\nA\t05315\n", 1, "", nil},
		{"windows-1252", "name;kreise\nB\xfcndnis f\xfcr Industrie;05315\n", 1, "", func(t *testing.T, recs []importRecord) {
			if recs[0].cells["name"] != "Bündnis für Industrie" {
				t.Errorf("name %q", recs[0].cells["name"])
			}
		}},
		{"broken utf-8 stays utf-8", "name;kreise\nMüller \xff;05315\n", 1, "", func(t *testing.T, recs []importRecord) {
			if recs[0].cells["name"] != "Müller \xff" {
				t.Errorf("name %q", recs[0].cells["name"])
			}
		}},
		{"german headers", "Name;Gründungsjahr;Kreise;Webseite\nA;2001;05315;https://a.de\n", 1, "", func(t *testing.T, recs []importRecord) {
			if recs[0].cells["gruendungsjahr"] != "2001" || recs[0].cells["website"] != "https://a.de" {
				t.Errorf("%+v", recs[0].cells)
			}
		}},
		{"blank lines, multi-line cell", "name;kreise;beschreibung\n\n\"A\";05315;\"x\ny\"\nB;05315;\n", 2, "", func(t *testing.T, recs []importRecord) {
			if recs[0].line != 3 || recs[1].line != 5 || recs[0].cells["beschreibung"] != "x\ny" {
				t.Errorf("lines %d %d", recs[0].line, recs[1].line)
			}
		}},
		{"stray values", "name;kreise;\nA;05315;\nB;05315;x;y\n", 2, "", func(t *testing.T, recs []importRecord) {
			if recs[0].stray || !recs[1].stray {
				t.Errorf("stray %v %v", recs[0].stray, recs[1].stray)
			}
		}},
		{"utf-16", "\xff\xfen\x00a\x00", 0, "Die Datei ist als UTF-16", nil},
		{"empty", "\xef\xbb\xbf \n", 0, "Die Datei ist leer.", nil},
		{"header only", "name;kreise\n", 0, "Die Datei enthält nur die Kopfzeile", nil},
		{"unknown column", "name;kreise;farbe\n", 0, "Die Spalte „farbe“ ist unbekannt. Erlaubt sind: name, kurzbeschreibung", nil},
		{"markup column", "name;kreise;<script>alert(1)</script>\n", 0, "Die Spalte „<script>alert(1)</script>“ ist unbekannt", nil},
		{"missing kreise", "name;themen\nA;energie\n", 0, "Die Kopfzeile muss die Spalte „kreise“ enthalten", nil},
		{"twice", "name;kreise;Kreise\n", 0, "Die Spalte „kreise“ kommt in der Kopfzeile zweimal vor.", nil},
		{"bare quote", "name;kreise\nA \"B\" C;05315\n", 0, "Zeile 2: Ein Anführungszeichen steht an falscher Stelle.", nil},
		{"open quote", "name;kreise\n\"A;05315\n", 0, "Zeile 2: Ein Anführungszeichen", nil},
		{"png", string(encodePNG(t, 2, 2)), 0, "Die Spalte", nil},
		{"too many rows", many, 0, "Die Datei hat mehr als 5.000 Zeilen.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, msg := parseImportFile([]byte(tt.file))
			if !strings.HasPrefix(msg, tt.wantMsg) || (tt.wantMsg == "") != (msg == "") {
				t.Fatalf("message %q, want %q", msg, tt.wantMsg)
			}
			if len(recs) != tt.wantRows {
				t.Fatalf("%d rows, want %d", len(recs), tt.wantRows)
			}
			if tt.check != nil {
				tt.check(t, recs)
			}
		})
	}
}

// testLookup is a small vocabulary for the row checks.
func testLookup() importLookup {
	v := &store.Vocabularies{
		LegalForms: []store.Term{{Slug: "ev", Name: "Eingetragener Verein (e.V.)"}, {Slug: "projekt", Name: "Projekt einer Kammer, eines Verbands"}},
		Topics:     []store.Term{{Slug: "innovation", Name: "Innovation"}, {Slug: "energie", Name: "Energie"}},
		Formats:    []store.Term{{Slug: "dialog", Name: "Dialogformate"}},
	}
	return newImportLookup(v, []store.District{{AGS: "05315", DisplayName: "Köln"}, {AGS: "05362", DisplayName: "Rhein-Erft-Kreis"}})
}

func TestImportInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cells  map[string]string
		errs   map[string]string // column → message prefix
		check  func(t *testing.T, in initiative.Input)
		status string
	}{
		{"slugs", map[string]string{"name": "Industrie A", "kreise": "05315|05362", "themen": "innovation|energie"}, nil, func(t *testing.T, r initiative.Input) {
			if len(r.Districts) != 2 || len(r.Topics) != 2 {
				t.Errorf("%+v", r)
			}
		}, "draft"},
		{"names, commas, case", map[string]string{"name": "A B", "kreise": "köln, RHEIN-ERFT-KREIS", "themen": "Energie", "rechtsform": "Projekt einer Kammer, eines Verbands", "status": "Veröffentlicht"}, nil, func(t *testing.T, r initiative.Input) {
			if strings.Join(r.Districts, ",") != "05315,05362" || r.Topics[0] != "energie" || r.LegalForm != "projekt" {
				t.Errorf("%+v", r)
			}
		}, "published"},
		{"website scheme", map[string]string{"name": "A B", "kreise": "05315", "website": " HTTPS://www.beispiel.de "}, nil, func(t *testing.T, r initiative.Input) {
			if r.Website != "https://www.beispiel.de" {
				t.Errorf("website %q", r.Website)
			}
		}, "draft"},
		{"unknown values", map[string]string{"name": "A B", "kreise": "05315|99999", "themen": "<b>x</b>", "rechtsform": "ev|projekt"},
			map[string]string{"kreise": "„99999“ ist kein bekannter Wert.", "themen": "„<b>x</b>“ ist kein bekannter Wert.", "rechtsform": "„ev|projekt“"}, nil, ""},
		{"missing", map[string]string{"name": " ", "kreise": ""},
			map[string]string{"name": "Bitte geben Sie den Namen", "kreise": "Bitte wählen Sie mindestens einen"}, nil, ""},
		{"formula", map[string]string{"name": `=HYPERLINK("http://boese.example","Klick")`, "kurzbeschreibung": "@SUM(A1)", "beschreibung": "- erster Punkt", "kreise": "05315"},
			map[string]string{"name": "Der Text beginnt mit „=“", "kurzbeschreibung": "Der Text beginnt mit „@“"}, nil, ""},
		{"hostile text", map[string]string{"name": "A\x00B", "beschreibung": strings.Repeat("x", 1<<20), "kurzbeschreibung": "M\xfcller", "kreise": "05315", "gruendungsjahr": "1700", "website": "https://.de/\u00a0x", "status": "aktiv"},
			map[string]string{"name": "Der Name enthält ungültige Zeichen.", "beschreibung": "Die Beschreibung darf höchstens 20000 Zeichen", "kurzbeschreibung": "Die Kurzbeschreibung enthält ungültige Zeichen.",
				"gruendungsjahr": "Bitte geben Sie das Gründungsjahr", "website": "Bitte geben Sie die Adresse", "status": "Bitte geben Sie als Status"}, nil, ""},
		{"website the database refuses", map[string]string{"name": "A B", "kreise": "05315", "website": "https://.de"},
			map[string]string{"website": "Bitte geben Sie die Adresse"}, nil, ""},
		{"stray", map[string]string{"name": "A B", "kreise": "05315"}, map[string]string{"zeile": "Die Zeile hat Werte in Spalten ohne Überschrift."}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, status, errs := importInput(importRecord{line: 2, cells: tt.cells, stray: tt.name == "stray"}, testLookup(), 2026)
			if len(errs) != len(tt.errs) {
				t.Errorf("errors %v, want %d", errs, len(tt.errs))
			}
			for col, want := range tt.errs {
				if !strings.HasPrefix(errs[col], want) {
					t.Errorf("%s: %q, want %q", col, errs[col], want)
				}
			}
			if tt.status != "" && status != tt.status {
				t.Errorf("status %q", status)
			}
			if tt.check != nil {
				tt.check(t, in)
			}
		})
	}
}

func TestCheckImportRowsFindsDuplicatesAndFreeSlugs(t *testing.T) {
	t.Parallel()
	recs := []importRecord{
		{line: 2, cells: map[string]string{"name": "Initiative  a", "kreise": "05315"}},
		{line: 3, cells: map[string]string{"name": "Chemie & Pharma", "kreise": "05315"}},
		{line: 4, cells: map[string]string{"name": "Chemie und Pharma", "kreise": "05315"}},
		{line: 5, cells: map[string]string{"name": "chemie und pharma", "kreise": "05315"}},
		{line: 6, cells: map[string]string{"name": "Neu", "kreise": "05315", "themen": "unbekannt"}},
	}
	existing := []store.InitiativeName{{Slug: "initiative-a", Name: "Initiative A"}, {Slug: "chemie-und-pharma", Name: "Etwas anderes"}}
	rows := checkImportRows(recs, testLookup(), existing, 2026)
	want := []struct{ slug, err string }{
		{"", "Eine Initiative mit diesem Namen gibt es schon: /initiativen/initiative-a."},
		{"chemie-und-pharma-2", ""},
		{"chemie-und-pharma-3", ""},
		{"", "Der Name steht schon in Zeile 4 der Datei."},
		{"", "„unbekannt“ ist kein bekannter Wert."},
	}
	for i, w := range want {
		r := rows[i]
		msg := ""
		if len(r.Errors) > 0 {
			msg = r.Errors[0].Message
		}
		if r.Slug != w.slug || !strings.HasPrefix(msg, w.err) || (r.Profile != nil) != (w.slug != "") {
			t.Errorf("line %d: slug %q, errors %v; want %q, %q", r.Line, r.Slug, r.Errors, w.slug, w.err)
		}
	}
}

// confirmImport follows an upload to its preview and returns its path.
func uploadImport(t *testing.T, c *webtest.Client, file string) (string, *webtest.Response) {
	t.Helper()
	res := postFile(c, "/verwaltung/initiativen/import", "datei", "initiativen.csv", []byte(file), nil)
	if res.StatusCode != http.StatusSeeOther {
		return "", res
	}
	path := res.Header.Get("Location")
	return path, c.Get(path).WantStatus(http.StatusOK)
}

func (w *world) initiativeTotal() int { return w.queryInt(`SELECT count(*) FROM initiatives`) }

const validImport = "\xef\xbb\xbfname;kurzbeschreibung;kreise;themen;rechtsform;gruendungsjahr;website;status\r\n" +
	"Industrie im Rheinland;Gemeinsam für die Industrie.;05315|05362;innovation|Energie;ev;2016;https://www.beispiel.de;veroeffentlicht\r\n" +
	"Netzwerk <b>Musterkreis</b>;;Köln;;;;;entwurf\r\n" +
	"Zukunft Industrie Ost;;14612;fachkraefte;;;;\r\n"

func TestImportValidFileCreatesAllInOneGo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	before := w.initiativeTotal()
	path, preview := uploadImport(t, c, validImport)
	if path == "" {
		t.Fatalf("upload refused: %s", preview.Text("main"))
	}
	if n := preview.Find("[data-testid=import-rows] tbody tr").Length(); n != 3 {
		t.Fatalf("preview shows %d rows", n)
	}
	if preview.Find("[data-testid=row-errors]").Length() != 0 || preview.Find("[data-testid=import-confirm]").Length() != 1 {
		t.Fatalf("preview of a valid file: %s", preview.Text("[data-testid=import-rows]"))
	}
	if preview.Find("b").Length() != 0 || !strings.Contains(preview.Text("[data-testid=import-rows]"), "Netzwerk <b>Musterkreis</b>") {
		t.Error("markup in a name is not shown as text")
	}
	if w.initiativeTotal() != before {
		t.Fatal("the preview created initiatives")
	}
	c.PostForm(path, url.Values{}).WantStatus(http.StatusSeeOther)
	report := c.Get(path).WantStatus(http.StatusOK)
	links := report.Find("[data-testid=import-created] tbody th a")
	if links.Length() != 3 || links.First().AttrOr("href", "") != "/initiativen/industrie-im-rheinland" {
		t.Fatalf("report: %s", report.Text("main"))
	}
	if w.initiativeTotal() != before+3 {
		t.Errorf("%d initiatives created, want 3", w.initiativeTotal()-before)
	}
	var status string
	var districts, topics, revisions int
	err := w.pool.QueryRow(t.Context(), `SELECT status,
		(SELECT count(*) FROM initiative_districts WHERE initiative_id = i.id),
		(SELECT count(*) FROM initiative_topics WHERE initiative_id = i.id),
		(SELECT count(*) FROM initiative_revisions WHERE initiative_id = i.id AND version = 1)
		FROM initiatives i WHERE slug = 'industrie-im-rheinland' AND published_at IS NOT NULL`).Scan(&status, &districts, &topics, &revisions)
	if err != nil || status != "published" || districts != 2 || topics != 2 || revisions != 1 {
		t.Errorf("imported profile: %s, %d districts, %d topics, %d revisions (%v)", status, districts, topics, revisions, err)
	}
	if w.queryInt(`SELECT count(*) FROM audit_log WHERE action = 'initiative.imported' AND (details->>'created')::int = 3`) != 1 {
		t.Error("import not audited with its count")
	}
	// Confirming again (a double click) creates nothing more.
	c.PostForm(path, url.Values{}).WantStatus(http.StatusSeeOther)
	if w.initiativeTotal() != before+3 {
		t.Error("a second confirmation imported again")
	}
}

func TestImportWithABadRowCreatesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	before := w.initiativeTotal()
	file := "name;kreise;gruendungsjahr\nGute Initiative;05315;2001\nSchlechte Initiative;99999;1700\nInitiative A;05315;\n"
	path, preview := uploadImport(t, c, file)
	if path == "" {
		t.Fatalf("upload refused: %s", preview.Text("main"))
	}
	bad := preview.Find("#zeile-3 [data-testid=row-errors] li")
	if bad.Length() != 2 || !strings.Contains(bad.Last().Text(), "Kreise: „99999“ ist kein bekannter Wert.") ||
		!strings.Contains(bad.First().Text(), "Gründungsjahr: Bitte geben Sie das Gründungsjahr") {
		t.Errorf("errors of line 3: %q", preview.Text("#zeile-3"))
	}
	if !strings.Contains(preview.Text("#zeile-4"), "Eine Initiative mit diesem Namen gibt es schon") {
		t.Errorf("duplicate of an existing name not found: %q", preview.Text("#zeile-4"))
	}
	if preview.Text("#zeile-2 td:last-child") != "in Ordnung" || preview.Find("[data-testid=import-confirm]").Length() != 0 {
		t.Error("a file with errors can be confirmed")
	}
	res := c.PostForm(path, url.Values{}).WantStatus(http.StatusUnprocessableEntity)
	if !strings.Contains(res.Text("[data-testid=import-problem]"), "Die Datei enthält Fehler.") {
		t.Errorf("refusal: %q", res.Text("main"))
	}
	if w.initiativeTotal() != before {
		t.Error("a file with a bad row created initiatives")
	}
}

func TestImportRollsBackWhenASlugIsTakenAfterThePreview(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	path, _ := uploadImport(t, c, validImport)
	// Between preview and confirmation someone takes the third row's slug.
	if _, err := w.st.CreateInitiative(t.Context(), "zukunft-industrie-ost", "draft", store.InitiativeProfile{Name: "Zuvorgekommen"},
		store.Actor{Label: "Test"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	before := w.initiativeTotal()
	res := c.PostForm(path, url.Values{}).WantStatus(http.StatusConflict)
	if !strings.Contains(res.Text("[data-testid=import-problem]"), "/initiativen/zukunft-industrie-ost") ||
		res.Find("[data-testid=import-confirm]").Length() != 0 {
		t.Errorf("conflict page: %q", res.Text("main"))
	}
	if w.initiativeTotal() != before || w.queryInt(`SELECT count(*) FROM initiatives WHERE slug = 'industrie-im-rheinland'`) != 0 {
		t.Error("the rows before the conflict stayed")
	}
	if w.queryInt(`SELECT count(*) FROM imports WHERE imported_at IS NULL AND '/verwaltung/initiativen/import/' || id = $1`, path) != 1 || w.queryInt(`SELECT count(*) FROM audit_log WHERE action = 'initiative.imported'`) != 0 {
		t.Error("the failed import was recorded as done")
	}
}

func TestHostileImportFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	before := w.initiativeTotal()
	row := func(name, desc string) string { return "name;beschreibung;kreise\n" + name + ";" + desc + ";05315\n" }
	tests := []struct {
		name, file, want string // want: in the row errors, or on the form when the file is refused
	}{
		{"formula", row(`"=HYPERLINK(""http://boese.example"";""Klick"")"`, ""), "würde in einer Tabellenkalkulation als Formel ausgeführt"},
		{"invalid utf-8", row("Müller \xff\xfe", ""), "Der Name enthält ungültige Zeichen."},
		{"nul", row("A\x00B", ""), "Der Name enthält ungültige Zeichen."},
		{"1 MB cell", row("Groß", strings.Repeat("ä", 500000)), "Die Beschreibung darf höchstens 20000 Zeichen lang sein"},
		{"script", row("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"), ""},
		{"sql", row(`"'; DROP TABLE initiatives; --"`, ""), ""},
		{"unknown column", "name;kreise;<script>x</script>\n", "ist unbekannt"},
		{"utf-16", "\xff\xfen\x00", "UTF-16"},
		{"3 MB", "name;kreise\n" + strings.Repeat("A;05315\n", 400000), "Die Datei ist größer als 2 MB."},
		{"no file", "", "Bitte wählen Sie eine CSV-Datei aus."},
	}
	for _, tt := range tests {
		var res *webtest.Response
		if tt.name == "no file" {
			res = postFile(c, "/verwaltung/initiativen/import", "", "", nil, nil)
		} else {
			res = postFile(c, "/verwaltung/initiativen/import", "datei", "datei.csv", []byte(tt.file), nil)
		}
		if res.StatusCode == http.StatusSeeOther {
			res = c.Get(res.Header.Get("Location"))
		}
		if res.StatusCode >= 500 {
			t.Errorf("%s: status %d", tt.name, res.StatusCode)
			continue
		}
		text := res.Text("[data-testid=import-rows]") + res.Text("#feld-datei-fehler")
		if !strings.Contains(text, tt.want) {
			t.Errorf("%s: %q does not say %q", tt.name, text, tt.want)
		}
		if res.Find("script, img[onerror]").Length() > 0 {
			t.Errorf("%s: input became markup", tt.name)
		}
		if a := res.Find("[data-testid=import-confirm]").AttrOr("action", ""); a != "" {
			c.PostForm(a, url.Values{}).WantStatus(http.StatusSeeOther) // valid hostile text is stored as text
		}
	}
	if got := w.queryInt(`SELECT count(*) FROM initiatives WHERE name = '<script>alert(1)</script>'`); got != 1 {
		t.Errorf("markup name stored %d times, want once, as text", got)
	}
	if w.initiativeTotal() != before+2 { // the script row and the SQL row
		t.Errorf("%d initiatives created, want 2", w.initiativeTotal()-before)
	}
}

func TestImportPermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	id := itoa(w.addImport())
	for role, status := range map[string]int{"anonymous": 303, "member-a": 403, "official": 403, "editor": 200, "admin": 200} {
		c := webtest.NewClient(t, ts.URL)
		if role != "anonymous" {
			w.signIn(c, role)
		}
		for _, p := range []string{"/verwaltung/initiativen/import", "/verwaltung/initiativen/import/vorlage.csv", "/verwaltung/initiativen/import/" + id} {
			if got := c.Get(p).StatusCode; got != status {
				t.Errorf("GET %s as %s: %d, want %d", p, role, got, status)
			}
		}
		postStatus := map[int]int{200: 422}[status]
		if postStatus == 0 {
			postStatus = status
		}
		for _, p := range []string{"/verwaltung/initiativen/import", "/verwaltung/initiativen/import/" + id} {
			if got := c.PostForm(p, url.Values{}).StatusCode; got != postStatus {
				t.Errorf("POST %s as %s: %d, want %d", p, role, got, postStatus)
			}
		}
	}
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	c.Get("/verwaltung/initiativen/import/999999").WantStatus(http.StatusNotFound)
	c.Get("/verwaltung/initiativen/import/x").WantStatus(http.StatusNotFound)
	w.clock.Advance(importLifetime + time.Minute) // expired
	c2 := webtest.NewClient(t, ts.URL)
	w.signIn(c2, "editor")
	c2.Get("/verwaltung/initiativen/import/" + id).WantStatus(http.StatusNotFound)
}

func TestImportTemplateIsAValidFile(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	res := c.Get("/verwaltung/initiativen/import/vorlage.csv").WantStatus(http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8; header=present" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("served as %q, %q", ct, res.Header.Get("Content-Disposition"))
	}
	page := c.Get("/verwaltung/initiativen/import")
	if page.Find("[data-testid=import-columns] tbody tr").Length() != len(importColumns) || page.Find("#werte-kreise tbody tr").Length() < 400 {
		t.Error("the columns or the districts are not documented")
	}
	path, preview := uploadImport(t, c, string(res.Body))
	if path == "" || preview.Find("[data-testid=import-confirm]").Length() != 1 {
		t.Fatalf("the template is not a valid file: %s", preview.Text("main"))
	}
	checkImportRoundTrip(t, w, c, res.Body)
}

// TestImport5000Rows measures the largest allowed file: checking and
// keeping it, showing the preview, importing it.
func TestImport5000Rows(t *testing.T) {
	if testing.Short() {
		t.Skip("large import")
	}
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	var b strings.Builder
	b.WriteString("name;kurzbeschreibung;kreise;themen;branchen;rechtsform;gruendungsjahr;website;status\n")
	for i := range maxImportRows {
		fmt.Fprintf(&b, "Synthetische Initiative %04d;Eine Initiative für Tests des Imports.;05315|05362;innovation|energie;chemie;ev;%d;https://www.beispiel-%d.de;veroeffentlicht\n",
			i, 1990+i%30, i)
	}
	start := time.Now()
	res := postFile(c, "/verwaltung/initiativen/import", "datei", "gross.csv", []byte(b.String()), nil).WantStatus(http.StatusSeeOther)
	upload := time.Since(start)
	start = time.Now()
	preview := c.Get(res.Header.Get("Location")).WantStatus(http.StatusOK)
	show := time.Since(start)
	if preview.Find("[data-testid=import-confirm]").Length() != 1 {
		t.Fatal("5,000 valid rows not confirmable")
	}
	start = time.Now()
	c.PostForm(res.Header.Get("Location"), url.Values{}).WantStatus(http.StatusSeeOther)
	confirm := time.Since(start)
	if n := w.queryInt(`SELECT count(*) FROM initiatives WHERE name LIKE 'Synthetische Initiative %'`); n != maxImportRows {
		t.Fatalf("%d created", n)
	}
	t.Logf("5,000 rows (%d KB): upload and check %v, preview (%d KB HTML) %v, import %v",
		b.Len()>>10, upload.Round(time.Millisecond), len(preview.Body)>>10, show.Round(time.Millisecond), confirm.Round(time.Millisecond))
}

func TestImportPagesAreAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	ts := uploadServer(t, w)
	invalid := w.addImport()
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	valid, _ := uploadImport(t, c, validImport)
	ctx := b.Tab(t)
	browserSignIn(t, ctx, ts.URL, w, "editor")
	browsertest.CheckPage(t, ctx, ts.URL+"/verwaltung/initiativen/import")
	browsertest.Submit(t, ctx, `form[action="/verwaltung/initiativen/import"] button[type=submit]`)
	if got := browsertest.Text(t, ctx, "#feld-datei-fehler"); !strings.Contains(got, "Bitte wählen Sie eine CSV-Datei aus.") {
		t.Errorf("empty upload: %q", got)
	}
	if v := browsertest.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe on the form with errors: %v", v)
	}
	browsertest.CheckPage(t, ctx, ts.URL+"/verwaltung/initiativen/import/"+itoa(invalid))
	browsertest.CheckPage(t, ctx, ts.URL+valid)
	browsertest.Submit(t, ctx, `[data-testid=import-confirm] button[type=submit]`)
	if got := browsertest.Text(t, ctx, "[data-testid=import-report-summary]"); !strings.Contains(got, "3 Initiativen angelegt") {
		t.Errorf("report: %q", got)
	}
	browsertest.CheckPage(t, ctx, ts.URL+valid)
}

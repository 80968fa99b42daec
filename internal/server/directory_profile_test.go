package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"rii/internal/webtest"
)

// jsonLD parses the schema.org block of a profile; nil if there is none.
func jsonLD(t *testing.T, res *webtest.Response) *organisationLD {
	t.Helper()
	blocks := res.Find(`script[type="application/ld+json"]`)
	if blocks.Length() == 0 {
		return nil
	}
	var ld organisationLD
	if err := json.Unmarshal([]byte(blocks.First().Text()), &ld); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, blocks.First().Text())
	}
	return &ld
}

func TestProfileShowsThePublicProfile(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	res := d.as("anonymous").Get("/initiativen/initiative-a").WantStatus(http.StatusOK)
	if got := res.Text("h1"); got != "Chemie und Pharma am Hochrhein e.V." {
		t.Errorf("h1 %q", got)
	}
	paras := res.Find(`[data-testid="description"] p`)
	if paras.Length() != 2 || paras.First().Text() != "Erster Absatz mit <script>alert('x')</script> & Umlauten.\nZweite Zeile." {
		t.Errorf("description: %d paragraphs, first %q", paras.Length(), paras.First().Text())
	}
	if n := res.Find(`script:not([type="application/ld+json"])`).Length(); n != 0 {
		t.Errorf("%d script elements: the description was not escaped", n)
	}
	site := res.Find(`[data-testid="website"]`)
	if site.AttrOr("href", "") != "https://www.chemie-hochrhein.example/" || site.AttrOr("rel", "") != "noopener noreferrer" ||
		site.Text() != "www.chemie-hochrhein.example" {
		t.Errorf("website link %q rel %q text %q", site.AttrOr("href", ""), site.AttrOr("rel", ""), site.Text())
	}
	facts := res.Text(`[data-testid="facts"]`)
	for _, want := range []string{"Eingetragener Verein (e.V.)", "2015", "Akzeptanz und Kommunikation", "Pharma",
		"Unternehmen, Schülerinnen und Schüler", "Dialogformate"} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts lack %q: %s", want, facts)
		}
	}
	if got := res.Text(`[data-testid="facts"] a[href="/initiativen?branche=chemie"]`); got != "Chemie" {
		t.Errorf("sector link %q", got)
	}
	var regions []string
	res.Find(`aside h3`).Each(func(_ int, s *goquery.Selection) {
		regions = append(regions, s.Text()+": "+strings.Join(s.Next().Find("a").Map(func(_ int, a *goquery.Selection) string { return a.Text() }), ", "))
	})
	if want := []string{"Baden-Württemberg: Lörrach, Waldshut", "Bayern: München"}; !slices.Equal(regions, want) {
		t.Errorf("regions %q, want %q", regions, want)
	}
	if lbl := res.Find(`[data-testid="locator-map"] svg`).AttrOr("aria-label", ""); lbl != "Karte von Deutschland, hervorgehoben: Lörrach, Waldshut und München" {
		t.Errorf("locator label %q", lbl)
	}
	if got := res.Find(`[data-testid="members"] h3`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !slices.Equal(got, []string{"Unternehmen", "Kammern", "Gewerkschaften"}) {
		t.Errorf("member groups %q", got)
	}
	if got := res.Text(`[data-testid="confirmed"]`); got != "Stand: zuletzt bestätigt am 02.03.2026" {
		t.Errorf("confirmed %q", got)
	}
	if res.Find(`[data-testid="status-banner"], [data-testid="profile-actions"]`).Length() != 0 {
		t.Error("a visitor sees a status banner or edit links")
	}
	ld := jsonLD(t, res)
	if ld == nil || ld.Type != "Organization" || ld.Name != "Chemie und Pharma am Hochrhein e.V." ||
		!strings.HasSuffix(ld.URL, "/initiativen/initiative-a") || !slices.Equal(ld.SameAs, []string{"https://www.chemie-hochrhein.example/"}) ||
		len(ld.AreaServed) != 3 || ld.AreaServed[0].Name != "Lörrach" || len(ld.Member) != 3 || ld.FoundingDate != "2015" {
		t.Errorf("JSON-LD %+v", ld)
	}
	if res.Header.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("cache %q", res.Header.Get("Cache-Control"))
	}
	// A profile without confirmation or contacts says so.
	res = d.as("anonymous").Get("/initiativen/initiative-b").WantStatus(http.StatusOK)
	if !strings.Contains(res.Text(`[data-testid="contacts"]`), "keine öffentliche Ansprechperson") {
		t.Errorf("contacts of B: %s", res.Text(`[data-testid="contacts"]`))
	}
}

func TestProfileOfUnpublishedInitiatives(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	// The draft belongs to member-a's initiative family: link member-a to it.
	var draftID int64
	if err := d.pool.QueryRow(t.Context(), `SELECT id FROM initiatives WHERE slug = 'entwurf-chemie'`).Scan(&draftID); err != nil {
		t.Fatal(err)
	}
	if err := d.st.SetUserInitiatives(t.Context(), d.users["member-a"].ID, []int64{d.initA, draftID}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		viewer string
		status int
		edit   bool
	}{
		{"anonymous", http.StatusNotFound, false}, {"member-b", http.StatusNotFound, false},
		{"member-a", http.StatusOK, true}, {"editor", http.StatusOK, true}, {"official", http.StatusOK, false}, {"admin", http.StatusOK, true},
	} {
		res := d.as(c.viewer).Get("/initiativen/entwurf-chemie").WantStatus(c.status)
		if c.status != http.StatusOK {
			if strings.Contains(string(res.Body), "Chemie-Entwurf") {
				t.Errorf("%s: the 404 names the draft", c.viewer)
			}
			continue
		}
		if !strings.Contains(res.Text(`[data-testid="status-banner"]`), "Entwurf") || jsonLD(t, res) != nil {
			t.Errorf("%s: no status banner, or JSON-LD on a draft", c.viewer)
		}
		if got := res.Find(`a[href="/initiativen/entwurf-chemie/bearbeiten"]`).Length() == 1; got != c.edit {
			t.Errorf("%s: edit link %v, want %v", c.viewer, got, c.edit)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%s: cache %q", c.viewer, cc)
		}
	}
	for _, path := range []string{"/initiativen/gibt-es-nicht", "/initiativen/GROSS", "/initiativen/%FF", "/initiativen/" + strings.Repeat("a", 200)} {
		d.as("anonymous").Get(path).WantStatus(http.StatusNotFound)
	}
}

// TestDirectoryContactPrivacy looks for every contact's e-mail address and
// phone number in the raw bytes of every response the directory builds,
// as each kind of viewer: only what the contact's visibility allows.
func TestDirectoryContactPrivacy(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	everywhere := []string{"/initiativen", "/initiativen?q=Hochrhein", "/initiativen?q=Petra+Max+Sabine", "/initiativen?land=08",
		"/initiativen?land=08&kreis=08336&thema=akzeptanz", "/initiativen.csv", "/initiativen.json", "/initiativen.json?q=chemie",
		"/initiativen/offene-daten", "/initiativen/initiative-b"}
	profile := "/initiativen/initiative-a"
	for _, c := range []struct {
		viewer string
		sees   []string // visibilities shown on the profile
	}{
		{"anonymous", []string{"public"}},
		{"member-b", []string{"public"}},
		{"member-a", []string{"public", "members"}},
		{"editor", []string{"public", "members", "editors"}},
		{"official", []string{"public", "members", "editors"}},
		{"admin", []string{"public", "members", "editors"}},
	} {
		cl := d.as(c.viewer)
		for _, path := range append(slices.Clone(everywhere), profile) {
			res := cl.Get(path).WantStatus(http.StatusOK)
			for _, pc := range privacyContacts {
				shown := path == profile && slices.Contains(c.sees, pc.visibility)
				for _, secret := range []string{pc.email, pc.phone, pc.name} {
					if got := bytes.Contains(res.Body, []byte(secret)); got != shown {
						t.Errorf("%s %s: %q (%s) present %v, want %v", c.viewer, path, secret, pc.visibility, got, shown)
					}
				}
			}
			if path != profile {
				continue
			}
			ld := jsonLD(t, res)
			if ld == nil || len(ld.ContactPoint) != 1 || ld.ContactPoint[0].Email != privacyContacts[0].email ||
				ld.ContactPoint[0].Telephone != privacyContacts[0].phone {
				t.Errorf("%s: JSON-LD contacts %+v, want only the public one", c.viewer, ld)
			}
		}
	}
}

func TestOpenDataDownloads(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	c := d.as("anonymous")

	res := c.Get("/initiativen.csv").WantStatus(http.StatusOK)
	if !bytes.Contains(res.Body, []byte("\r\n")) {
		t.Error("CSV without CRLF")
	}
	rows := readExcelCSV(t, res.Body)
	var header []string
	for _, f := range openDataFields {
		header = append(header, f.CSV)
	}
	if len(rows) != 3 || !slices.Equal(rows[0], header) {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	if a := rows[1]; a[0] != "Chemie und Pharma am Hochrhein e.V." || a[8] != "Baden-Württemberg; Bayern" ||
		a[9] != "Lörrach; Waldshut; München" || a[10] != "08336; 08337; 09162" || a[4] != "Erster Absatz mit <script>alert('x')</script> & Umlauten.\r\nZweite Zeile.\r\n\r\nZweiter Absatz." && a[4] != "Erster Absatz mit <script>alert('x')</script> & Umlauten.\nZweite Zeile.\n\nZweiter Absatz." {
		t.Errorf("row of A: %q", a)
	}
	h := res.Header
	if h.Get("Content-Type") != "text/csv; charset=utf-8; header=present" || !strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="initiativen-`) ||
		h.Get("Cache-Control") != "public, max-age=300" || h.Get("ETag") == "" || !strings.Contains(h.Get("Link"), "dl-de/by-2-0") {
		t.Errorf("CSV headers %v", h)
	}
	req := c.NewRequest(http.MethodGet, "/initiativen.csv", nil)
	req.Header.Set("If-None-Match", h.Get("ETag"))
	if res := c.Send(req); res.StatusCode != http.StatusNotModified || len(res.Body) != 0 {
		t.Errorf("If-None-Match: %d, %d bytes", res.StatusCode, len(res.Body))
	}

	res = c.Get("/initiativen.json?branche=maschinenbau").WantStatus(http.StatusOK)
	var recs []map[string]any
	if err := json.Unmarshal(res.Body, &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0]["slug"] != "initiative-b" || recs[0]["rechtsform"] != "Eingetragener Verein (e.V.)" {
		t.Fatalf("JSON %v", recs)
	}
	for _, f := range openDataFields {
		if _, ok := recs[0][strings.SplitN(f.JSON, "[", 2)[0]]; !ok {
			t.Errorf("JSON lacks the documented key %q", f.JSON)
		}
	}
	if len(recs[0]) != len(openDataFields)-1 { // kreise and kreisschluessel share "kreise"
		t.Errorf("JSON has %d keys, the description %d fields", len(recs[0]), len(openDataFields))
	}
	if res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("JSON type %q", res.Header.Get("Content-Type"))
	}

	res = c.Get("/initiativen/offene-daten").WantStatus(http.StatusOK)
	if n := res.Find(`[data-testid="opendata-fields"] tbody tr`).Length(); n != len(openDataFields) {
		t.Errorf("description lists %d fields", n)
	}
	page := res.Text("main")
	for _, want := range []string{"Datenlizenz Deutschland – Namensnennung – Version 2.0", "© GeoBasis-DE / BKG (2021)",
		"Ansprechpersonen sind nicht enthalten", "derzeit 2"} {
		if !strings.Contains(page, want) {
			t.Errorf("description lacks %q", want)
		}
	}
	res.Find(`[data-testid="opendata-examples"] a`).Each(func(_ int, a *goquery.Selection) {
		c.Get(a.AttrOr("href", "")).WantStatus(http.StatusOK)
	})
}

func TestSpreadsheetSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+49": "'+49", "@x": "'@x", "-1": "'-1", "Name": "Name", "": ""} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q", in, got)
		}
	}
}

// TestDirectoryHostileInput sends hostile values in the search term and in
// every filter of every response the directory builds: never a 500, never
// markup from the input in the page.
func TestDirectoryHostileInput(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)
	c := d.as("anonymous")
	values := append(slices.Clone(hostileValues[:len(hostileValues)-2]), strings.Repeat("x", 100*1024), "%", "\x00",
		"chemie:* & !pharma | (", `\'`, "08' OR '1'='1")
	for _, v := range values {
		q := url.Values{}
		for _, name := range []string{paramQuery, paramState, paramDistrict, paramTopic, paramSector, paramSort, "seite"} {
			q.Add(name, v)
			q.Add(name, "08") // a valid value next to the hostile one
		}
		for _, path := range []string{"/initiativen", "/initiativen.csv", "/initiativen.json", "/initiativen/offene-daten"} {
			res := c.Get(path + "?" + q.Encode())
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s with %.30q: status %d", path, v, res.StatusCode)
				continue
			}
			if path == "/initiativen" {
				if res.Find(`script, img, [onerror]`).Length() > 0 {
					t.Errorf("%s with %.30q: input became markup", path, v)
				}
				if got := res.Find(`#feld-q`).AttrOr("value", ""); got != cleanQuery(v, 200) {
					t.Errorf("%s with %.30q: search field shows %q", path, v, got)
				}
			}
		}
		res := c.Get("/initiativen/" + url.PathEscape(v))
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("profile %.30q: status %d", v, res.StatusCode)
		}
	}
}

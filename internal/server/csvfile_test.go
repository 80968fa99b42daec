package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"rii/internal/webtest"
)

// readExcelCSV parses a download written for German Excel, failing the
// test unless it starts with the byte order mark and uses semicolons.
func readExcelCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte(utf8BOM)) {
		t.Fatalf("no byte order mark: %q", body[:min(len(body), 40)])
	}
	rest := bytes.TrimPrefix(body, []byte(utf8BOM))
	first, _, _ := bytes.Cut(rest, []byte("\r\n"))
	if !bytes.Contains(first, []byte(";")) || bytes.Contains(first, []byte(",")) {
		t.Fatalf("header line not separated by semicolons: %q", first)
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestWriteCSVDialects(t *testing.T) {
	t.Parallel()
	rows := [][]string{{"name", "orte"}, {"Müller & Söhne; GmbH", "Lörrach, Köln"}, {"=SUMME(A1)", "-3"}}
	excel, err := writeCSV(excelCSV, rows)
	if err != nil {
		t.Fatal(err)
	}
	want := utf8BOM + "name;orte\r\n\"Müller & Söhne; GmbH\";Lörrach, Köln\r\n'=SUMME(A1);'-3\r\n"
	if string(excel) != want {
		t.Errorf("Excel variant\n got %q\nwant %q", excel, want)
	}
	machine, err := writeCSV(machineCSV, rows)
	if err != nil {
		t.Fatal(err)
	}
	want = "name,orte\r\nMüller & Söhne; GmbH,\"Lörrach, Köln\"\r\n'=SUMME(A1),'-3\r\n"
	if string(machine) != want {
		t.Errorf("machine variant\n got %q\nwant %q", machine, want)
	}
}

// TestCSVDownloadsAreForGermanExcel: every CSV the portal serves opens in
// German Excel (semicolons, UTF-8 with byte order mark, umlauts intact);
// the open data also comes as comma-separated RFC 4180 without BOM.
func TestCSVDownloadsAreForGermanExcel(t *testing.T) {
	t.Parallel()
	d := newDirWorld(t)
	seedDirectoryWorld(t, d)

	rows := readExcelCSV(t, d.as("anonymous").Get("/initiativen.csv").WantStatus(http.StatusOK).Body)
	if len(rows) != 3 || rows[0][0] != "name" || rows[1][0] != "Chemie und Pharma am Hochrhein e.V." ||
		rows[1][9] != "Lörrach; Waldshut; München" {
		t.Errorf("open data for Excel: %q", rows)
	}
	res := d.as("anonymous").Get("/initiativen.csv?trennzeichen=komma").WantStatus(http.StatusOK)
	if bytes.HasPrefix(res.Body, []byte(utf8BOM)) {
		t.Error("the machine-readable variant has a byte order mark")
	}
	plain, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(plain, rows, slices.Equal) {
		t.Errorf("comma variant differs from the Excel variant:\n%q\n%q", plain, rows)
	}
	page := d.as("anonymous").Get("/initiativen/offene-daten").WantStatus(http.StatusOK)
	if href := page.Find("[data-testid=opendata-csv-comma]").AttrOr("href", ""); href != "/initiativen.csv?trennzeichen=komma" {
		t.Errorf("open-data page links the comma variant as %q", href)
	}
	if page.Find("[data-testid=opendata-machine-csv] code").First().Text() != "/initiativen.csv?trennzeichen=komma" {
		t.Error("the open-data page does not document the comma variant")
	}

	official := d.as("official")
	for _, name := range []string{"kennzahlen.csv", "abdeckung-laender.csv"} {
		res := official.Get("/dashboard/export/" + name).WantStatus(http.StatusOK)
		if res.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s cached as %q", name, res.Header.Get("Cache-Control"))
		}
		rows := readExcelCSV(t, res.Body)
		if len(rows) < 2 {
			t.Errorf("%s: %q", name, rows)
		}
		if name == "abdeckung-laender.csv" && !slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "Baden-Württemberg") }) {
			t.Errorf("%s lacks Baden-Württemberg: %q", name, rows)
		}
	}
}

// checkImportRoundTrip: the template (tmpl, as downloaded), filled in and
// uploaded as Excel saves it, reads back with its umlauts; so does the
// same file with commas and without byte order mark. Called by
// TestImportTemplateIsAValidFile.
func checkImportRoundTrip(t *testing.T, w *world, c *webtest.Client, tmpl []byte) {
	t.Helper()
	rows := readExcelCSV(t, tmpl)
	rows = append(rows[:1], []string{"Übergänge Öhringen – Großindustrie", "Straße, Brücke; Säge", "", "ev", "2019",
		"", "Köln|05362", "", "", "", "", "entwurf"})
	for _, d := range []csvDialect{excelCSV, machineCSV} {
		file, err := writeCSV(d, rows)
		if err != nil {
			t.Fatal(err)
		}
		path, preview := uploadImport(t, c, string(file))
		if path == "" {
			t.Fatalf("%c-separated file refused: %s", d.comma, preview.Text("main"))
		}
		cells := preview.Find("[data-testid=import-rows] tbody tr td")
		if cells.First().Text() != "Übergänge Öhringen – Großindustrie" || preview.Find("[data-testid=row-errors]").Length() != 0 {
			t.Fatalf("%c-separated preview: %s", d.comma, preview.Text("[data-testid=import-rows]"))
		}
		if d == machineCSV {
			c.PostForm(path, url.Values{}).WantStatus(http.StatusSeeOther)
		}
	}
	if got := w.queryInt(`SELECT count(*) FROM initiatives WHERE name = 'Übergänge Öhringen – Großindustrie'
		AND short_description = 'Straße, Brücke; Säge'`); got != 1 {
		t.Errorf("%d initiatives imported with the umlauts intact, want 1", got)
	}
}

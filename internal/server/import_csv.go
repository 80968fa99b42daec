// Parsing and checking of CSV import files: pure functions, table-tested.

package server

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"rii/internal/initiative"
	"rii/internal/store"
)

// Bounds of an import file.
const (
	maxImportBytes = 2 << 20
	maxImportRows  = 5000
	importLifetime = 24 * time.Hour
)

// importColumn is one column of the import file, in template order.
type importColumn struct {
	key, label, content, example string
	required                     bool
}

var importColumns = []importColumn{
	{"name", "Name", "Name der Initiative, 2 bis 300 Zeichen", "Industrie im Rheinland", true},
	{"kurzbeschreibung", "Kurzbeschreibung", "Ein bis zwei Sätze, höchstens 500 Zeichen", "Unternehmen, Kammern und Gewerkschaften werben gemeinsam für die Industrie.", false},
	{"beschreibung", "Beschreibung", "Ziele und Angebote, höchstens 20.000 Zeichen", "Wir laden Schulklassen in die Betriebe ein.", false},
	{"rechtsform", "Rechtsform", "Kürzel oder Name einer Rechtsform", "ev", false},
	{"gruendungsjahr", "Gründungsjahr", "Jahreszahl", "2016", false},
	{"website", "Website", "Vollständige Adresse mit https://", "https://www.beispiel.de", false},
	{"kreise", "Kreise", "Amtliche Kreisschlüssel (AGS) oder Namen der Kreise", "05315|05362", true},
	{"themen", "Themen", "Kürzel oder Namen von Zukunftsthemen", "fachkraefte|akzeptanz", false},
	{"branchen", "Branchen", "Kürzel oder Namen von Branchen", "chemie|metall-elektro", false},
	{"zielgruppen", "Zielgruppen", "Kürzel oder Namen von Zielgruppen", "schueler|oeffentlichkeit", false},
	{"formate", "Formate", "Kürzel oder Namen von Formaten", "betriebsbesichtigungen|netzwerktreffen", false},
	{"status", "Status", "entwurf oder veroeffentlicht; leer heißt entwurf", "entwurf", false},
}

// columnLabel is the German name of a column (or "Zeile" for the row).
func columnLabel(key string) string {
	for _, c := range importColumns {
		if c.key == key {
			return c.label
		}
	}
	return "Zeile"
}

// importRecord is one data row: its line in the file and its cells by column.
type importRecord struct {
	line  int
	cells map[string]string
	// stray says the row has values outside the named columns.
	stray bool
}

// parseImportFile decodes and splits an upload into rows by column. A
// message says why the whole file is refused; row problems come later.
func parseImportFile(data []byte) ([]importRecord, string) {
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return nil, "Die Datei ist als UTF-16 („Unicode-Text“) gespeichert. Bitte speichern Sie sie als „CSV UTF-8“ oder „CSV (Trennzeichen-getrennt)“."
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "Die Datei ist leer."
	}
	// Excel on German Windows saves Windows-1252. A file with no UTF-8
	// sequence at all is read so; a mostly UTF-8 file with a broken byte
	// stays UTF-8, and the cells concerned get their own messages.
	if !utf8.Valid(data) && !hasUTF8Sequence(data) {
		if d, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			data = d
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord = detectDelimiter(data), -1
	header, err := r.Read()
	if err != nil {
		return nil, csvMessage(err)
	}
	cols, msg := importHeader(header)
	if msg != "" {
		return nil, msg
	}
	var out []importRecord
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvMessage(err)
		}
		if strings.TrimSpace(strings.Join(cells, "")) == "" {
			continue
		}
		if len(out) == maxImportRows {
			return nil, "Die Datei hat mehr als 5.000 Zeilen. Bitte teilen Sie sie auf mehrere Dateien auf."
		}
		line, _ := r.FieldPos(0)
		rec := importRecord{line: line, cells: map[string]string{}}
		for i, v := range cells {
			switch {
			case i < len(cols) && cols[i] != "":
				rec.cells[cols[i]] = v
			case strings.TrimSpace(v) != "":
				rec.stray = true
			}
		}
		out = append(out, rec)
	}
	if len(out) == 0 {
		return nil, "Die Datei enthält nur die Kopfzeile, aber keine Initiativen."
	}
	return out, ""
}

// hasUTF8Sequence reports whether data holds a valid multi-byte UTF-8
// character, which a Windows-1252 file practically never does.
func hasUTF8Sequence(data []byte) bool {
	for len(data) > 0 {
		c, n := utf8.DecodeRune(data)
		if c != utf8.RuneError && n > 1 {
			return true
		}
		data = data[n:]
	}
	return false
}

// detectDelimiter picks semicolon (German Excel), comma or tab by what the
// first line holds most.
func detectDelimiter(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(first, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// importHeader maps the header cells to column keys; "" ignores a column
// without a heading.
func importHeader(header []string) ([]string, string) {
	aliases := map[string]string{"webseite": "website", "kreis": "kreise", "landkreise": "kreise", "thema": "themen",
		"branche": "branchen", "zielgruppe": "zielgruppen", "format": "formate", "kurztext": "kurzbeschreibung"}
	known := map[string]bool{}
	for _, c := range importColumns {
		known[c.key] = true
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		if strings.TrimSpace(h) == "" {
			continue
		}
		key := strings.ReplaceAll(initiative.Slugify(h), "-", "")
		if a, ok := aliases[key]; ok {
			key = a
		}
		if !known[key] {
			return nil, "Die Spalte „" + displayText(h, 40) + "“ ist unbekannt. Erlaubt sind: " + columnList() + "."
		}
		if seen[key] {
			return nil, "Die Spalte „" + key + "“ kommt in der Kopfzeile zweimal vor."
		}
		cols[i], seen[key] = key, true
	}
	for _, c := range importColumns {
		if c.required && !seen[c.key] {
			return nil, "Die Kopfzeile muss die Spalte „" + c.key + "“ enthalten. Erlaubt sind: " + columnList() + "."
		}
	}
	return cols, ""
}

func columnList() string { return strings.Join(columnKeys(), ", ") }

// csvMessage explains a CSV syntax error in German, with its line.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "Zeile " + strconv.Itoa(pe.Line) + ": Ein Anführungszeichen steht an falscher Stelle. Zellen mit Anführungszeichen, Trennzeichen oder Zeilenumbruch müssen ganz in doppelten Anführungszeichen stehen, ein Anführungszeichen darin wird verdoppelt (\"\")."
	}
	return "Die Datei konnte nicht als CSV gelesen werden."
}

// displayText makes a value safe and short to show: valid UTF-8, no
// control characters, at most n characters.
func displayText(s string, n int) string {
	s = strings.Map(func(c rune) rune {
		if unicode.IsControl(c) {
			return '\uFFFD'
		}
		return c
	}, strings.ToValidUTF8(strings.TrimSpace(s), "\uFFFD"))
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// importLookup resolves the values of the vocabulary columns, given as key
// (slug, AGS) or German name, in any case.
type importLookup struct {
	vocab initiative.Vocab
	terms map[string]map[string]string // column → lower key or name → key
}

// newImportLookup builds the lookup from the vocabularies and districts.
func newImportLookup(v *store.Vocabularies, ds []store.District) importLookup {
	lk := importLookup{terms: map[string]map[string]string{}}
	add := func(col string, ts []store.Term) map[string]bool {
		m, set := map[string]string{}, map[string]bool{}
		for _, t := range ts {
			m[strings.ToLower(t.Slug)], m[strings.ToLower(t.Name)], set[t.Slug] = t.Slug, t.Slug, true
		}
		lk.terms[col] = m
		return set
	}
	lk.vocab = initiative.Vocab{LegalForms: add("rechtsform", v.LegalForms), Topics: add("themen", v.Topics),
		Sectors: add("branchen", v.Sectors), TargetGroups: add("zielgruppen", v.TargetGroups), Formats: add("formate", v.Formats)}
	terms := make([]store.Term, 0, len(ds))
	for _, d := range ds {
		terms = append(terms, store.Term{Slug: d.AGS, Name: d.DisplayName})
	}
	lk.vocab.Districts = add("kreise", terms)
	return lk
}

// values resolves a cell of a vocabulary column split at "|" (and commas,
// unless a value with a comma is known as a whole); bad is the first
// unknown value.
func (lk importLookup) values(col, cell string) (keys []string, bad string) {
	for _, part := range strings.Split(cell, "|") {
		pieces := []string{part}
		if _, whole := lk.terms[col][strings.ToLower(strings.TrimSpace(part))]; !whole {
			pieces = strings.Split(part, ",")
		}
		for _, p := range pieces {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			key, ok := lk.terms[col][strings.ToLower(p)]
			if !ok && bad == "" {
				bad = p
			}
			if ok {
				keys = append(keys, key)
			}
		}
	}
	return keys, bad
}

// importInput turns a row into profile input and checks it like the
// profile form does, plus what only a file can get wrong.
func importInput(rec importRecord, lk importLookup, year int) (initiative.Input, string, initiative.Errors) {
	c := rec.cells
	in := initiative.Input{Name: c["name"], ShortDescription: c["kurzbeschreibung"], Description: c["beschreibung"],
		FoundingYear: c["gruendungsjahr"], Website: initiative.NormalizeWebsite(c["website"])}
	unknown := map[string]string{}
	legal, bad := lk.values("rechtsform", c["rechtsform"])
	if len(legal) > 1 {
		bad = c["rechtsform"]
	} else if len(legal) == 1 {
		in.LegalForm = legal[0]
	}
	unknown["rechtsform"] = bad
	in.Districts, unknown["kreise"] = lk.values("kreise", c["kreise"])
	in.Topics, unknown["themen"] = lk.values("themen", c["themen"])
	in.Sectors, unknown["branchen"] = lk.values("branchen", c["branchen"])
	in.TargetGroups, unknown["zielgruppen"] = lk.values("zielgruppen", c["zielgruppen"])
	in.Formats, unknown["formate"] = lk.values("formate", c["formate"])
	errs := initiative.Validate(in, lk.vocab, year)
	for col, v := range unknown {
		if v != "" {
			errs[col] = "„" + displayText(v, 60) + "“ ist kein bekannter Wert. Erlaubt sind die Kürzel und Namen aus den Listen auf der Importseite."
		}
	}
	for _, f := range []struct{ col, value, starts string }{
		{"name", in.Name, "=+-@"}, {"kurzbeschreibung", in.ShortDescription, "=+-@"}, {"beschreibung", in.Description, "=@"},
	} {
		if t := strings.TrimSpace(f.value); errs[f.col] == "" && t != "" && strings.ContainsRune(f.starts, rune(t[0])) {
			errs[f.col] = "Der Text beginnt mit „" + t[:1] + "“ und würde in einer Tabellenkalkulation als Formel ausgeführt. Bitte entfernen Sie das Zeichen am Anfang."
		}
	}
	status := initiative.StatusDraft
	switch strings.ToLower(strings.TrimSpace(c["status"])) {
	case "", "entwurf":
	case "veroeffentlicht", "veröffentlicht":
		status = initiative.StatusPublished
	default:
		errs["status"] = "Bitte geben Sie als Status „entwurf“ oder „veroeffentlicht“ an (leer heißt entwurf)."
	}
	if rec.stray {
		errs["zeile"] = "Die Zeile hat Werte in Spalten ohne Überschrift. Bitte prüfen Sie Trennzeichen und Anführungszeichen."
	}
	return in, status, errs
}

// nameKey compares names ignoring case and spacing.
func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// importKeys are what the store needs to find collisions: the slug bases
// and name keys of the rows.
func importKeys(recs []importRecord) (bases, names []string) {
	for _, r := range recs {
		bases = append(bases, initiative.Slugify(r.cells["name"]))
		// PostgreSQL text holds neither NUL nor invalid UTF-8; such names fail their check anyway.
		names = append(names, nameKey(strings.ReplaceAll(strings.ToValidUTF8(r.cells["name"], ""), "\x00", "")))
	}
	return bases, names
}

// checkImportRows checks every row, finds duplicate names in the file and
// among existing initiatives, and gives each valid row the free slug it
// will be created under.
func checkImportRows(recs []importRecord, lk importLookup, existing []store.InitiativeName, year int) []store.ImportRow {
	taken, names := map[string]bool{}, map[string]string{}
	for _, e := range existing {
		taken[e.Slug], names[nameKey(e.Name)] = true, "Eine Initiative mit diesem Namen gibt es schon: /initiativen/"+e.Slug+"."
	}
	out := make([]store.ImportRow, 0, len(recs))
	for _, rec := range recs {
		in, status, errs := importInput(rec, lk, year)
		if _, bad := errs["name"]; !bad {
			if dup, ok := names[nameKey(in.Name)]; ok {
				errs["name"] = dup
			} else {
				names[nameKey(in.Name)] = "Der Name steht schon in Zeile " + strconv.Itoa(rec.line) + " der Datei."
			}
		}
		row := store.ImportRow{Line: rec.line, Name: displayText(in.Name, 120)}
		for _, col := range append(columnKeys(), "zeile") {
			if msg, bad := errs[col]; bad {
				row.Errors = append(row.Errors, store.ImportError{Field: col, Message: msg})
			}
		}
		if len(row.Errors) == 0 {
			p := profileFromInput(in)
			row.Slug, row.Status, row.Profile = freeSlug(initiative.Slugify(p.Name), taken), status, &p
			taken[row.Slug] = true
		}
		out = append(out, row)
	}
	return out
}

// columnKeys are the column keys in template order.
func columnKeys() []string {
	keys := make([]string, len(importColumns))
	for i, c := range importColumns {
		keys[i] = c.key
	}
	return keys
}

// freeSlug is base, or the first of base-2, base-3 … not taken.
func freeSlug(base string, taken map[string]bool) string {
	slug := base
	for n := 2; taken[slug]; n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	return slug
}

// importTemplate is the example file, for German Excel like every CSV
// download (csvfile.go).
func importTemplate() ([]byte, error) {
	header, example := make([]string, len(importColumns)), make([]string, len(importColumns))
	for i, c := range importColumns {
		header[i], example[i] = c.key, c.example
	}
	return writeCSV(excelCSV, [][]string{header, example, {"Netzwerk Industrie Musterkreis", "", "", "Informelles Netzwerk",
		"", "", "Köln, Rhein-Erft-Kreis", "Innovation|Energie", "", "", "", ""}})
}

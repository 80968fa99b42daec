package server

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
)

// csvDialect is how a CSV file is written. Every CSV download of the portal
// (open data, dashboard exports, participants, the import template) goes
// through writeCSV, so they all read alike.
type csvDialect struct {
	comma rune
	bom   bool
}

var (
	// excelCSV is what German Excel opens with a double click: semicolons
	// (its list separator), UTF-8 announced by a byte order mark (or the
	// umlauts break), CRLF line ends.
	excelCSV = csvDialect{comma: ';', bom: true}
	// machineCSV is plain RFC 4180 for programs: commas, no byte order mark.
	machineCSV = csvDialect{comma: ','}
)

// utf8BOM is the byte order mark Excel needs to read a CSV file as UTF-8.
const utf8BOM = "\uFEFF"

// writeCSV writes rows (the header first) in the dialect. Every cell is
// defused so that no spreadsheet runs it as a formula.
func writeCSV(d csvDialect, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	if d.bom {
		buf.WriteString(utf8BOM)
	}
	cw := csv.NewWriter(&buf)
	cw.Comma, cw.UseCRLF = d.comma, true
	cell := make([]string, 0, 32)
	for _, row := range rows {
		cell = cell[:0]
		for _, v := range row {
			cell = append(cell, spreadsheetSafe(v))
		}
		if err := cw.Write(cell); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// spreadsheetSafe keeps a spreadsheet from reading a cell as a formula
// (CSV injection): a leading =, +, -, @, tab or CR gets an apostrophe.
func spreadsheetSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// sendCSV answers with a CSV download that no cache keeps (it may hold
// what only signed-in users see).
func sendCSV(w http.ResponseWriter, filename string, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	_, err := w.Write(body)
	return err
}

package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"rii/internal/store"
	"rii/web/pages"
	"rii/web/paths"
)

// The open data licence of the directory.
const (
	dataLicenceName = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
	dataLicenceURL  = "https://www.govdata.de/dl-de/by-2-0"
	// openDataMaxAge is how long caches may keep a download.
	openDataMaxAge = 5 * time.Minute
)

// openRecord is one initiative in the JSON download. Contacts are left out
// on purpose: consent to be shown on a profile is no consent to free reuse.
type openRecord struct {
	Name             string       `json:"name"`
	Slug             string       `json:"slug"`
	URL              string       `json:"url"`
	ShortDescription string       `json:"kurzbeschreibung"`
	Description      string       `json:"beschreibung"`
	LegalForm        *string      `json:"rechtsform"`
	FoundingYear     *int         `json:"gruendungsjahr"`
	Website          *string      `json:"website"`
	States           []string     `json:"laender"`
	Regions          []openRegion `json:"kreise"`
	Topics           []string     `json:"themen"`
	Sectors          []string     `json:"branchen"`
	TargetGroups     []string     `json:"zielgruppen"`
	Formats          []string     `json:"formate"`
	Members          []openMember `json:"mitglieder"`
	Published        *string      `json:"veroeffentlicht_am"`
	Updated          string       `json:"aktualisiert_am"`
	Confirmed        *string      `json:"bestaetigt_am"`
}

type openRegion struct {
	AGS       string `json:"ags"`
	Name      string `json:"name"`
	StateCode string `json:"land_schluessel"`
	State     string `json:"land"`
}

type openMember struct {
	Name string `json:"name"`
	Kind string `json:"art"`
}

// openDataFields documents the downloads; the CSV columns are exactly
// these, in this order (openRecord.row writes them).
var openDataFields = []pages.OpenDataField{
	{CSV: "name", JSON: "name", Meaning: "Name der Initiative"},
	{CSV: "slug", JSON: "slug", Meaning: "Kennung, Teil der Adresse des Profils"},
	{CSV: "url", JSON: "url", Meaning: "Adresse des Profils im RII-Portal"},
	{CSV: "kurzbeschreibung", JSON: "kurzbeschreibung", Meaning: "Kurzbeschreibung (höchstens 500 Zeichen)"},
	{CSV: "beschreibung", JSON: "beschreibung", Meaning: "Ausführliche Beschreibung, Text mit Absätzen (Leerzeile)"},
	{CSV: "rechtsform", JSON: "rechtsform", Meaning: "Rechtsform, z. B. „Eingetragener Verein (e.V.)“"},
	{CSV: "gruendungsjahr", JSON: "gruendungsjahr", Meaning: "Gründungsjahr"},
	{CSV: "website", JSON: "website", Meaning: "Website der Initiative"},
	{CSV: "laender", JSON: "laender", Meaning: "Länder, in denen die Initiative arbeitet"},
	{CSV: "kreise", JSON: "kreise[].name", Meaning: "Kreise und kreisfreie Städte, in denen die Initiative arbeitet"},
	{CSV: "kreisschluessel", JSON: "kreise[].ags", Meaning: "Deren amtliche Kreisschlüssel (AGS, fünfstellig); im JSON auch land_schluessel und land"},
	{CSV: "themen", JSON: "themen", Meaning: "Zukunftsthemen"},
	{CSV: "branchen", JSON: "branchen", Meaning: "Branchen"},
	{CSV: "zielgruppen", JSON: "zielgruppen", Meaning: "Zielgruppen"},
	{CSV: "formate", JSON: "formate", Meaning: "Formate der Arbeit"},
	{CSV: "mitglieder", JSON: "mitglieder[].name", Meaning: "Mitgliedsorganisationen und Partner; im JSON mit ihrer Art (art)"},
	{CSV: "veroeffentlicht_am", JSON: "veroeffentlicht_am", Meaning: "Tag der Veröffentlichung im Verzeichnis"},
	{CSV: "aktualisiert_am", JSON: "aktualisiert_am", Meaning: "Tag der letzten Änderung"},
	{CSV: "bestaetigt_am", JSON: "bestaetigt_am", Meaning: "Tag, an dem die Initiative ihre Angaben zuletzt bestätigt hat"},
}

// openRecordOf converts an initiative to its public record.
func (s *Server) openRecordOf(d store.InitiativeDetail) openRecord {
	day := func(t *time.Time) *string {
		if t == nil {
			return nil
		}
		v := t.In(berlin).Format(time.DateOnly)
		return &v
	}
	opt := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	rec := openRecord{Name: d.Name, Slug: d.Slug, URL: s.link(paths.Initiative(d.Slug)), ShortDescription: d.ShortDescription,
		Description: d.Description, LegalForm: opt(d.LegalForm), FoundingYear: d.FoundingYear, Website: opt(d.Website),
		Published: day(d.PublishedAt), Updated: *day(&d.UpdatedAt), Confirmed: day(d.ConfirmedAt),
		States: []string{}, Regions: []openRegion{}, Members: []openMember{}}
	for _, r := range d.Regions {
		if len(rec.States) == 0 || rec.States[len(rec.States)-1] != r.StateName {
			rec.States = append(rec.States, r.StateName)
		}
		rec.Regions = append(rec.Regions, openRegion{AGS: r.AGS, Name: r.Name, StateCode: r.StateCode, State: r.StateName})
	}
	names := func(terms []store.Term) []string {
		out := []string{}
		for _, t := range terms {
			out = append(out, t.Name)
		}
		return out
	}
	rec.Topics, rec.Sectors, rec.TargetGroups, rec.Formats = names(d.Topics), names(d.Sectors), names(d.TargetGroups), names(d.Formats)
	for _, m := range d.Members {
		rec.Members = append(rec.Members, openMember{Name: m.Name, Kind: memberKindHeadings[m.Kind]})
	}
	return rec
}

// row is the record as CSV fields, in the order of openDataFields.
func (rec openRecord) row() []string {
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	year := ""
	if rec.FoundingYear != nil {
		year = strconv.Itoa(*rec.FoundingYear)
	}
	var districts, keys, members []string
	for _, r := range rec.Regions {
		districts, keys = append(districts, r.Name), append(keys, r.AGS)
	}
	for _, m := range rec.Members {
		members = append(members, m.Name)
	}
	list := func(l []string) string { return strings.Join(l, "; ") }
	return []string{rec.Name, rec.Slug, rec.URL, rec.ShortDescription, rec.Description, deref(rec.LegalForm), year,
		deref(rec.Website), list(rec.States), list(districts), list(keys), list(rec.Topics), list(rec.Sectors),
		list(rec.TargetGroups), list(rec.Formats), list(members), deref(rec.Published), rec.Updated, deref(rec.Confirmed)}
}

// openData loads the records the query selects.
func (s *Server) openData(r *http.Request) ([]openRecord, error) {
	list, err := s.store.OpenData(r.Context(), parseDirectoryQuery(r.URL.Query()).filter())
	if err != nil {
		return nil, err
	}
	out := make([]openRecord, 0, len(list))
	for _, d := range list {
		out = append(out, s.openRecordOf(d))
	}
	return out, nil
}

// listOpenDataCSV is /initiativen.csv: semicolons and a byte order mark
// for German Excel; with ?trennzeichen=komma plain RFC 4180 for programs.
func (s *Server) listOpenDataCSV(w http.ResponseWriter, r *http.Request) error {
	recs, err := s.openData(r)
	if err != nil {
		return err
	}
	header := make([]string, len(openDataFields))
	for i, f := range openDataFields {
		header[i] = f.CSV
	}
	rows := append(make([][]string, 0, len(recs)+1), header)
	for _, rec := range recs {
		rows = append(rows, rec.row())
	}
	dialect := excelCSV
	if r.URL.Query().Get(openDataSeparator) == "komma" {
		dialect = machineCSV
	}
	body, err := writeCSV(dialect, rows)
	if err != nil {
		return err
	}
	return s.writeDownload(w, r, "text/csv; charset=utf-8; header=present", "attachment", "csv", body)
}

// openDataSeparator is the query parameter choosing the comma variant.
const openDataSeparator = "trennzeichen"

// listOpenDataJSON is /initiativen.json: an array of openRecord.
func (s *Server) listOpenDataJSON(w http.ResponseWriter, r *http.Request) error {
	recs, err := s.openData(r)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(recs, "", "  ")
	if err != nil {
		return err
	}
	return s.writeDownload(w, r, "application/json; charset=utf-8", "inline", "json", append(body, '\n'))
}

// writeDownload sends a download with its name, licence and cache headers;
// a matching If-None-Match gets 304.
func (s *Server) writeDownload(w http.ResponseWriter, r *http.Request, contentType, disposition, ext string, body []byte) error {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(openDataMaxAge.Seconds())))
	h.Set("ETag", etag)
	h.Set("Link", "<"+dataLicenceURL+`>; rel="license"`)
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", disposition+`; filename="initiativen-`+s.now().In(berlin).Format(time.DateOnly)+"."+ext+`"`)
	w.Write(body)
	return nil
}

// showOpenData is /initiativen/offene-daten: what the downloads hold.
func (s *Server) showOpenData(w http.ResponseWriter, r *http.Request) error {
	n, err := s.store.PublishedCount(r.Context())
	if err != nil {
		return err
	}
	frame := s.frame(r, "Offene Daten: Verzeichnis der Initiativen")
	frame.Description = "Das Verzeichnis der regionalen Industrieinitiativen als CSV und JSON, unter der " + dataLicenceName + "."
	return s.render(w, r, pages.OpenData(pages.OpenDataView{Frame: frame,
		CSVHref: "/initiativen.csv", MachineCSVHref: "/initiativen.csv?" + openDataSeparator + "=komma", JSONHref: "/initiativen.json", Count: "derzeit " + thousands(n),
		Fields: openDataFields, LicenceName: dataLicenceName, Licence: dataLicenceURL,
		Examples: []pages.Link{
			{Label: "Alle Initiativen in Baden-Württemberg als CSV", Href: "/initiativen.csv?land=08"},
			{Label: "Initiativen zum Thema Klimaschutz und Klimaneutralität als JSON", Href: "/initiativen.json?thema=klimaschutz"},
			{Label: "Suche nach „Chemie“, nach Namen sortiert, als JSON", Href: "/initiativen.json?q=Chemie&sortierung=name"},
			{Label: "Zuletzt aktualisierte Initiativen zuerst, als CSV", Href: "/initiativen.csv?sortierung=aktualisiert"},
		}}))
}

package pages

import "net/url"

// SearchExample is an example of the search syntax in a help text: the
// sentence around a query people can follow as a link. A test runs each
// one over the demo content, so the help never promises what the search
// does not do.
type SearchExample struct {
	Lead, Query, Rest string
}

// Href is the search of the example at path (/suche or /initiativen).
func (e SearchExample) Href(path string) string {
	return path + "?" + url.Values{"q": {e.Query}}.Encode()
}

// SearchExamples explain the portal-wide search (/suche).
var SearchExamples = []SearchExample{
	{"Wortformen werden erkannt:", "Fachkraft", " findet auch „Fachkräfte“."},
	{"Kleine Tippfehler verzeiht die Suche:", "Auftaktveranstaltng", " findet die Auftaktveranstaltung."},
	{"Mehrere Wörter müssen alle vorkommen. Mit „oder“ genügt eines:", "Energie oder Wasserstoff", "."},
	{"Wortgruppen in Anführungszeichen:", `"Zukunft der Industrie"`, "."},
	{"Ein Minus schließt ein Wort aus:", "Industrie -Chemie", "."},
	{"Orte finden die Initiativen, die dort wirken – Länder, Kreise und kreisfreie Städte:", "Lörrach", "."},
}

// DirectoryExamples explain the search of the directory (/initiativen).
var DirectoryExamples = []SearchExample{
	{"Name, Region oder Stichwort, zum Beispiel", "Chemie Hochrhein", ","},
	{"", "Landkreis Lörrach", ","},
	{"", "Fachkräfte oder Energie", ""},
	{"oder", "Industrie -Chemie", "."},
}

// DirectoryHint is the hint of the directory's search field, built from
// DirectoryExamples.
func DirectoryHint() string {
	s := ""
	for _, e := range DirectoryExamples {
		if e.Lead != "" {
			s += e.Lead + " "
		}
		s += "„" + e.Query + "“" + e.Rest
		if e.Rest != "." {
			s += " "
		}
	}
	return s
}

package report

import (
	"rii/internal/input"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Input is a report's fields as typed into the form; the tags name the
// form fields (see pages.ReportFormFields).
type Input struct {
	Kicker   string `form:"dachzeile"`
	Title    string `form:"titel"`
	Subtitle string `form:"untertitel"`
	Body     string `form:"text"`
	// Contact is the chosen contact's id; the store checks it exists.
	Contact     string `form:"kontakt"`
	ContactRole string `form:"kontakt_rolle"`
	SampleNote  string `form:"hinweis"`
}

// Errors maps form field names to German messages.
type Errors map[string]string

// Form field names of the report editor, in page order.
const (
	FieldKicker      = "dachzeile"
	FieldTitle       = "titel"
	FieldSubtitle    = "untertitel"
	FieldBody        = "text"
	FieldContact     = "kontakt"
	FieldContactRole = "kontakt_rolle"
	FieldSampleNote  = "hinweis"
)

// MaxBody is the longest body the portal stores, in characters.
const MaxBody = 100000

// Validate checks a report's fields and returns the problems per field.
func Validate(in Input) Errors {
	e := Errors{}
	line := func(field, value, subject string, max int) {
		if _, msg := (input.Rule{Subject: subject, Max: max}).Check(value); msg != "" {
			e[field] = msg
		}
	}
	line(FieldKicker, in.Kicker, "Die Dachzeile", 200)
	line(FieldTitle, in.Title, "Der Titel", 300)
	if _, bad := e[FieldTitle]; !bad && strings.TrimSpace(in.Title) == "" {
		e[FieldTitle] = "Bitte geben Sie dem Bericht einen Titel."
	}
	line(FieldSubtitle, in.Subtitle, "Der Untertitel", 500)
	line(FieldContactRole, in.ContactRole, "Die Rolle der Ansprechperson", 300)
	note := strings.ReplaceAll(in.SampleNote, "\r\n", "\n")
	line(FieldSampleNote, strings.ReplaceAll(note, "\n", " "), "Der Hinweis", 1000)
	if msg := CheckBody(in.Body); msg != "" {
		e[FieldBody] = msg
	}
	return e
}

// CheckBody checks the Markdown of a report: its length, its blocks and its
// images. It returns a German message, "" when the text is fine.
func CheckBody(body string) string {
	if _, msg := (input.Rule{Subject: "Der Text", Max: MaxBody, Lines: true}).Check(body); msg != "" {
		return msg
	}
	source := []byte(body)
	pc := parser.NewContext()
	md.Parser().Parse(text.NewReader(source), parser.WithContext(pc))
	problems, _ := pc.Get(problemsKey).([]problem)
	var msgs []string
	seen := map[string]bool{}
	for _, p := range problems {
		if m := p.message(); !seen[m] {
			seen[m] = true
			msgs = append(msgs, m)
		}
	}
	if len(msgs) > 3 {
		msgs = append(msgs[:3], "Dazu "+strconv.Itoa(len(msgs)-3)+" weitere Probleme.")
	}
	return strings.Join(msgs, " ")
}

// message says in German what is wrong and how to put it right.
func (p problem) message() string {
	at := "in Zeile " + strconv.Itoa(p.line+1)
	arg := p.arg
	if r := []rune(arg); len(r) > 60 {
		arg = string(r[:60]) + "…"
	}
	switch p.what {
	case "noalt":
		return "Bitte beschreiben Sie jedes Bild mit einem Alternativtext: ![Was das Bild zeigt](/bilder/…). Dem Bild „" + arg + "“ fehlt er."
	case "foreign":
		return "Bilder können nur aus dem Portal eingebunden werden (Adresse /bilder/…, siehe „Bild hochladen“); „" + arg + "“ ist keine solche Adresse."
	case "unclosed":
		return "Der Block „::: " + arg + "“ " + at + " ist nicht mit einer Zeile „:::“ geschlossen."
	case "nested":
		return "Blöcke können nicht ineinander stehen: Schließen Sie den vorigen Block mit „:::“, bevor Sie " + at + " „::: " + arg + "“ öffnen."
	case "stray":
		return "Das „:::“ " + at + " schließt keinen offenen Block."
	case "unknown":
		return "„::: " + arg + "“ " + at + " ist kein bekannter Block. Möglich sind „::: kurz“ (In Kürze) und „::: mehr“ (Mehr zum Thema)."
	}
	return "Der Text enthält einen Fehler " + at + "."
}

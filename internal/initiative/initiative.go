// Package initiative is the vocabulary of the directory: statuses, member
// kinds, slugs and the pure validation of a profile.
package initiative

import (
	"net/url"
	"regexp"
	"rii/internal/input"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Statuses of an initiative.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusPublished = "published"
	StatusArchived  = "archived"
)

// StatusLabel is the German name of a status.
func StatusLabel(s string) string {
	switch s {
	case StatusDraft:
		return "Entwurf"
	case StatusSubmitted:
		return "zur Prüfung eingereicht"
	case StatusPublished:
		return "veröffentlicht"
	case StatusArchived:
		return "archiviert"
	}
	return s
}

// MemberKinds are the kinds of member organisations, in display order.
var MemberKinds = []struct{ Slug, Label string }{
	{"unternehmen", "Unternehmen"},
	{"kammer", "Kammer"},
	{"gewerkschaft", "Gewerkschaft"},
	{"kommune", "Stadt oder Gemeinde"},
	{"landkreis", "Landkreis"},
	{"verband", "Verband"},
	{"wissenschaft", "Hochschule oder Forschung"},
	{"sonstige", "Sonstige"},
}

// MemberKindLabel is the German name of a member kind.
func MemberKindLabel(slug string) string {
	for _, k := range MemberKinds {
		if k.Slug == slug {
			return k.Label
		}
	}
	return slug
}

// reserved are path segments under /initiativen that are not profiles.
var reserved = map[string]bool{"neu": true, "offene-daten": true, "karte": true}

// Slugify turns a name into a URL slug: lower case ASCII, German umlauts
// spelled out, words joined by hyphens, at most 80 characters.
func Slugify(name string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue", "ß", "ss", "@", "-at-", "&", "-und-")
	s := norm.NFKD.String(r.Replace(name))
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case unicode.Is(unicode.Mn, c):
			// combining accent left by NFKD: drop it
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 80 {
		out = strings.Trim(out[:80], "-")
	}
	if out == "" || reserved[out] {
		out = "initiative-" + out
		out = strings.Trim(out, "-")
	}
	return out
}

// websiteRule is the database's CHECK on initiatives.website: what passes
// here must pass there.
var websiteRule = regexp.MustCompile(`^https?://[^\s/$.?#].[^\s]*$`)

// NormalizeWebsite trims a website address and lower-cases its scheme
// ("HTTPS://…" is what people type from print).
func NormalizeWebsite(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i > 0 {
		s = strings.ToLower(s[:i]) + s[i:]
	}
	return s
}

// Vocab holds the allowed values of the profile's sets.
type Vocab struct {
	LegalForms, Districts, Topics, Sectors, TargetGroups, Formats map[string]bool
}

// Input is a profile as typed into the form, raw.
type Input struct {
	Name, ShortDescription, Description, LegalForm, FoundingYear, Website string
	Districts, Topics, Sectors, TargetGroups, Formats                     []string
	MemberNames, MemberKinds                                              []string
}

// Errors maps form field names to German messages.
type Errors map[string]string

// Validate checks the input against the vocabularies and returns the
// problems per field; thisYear bounds the founding year.
func Validate(in Input, v Vocab, thisYear int) Errors {
	e := Errors{}
	// text checks a free-text field; subject starts the German sentence.
	text := func(field, value, subject string, max int) {
		lines := field != "name" // the descriptions are text areas
		if _, msg := (input.Rule{Subject: subject, Max: max, Lines: lines}).Check(value); msg != "" {
			e[field] = msg
		}
	}
	text("name", in.Name, "Der Name", 300)
	if _, bad := e["name"]; !bad && utf8.RuneCountInString(strings.TrimSpace(in.Name)) < 2 {
		e["name"] = "Bitte geben Sie den Namen der Initiative an (mindestens 2 Zeichen)."
	}
	text("kurzbeschreibung", in.ShortDescription, "Die Kurzbeschreibung", 500)
	text("beschreibung", in.Description, "Die Beschreibung", 20000)
	if in.LegalForm != "" && !v.LegalForms[in.LegalForm] {
		e["rechtsform"] = "Bitte wählen Sie eine Rechtsform aus der Liste."
	}
	if y := strings.TrimSpace(in.FoundingYear); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1800 || n > thisYear {
			e["gruendungsjahr"] = "Bitte geben Sie das Gründungsjahr als Jahreszahl zwischen 1800 und " + strconv.Itoa(thisYear) + " an, zum Beispiel 2015."
		}
	}
	if w := NormalizeWebsite(in.Website); w != "" {
		u, err := url.Parse(w)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || !strings.Contains(u.Host, ".") ||
			strings.ContainsAny(w, " \t\r\n\"<>") || len(w) > 500 || !websiteRule.MatchString(w) {
			e["website"] = "Bitte geben Sie die Adresse der Website vollständig an, zum Beispiel https://www.beispiel.de."
		}
	}
	sets := []struct {
		field  string
		values []string
		known  map[string]bool
		label  string
	}{
		{"kreise", in.Districts, v.Districts, "Landkreise und Städte"},
		{"themen", in.Topics, v.Topics, "Themen"},
		{"branchen", in.Sectors, v.Sectors, "Branchen"},
		{"zielgruppen", in.TargetGroups, v.TargetGroups, "Zielgruppen"},
		{"formate", in.Formats, v.Formats, "Formate"},
	}
	for _, s := range sets {
		for _, x := range s.values {
			if !s.known[x] {
				e[s.field] = "Bitte wählen Sie nur " + s.label + " aus der Liste."
				break
			}
		}
	}
	if len(in.Districts) == 0 {
		e["kreise"] = "Bitte wählen Sie mindestens einen Landkreis oder eine kreisfreie Stadt, in der die Initiative wirkt."
	}
	for i, name := range in.MemberNames {
		kind := ""
		if i < len(in.MemberKinds) {
			kind = in.MemberKinds[i]
		}
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if _, msg := (input.Rule{Max: 300}).Check(name); msg != "" {
			e["mitglieder"] = "Der Name einer Mitgliedsorganisation ist zu lang oder enthält ungültige Zeichen."
		}
		if MemberKindLabel(kind) == kind {
			e["mitglieder"] = "Bitte wählen Sie für jede Mitgliedsorganisation die Art aus der Liste."
		}
	}
	return e
}

package initiative

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Chemie und Pharma am Hochrhein e.V.":      "chemie-und-pharma-am-hochrhein-e-v",
		"In|du|strie – Gemeinsam. Zukunft. Leben.": "in-du-strie-gemeinsam-zukunft-leben",
		"industry@work":         "industry-at-work",
		"Müller & Söhne Straße": "mueller-und-soehne-strasse",
		"Café Élan":             "cafe-elan",
		"neu":                   "initiative-neu",
		"<script>":              "script",
		"!!!":                   "initiative",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Slugify(strings.Repeat("Wort ", 40)); len(got) > 80 || strings.HasSuffix(got, "-") {
		t.Errorf("long slug %q", got)
	}
}

func TestValidate(t *testing.T) {
	v := Vocab{
		LegalForms: map[string]bool{"ev": true}, Districts: map[string]bool{"08336": true},
		Topics: map[string]bool{"energie": true}, Sectors: map[string]bool{}, TargetGroups: map[string]bool{}, Formats: map[string]bool{},
	}
	ok := Input{Name: "Chemie am Hochrhein", LegalForm: "ev", FoundingYear: "2012", Website: "https://www.beispiel.de",
		Districts: []string{"08336"}, Topics: []string{"energie"}, MemberNames: []string{"Firma", ""}, MemberKinds: []string{"unternehmen", ""}}
	if e := Validate(ok, v, 2026); len(e) != 0 {
		t.Fatalf("valid input refused: %v", e)
	}
	cases := map[string]func(*Input){
		"name":             func(i *Input) { i.Name = " " },
		"kurzbeschreibung": func(i *Input) { i.ShortDescription = strings.Repeat("x", 501) },
		"beschreibung":     func(i *Input) { i.Description = "\xff" },
		"rechtsform":       func(i *Input) { i.LegalForm = "ag" },
		"gruendungsjahr":   func(i *Input) { i.FoundingYear = "2099" },
		"website":          func(i *Input) { i.Website = "javascript:alert(1)" },
		"website-dot":      func(i *Input) { i.Website = "https://.de" },
		"kreise":           func(i *Input) { i.Districts = []string{"99999"} },
		"themen":           func(i *Input) { i.Topics = []string{"'; DROP TABLE x"} },
		"mitglieder":       func(i *Input) { i.MemberKinds = []string{"geheimbund"} },
	}
	for name, spoil := range cases {
		field, _, _ := strings.Cut(name, "-dot")
		in := ok
		spoil(&in)
		e := Validate(in, v, 2026)
		if e[field] == "" || len(e) != 1 {
			t.Errorf("%s: errors %v, want exactly one at the field", field, e)
		}
	}
	in := ok
	in.Website = "HTTPS://www.beispiel.de"
	if e := Validate(in, v, 2026); len(e) != 0 || NormalizeWebsite(in.Website) != "https://www.beispiel.de" {
		t.Errorf("upper-case scheme: %v", e)
	}
	in = ok
	in.Districts = nil
	if Validate(in, v, 2026)["kreise"] == "" {
		t.Error("no district accepted")
	}
}

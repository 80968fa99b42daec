package report

import (
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	ok := Input{Title: "Regionale Initiativen stärken", Body: "## Abschnitt\n\n::: kurz\nZiel\n:::\n\n![Podium](/bilder/3)"}
	cases := []struct {
		name  string
		in    Input
		field string
		want  string // part of the message; "" for no error
	}{
		{"fine", ok, "", ""},
		{"no title", Input{Title: "  "}, FieldTitle, "Titel"},
		{"long kicker", Input{Title: "x", Kicker: strings.Repeat("a", 201)}, FieldKicker, "höchstens 200"},
		{"control in subtitle", Input{Title: "x", Subtitle: "a\x00b"}, FieldSubtitle, "ungültige Zeichen"},
		{"bad utf-8 in role", Input{Title: "x", ContactRole: "\xff"}, FieldContactRole, "ungültige Zeichen"},
		{"note may have lines", Input{Title: "x", SampleNote: "Zeile 1\r\nZeile 2"}, "", ""},
		{"image without alt", Input{Title: "x", Body: "Text\n\n![](/bilder/3)"}, FieldBody, "Alternativtext"},
		{"image with blank alt", Input{Title: "x", Body: "![   ](/bilder/3)"}, FieldBody, "Alternativtext"},
		{"image from elsewhere", Input{Title: "x", Body: "![Foto](https://example.com/a.png)"}, FieldBody, "nur aus dem Portal"},
		{"javascript image", Input{Title: "x", Body: "![Foto](javascript:alert(1))"}, FieldBody, "nur aus dem Portal"},
		{"entity javascript image", Input{Title: "x", Body: "![Foto](&#106;avascript:alert(1))"}, FieldBody, "nur aus dem Portal"},
		{"html in alt is still alt", Input{Title: "x", Body: "![<b>Foto</b>](/bilder/3)"}, "", ""},
		{"unclosed block", Input{Title: "x", Body: "Text\n\n::: kurz\nZiel"}, FieldBody, "„::: kurz“ in Zeile 3 ist nicht"},
		{"nested blocks", Input{Title: "x", Body: "::: mehr\n::: kurz\nx\n:::"}, FieldBody, "nicht ineinander"},
		{"stray close", Input{Title: "x", Body: "Text\n\n:::"}, FieldBody, "schließt keinen"},
		{"unknown block", Input{Title: "x", Body: "::: warnung\nx\n:::"}, FieldBody, "kein bekannter Block"},
		{"too long", Input{Title: "x", Body: strings.Repeat("ä", MaxBody+1)}, FieldBody, "höchstens 100000"},
		{"NUL in body", Input{Title: "x", Body: "a\x00b"}, FieldBody, "ungültige Zeichen"},
		{"raw html is no error", Input{Title: "x", Body: "<script>alert(1)</script>"}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := Validate(tc.in)
			if tc.want == "" {
				if len(e) != 0 {
					t.Fatalf("errors %v, want none", e)
				}
				return
			}
			if !strings.Contains(e[tc.field], tc.want) {
				t.Errorf("%s: %q, want it to contain %q (all: %v)", tc.field, e[tc.field], tc.want, e)
			}
		})
	}
}

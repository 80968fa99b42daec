package input

import "testing"

func TestHasControl(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name          string
		s             string
		single, multi bool // want HasControl(s, false), HasControl(s, true)
	}{
		{"plain", "Zukunft der Industrie", false, false},
		{"umlauts", "Größe Übermaß", false, false},
		{"line feed", "a\nb", true, false},
		{"carriage return", "a\rb", true, false},
		{"CR LF", "a\r\nb", true, false},
		{"tab", "a\tb", true, false},
		{"NUL", "a\u0000b", true, true},
		{"bell", "a\ab", true, true},
		{"DEL", "a\x7fb", true, true},
		{"C1 control", "a\u0085b", true, true},
		{"zero-width space", "Industrie\u200bdialog", false, false},
		{"right-to-left override", "abc\u202edef", true, true},
		{"isolate", "abc\u2066def", true, true},
	} {
		if got := HasControl(c.s, false); got != c.single {
			t.Errorf("%s: single-line %v, want %v", c.name, got, c.single)
		}
		if got := HasControl(c.s, true); got != c.multi {
			t.Errorf("%s: multi-line %v, want %v", c.name, got, c.multi)
		}
	}
}

func TestRuleCheck(t *testing.T) {
	t.Parallel()
	title := Rule{Subject: "Der Titel", Max: 5, Required: "Bitte geben Sie einen Titel an."}
	body := Rule{Subject: "Der Text", Max: 20, Lines: true}
	for _, c := range []struct {
		name      string
		rule      Rule
		raw       string
		clean     string
		wantError string
	}{
		{"trimmed", title, "  Abc \n", "Abc", ""},
		{"required", title, "   ", "", "Bitte geben Sie einen Titel an."},
		{"too long counts characters", title, "Ärger!", "Ärger!", "Der Titel darf höchstens 5 Zeichen lang sein (jetzt 6)."},
		{"five umlauts fit", title, "ÄÖÜäö", "ÄÖÜäö", ""},
		{"line break in a line", title, "a\nb", "a\nb", "Der Titel enthält ungültige Zeichen."},
		{"invalid UTF-8", title, "\xff\xfe", "\xff\xfe", "Der Titel enthält ungültige Zeichen."},
		{"NUL", body, "a\u0000b", "a\u0000b", "Der Text enthält ungültige Zeichen."},
		{"CR LF becomes LF", body, "a\r\nb\rc", "a\nb\nc", ""},
		{"tab in a text", body, "a\tb", "a\tb", ""},
		{"optional and empty", body, "", "", ""},
	} {
		clean, msg := c.rule.Check(c.raw)
		if clean != c.clean || msg != c.wantError {
			t.Errorf("%s: Check(%q) = %q, %q; want %q, %q", c.name, c.raw, clean, msg, c.clean, c.wantError)
		}
	}
}

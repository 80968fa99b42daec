package server

import (
	"strings"
	"testing"
)

func TestParseInvitees(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text string
		want       string // "name<email>|…"
		bad        string // part of the first message, "" for none
	}{
		{"semicolons with header", "Name;E-Mail\nErika Muster; Erika@Beispiel.example\n", "Erika Muster<erika@beispiel.example>", ""},
		{"commas, CRLF, BOM", "\uFEFFName,E-Mail\r\nOtto Öst,otto@beispiel.example\r\n", "Otto Öst<otto@beispiel.example>", ""},
		{"tabs from a spreadsheet", "Max Mann\tmax@beispiel.example", "Max Mann<max@beispiel.example>", ""},
		{"quoted field with semicolon", "\"Muster; Erika\";erika@beispiel.example", "Muster; Erika<erika@beispiel.example>", ""},
		{"same address twice", "A;a@beispiel.example\nB;A@beispiel.example", "A<a@beispiel.example>", ""},
		{"blank lines", "\n\nA;a@beispiel.example\n\n", "A<a@beispiel.example>", ""},
		{"no address", "Nur ein Name", "", "Zeile 1: Bitte geben Sie Name und E-Mail-Adresse an"},
		{"bad address", "A;a@beispiel.example\nB;kein-at", "A<a@beispiel.example>", "Zeile 2: „kein-at“ ist keine gültige"},
		{"no name", ";a@beispiel.example", "", "Zeile 1: Bitte geben Sie einen Namen ein."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			people, bad := parseInvitees(tc.text)
			var got []string
			for _, p := range people {
				got = append(got, p.Name+"<"+p.Email+">")
			}
			if strings.Join(got, "|") != tc.want {
				t.Errorf("people %q, want %q", got, tc.want)
			}
			if (tc.bad == "") != (len(bad) == 0) || (tc.bad != "" && !strings.Contains(bad[0], tc.bad)) {
				t.Errorf("messages %q, want one containing %q", bad, tc.bad)
			}
		})
	}
}

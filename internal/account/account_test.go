package account

import (
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		" Erika.Muster@Beispiel.DE ":       "erika.muster@beispiel.de",
		"a+b@x.example":                    "a+b@x.example",
		"":                                 "",
		"keine-adresse":                    "",
		"a@b":                              "",
		"Erika <e@x.de>":                   "",
		"e@x.de\r\nBcc: z@y.de":            "",
		"e@.de":                            "",
		strings.Repeat("a", 250) + "@x.de": "",
		"\xff@x.de":                        "",
	} {
		got, err := NormalizeEmail(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"Seerose am Morgen 42":   true,
		"kurz":                   false,
		"elf Zeichen":            false, // 11
		"password1234":           false, // common core
		"Passwort2024!":          false, // German common core
		"123456789012":           false, // digits only
		"aaaaaaaaaaaaaaaa":       false,
		"qwertzuiop123":          false,
		"erikamuster123@x.de!!":  false, // the address
		"Erikamuster123 lang":    false, // contains the local part
		strings.Repeat("x", 257): false,
		"\xff\xfe ungültig lang": false,
		"üblich ist das nicht":   true,
	} {
		err := ValidatePassword(pw, "erikamuster123@x.de", "Erika Muster")
		if (err == nil) != ok {
			t.Errorf("ValidatePassword(%.30q) = %v, want ok=%v", pw, err, ok)
		}
	}
}

func TestHashAndCheck(t *testing.T) {
	h, err := HashPassword("Seerose am Morgen 42")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=47104,t=1,p=1$") {
		t.Errorf("hash %q does not carry the stated parameters", h)
	}
	if !CheckPassword("Seerose am Morgen 42", h) || CheckPassword("seerose am morgen 42", h) || CheckPassword("x", "") {
		t.Error("CheckPassword accepts or refuses wrongly")
	}
	if g := GeneratePassword(); len(g) != 24 || ValidatePassword(g, "", "") != nil {
		t.Errorf("generated password %q is not valid", g)
	}
}

package account

import (
	"crypto/rand"
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/trustelem/zxcvbn/frequency"
)

// Password rules follow NIST SP 800-63B and OWASP ASVS 2.1: a minimum length,
// a check against common passwords, no composition rules.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256 // argon2 hashes any length; this bounds the work per request
)

// HashMemoryKiB is the memory one argon2id computation takes.
const HashMemoryKiB = 46 * 1024

// hashParams are the argon2id parameters: OWASP's recommended minimum
// configuration (m = 46 MiB, t = 1, p = 1), about 40 ms per hash on one core
// of the reference machine. A stored hash carries its own parameters, so
// raising them later re-hashes nothing and breaks nothing.
var hashParams = &argon2id.Params{
	Memory:      HashMemoryKiB,
	Iterations:  1,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// HashPassword returns the argon2id hash of password in PHC string form.
func HashPassword(password string) (string, error) {
	return argon2id.CreateHash(password, hashParams)
}

// dummyHash is compared against when an account does not exist, so that a
// failed sign-in takes as long whether or not the address is known.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("kein-konto-mit-dieser-adresse")
	return h
})

// CheckPassword reports whether password matches hash. An empty hash (no
// account, or no password yet) still costs one hash computation.
func CheckPassword(password, hash string) bool {
	if hash == "" {
		argon2id.ComparePasswordAndHash(password, dummyHash())
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

//go:embed common-de.txt
var commonGerman string

// common is the set of common passwords: the 30,000 most frequent from
// zxcvbn's list (leaked-password corpora) plus German favourites.
var common = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 31000)
	for _, p := range frequency.FrequencyLists["passwords"] {
		set[p] = struct{}{}
	}
	for _, line := range strings.Split(commonGerman, "\n") {
		if p := strings.TrimSpace(line); p != "" && !strings.HasPrefix(p, "#") {
			set[strings.ToLower(p)] = struct{}{}
		}
	}
	return set
})

// ValidatePassword checks a new password for the user with the given e-mail
// and name, returning a German message for the form.
func ValidatePassword(password, email, name string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return errors.New("Das Passwort enthält ungültige Zeichen.")
	case n < MinPasswordLength:
		return errors.New("Das Passwort muss mindestens 12 Zeichen lang sein. Ein Satz aus mehreren Wörtern ist leicht zu merken und sicher.")
	case n > MaxPasswordLength:
		return errors.New("Das Passwort darf höchstens 256 Zeichen lang sein.")
	case isCommon(password):
		return errors.New("Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes.")
	case singleChar(password):
		return errors.New("Das Passwort besteht nur aus einem wiederholten Zeichen. Bitte wählen Sie ein anderes.")
	}
	lower := strings.ToLower(password)
	if local, _, _ := strings.Cut(strings.ToLower(email), "@"); len(local) >= 4 && strings.Contains(lower, local) ||
		email != "" && strings.Contains(lower, strings.ToLower(email)) {
		return errors.New("Das Passwort darf Ihre E-Mail-Adresse nicht enthalten.")
	}
	if name != "" && strings.EqualFold(strings.Join(strings.Fields(password), ""), strings.Join(strings.Fields(name), "")) {
		return errors.New("Das Passwort darf nicht Ihr Name sein.")
	}
	return nil
}

// isCommon reports whether the password, or its core without trailing
// digits and symbols ("Passwort2024!"), is a common password.
func isCommon(password string) bool {
	set := common()
	lower := strings.ToLower(password)
	if _, ok := set[lower]; ok {
		return true
	}
	core := strings.TrimRightFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	core = strings.TrimLeftFunc(core, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) })
	if core == "" {
		return true // only digits and symbols: a PIN or keyboard walk
	}
	_, ok := set[core]
	return ok
}

func singleChar(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(first)) == ""
}

// GeneratePassword returns 20 random characters from an alphabet without
// look-alikes, in groups of four: for accounts created on the command line
// and in the demo, shown once.
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	rand.Read(b)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}

// Package totp wraps RFC 6238 one-time passwords (pquerna/otp) the way the
// portal uses them: 30-second steps, 6 digits, SHA-1 (what every
// authenticator app supports), one step of clock drift either way, and the
// step reported so a code can be used only once.
package totp

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/skip2/go-qrcode"
)

const period = 30

var opts = totp.ValidateOpts{Period: period, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Key is a new secret with what the setup page shows.
type Key struct {
	Secret string // base32, for manual entry
	URL    string // otpauth:// URL
	// QRDataURI is the otpauth URL as a PNG QR code in a data: URI.
	QRDataURI string
}

// Generate creates a secret for the account name under the issuer.
func Generate(issuer, accountName string) (Key, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: accountName, Period: period,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return Key{}, err
	}
	return FromSecret(issuer, accountName, k.Secret())
}

// FromSecret rebuilds the setup view of an existing secret.
func FromSecret(issuer, accountName, secret string) (Key, error) {
	u := "otpauth://totp/" + pathEscape(issuer) + ":" + pathEscape(accountName) +
		"?secret=" + secret + "&issuer=" + pathEscape(issuer) + "&algorithm=SHA1&digits=6&period=30"
	qr, err := qrcode.New(u, qrcode.Medium)
	if err != nil {
		return Key{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, qr.Image(256)); err != nil {
		return Key{}, err
	}
	return Key{Secret: secret, URL: u, QRDataURI: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

func pathEscape(s string) string {
	return strings.NewReplacer("%", "%25", " ", "%20", ":", "%3A", "/", "%2F", "?", "%3F", "&", "%26", "#", "%23").Replace(s)
}

// Check reports whether code is valid for secret at now, allowing one step
// of drift, and returns the matching time step.
func Check(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	cur := now.Unix() / period
	for _, s := range []int64{cur, cur - 1, cur + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*period, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// Code returns the code for secret at t (tests and the demo use it).
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, opts)
}

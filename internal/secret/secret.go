// Package secret protects the few values the database must not hold in a
// usable form: it encrypts (AES-256-GCM) TOTP secrets and pending e-mail
// links, and computes keyed hashes (HMAC-SHA-256) of recovery codes, with
// keys from the environment (RII_SECRET_KEYS), never from the database.
//
// Rotation: the first key is the current one; older keys follow it and still
// decrypt and verify. A sealed value names its key by a short id, so a value
// sealed under an old key is recognised (Stale) and re-sealed under the
// current one; once nothing is stale, the old key can be dropped.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeyLen is the length of a master key in bytes.
const KeyLen = 32

// prefix marks a sealed value: "s1:" + key id + ":" + base64(nonce|ciphertext).
const prefix = "s1:"

// LinkContext binds a sealed e-mail link to the outbox.
const LinkContext = "outbox-link"

// ErrUnknownKey means a value was sealed under a key that is not configured.
var ErrUnknownKey = errors.New("secret: sealed under a key that is not configured")

type key struct {
	id  string      // hex of the first 4 bytes of SHA-256 of the master key
	aed cipher.AEAD // encryption
	mac []byte      // HMAC key
}

// Keys are the configured keys, current first.
type Keys struct {
	keys []key
}

// New derives the working keys from master keys (current first, each
// KeyLen bytes).
func New(masters ...[]byte) (*Keys, error) {
	if len(masters) == 0 {
		return nil, errors.New("secret: no key")
	}
	k := &Keys{}
	for i, m := range masters {
		if len(m) != KeyLen {
			return nil, fmt.Errorf("secret: key %d has %d bytes, want %d", i+1, len(m), KeyLen)
		}
		enc, err := hkdf.Key(sha256.New, m, nil, "rii secret: encryption", 32)
		if err != nil {
			return nil, err
		}
		mac, err := hkdf.Key(sha256.New, m, nil, "rii secret: keyed hash", 32)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(enc)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(m)
		k.keys = append(k.keys, key{id: hex.EncodeToString(sum[:4]), aed: aead, mac: mac})
	}
	return k, nil
}

// Parse reads master keys from a comma-separated list of base64 values
// (standard or URL alphabet, padded or not), current first.
func Parse(list string) ([][]byte, error) {
	var out [][]byte
	for i, part := range strings.Split(list, ",") {
		part = strings.TrimRight(strings.TrimSpace(part), "=")
		b, err := base64.RawStdEncoding.DecodeString(part)
		if err != nil {
			b, err = base64.RawURLEncoding.DecodeString(part)
		}
		if err != nil || len(b) != KeyLen {
			return nil, fmt.Errorf("key %d must be %d random bytes in base64 (e.g. from: openssl rand -base64 32)", i+1, KeyLen)
		}
		out = append(out, b)
	}
	return out, nil
}

// Generate returns a new random master key in base64.
func Generate() string {
	b := make([]byte, KeyLen)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// Seal encrypts plain under the current key; context binds the value to its
// place (e.g. "totp:42"), so it cannot be copied to another row.
func (k *Keys) Seal(plain, context string) string {
	cur := k.keys[0]
	nonce := make([]byte, cur.aed.NonceSize())
	rand.Read(nonce)
	ct := cur.aed.Seal(nonce, nonce, []byte(plain), []byte(context))
	return prefix + cur.id + ":" + base64.RawStdEncoding.EncodeToString(ct)
}

// Sealed reports whether v is a sealed value (and not legacy plain text).
func Sealed(v string) bool { return strings.HasPrefix(v, prefix) }

// Open decrypts a sealed value; stale reports that it was sealed under an
// older key (re-seal it). A value that is not sealed is returned as it is,
// with stale set: legacy plain text from before encryption.
func (k *Keys) Open(v, context string) (plain string, stale bool, err error) {
	if !Sealed(v) {
		return v, true, nil
	}
	id, data, ok := strings.Cut(strings.TrimPrefix(v, prefix), ":")
	if !ok {
		return "", false, errors.New("secret: malformed sealed value")
	}
	for i, key := range k.keys {
		if key.id != id {
			continue
		}
		ct, err := base64.RawStdEncoding.DecodeString(data)
		if err != nil || len(ct) < key.aed.NonceSize() {
			return "", false, errors.New("secret: malformed sealed value")
		}
		n := key.aed.NonceSize()
		p, err := key.aed.Open(nil, ct[:n], ct[n:], []byte(context))
		if err != nil {
			return "", false, fmt.Errorf("secret: %w", err)
		}
		return string(p), i > 0, nil
	}
	return "", false, ErrUnknownKey
}

// Hash is the keyed hash of data under the current key (for storage).
func (k *Keys) Hash(data string) []byte { return k.keys[0].hash(data) }

// Hashes are the keyed hashes of data under every key, current first (for
// lookups that must still match values hashed under an older key).
func (k *Keys) Hashes(data string) [][]byte {
	out := make([][]byte, len(k.keys))
	for i, key := range k.keys {
		out[i] = key.hash(data)
	}
	return out
}

func (k key) hash(data string) []byte {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(data))
	return m.Sum(nil)
}

package secret

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func keys(t *testing.T, list string) *Keys {
	t.Helper()
	m, err := Parse(list)
	if err != nil {
		t.Fatal(err)
	}
	k, err := New(m...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenAndRotation(t *testing.T) {
	old, cur := Generate(), Generate()
	before := keys(t, old)
	sealed := before.Seal("JBSWY3DPEHPK3PXP", "totp:1")
	if strings.Contains(sealed, "JBSWY3DPEHPK3PXP") || !Sealed(sealed) {
		t.Fatalf("sealed value %q shows the secret or lacks the prefix", sealed)
	}
	if p, stale, err := before.Open(sealed, "totp:1"); err != nil || stale || p != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open = %q, %v, %v", p, stale, err)
	}
	if _, _, err := before.Open(sealed, "totp:2"); err == nil {
		t.Error("a value opened under another context")
	}
	tampered := sealed[:len(sealed)-2] + "AA"
	if _, _, err := before.Open(tampered, "totp:1"); err == nil {
		t.Error("a tampered value opened")
	}
	// Rotation: the new key first, the old one still opens, and says stale.
	after := keys(t, cur+","+old)
	if p, stale, err := after.Open(sealed, "totp:1"); err != nil || !stale || p != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("after rotation: open = %q, stale %v, %v", p, stale, err)
	}
	if _, stale, _ := after.Open(after.Seal("x", "c"), "c"); stale {
		t.Error("a value under the current key is stale")
	}
	// Without the old key the value is lost, and says so.
	if _, _, err := keys(t, cur).Open(sealed, "totp:1"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
	// Legacy plain text is returned as stale.
	if p, stale, err := after.Open("JBSWY3DPEHPK3PXP", "totp:1"); err != nil || !stale || p != "JBSWY3DPEHPK3PXP" {
		t.Errorf("legacy: %q, %v, %v", p, stale, err)
	}
	// Keyed hashes: old hashes still match through Hashes.
	h := before.Hash("ABCDE12345")
	if hs := after.Hashes("ABCDE12345"); !bytes.Equal(hs[1], h) || bytes.Equal(hs[0], h) {
		t.Error("Hashes does not list the old key's hash second")
	}
}

func TestParseRejectsBadKeys(t *testing.T) {
	for _, bad := range []string{"", "kurz", Generate() + ",nope", "!!!!"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

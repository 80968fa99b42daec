package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"rii/internal/secret"
	"rii/internal/store"
)

// Second factors at rest (ASVS 11.x): TOTP secrets are sealed (AES-GCM) and
// recovery codes stored as keyed hashes, both under RII_SECRET_KEYS, so a
// database dump or backup alone neither shows a secret nor allows guessing
// codes offline. Rotation: a new key goes first in RII_SECRET_KEYS; the
// "secrets-reseal" job (and each sign-in) re-seals what the old key sealed.

// totpContext binds a sealed TOTP secret to its account.
func totpContext(userID int64) string { return "totp:" + itoa(userID) }

// sealTOTP seals a user's TOTP secret for storage.
func (s *Server) sealTOTP(userID int64, plain string) string {
	return s.keys.Seal(plain, totpContext(userID))
}

// openTOTP returns a user's TOTP secret, re-sealing it under the current
// key if an older key (or none, before encryption) sealed it.
func (s *Server) openTOTP(ctx context.Context, u *store.User) (string, error) {
	plain, stale, err := s.keys.Open(u.TOTPSecret, totpContext(u.ID))
	if err != nil {
		return "", fmt.Errorf("totp secret of user %d: %w", u.ID, err)
	}
	if stale {
		if err := s.store.ResealTOTPSecret(ctx, u.ID, u.TOTPSecret, s.sealTOTP(u.ID, plain)); err != nil {
			return "", err
		}
	}
	return plain, nil
}

// resealSecrets is the periodic job that re-seals TOTP secrets sealed under
// an older key or stored before encryption. Re-running it is harmless.
func (s *Server) resealSecrets(ctx context.Context, _ time.Time) error {
	rows, err := s.store.TOTPSecrets(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, row := range rows {
		plain, stale, err := s.keys.Open(row.Sealed, totpContext(row.UserID))
		if err != nil {
			s.log.ErrorContext(ctx, "totp secret cannot be opened (key missing from RII_SECRET_KEYS?)",
				slog.Int64("user", row.UserID), slog.Any("error", err))
			continue
		}
		if !stale {
			continue
		}
		if err := s.store.ResealTOTPSecret(ctx, row.UserID, row.Sealed, s.sealTOTP(row.UserID, plain)); err != nil {
			return err
		}
		n++
	}
	if n > 0 {
		s.log.InfoContext(ctx, "totp secrets re-sealed under the current key", slog.Int("count", n))
	}
	return nil
}

// newRecoveryCodes returns codes for display and their keyed hashes for
// storage.
func (s *Server) newRecoveryCodes() (codes []string, hashes [][]byte) {
	for range recoveryCodeCount {
		b := make([]byte, recoveryCodeLen)
		rand.Read(b)
		for i := range b {
			b[i] = recoveryAlphabet[int(b[i])%len(recoveryAlphabet)]
		}
		codes = append(codes, string(b[:5])+"-"+string(b[5:]))
		hashes = append(hashes, s.keys.Hash(string(b)))
	}
	return codes, hashes
}

// useRecoveryCode spends a normalised recovery code if it is valid: keyed
// under any configured key, or an unkeyed legacy code.
func (s *Server) useRecoveryCode(ctx context.Context, userID int64, norm string) (bool, error) {
	return s.store.UseRecoveryCode(ctx, userID, s.keys.Hashes(norm), hashToken(norm), s.now())
}

// Secret links in e-mails: the stored body holds store.LinkPlaceholder, the
// link itself is sealed in the outbox row until delivery, when the worker
// puts it into the message and the row forgets it. An admin reading the
// Postausgang, or anyone holding a backup, never sees a usable link.

// enqueueLinkMail writes a message whose body contains
// store.LinkPlaceholder where link belongs.
func (s *Server) enqueueLinkMail(r *http.Request, tx *store.Store, to, subject, body, link string) error {
	_, err := tx.EnqueueMailWithLink(r.Context(), to, subject, body+mailFooter, s.keys.Seal(link, secret.LinkContext))
	return err
}

// sealLink is the sealed form of the portal link to path, for a message
// whose body holds store.LinkPlaceholder in its place.
func (s *Server) sealLink(path string) string {
	return s.keys.Seal(s.link(path), secret.LinkContext)
}

// shownBody is a stored body as admins may read it.
func shownBody(body string) string {
	return strings.ReplaceAll(body, store.LinkPlaceholder, "[persönlicher Link – steht nur in der zugestellten E-Mail]")
}

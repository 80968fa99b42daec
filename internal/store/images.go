package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"
)

// NewImage is a checked, re-encoded picture to store.
type NewImage struct {
	ContentType   string // image/png or image/jpeg
	Data          []byte
	Width, Height int
	Alt           string
}

// ImageInfo describes a stored picture without its bytes.
type ImageInfo struct {
	ID            int64
	Width, Height int
	Alt           string
}

// ServedImage is a stored picture with what decides who may see it: the
// initiative it belongs to.
type ServedImage struct {
	ID           int64
	ContentType  string
	Data         []byte
	SHA256       []byte
	InitiativeID int64
	Status       string // of the initiative
}

// SetInitiativeLogo stores img as the initiative's logo and deletes the one
// it replaces. It returns the new image's id and the old one's (0 if none).
func (s *Store) SetInitiativeLogo(ctx context.Context, initiativeID int64, img NewImage, now time.Time) (newID, oldID int64, err error) {
	sum := sha256.Sum256(img.Data)
	err = s.db.QueryRow(ctx, `
		INSERT INTO images (content_type, data, width, height, alt, sha256, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		img.ContentType, img.Data, img.Width, img.Height, img.Alt, sum[:], now).Scan(&newID)
	if err != nil {
		return 0, 0, fmt.Errorf("store: set logo: %w", err)
	}
	oldID, err = s.replaceLogo(ctx, initiativeID, &newID, now)
	return newID, oldID, err
}

// RemoveInitiativeLogo deletes the initiative's logo; it returns the
// removed image's id, 0 if there was none.
func (s *Store) RemoveInitiativeLogo(ctx context.Context, initiativeID int64, now time.Time) (int64, error) {
	return s.replaceLogo(ctx, initiativeID, nil, now)
}

// replaceLogo points the initiative at logo (nil: none) and deletes the
// image it pointed at before.
func (s *Store) replaceLogo(ctx context.Context, initiativeID int64, logo *int64, now time.Time) (int64, error) {
	var old *int64
	err := s.db.QueryRow(ctx, `
		UPDATE initiatives n SET logo_id = $2, updated_at = $3
		FROM (SELECT id, logo_id FROM initiatives WHERE id = $1 FOR UPDATE) o
		WHERE n.id = o.id RETURNING o.logo_id`, initiativeID, logo, now).Scan(&old)
	if err != nil {
		return 0, wrap("replace logo", err, ErrNotFound)
	}
	if old == nil {
		return 0, nil
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM images WHERE id = $1`, *old); err != nil {
		return 0, fmt.Errorf("store: replace logo: %w", err)
	}
	return *old, nil
}

// InitiativeLogo describes the initiative's logo; ErrNotFound if it has none.
func (s *Store) InitiativeLogo(ctx context.Context, initiativeID int64) (*ImageInfo, error) {
	var im ImageInfo
	err := s.db.QueryRow(ctx, `
		SELECT m.id, m.width, m.height, m.alt FROM initiatives n JOIN images m ON m.id = n.logo_id
		WHERE n.id = $1`, initiativeID).Scan(&im.ID, &im.Width, &im.Height, &im.Alt)
	if err != nil {
		return nil, wrap("logo", err, ErrNotFound)
	}
	return &im, nil
}

// LogoImage loads a picture that is some initiative's logo; any other id,
// including one whose logo was replaced, is ErrNotFound.
func (s *Store) LogoImage(ctx context.Context, id int64) (*ServedImage, error) {
	var im ServedImage
	err := s.db.QueryRow(ctx, `
		SELECT m.id, m.content_type, m.data, m.sha256, n.id, n.status
		FROM images m JOIN initiatives n ON n.logo_id = m.id
		WHERE m.id = $1 ORDER BY n.status = 'published' DESC, n.id LIMIT 1`, id).Scan(
		&im.ID, &im.ContentType, &im.Data, &im.SHA256, &im.InitiativeID, &im.Status)
	if err != nil {
		return nil, wrap("logo image", err, ErrNotFound)
	}
	return &im, nil
}

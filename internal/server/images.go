package server

import (
	"bytes"
	"encoding/hex"
	"errors"
	"image"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"rii/internal/account"
	"rii/internal/store"
)

// Bounds of an uploaded logo.
const (
	maxLogoBytes = 2 << 20 // the upload, and what the images table holds
	maxLogoSide  = 4000    // checked on the header, before any pixel is decoded
	logoSide     = 600     // stored logos are scaled down to this on their long side
	maxAltRunes  = 300
)

// msgNotImage answers anything that does not decode as a picture, whatever
// its name or declared type says.
const msgNotImage = "Die Datei ist kein gültiges PNG- oder JPEG-Bild."

// logoImage is an upload that passed the checks, re-encoded.
type logoImage struct {
	contentType   string
	data          []byte
	width, height int
}

// processLogo checks an uploaded file by its content and re-encodes it, so
// that only pixels the portal wrote itself are ever served: whatever else
// the file carried (markup, scripts, metadata, a second format) is gone.
// JPEG stays JPEG (photos); PNG and GIF become PNG. A refusal is a German
// message.
func processLogo(data []byte) (logoImage, string) {
	switch {
	case len(data) == 0:
		return logoImage{}, "Bitte wählen Sie eine Bilddatei aus."
	case len(data) > maxLogoBytes:
		return logoImage{}, "Die Datei ist größer als 2 MB. Bitte wählen Sie eine kleinere Datei."
	}
	format := sniffImage(data)
	decodeConfig, decode := map[string]func(io.Reader) (image.Config, error){
		"png": png.DecodeConfig, "jpeg": jpeg.DecodeConfig, "gif": gif.DecodeConfig,
	}[format], map[string]func(io.Reader) (image.Image, error){
		"png": png.Decode, "jpeg": jpeg.Decode, "gif": gif.Decode,
	}[format]
	if decode == nil {
		return logoImage{}, msgNotImage
	}
	// The header first: a small file may declare a huge canvas (a
	// decompression bomb); refuse it before allocating a single pixel.
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 {
		return logoImage{}, msgNotImage
	}
	if cfg.Width > maxLogoSide || cfg.Height > maxLogoSide {
		return logoImage{}, "Das Bild ist mit " + strconv.Itoa(cfg.Width) + " × " + strconv.Itoa(cfg.Height) +
			" Pixeln zu groß. Erlaubt sind höchstens 4000 × 4000 Pixel."
	}
	img, err := decode(bytes.NewReader(data))
	// A GIF's first frame may be smaller than its canvas, never larger.
	if err != nil || img.Bounds().Empty() || !img.Bounds().In(image.Rect(0, 0, cfg.Width, cfg.Height)) {
		return logoImage{}, msgNotImage
	}
	img = fitImage(img, logoSide)
	var buf bytes.Buffer
	out := logoImage{contentType: "image/png", width: img.Bounds().Dx(), height: img.Bounds().Dy()}
	if format == "jpeg" {
		out.contentType = "image/jpeg"
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	}
	if err != nil || buf.Len() > maxLogoBytes {
		return logoImage{}, msgNotImage
	}
	out.data = buf.Bytes()
	return out, ""
}

// sniffImage names the format by the file's first bytes, never by its
// name or declared type: png, jpeg, gif or "".
func sniffImage(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	}
	return ""
}

// fitImage scales img down so that its long side is at most side pixels,
// averaging the source pixels under each target pixel (a box filter, good
// for shrinking; the standard library has no scaler). Smaller images are
// returned as they are.
func fitImage(img image.Image, side int) image.Image {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw <= side && sh <= side {
		return img
	}
	w, h := side, max(1, (sh*side+sw/2)/sw)
	if sh > sw {
		w, h = max(1, (sw*side+sh/2)/sh), side
	}
	src := image.NewRGBA(image.Rect(0, 0, sw, sh)) // premultiplied: averaging is right at edges of transparency
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		y0, y1 := y*sh/h, max((y+1)*sh/h, y*sh/h+1)
		for x := range w {
			x0, x1 := x*sw/w, max((x+1)*sw/w, x*sw/w+1)
			var sum [4]int
			for sy := y0; sy < y1; sy++ {
				row := src.Pix[sy*src.Stride+x0*4 : sy*src.Stride+x1*4]
				for i := 0; i < len(row); i += 4 {
					sum[0], sum[1], sum[2], sum[3] = sum[0]+int(row[i]), sum[1]+int(row[i+1]), sum[2]+int(row[i+2]), sum[3]+int(row[i+3])
				}
			}
			n := (y1 - y0) * (x1 - x0)
			o := y*dst.Stride + x*4
			for c := range 4 {
				dst.Pix[o+c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return dst
}

// showImage serves a logo: to everyone if its initiative is published,
// otherwise only to those who may see the draft (others get 404, so an id
// reveals nothing). The bytes are the portal's own re-encoding, served
// with their stored type, never sniffed, sandboxed if opened directly.
func (s *Server) showImage(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return errNotFound
	}
	img, err := s.store.LogoImage(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return s.showReportImage(w, r, id) // not a logo: perhaps a report's picture
	}
	if err != nil {
		return err
	}
	cache := publicImageCache
	if img.Status != "published" {
		ok, err := s.maySeeDraft(r, img.InitiativeID)
		if err != nil {
			return err
		}
		if !ok {
			return errNotFound
		}
		cache = privateImageCache
	}
	writeImage(w, r, img, cache)
	return nil
}

// Content images (logos, report pictures) are cached briefly and then
// revalidated by their ETag, not kept for a year: a logo removed or an
// initiative archived must leave caches within minutes.
const (
	publicImageCache  = "public, max-age=300, must-revalidate"
	privateImageCache = "private, no-cache"
)

// writeImage sends a stored picture: the bytes are the portal's own
// re-encoding, served with their stored type, never sniffed, sandboxed if
// opened directly, and revalidated by their hash.
func writeImage(w http.ResponseWriter, r *http.Request, img *store.ServedImage, cache string) {
	h := w.Header()
	h.Set("Content-Type", img.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", "inline")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", cache)
	h.Set("ETag", `"`+hex.EncodeToString(img.SHA256)+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(img.Data))
}

// maySeeDraft reports whether the user may see an unpublished initiative:
// the Service-Stelle, officials, and the members linked to it.
func (s *Server) maySeeDraft(r *http.Request, initiativeID int64) (bool, error) {
	u := userFrom(r.Context())
	switch {
	case u == nil:
		return false, nil
	case u.Role == account.RoleMember:
		return s.store.IsLinked(r.Context(), u.ID, initiativeID)
	}
	return true, nil
}

// upload is a multipart form read within bounds: one file, short fields.
type upload struct {
	File     []byte
	Filename string
	// TooLarge says the file had more bytes than allowed; File is then empty.
	TooLarge bool
	Fields   map[string]string
}

// Bounds of the other parts of an upload form.
const (
	maxUploadParts = 20
	maxFieldBytes  = 64 << 10
)

// readUpload streams a multipart form: the part named file up to maxFile
// bytes (a longer one is read to its end and dropped, so the browser gets
// the answer), other parts up to 64 KiB each. A body that is not a
// multipart form, or a broken one, gives an empty upload; only a body over
// the server's limit is an error (413).
func readUpload(r *http.Request, file string, maxFile int64) (upload, error) {
	up := upload{Fields: map[string]string{}}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, nil
	}
	for range maxUploadParts {
		p, err := mr.NextPart()
		if err != nil {
			return up, bodyTooLarge(err)
		}
		if p.FormName() == file {
			b, err := io.ReadAll(io.LimitReader(p, maxFile+1))
			if err != nil {
				return upload{Fields: up.Fields}, bodyTooLarge(err)
			}
			up.File, up.Filename, up.TooLarge = b, cleanFilename(p.FileName()), int64(len(b)) > maxFile
			if up.TooLarge {
				up.File = nil
				if _, err := io.Copy(io.Discard, p); err != nil {
					return up, bodyTooLarge(err)
				}
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes))
		if err != nil {
			return up, bodyTooLarge(err)
		}
		up.Fields[p.FormName()] = string(b)
	}
	return up, nil
}

// bodyTooLarge keeps a *http.MaxBytesError (413) and drops any other
// reading error: a broken form counts as an empty one.
func bodyTooLarge(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return nil
}

// cleanFilename makes an uploaded file name safe to show and store.
func cleanFilename(name string) string {
	name = strings.Map(func(c rune) rune {
		if unicode.IsControl(c) || c == utf8.RuneError {
			return -1
		}
		return c
	}, strings.ToValidUTF8(name, ""))
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}

package server

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"rii/internal/browsertest"
	"rii/internal/store"
	"rii/internal/webtest"
)

// testImage is a w×h picture with a gradient and a transparent corner.
func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 200, A: 255})
		}
	}
	img.Set(0, 0, color.NRGBA{})
	return img
}

func encodePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngChunk is one PNG chunk with its length and checksum.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// bombPNG is a 60-byte PNG whose header declares w×h pixels.
func bombPNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8 bit RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}

// withTextChunk hides markup in a valid PNG: a polyglot that decodes.
func withTextChunk(pngData []byte, text string) []byte {
	const head = 8 + 25 // signature and IHDR
	out := append([]byte{}, pngData[:head]...)
	out = append(out, pngChunk("tEXt", append([]byte("Comment\x00"), text...))...)
	return append(out, pngData[head:]...)
}

func TestProcessLogo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		data          []byte
		wantType      string
		wantW, wantH  int
		wantMsgPrefix string
	}{
		{"small png kept in size", encodePNG(t, 120, 80), "image/png", 120, 80, ""},
		{"wide png scaled", encodePNG(t, 1200, 300), "image/png", 600, 150, ""},
		{"tall jpeg scaled, stays jpeg", encodeJPEG(t, 500, 1000), "image/jpeg", 300, 600, ""},
		{"gif becomes png", encodeGIF(t, 64, 64), "image/png", 64, 64, ""},
		{"1 pixel", encodePNG(t, 1, 1), "image/png", 1, 1, ""},
		{"extreme ratio", encodePNG(t, 4000, 3), "image/png", 600, 1, ""},
		{"html named png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "", 0, 0, msgNotImage},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", 0, 0, msgNotImage},
		{"png signature, then html", append([]byte("\x89PNG\r\n\x1a\n"), "<html><script>alert(1)</script>"...), "", 0, 0, msgNotImage},
		{"truncated png", encodePNG(t, 50, 50)[:60], "", 0, 0, msgNotImage},
		{"bomb 50000×50000", bombPNG(50000, 50000), "", 0, 0, "Das Bild ist mit 50000 × 50000 Pixeln zu groß"},
		{"4001 wide", bombPNG(4001, 10), "", 0, 0, "Das Bild ist mit 4001 × 10"},
		{"zero size", bombPNG(0, 0), "", 0, 0, msgNotImage},
		{"empty", nil, "", 0, 0, "Bitte wählen Sie eine Bilddatei aus."},
		{"too large", make([]byte, maxLogoBytes+1), "", 0, 0, "Die Datei ist größer als 2 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := processLogo(tt.data)
			if !strings.HasPrefix(msg, tt.wantMsgPrefix) || (tt.wantMsgPrefix == "") != (msg == "") {
				t.Fatalf("message %q, want prefix %q", msg, tt.wantMsgPrefix)
			}
			if msg != "" {
				return
			}
			if got.contentType != tt.wantType || got.width != tt.wantW || got.height != tt.wantH {
				t.Errorf("got %s %d×%d, want %s %d×%d", got.contentType, got.width, got.height, tt.wantType, tt.wantW, tt.wantH)
			}
			img, format, err := image.Decode(bytes.NewReader(got.data))
			if err != nil || "image/"+format != tt.wantType || img.Bounds().Dx() != tt.wantW || img.Bounds().Dy() != tt.wantH {
				t.Errorf("stored bytes decode as %s %v (%v)", format, img.Bounds(), err)
			}
		})
	}
}

func TestProcessLogoDropsHiddenMarkup(t *testing.T) {
	t.Parallel()
	poly := withTextChunk(encodePNG(t, 40, 40), "<html><script>alert(1)</script></html>")
	if _, err := png.Decode(bytes.NewReader(poly)); err != nil {
		t.Fatalf("the polyglot is not a valid PNG: %v", err)
	}
	got, msg := processLogo(poly)
	if msg != "" || bytes.Contains(got.data, []byte("<script")) || bytes.Contains(got.data, []byte("<html")) {
		t.Errorf("re-encoded polyglot: msg %q, markup kept: %v", msg, bytes.Contains(got.data, []byte("<script")))
	}
}

func TestFitImageAverages(t *testing.T) {
	t.Parallel()
	src := image.NewRGBA(image.Rect(0, 0, 1200, 2))
	for x := range 1200 { // alternating black and white columns average to grey
		c := uint8(0)
		if x%2 == 1 {
			c = 255
		}
		src.Set(x, 0, color.RGBA{c, c, c, 255})
		src.Set(x, 1, color.RGBA{c, c, c, 255})
	}
	got := fitImage(src, 600).(*image.RGBA)
	if got.Bounds().Dx() != 600 || got.Bounds().Dy() != 1 {
		t.Fatalf("bounds %v", got.Bounds())
	}
	if r, _, _, a := got.At(300, 0).RGBA(); r>>8 < 126 || r>>8 > 129 || a>>8 != 255 {
		t.Errorf("pixel = %d/%d, want mid grey, opaque", r>>8, a>>8)
	}
}

func TestCheckAlt(t *testing.T) {
	t.Parallel()
	for alt, ok := range map[string]bool{
		"Logo der Initiative A": true, "": false, "   ": false, strings.Repeat("ä", 301): false, strings.Repeat("ä", 300): true,
		"Logo\x00": false, "Logo \xff": false, "<script>alert(1)</script>": true,
	} {
		if got := checkAlt(alt) == ""; got != ok {
			t.Errorf("checkAlt(%.20q) ok = %v, want %v", alt, got, ok)
		}
	}
}

// postFile posts a multipart form with one file and text fields.
func postFile(c *webtest.Client, path, field, filename string, data []byte, fields url.Values) *webtest.Response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if field != "" {
		fw, _ := mw.CreateFormFile(field, filename)
		fw.Write(data)
	}
	mw.Close()
	return c.Do(http.MethodPost, path, &buf, mw.FormDataContentType())
}

// logoOf returns the initiative's logo id, 0 if none.
func (w *world) logoOf(id int64) int64 {
	w.t.Helper()
	var logo *int64
	if err := w.pool.QueryRow(context.Background(), `SELECT logo_id FROM initiatives WHERE id = $1`, id).Scan(&logo); err != nil {
		w.t.Fatal(err)
	}
	if logo == nil {
		return 0
	}
	return *logo
}

func (w *world) queryInt(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// imageCounter counts the images stored after it was called.
func (w *world) imageCounter() func() int {
	base := w.queryInt(`SELECT count(*) FROM images`)
	return func() int { return w.queryInt(`SELECT count(*) FROM images`) - base }
}

// addLogo gives an initiative a logo through the store; for fixtures.
func (w *world) addLogo(initiativeID int64) int64 {
	w.t.Helper()
	img, msg := processLogo(encodePNG(w.t, 200, 100))
	if msg != "" {
		w.t.Fatal(msg)
	}
	id, _, err := w.st.SetInitiativeLogo(context.Background(), initiativeID, store.NewImage{ContentType: img.contentType,
		Data: img.data, Width: img.width, Height: img.height, Alt: "Logo der Initiative"}, w.clock.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func TestMemberUploadsReplacesAndRemovesLogo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	images := w.imageCounter()
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "member-a")
	page := c.Get("/initiativen/initiative-a/logo").WantStatus(http.StatusOK)
	if page.Find(`[data-testid=logo-page] form[enctype="multipart/form-data"] input[type=file]#feld-datei`).Length() != 1 {
		t.Fatal("no upload form")
	}
	res := postFile(c, "/initiativen/initiative-a/logo", "datei", "logo.png", encodePNG(t, 1000, 500),
		url.Values{"alt": {"Logo der Initiative A"}}).WantStatus(http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/initiativen/initiative-a/logo" {
		t.Errorf("redirect to %q", loc)
	}
	first := w.logoOf(w.initA)
	var ct, alt string
	var width, height int
	var data []byte
	err := w.pool.QueryRow(t.Context(), `SELECT content_type, width, height, alt, data FROM images WHERE id = $1`, first).
		Scan(&ct, &width, &height, &alt, &data)
	if err != nil || ct != "image/png" || width != 600 || height != 300 || alt != "Logo der Initiative A" {
		t.Fatalf("stored %s %d×%d %q (%v)", ct, width, height, alt, err)
	}
	if img, err := png.Decode(bytes.NewReader(data)); err != nil || img.Bounds().Dx() != 600 {
		t.Errorf("stored bytes are no 600 px PNG: %v", err)
	}
	if w.queryInt(`SELECT count(*) FROM audit_log WHERE action = 'initiative.logo_updated' AND object_id = $1`, itoa(w.initA)) != 1 {
		t.Error("upload not audited")
	}
	page = c.Get("/initiativen/initiative-a/logo")
	if src := page.Find(`[data-testid=current-logo] img`).AttrOr("src", ""); src != "/bilder/"+itoa(first) {
		t.Errorf("page shows %q", src)
	}

	// Replacing deletes the old picture; its URL is gone.
	postFile(c, "/initiativen/initiative-a/logo", "datei", "foto.jpg", encodeJPEG(t, 300, 200),
		url.Values{"alt": {"Neues Logo"}}).WantStatus(http.StatusSeeOther)
	second := w.logoOf(w.initA)
	if second == first || images() != 1 {
		t.Errorf("replace: logo %d → %d, %d new images", first, second, images())
	}
	visitor := webtest.NewClient(t, ts.URL)
	visitor.Get("/bilder/" + itoa(first)).WantStatus(http.StatusNotFound)
	if got := visitor.Get("/bilder/" + itoa(second)).WantStatus(http.StatusOK); got.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("served as %q", got.Header.Get("Content-Type"))
	}

	c.PostForm("/initiativen/initiative-a/logo/entfernen", url.Values{}).WantStatus(http.StatusSeeOther)
	if w.logoOf(w.initA) != 0 || images() != 0 {
		t.Error("logo not removed")
	}
	visitor.Get("/bilder/" + itoa(second)).WantStatus(http.StatusNotFound)
	if w.queryInt(`SELECT count(*) FROM audit_log WHERE action = 'initiative.logo_removed'`) != 1 {
		t.Error("removal not audited")
	}
	// Removing again is harmless.
	c.PostForm("/initiativen/initiative-a/logo/entfernen", url.Values{}).WantStatus(http.StatusSeeOther)
}

func TestHostileLogoUploadsStoreNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	images := w.imageCounter()
	c := webtest.NewClient(t, ts.URL)
	w.signIn(c, "editor")
	alt := url.Values{"alt": {"Logo"}}
	tests := []struct {
		name, filename string
		data           []byte
		fields         url.Values
		field, want    string
		status         int
	}{
		{"html with png name", "logo.png", []byte("<!DOCTYPE html><script>alert(1)</script>"), alt, "datei", msgNotImage, 422},
		{"svg", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), alt, "datei", msgNotImage, 422},
		{"png signature then html", "logo.png", append([]byte("\x89PNG\r\n\x1a\n"), "<script>alert(1)</script>"...), alt, "datei", msgNotImage, 422},
		{"bomb", "bombe.png", bombPNG(50000, 50000), alt, "datei", "Das Bild ist mit 50000 × 50000 Pixeln zu groß.", 422},
		{"3 MB", "gross.png", append(encodePNG(t, 10, 10), make([]byte, 3<<20)...), alt, "datei", "Die Datei ist größer als 2 MB.", 422},
		{"no file", "", nil, alt, "datei", "Bitte wählen Sie eine Bilddatei aus.", 422},
		{"no alt", "logo.png", encodePNG(t, 10, 10), url.Values{}, "alt", "Bitte beschreiben Sie das Logo", 422},
		{"markup alt", "logo.png", encodePNG(t, 10, 10), url.Values{"alt": {"\x00<script>"}}, "alt", "Der Alternativtext enthält ungültige Zeichen.", 422},
		{"1 MB alt", "logo.png", encodePNG(t, 10, 10), url.Values{"alt": {strings.Repeat("a", 1<<20)}}, "alt", "Der Alternativtext darf höchstens 300 Zeichen", 422},
		{"11 MB", "riesig.png", make([]byte, 11<<20), alt, "", "", http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		field := "datei"
		if tt.name == "no file" {
			field = ""
		}
		res := postFile(c, "/initiativen/initiative-a/logo", field, tt.filename, tt.data, tt.fields)
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, res.StatusCode, tt.status)
			continue
		}
		if tt.field != "" {
			if got := res.Text("#feld-" + tt.field + "-fehler"); !strings.Contains(got, tt.want) {
				t.Errorf("%s: message %q, want %q", tt.name, got, tt.want)
			}
			if res.Find("[data-testid=error-summary] a[href='#feld-"+tt.field+"']").Length() != 1 {
				t.Errorf("%s: error summary does not link the field", tt.name)
			}
		}
		if res.Find("script, svg script").Length() > 0 {
			t.Errorf("%s: input became markup", tt.name)
		}
	}
	if n := images(); n != 0 || w.logoOf(w.initA) != 0 {
		t.Errorf("%d images stored by hostile uploads", n)
	}
}

func TestLogoPermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	images := w.imageCounter()
	png := encodePNG(t, 20, 20)
	for _, tt := range []struct {
		role   string
		status int
	}{{"anonymous", http.StatusSeeOther}, {"member-b", http.StatusForbidden}, {"official", http.StatusForbidden}} {
		c := webtest.NewClient(t, ts.URL)
		if tt.role != "anonymous" {
			w.signIn(c, tt.role)
		}
		for _, res := range []*webtest.Response{
			c.Get("/initiativen/initiative-a/logo"),
			postFile(c, "/initiativen/initiative-a/logo", "datei", "l.png", png, url.Values{"alt": {"x"}}),
			c.PostForm("/initiativen/initiative-a/logo/entfernen", url.Values{}),
		} {
			if res.StatusCode != tt.status {
				t.Errorf("%s %s as %s: %d, want %d", res.Request.Method, res.Request.URL.Path, tt.role, res.StatusCode, tt.status)
			}
		}
	}
	if images() != 0 {
		t.Error("a refused user stored an image")
	}
}

func TestServedImageHeadersAndVisibility(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ts := uploadServer(t, w)
	id := w.addLogo(w.initA)
	path := "/bilder/" + itoa(id)
	visitor := webtest.NewClient(t, ts.URL)
	res := visitor.Get(path).WantStatus(http.StatusOK)
	var sum []byte
	if err := w.pool.QueryRow(t.Context(), `SELECT sha256 FROM images WHERE id = $1`, id).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Content-Type": "image/png", "X-Content-Type-Options": "nosniff", "Content-Disposition": "inline",
		"Cache-Control": "public, max-age=300, must-revalidate", "ETag": `"` + hex.EncodeToString(sum) + `"`,
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if _, err := png.Decode(bytes.NewReader(res.Body)); err != nil {
		t.Errorf("served bytes: %v", err)
	}
	req := visitor.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("If-None-Match", want["ETag"])
	visitor.Send(req).WantStatus(http.StatusNotModified)
	for _, p := range []string{"/bilder/0", "/bilder/abc", "/bilder/99999999", "/bilder/" + itoa(id) + "x"} {
		visitor.Get(p).WantStatus(http.StatusNotFound)
	}

	// A draft's logo: only for those who may see the draft.
	if _, err := w.pool.Exec(t.Context(), `UPDATE initiatives SET status = 'draft' WHERE id = $1`, w.initA); err != nil {
		t.Fatal(err)
	}
	visitor.Get(path).WantStatus(http.StatusNotFound)
	for role, status := range map[string]int{"member-a": 200, "member-b": 404, "editor": 200, "official": 200} {
		c := webtest.NewClient(t, ts.URL)
		w.signIn(c, role)
		res := c.Get(path)
		if res.StatusCode != status {
			t.Errorf("draft logo as %s: %d, want %d", role, res.StatusCode, status)
		}
		if status == 200 && !strings.HasPrefix(res.Header.Get("Cache-Control"), "private") {
			t.Errorf("draft logo cached as %q", res.Header.Get("Cache-Control"))
		}
	}
}

func TestLogoPageIsAccessible(t *testing.T) {
	t.Parallel()
	b := browsertest.Shared(t)
	w := newWorld(t)
	ts := uploadServer(t, w)
	w.addLogo(w.initA)
	ctx := b.Tab(t)
	browserSignIn(t, ctx, ts.URL, w, "member-a")
	browsertest.CheckPage(t, ctx, ts.URL+"/initiativen/initiative-a/logo")
	// Without a logo, and with the errors of an empty submission.
	browsertest.Submit(t, ctx, `form[action$="/logo/entfernen"] button[type=submit]`)
	browsertest.CheckPage(t, ctx, ts.URL+"/initiativen/initiative-a/logo")
	browsertest.Submit(t, ctx, `form[action$="/logo"] button[type=submit]`)
	if got := browsertest.Text(t, ctx, "#feld-datei-fehler"); !strings.Contains(got, "Bitte wählen Sie eine Bilddatei aus.") {
		t.Errorf("error after an empty submission: %q", got)
	}
	if v := browsertest.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe on the form with errors: %v", v)
	}
}

func TestProfileShowsTheLogo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.addLogo(w.initB)
	res := w.client().Get("/initiativen/initiative-b").WantStatus(200)
	img := res.Find(`[data-testid="profile-logo"]`)
	if src, _ := img.Attr("src"); src != "/bilder/"+itoa(id) {
		t.Errorf("logo src %q, want /bilder/%d", src, id)
	}
	if alt, _ := img.Attr("alt"); alt == "" {
		t.Error("logo without alt text")
	}
	if w.client().Get("/initiativen/initiative-a").Find(`[data-testid="profile-logo"]`).Length() != 0 {
		t.Error("a profile without logo shows one")
	}
}

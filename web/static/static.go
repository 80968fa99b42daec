// Package static embeds the portal's stylesheets, fonts and images and serves
// them under content-hashed names with a one-year immutable cache.
//
// A stylesheet's url(...) references to other embedded files are rewritten to
// the hashed names, so a font or image that changes gets a new URL and so does
// every stylesheet that uses it.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed css img js vendor
var embedded embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// asset is one file ready to serve.
type asset struct {
	name    string // logical name, e.g. "vendor/kern/kern.min.css"
	hashed  string // served name, e.g. "vendor/kern/kern.min.3f2a9c1b0d.css"
	body    []byte
	gzipped []byte // nil when compression does not pay off
	ctype   string
}

// Assets is the processed, immutable set of embedded files.
type Assets struct {
	byLogical map[string]*asset
	byHashed  map[string]*asset
}

// cssURL matches url(...) in stylesheets, with or without quotes.
var cssURL = regexp.MustCompile(`url\(\s*(['"]?)([^'")]+)(['"]?)\s*\)`)

// New reads the embedded files and computes their hashed names.
func New() (*Assets, error) { return load(embedded) }

// Load reads the files of fsys as New reads the embedded ones. The load
// test serves copies of rendered pages with it: the baseline a page is
// compared with is a file served the way the portal serves its own.
func Load(fsys fs.FS) (*Assets, error) { return load(fsys) }

func load(fsys fs.FS) (*Assets, error) {
	a := &Assets{byLogical: map[string]*asset{}, byHashed: map[string]*asset{}}
	var css []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".md") {
			return err
		}
		if path.Ext(p) == ".css" {
			css = append(css, p) // after the files they reference
			return nil
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		a.add(p, body)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	sort.Strings(css)
	for _, p := range css {
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("static: %w", err)
		}
		body, err = a.rewriteCSS(p, body)
		if err != nil {
			return nil, err
		}
		a.add(p, body)
	}
	return a, nil
}

// rewriteCSS points the relative url(...) references of the stylesheet at p
// to their hashed names. A reference to a missing file is an error, so a
// broken font path fails at start, not silently in the browser.
func (a *Assets) rewriteCSS(p string, body []byte) ([]byte, error) {
	var missing []string
	out := cssURL.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := cssURL.FindSubmatch(m)
		ref := string(sub[2])
		if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") || strings.Contains(ref, "://") || strings.HasPrefix(ref, "/") {
			return m
		}
		target := path.Join(path.Dir(p), strings.SplitN(ref, "?", 2)[0])
		t, ok := a.byLogical[target]
		if !ok {
			missing = append(missing, ref)
			return m
		}
		return []byte(`url("` + Prefix + t.hashed + `")`)
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("static: %s references missing files: %s", p, strings.Join(missing, ", "))
	}
	return out, nil
}

func (a *Assets) add(p string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(p)
	hashed := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
	ct := mime.TypeByExtension(ext)
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	as := &asset{name: p, hashed: hashed, body: body, ctype: ct}
	if compressible(ext) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body)*9/10 {
			as.gzipped = buf.Bytes()
		}
	}
	a.byLogical[p] = as
	a.byHashed[hashed] = as
}

func compressible(ext string) bool {
	switch ext {
	case ".css", ".js", ".svg", ".json", ".txt", ".map":
		return true
	}
	return false
}

// URL returns the hashed URL of a logical asset name such as
// "css/portal.css". It panics on an unknown name: templates name assets as
// constants, and a typo must fail the first test that renders the page.
func (a *Assets) URL(name string) string {
	as, ok := a.byLogical[name]
	if !ok {
		panic("static: unknown asset " + strconv.Quote(name))
	}
	return Prefix + as.hashed
}

// ServeHTTP serves an asset by its hashed name, gzip-compressed when the
// client accepts it. Unknown names are 404: an old hashed URL never serves
// new content under an immutable cache header.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	as, ok := a.byHashed[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body := as.body
	if as.gzipped != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			body = as.gzipped
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return !strings.Contains(strings.ReplaceAll(q, " ", ""), "q=0") || strings.Contains(q, "q=0.")
		}
	}
	return false
}

package pagecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// entry is one stored response: the plain body and, if smaller, its gzip
// form, with the headers the handler set.
type entry struct {
	key     string
	version int64
	expires time.Time
	header  http.Header // as the handler set them, without Content-Length
	plain   []byte
	gz      []byte // nil if gzip would not be smaller
	etag    string // strong, from the plain body; the gzip form's ends in -gz
	size    int64
}

// recorder captures a response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

func (rec *recorder) Write(p []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(p)
}

// replay writes the recorded response to w as it is.
func (rec *recorder) replay(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, vs := range rec.header {
		h[k] = vs
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(rec.body.Bytes())
	}
}

// cacheable reports whether the recorded response may be shared with every
// anonymous visitor: a 200 the handler itself declared public, setting no
// cookie and not already encoded.
func (rec *recorder) cacheable() bool {
	h := rec.header
	return (rec.status == http.StatusOK || rec.status == 0) &&
		publicCacheControl(h.Get("Cache-Control")) &&
		len(h.Values("Set-Cookie")) == 0 &&
		h.Get("Content-Encoding") == ""
}

// publicCacheControl reports whether a Cache-Control value allows shared caching.
func publicCacheControl(cc string) bool {
	public := false
	for _, d := range strings.Split(cc, ",") {
		name, _, _ := strings.Cut(strings.TrimSpace(d), "=")
		switch strings.ToLower(name) {
		case "public":
			public = true
		case "private", "no-store", "no-cache":
			return false
		}
	}
	return public
}

// gzipWriters are reused: a new writer allocates about a megabyte (its
// window and hash chains), an eighth of the CPU of a cold search page with
// the garbage collection it causes. Level 5: once per entry, smaller than
// the per-request level 1 of responses that are not cached.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, 5)
	return zw
}}

// newEntry builds the entry for a cacheable recorded response.
func newEntry(key string, version int64, expires time.Time, rec *recorder) *entry {
	plain := bytes.Clone(rec.body.Bytes())
	sum := sha256.Sum256(plain)
	e := &entry{key: key, version: version, expires: expires, header: rec.header.Clone(), plain: plain,
		etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	e.header.Del("Content-Length")
	e.header.Del("ETag")
	e.header.Del("Date")
	var gz bytes.Buffer
	gz.Grow(len(plain) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&gz)
	zw.Write(plain)
	zw.Close()
	gzipWriters.Put(zw)
	if gz.Len() < len(plain) {
		e.gz = bytes.Clone(gz.Bytes()) // exactly its length: the accounting holds
	}
	e.size = entryOverhead + int64(len(key)+len(e.plain)+len(e.gz)+len(e.etag))
	for k, vs := range e.header {
		for _, v := range vs {
			e.size += int64(len(k) + len(v) + 32)
		}
	}
	return e
}

// gzipETag is the entity tag of the gzip form.
func (e *entry) gzipETag() string { return strings.TrimSuffix(e.etag, `"`) + `-gz"` }

// serve writes e to w: gzip to clients that accept it, 304 to a matching
// If-None-Match. A stale entry is marked so and must not be stored by
// anyone: it is the last good copy shown while the database is away.
func (e *entry) serve(w http.ResponseWriter, r *http.Request, xcache string, stale bool) {
	h := w.Header()
	for k, vs := range e.header {
		h[k] = append([]string(nil), vs...)
	}
	h.Add("Vary", "Accept-Encoding")
	h.Set("X-Cache", xcache)
	if stale {
		h.Set("Cache-Control", "no-store")
	}
	body, etag := e.plain, e.etag
	if e.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = e.gz, e.gzipETag()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if matches(r.Header.Get("If-None-Match"), e) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// matches reports whether an If-None-Match value names either form of e
// (weak comparison, as RFC 9110 asks for If-None-Match).
func matches(inm string, e *entry) bool {
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == e.etag || t == e.gzipETag() {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding value allows gzip.
func acceptsGzip(ae string) bool {
	for _, part := range strings.Split(ae, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := strings.TrimSpace(params)
		if v, ok := strings.CutPrefix(q, "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}

package pagecache

import (
	"context"
	"net/http"
	"strconv"
)

// Handler serves anonymous GET and HEAD requests for next from memory and
// fills the cache on a miss. It must sit outside compression: it stores the
// plain body and compresses it itself, once.
func (c *Cache) Handler(next http.Handler) http.Handler {
	if !c.Enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.Header.Get("Range") != "" ||
			(c.opt.Skip != nil && c.opt.Skip(r)) {
			next.ServeHTTP(w, r)
			return
		}
		key := Key(r)
		version := c.Version()
		if e := c.lookup(key); c.fresh(e, version) {
			c.hits.Add(1)
			e.serve(w, r, "hit", false)
			return
		}
		if version == 0 {
			// Unknown version: render, store nothing, but keep the last
			// good copy for an outage.
			c.misses.Add(1)
			c.answer(w, r, key, c.render(next, r, r.Context()))
			return
		}
		c.miss(w, r, next, key, version)
	})
}

// result is what one render of a key gives every request waiting for it.
type result struct {
	rec   *recorder
	entry *entry // nil if the response may not be shared
}

// miss renders key once for all concurrent requests of this version.
func (c *Cache) miss(w http.ResponseWriter, r *http.Request, next http.Handler, key string, version int64) {
	leader := false
	v, _, _ := c.flight.Do(strconv.FormatInt(version, 10)+" "+key, func() (any, error) {
		leader = true
		c.misses.Add(1)
		// The render serves every waiting request: it outlives the leader's client.
		rec := c.render(next, r, context.WithoutCancel(r.Context()))
		res := result{rec: rec}
		if rec.cacheable() {
			now := c.opt.Now()
			res.entry = newEntry(key, version, now.Truncate(c.opt.Lifetime).Add(c.opt.Lifetime), rec)
			c.put(res.entry)
		}
		return res, nil
	})
	res := v.(result)
	switch {
	case res.entry != nil && leader:
		res.entry.serve(w, r, "miss", false)
	case res.entry != nil:
		c.hits.Add(1)
		res.entry.serve(w, r, "hit", false)
	case leader:
		c.answer(w, r, key, res.rec)
	default:
		// The leader's response is not to be shared (it may set a
		// cookie): render this request on its own.
		c.misses.Add(1)
		c.answer(w, r, key, c.render(next, r, r.Context()))
	}
}

// answer writes a response that is not stored: the last good copy instead
// of a 503 where there is one, otherwise the response as rendered.
func (c *Cache) answer(w http.ResponseWriter, r *http.Request, key string, rec *recorder) {
	if rec.status == http.StatusServiceUnavailable {
		if e := c.lookup(key); e != nil {
			c.stale.Add(1)
			e.serve(w, r, "stale", true)
			return
		}
	}
	rec.replay(w, r)
}

// render runs next for r as a plain GET, without the conditional and
// encoding headers the cache answers itself, and records the response.
func (c *Cache) render(next http.Handler, r *http.Request, ctx context.Context) *recorder {
	r2 := r.WithContext(ctx)
	r2.Method = http.MethodGet
	r2.Header = r.Header.Clone()
	for _, h := range []string{"Accept-Encoding", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since"} {
		r2.Header.Del(h)
	}
	rec := newRecorder()
	next.ServeHTTP(rec, r2)
	return rec
}

// Key is the canonical form of r's URL: the escaped path, and the query with
// its parameters sorted by name (values keep their order), so equivalent
// URLs share one entry.
func Key(r *http.Request) string {
	key := r.URL.EscapedPath()
	if q := r.URL.Query().Encode(); q != "" {
		key += "?" + q
	}
	return key
}

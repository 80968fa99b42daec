// Package pagecache keeps rendered responses of anonymous GET requests in
// memory, so the portal's public pages cost about as much as a static file.
//
// It is never stale: every entry carries the content version the instance
// knew before rendering it (see migration 00010), and counts as fresh only
// while that is still the current version and its lifetime has not run out.
// The server learns new versions at once (LISTEN/NOTIFY) and by a periodic
// check; the lifetime covers what changes with the clock alone (upcoming
// events becoming past ones, registration windows closing).
//
// Entries that are no longer fresh stay until evicted: while the database is
// unreachable (the handler answers 503) the last good copy is served,
// marked as stale and not to be stored by anyone else.
package pagecache

import (
	"container/list"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// entryOverhead is what an entry costs beyond its bodies, key and header
// strings: the entry, its header map, list element and map slot, rounded up
// generously so the cap holds for the real memory use too.
const entryOverhead = 1024

// Options configure a Cache.
type Options struct {
	// MaxBytes caps the memory held, per-entry overhead included; 0 turns
	// the cache off (the middleware passes every request through).
	MaxBytes int64
	// Lifetime bounds how long an entry stays fresh: until the next
	// multiple of Lifetime on the clock (the next full minute for one
	// minute), so pages that change with the clock change on time.
	Lifetime time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Skip reports requests that must neither be served from nor fill the
	// cache (signed-in visitors); they pass through untouched.
	Skip func(*http.Request) bool
}

// Stats are the cache's figures since start, for metrics and the status page.
type Stats struct {
	Hits, Misses, StaleServes, Evictions int64
	Bytes, Entries                       int64
	// Version is the content version fresh entries belong to; 0 while
	// unknown (then nothing is served fresh from memory).
	Version int64
}

// Cache is a bounded, least-recently-used store of rendered responses.
type Cache struct {
	opt Options

	mu      sync.Mutex
	lru     *list.List // of *entry, most recently used first
	byKey   map[string]*list.Element
	bytes   int64
	changed chan struct{} // closed and replaced when the version changes

	version atomic.Int64
	flight  singleflight.Group

	hits, misses, stale, evictions atomic.Int64
}

// New returns a cache configured by opt.
func New(opt Options) *Cache {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Lifetime <= 0 {
		opt.Lifetime = time.Minute
	}
	return &Cache{opt: opt, lru: list.New(), byKey: map[string]*list.Element{}, changed: make(chan struct{})}
}

// Enabled reports whether the cache holds anything at all.
func (c *Cache) Enabled() bool { return c.opt.MaxBytes > 0 }

// SetVersion records v as the current content version. Versions only grow:
// a check that read the version just before a change must not bring back
// the entries the change made stale, so a smaller v is ignored.
func (c *Cache) SetVersion(v int64) {
	for {
		old := c.version.Load()
		if v <= old {
			return
		}
		if c.version.CompareAndSwap(old, v) {
			break
		}
	}
	c.signal()
}

// ForgetVersion makes the version unknown, because the connection that
// tells of changes is lost: nothing is served fresh from memory until
// SetVersion is called again.
func (c *Cache) ForgetVersion() {
	if c.version.Swap(0) != 0 {
		c.signal()
	}
}

// signal wakes those waiting on VersionChanged.
func (c *Cache) signal() {
	c.mu.Lock()
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// Version is the content version the cache currently trusts; 0 if unknown.
func (c *Cache) Version() int64 { return c.version.Load() }

// VersionChanged returns a channel closed at the next change of the version.
func (c *Cache) VersionChanged() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// Stats returns the current figures.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	bytes, n := c.bytes, int64(c.lru.Len())
	c.mu.Unlock()
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), StaleServes: c.stale.Load(),
		Evictions: c.evictions.Load(), Bytes: bytes, Entries: n, Version: c.Version()}
}

// lookup returns the entry for key, fresh or not, and marks it used.
func (c *Cache) lookup(key string) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*entry)
}

// fresh reports whether e may be served as the current page.
func (c *Cache) fresh(e *entry, version int64) bool {
	return e != nil && version != 0 && e.version == version && c.opt.Now().Before(e.expires)
}

// put stores e, replacing the key's old entry and evicting the least
// recently used ones until the cap holds. An entry larger than a quarter of
// the cap is not stored: it would push out too much else.
func (c *Cache) put(e *entry) {
	if e.size > c.opt.MaxBytes/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[e.key]; ok {
		c.remove(el)
	}
	for c.bytes+e.size > c.opt.MaxBytes {
		c.remove(c.lru.Back())
		c.evictions.Add(1)
	}
	c.byKey[e.key] = c.lru.PushFront(e)
	c.bytes += e.size
}

// remove drops el; c.mu is held.
func (c *Cache) remove(el *list.Element) {
	e := c.lru.Remove(el).(*entry)
	delete(c.byKey, e.key)
	c.bytes -= e.size
}

package store

import (
	"context"
	"sync"
)

// versioned holds the newest value a store has derived from the public
// content (an in-memory index), with the content version (migration
// 00010) it was read at; it is shared by the store and its
// transaction-bound copies.
type versioned[T any] struct {
	mu      sync.Mutex
	version int64
	cur     *T
}

// get returns the value of version, calling load when the one held is of
// another version. Requests that find it stale at once wait for one of
// them to load it, rather than all loading it together.
func (c *versioned[T]) get(version int64, load func() (*T, error)) (*T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.version == version {
		return c.cur, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	if c.cur == nil || c.version < version {
		c.cur, c.version = v, version
	}
	return v, nil
}

// indexes are a store's in-memory indexes of the public content.
type indexes struct {
	dir    versioned[dirIndex]
	search versioned[searchIndex]
}

// dirIndex returns the directory's index at version, read through tx.
func (s *Store) dirIndex(ctx context.Context, tx *Store, version int64) (*dirIndex, error) {
	return s.idx.dir.get(version, func() (*dirIndex, error) { return loadDirIndex(ctx, tx, version) })
}

package server

import (
	"context"
	"errors"
	"sync"
	"time"

	"rii/internal/account"
)

// hashWait is how long a request waits for a free hashing slot before it is
// answered 503 with Retry-After.
const hashWait = 2 * time.Second

// errBusy means the server is at its bound of concurrent password hashes.
var errBusy = errors.New("password hashing at capacity")

// hashLimiter bounds concurrent argon2id computations: each takes
// account.HashMemoryKiB of memory, so without a bound a few hundred parallel
// sign-ins exhaust the machine (ASVS 15.2.2). The number of slots comes
// from the memory budget RII_HASH_MEMORY_MIB.
type hashLimiter struct {
	slots chan struct{}

	mu        sync.Mutex
	running   int
	highWater int // the most hashes that ever ran at once (tests read it)
}

func newHashLimiter(budgetMiB int) *hashLimiter {
	n := max(1, budgetMiB*1024/account.HashMemoryKiB)
	return &hashLimiter{slots: make(chan struct{}, n)}
}

// run computes fn in a slot, waiting at most hashWait for one.
func (l *hashLimiter) run(ctx context.Context, fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
	case <-t.C:
		return errBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	l.mu.Lock()
	l.running++
	l.highWater = max(l.highWater, l.running)
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.running--
		l.mu.Unlock()
		<-l.slots
	}()
	fn()
	return nil
}

// checkPassword is account.CheckPassword within the hashing bound.
func (s *Server) checkPassword(ctx context.Context, password, hash string) (ok bool, err error) {
	err = s.hashes.run(ctx, func() { ok = account.CheckPassword(password, hash) })
	return ok, err
}

// hashPassword is account.HashPassword within the hashing bound.
func (s *Server) hashPassword(ctx context.Context, password string) (hash string, err error) {
	if rerr := s.hashes.run(ctx, func() { hash, err = account.HashPassword(password) }); rerr != nil {
		return "", rerr
	}
	return hash, err
}

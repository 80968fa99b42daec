package server

import (
	"context"
	"log/slog"
	"time"

	"rii/internal/pagecache"
)

// pageLifetime bounds how long a cached page stays fresh: until the next
// full minute, so what changes with the clock alone (an event moving from
// upcoming to past, a registration window closing) shows within a minute.
const pageLifetime = time.Minute

// listenRetry is the first pause before listening again after the
// connection failed; each failure in a row doubles it up to listenRetryMax,
// so a database that is away is not asked every second.
const (
	listenRetry    = time.Second
	listenRetryMax = 30 * time.Second
)

// newPageCache builds the cache of anonymous responses; requests of a live
// session never touch it.
func (s *Server) newPageCache() *pagecache.Cache {
	return pagecache.New(pagecache.Options{MaxBytes: s.cfg.CacheBytes, Lifetime: pageLifetime, Now: s.now, Skip: s.liveSession})
}

// CacheStats are the page cache's figures, for metrics and the status page.
func (s *Server) CacheStats() pagecache.Stats { return s.pages.Stats() }

// WatchContent keeps the page cache's content version current until ctx
// ends: a LISTEN connection learns each change at once, and a check every
// cfg.CacheCheck catches what a lost notification would miss. When the
// listening connection fails, the version counts as unknown until read
// again (by the check or the reconnected listener), so a change missed
// meanwhile is seen within one check interval at the latest.
func (s *Server) WatchContent(ctx context.Context) {
	if !s.pages.Enabled() {
		return
	}
	if s.listenContent {
		go s.listenContentLoop(ctx)
	}
	t := time.NewTicker(s.cfg.CacheCheck)
	defer t.Stop()
	down := &outage{log: s.log, what: "page cache: reading the content version"}
	for {
		s.checkContent(ctx, down)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkContent reads the content version; if that fails, the version is
// unknown until it can be read again.
func (s *Server) checkContent(ctx context.Context, down *outage) {
	v, err := s.store.ContentVersion(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.pages.ForgetVersion()
			down.failed(ctx, err)
		}
		return
	}
	down.ended(ctx)
	s.pages.SetVersion(v)
}

// listenContentLoop listens for announced versions, again after each
// failure: after a pause that grows while the failures go on and starts
// small again once listening worked.
func (s *Server) listenContentLoop(ctx context.Context) {
	down := &outage{log: s.log, what: "page cache: listening for content changes"}
	pause := listenRetry
	for {
		err := s.store.ListenContent(ctx, func(v int64) {
			down.ended(ctx)
			pause = listenRetry
			s.pages.SetVersion(v)
		})
		if ctx.Err() != nil {
			return
		}
		s.pages.ForgetVersion()
		down.failed(ctx, err)
		s.log.DebugContext(ctx, "page cache: listening again later", slog.Duration("pause", pause))
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, listenRetryMax)
	}
}

// outage is the state of one background connection to the database, so that
// its log says once that it failed and once that it works again, not at
// every retry of an outage.
type outage struct {
	log  *slog.Logger
	what string
	down bool
}

// failed logs err if it begins an outage.
func (o *outage) failed(ctx context.Context, err error) {
	if !o.down {
		o.down = true
		o.log.WarnContext(ctx, o.what+" failed; retrying quietly", slog.Any("error", err))
	}
}

// ended logs the end of an outage, if there was one.
func (o *outage) ended(ctx context.Context) {
	if o.down {
		o.down = false
		o.log.InfoContext(ctx, o.what+" works again")
	}
}

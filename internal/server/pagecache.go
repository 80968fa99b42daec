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

// listenRetry is the pause before listening again after the connection failed.
const listenRetry = time.Second

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
	for {
		s.checkContent(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkContent reads the content version; if that fails, the version is
// unknown until it can be read again.
func (s *Server) checkContent(ctx context.Context) {
	v, err := s.store.ContentVersion(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.pages.ForgetVersion()
			s.log.WarnContext(ctx, "page cache: content version", slog.Any("error", err))
		}
		return
	}
	s.pages.SetVersion(v)
}

// listenContentLoop listens for announced versions, again after each failure.
func (s *Server) listenContentLoop(ctx context.Context) {
	for {
		err := s.store.ListenContent(ctx, s.pages.SetVersion)
		if ctx.Err() != nil {
			return
		}
		s.pages.ForgetVersion()
		s.log.WarnContext(ctx, "page cache: listening for content changes", slog.Any("error", err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(listenRetry):
		}
	}
}

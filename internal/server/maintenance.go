package server

import (
	"context"
	"log/slog"
	"time"
)

// maintenanceEvery is how often expired sessions and old sign-in failures
// are deleted. The deletes are idempotent, so every instance may run them.
const maintenanceEvery = 10 * time.Minute

// RunMaintenance deletes expired signed-in sessions and sign-in failures
// past the throttling window until ctx ends.
func (s *Server) RunMaintenance(ctx context.Context) {
	t := time.NewTicker(maintenanceEvery)
	defer t.Stop()
	for {
		s.maintain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) maintain(ctx context.Context) {
	now := s.now()
	if n, err := s.store.DeleteExpiredSessions(ctx, now.Add(-sessionIdle), now.Add(-sessionAbsolute)); err != nil {
		s.log.WarnContext(ctx, "maintenance: sessions", slog.Any("error", err))
	} else if n > 0 {
		s.log.InfoContext(ctx, "maintenance: expired sessions deleted", slog.Int64("count", n))
	}
	if _, err := s.store.DeleteOldSigninFailures(ctx, now.Add(-throttleWindow),
		secondFactorPrefix, now.Add(-secondFactorLockWindow)); err != nil {
		s.log.WarnContext(ctx, "maintenance: sign-in failures", slog.Any("error", err))
	}
}

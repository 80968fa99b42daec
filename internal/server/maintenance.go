package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// maintenanceEvery is how often expired sessions and old sign-in failures
// are deleted.
const maintenanceEvery = 10 * time.Minute

// cleanSessions deletes expired signed-in sessions and sign-in failures past
// the throttling window.
func (s *Server) cleanSessions(ctx context.Context, now time.Time) error {
	n, err := s.store.DeleteExpiredSessions(ctx, now.Add(-sessionIdle), now.Add(-sessionAbsolute))
	if err != nil {
		return fmt.Errorf("sessions: %w", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "expired sessions deleted", slog.Int64("count", n))
	}
	if _, err := s.store.DeleteOldSigninFailures(ctx, now.Add(-throttleWindow),
		secondFactorPrefix, now.Add(-secondFactorLockWindow)); err != nil {
		return fmt.Errorf("sign-in failures: %w", err)
	}
	return nil
}

// auditRetentionYears is how long the audit log keeps an entry (it holds client
// addresses); the privacy notice promises deletion after 3 years.
const auditRetentionYears = 3

// expireAudit deletes audit entries past the retention.
func (s *Server) expireAudit(ctx context.Context, now time.Time) error {
	n, err := s.store.DeleteAuditBefore(ctx, now.AddDate(-auditRetentionYears, 0, 0))
	if err != nil {
		return fmt.Errorf("audit retention: %w", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "old audit entries deleted", slog.Int64("count", n))
	}
	return nil
}

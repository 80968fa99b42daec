package server

import (
	"context"
	"log/slog"
	"time"
)

// jobTick is how often an instance looks for due periodic jobs. A job's own
// period decides how often it really runs.
const jobTick = 30 * time.Second

// job is background work that runs once per period across all instances.
// Its run must be idempotent: a run that dies half-way is claimed again in
// the next period, and nothing else protects it from repeating work.
type job struct {
	name  string // lower-case words joined by '-', the key in job_runs
	every time.Duration
	run   func(ctx context.Context, now time.Time) error
}

// jobs is the table of contents of the portal's background work. Add a
// line here for a new job; keep its body beside the feature it serves.
func (s *Server) jobs() []job {
	return []job{
		{name: "sessions-cleanup", every: maintenanceEvery, run: s.cleanSessions},
		{name: "audit-retention", every: 24 * time.Hour, run: s.expireAudit},
		{name: "secrets-reseal", every: 24 * time.Hour, run: s.resealSecrets},
		{name: "registrations-lapse", every: lapseEvery, run: s.lapseHolds},
		{name: "registrations-remind", every: remindEvery, run: s.remindRegistrations},
		{name: "registrations-anonymise", every: anonymiseEvery, run: s.anonymiseRegistrations},
		{name: "proposals-expire", every: time.Hour, run: s.expireProposals},
		{name: "network-refresh", every: networkEvery, run: s.refreshNetwork},
	}
}

// RunJobs runs due jobs every jobTick until ctx ends.
func (s *Server) RunJobs(ctx context.Context) {
	t := time.NewTicker(jobTick)
	defer t.Stop()
	for {
		s.runDueJobs(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runDueJobs runs each job whose period has passed and that no other
// instance claimed first. Tests call it directly with the test clock.
func (s *Server) runDueJobs(ctx context.Context) {
	for _, j := range s.jobs() {
		if ctx.Err() != nil {
			return
		}
		s.runJob(ctx, j)
	}
}

// runJob claims j for this period and runs it, recording the outcome.
func (s *Server) runJob(ctx context.Context, j job) {
	now := s.now()
	claimed, err := s.store.ClaimJob(ctx, j.name, now, j.every)
	if err != nil {
		s.log.WarnContext(ctx, "job: claim", slog.String("job", j.name), slog.Any("error", err))
		return
	}
	if !claimed {
		return
	}
	runErr := j.run(ctx, now)
	if runErr != nil {
		s.log.ErrorContext(ctx, "job failed", slog.String("job", j.name), slog.Any("error", runErr))
	}
	// Record the outcome even when ctx ended during the run.
	if err := s.store.FinishJob(context.WithoutCancel(ctx), j.name, s.now(), runErr); err != nil {
		s.log.WarnContext(ctx, "job: finish", slog.String("job", j.name), slog.Any("error", err))
	}
}

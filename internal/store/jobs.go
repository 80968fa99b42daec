package store

import (
	"context"
	"fmt"
	"time"
)

// ClaimJob claims the run of the periodic job name at now, if its last run
// started at least every ago. Of several app servers asking for the same
// period exactly one gets true: the claim is one conditional upsert.
func (s *Store) ClaimJob(ctx context.Context, name string, now time.Time, every time.Duration) (bool, error) {
	var claimed bool
	err := s.db.QueryRow(ctx, `
		WITH claim AS (
			INSERT INTO job_runs AS j (name, last_started_at, runs) VALUES ($1, $2, 1)
			ON CONFLICT (name) DO UPDATE SET last_started_at = excluded.last_started_at, runs = j.runs + 1
			WHERE j.last_started_at <= $2 - make_interval(secs => $3)
			RETURNING true)
		SELECT EXISTS (SELECT FROM claim)`, name, now, every.Seconds()).Scan(&claimed)
	if err != nil {
		return false, fmt.Errorf("store: claim job %s: %w", name, err)
	}
	return claimed, nil
}

// FinishJob records the end of a claimed run at now; runErr is the job's
// own error, nil on success.
func (s *Store) FinishJob(ctx context.Context, name string, now time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	_, err := s.db.Exec(ctx, `
		UPDATE job_runs SET last_finished_at = $2,
			last_ok_at = CASE WHEN $3 = '' THEN $2 ELSE last_ok_at END,
			last_error = $3,
			failures = failures + CASE WHEN $3 = '' THEN 0 ELSE 1 END
		WHERE name = $1`, name, now, msg)
	if err != nil {
		return fmt.Errorf("store: finish job %s: %w", name, err)
	}
	return nil
}

// JobRun is what the portal knows about one periodic job.
type JobRun struct {
	Name           string     `db:"name"`
	LastStartedAt  time.Time  `db:"last_started_at"`
	LastFinishedAt *time.Time `db:"last_finished_at"`
	LastOKAt       *time.Time `db:"last_ok_at"`
	LastError      string     `db:"last_error"`
	Runs           int64      `db:"runs"`
	Failures       int64      `db:"failures"`
}

// JobRuns lists every job that has run at least once, by name.
func (s *Store) JobRuns(ctx context.Context) ([]JobRun, error) {
	rows, err := s.db.Query(ctx, `
		SELECT name, last_started_at, last_finished_at, last_ok_at, last_error, runs, failures
		FROM job_runs ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: job runs: %w", err)
	}
	return collect[JobRun](rows, "job runs")
}

// ContentVersion returns the version of everything public pages show; it
// changes with every committed transaction that changes such content
// (migration 00010).
func (s *Store) ContentVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.QueryRow(ctx, `SELECT version FROM content_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: content version: %w", err)
	}
	return v, nil
}

package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the database queries of one scrape: a scrape during
// an outage reports rii_database_up 0 instead of hanging.
const scrapeTimeout = 2 * time.Second

var (
	descDBUp = prometheus.NewDesc("rii_database_up",
		"1 if the database answered this scrape's queries, else 0.", nil, nil)
	descPoolConns = prometheus.NewDesc("rii_db_pool_connections",
		"Connections of this instance's pool, by state (acquired, idle, constructing).", []string{"state"}, nil)
	descPoolMax = prometheus.NewDesc("rii_db_pool_max_connections",
		"Largest number of connections the pool may open.", nil, nil)
	descPoolAcquires = prometheus.NewDesc("rii_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	descPoolEmpty = prometheus.NewDesc("rii_db_pool_empty_acquires_total",
		"Acquires that had to wait for a connection.", nil, nil)
	descPoolWait = prometheus.NewDesc("rii_db_pool_acquire_wait_seconds_total",
		"Time spent acquiring connections.", nil, nil)
	descOutbox = prometheus.NewDesc("rii_outbox_messages",
		"Outbox messages by state: queued (retrying among them), failed (given up), sent (kept 30 days).", []string{"state"}, nil)
	descOutboxAge = prometheus.NewDesc("rii_outbox_oldest_queued_age_seconds",
		"Age of the oldest queued outbox message; 0 when none waits.", nil, nil)
	descJobRuns = prometheus.NewDesc("rii_job_runs_total",
		"Runs of a periodic background job, across all instances.", []string{"job"}, nil)
	descJobFailures = prometheus.NewDesc("rii_job_failures_total",
		"Failed runs of a periodic background job, across all instances.", []string{"job"}, nil)
	descJobLastOK = prometheus.NewDesc("rii_job_last_success_timestamp_seconds",
		"Unix time of a job's last successful run; 0 if none yet.", []string{"job"}, nil)

	descCacheHits = prometheus.NewDesc("rii_page_cache_hits_total",
		"Anonymous requests this instance answered fresh from its page cache.", nil, nil)
	descCacheMisses = prometheus.NewDesc("rii_page_cache_misses_total",
		"Anonymous requests the page cache had to render.", nil, nil)
	descCacheStale = prometheus.NewDesc("rii_page_cache_stale_served_total",
		"Last good copies served instead of a 503 while the database was unreachable.", nil, nil)
	descCacheEvictions = prometheus.NewDesc("rii_page_cache_evictions_total",
		"Entries evicted from the page cache to stay under its cap.", nil, nil)
	descCacheBytes = prometheus.NewDesc("rii_page_cache_bytes",
		"Memory the page cache holds, per-entry overhead included.", nil, nil)
	descCacheEntries = prometheus.NewDesc("rii_page_cache_entries",
		"Responses the page cache holds.", nil, nil)
	descCacheMax = prometheus.NewDesc("rii_page_cache_max_bytes",
		"The page cache's memory cap (RII_CACHE_BYTES); 0 when the cache is off.", nil, nil)
	descCacheVersion = prometheus.NewDesc("rii_page_cache_content_version",
		"Content version the page cache trusts; 0 while unknown (nothing is served fresh).", nil, nil)
)

// dbCollector reads the figures that live in PostgreSQL (and the pool's own)
// at scrape time, so every instance reports the same outbox and job state.
type dbCollector struct{ s *Server }

// Describe sends nothing: the collector is unchecked, its series depend on
// the jobs and the database.
func (c *dbCollector) Describe(chan<- *prometheus.Desc) {}

// Collect queries the database; on failure it reports rii_database_up 0
// and the pool figures only.
func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	st := s.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge(descPoolConns, float64(st.AcquiredConns()), "acquired")
	gauge(descPoolConns, float64(st.IdleConns()), "idle")
	gauge(descPoolConns, float64(st.ConstructingConns()), "constructing")
	gauge(descPoolMax, float64(st.MaxConns()))
	counter(descPoolAcquires, float64(st.AcquireCount()))
	counter(descPoolEmpty, float64(st.EmptyAcquireCount()))
	counter(descPoolWait, st.AcquireDuration().Seconds())

	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	ob, err := s.store.OutboxStats(ctx)
	if err == nil {
		gauge(descOutbox, float64(ob.Queued), "queued")
		gauge(descOutbox, float64(ob.Retrying), "retrying")
		gauge(descOutbox, float64(ob.Failed), "failed")
		gauge(descOutbox, float64(ob.Sent), "sent")
		age := 0.0
		if ob.OldestQueued != nil {
			age = max(0, s.now().Sub(*ob.OldestQueued).Seconds())
		}
		gauge(descOutboxAge, age)
	}
	if err == nil {
		err = c.collectJobs(ctx, counter, gauge)
	}
	c.collectCache(counter, gauge)
	up := 1.0
	if err != nil {
		up = 0
		s.log.Warn("metrics: database figures", slog.Any("error", err))
	}
	gauge(descDBUp, up)
}

// collectJobs reports every job of the table, the ones that never ran with
// zeros, from job_runs.
func (c *dbCollector) collectJobs(ctx context.Context, counter, gauge func(*prometheus.Desc, float64, ...string)) error {
	runs, err := c.s.store.JobRuns(ctx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, r := range runs {
		seen[r.Name] = true
		counter(descJobRuns, float64(r.Runs), r.Name)
		counter(descJobFailures, float64(r.Failures), r.Name)
		ok := 0.0
		if r.LastOKAt != nil {
			ok = float64(r.LastOKAt.Unix())
		}
		gauge(descJobLastOK, ok, r.Name)
	}
	for _, j := range c.s.jobs() {
		if !seen[j.name] {
			counter(descJobRuns, 0, j.name)
			counter(descJobFailures, 0, j.name)
			gauge(descJobLastOK, 0, j.name)
		}
	}
	return nil
}

// collectCache reports this instance's page cache; its figures live in
// memory, so they are there during an outage too.
func (c *dbCollector) collectCache(counter, gauge func(*prometheus.Desc, float64, ...string)) {
	st := c.s.CacheStats()
	counter(descCacheHits, float64(st.Hits))
	counter(descCacheMisses, float64(st.Misses))
	counter(descCacheStale, float64(st.StaleServes))
	counter(descCacheEvictions, float64(st.Evictions))
	gauge(descCacheBytes, float64(st.Bytes))
	gauge(descCacheEntries, float64(st.Entries))
	gauge(descCacheMax, float64(c.s.cfg.CacheBytes))
	gauge(descCacheVersion, float64(st.Version))
}

package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// sample reads the portal's own metrics (RSS, goroutines, pool) and counts
// its connections on the database server.
func (p *portal) sample(ctx context.Context, dbURL string) (sample, error) {
	var s sample
	res, err := http.Get(p.metrics)
	if err != nil {
		return s, fmt.Errorf("metrics: %w", err)
	}
	defer res.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(res.Body)
	if err != nil {
		return s, fmt.Errorf("metrics: %w", err)
	}
	value := func(name string, label ...string) float64 {
		sum := 0.0
		for _, m := range fams[name].GetMetric() {
			ok := len(label) == 0
			for _, l := range m.GetLabel() {
				if len(label) == 2 && l.GetName() == label[0] && l.GetValue() == label[1] {
					ok = true
				}
			}
			if ok {
				sum += m.GetGauge().GetValue()
			}
		}
		return sum
	}
	s.rssMB = value("process_resident_memory_bytes") / (1 << 20)
	s.goroutines = int(value("go_goroutines"))
	s.poolConns = int(value("rii_db_pool_connections", "state", "acquired") + value("rii_db_pool_connections", "state", "idle"))

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return s, err
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&s.dbConns)
	return s, err
}

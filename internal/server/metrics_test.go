package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetrics scrapes /metrics after real traffic and parses it with the
// Prometheus text parser: the series are there, named by the conventions,
// and no label value carries a raw path, an e-mail address or a token.
//
// With the page cache on, its series are there from the first scrape and
// move after a miss and a hit of an anonymous page.
func TestMetrics(t *testing.T) {
	t.Parallel()
	w := newWorld(t, withCache(time.Minute))
	watch(t, w.srv)
	ts := httptest.NewServer(w.srv.Metrics())
	t.Cleanup(ts.Close)
	before := scrape(t, ts.URL)
	for _, name := range []string{"rii_page_cache_hits_total", "rii_page_cache_misses_total", "rii_page_cache_stale_served_total",
		"rii_page_cache_evictions_total", "rii_page_cache_bytes", "rii_page_cache_entries", "rii_page_cache_max_bytes"} {
		if len(before[name].GetMetric()) != 1 {
			t.Errorf("before any request: no series %s", name)
		}
	}

	member := w.client()
	w.signIn(member, "member-a")
	member.Get("/initiativen/initiative-a").WantStatus(http.StatusOK)
	anon := w.client()
	if res := anon.Get("/").WantStatus(http.StatusOK); res.Header.Get("X-Cache") != "miss" {
		t.Errorf("first anonymous / : X-Cache %q, want miss", res.Header.Get("X-Cache"))
	}
	if res := anon.Get("/").WantStatus(http.StatusOK); res.Header.Get("X-Cache") != "hit" {
		t.Errorf("second anonymous / : X-Cache %q, want hit", res.Header.Get("X-Cache"))
	}
	anon.Get("/initiativen/gibt-es-nicht").WantStatus(http.StatusNotFound)
	const token = "Zk3vQ9sXhT2pLm8aRw4yUe6i"
	anon.Get("/passwort-zuruecksetzen/" + token)
	anon.Get("/irgendwo/jemand@beispiel.example").WantStatus(http.StatusNotFound)
	anon.PostForm("/anmelden", url.Values{"email": {"jemand@beispiel.example"}, "passwort": {"falsch-falsch-falsch"}})
	w.srv.runDueJobs(t.Context())
	w.srv.MailDelivered(false)

	fams := scrape(t, ts.URL)

	has := func(name string, labels map[string]string) *dto.Metric {
		for _, m := range fams[name].GetMetric() {
			if matches(m, labels) {
				return m
			}
		}
		t.Errorf("no series %s%v", name, labels)
		return nil
	}
	if m := has("rii_http_requests_total", map[string]string{"route": "/initiativen/{slug}", "method": "GET", "status": "200"}); m != nil && m.GetCounter().GetValue() < 1 {
		t.Errorf("profile requests counted %v", m.GetCounter().GetValue())
	}
	has("rii_http_requests_total", map[string]string{"route": "/initiativen/{slug}", "status": "404"})
	has("rii_http_requests_total", map[string]string{"route": unmatchedRoute, "status": "404"})
	has("rii_http_requests_total", map[string]string{"route": "/anmelden", "method": "POST", "status": "422"})
	if m := has("rii_http_request_duration_seconds", map[string]string{"route": "/"}); m != nil && m.GetHistogram().GetSampleCount() < 1 {
		t.Error("no latency observed for /")
	}
	has("rii_db_pool_connections", map[string]string{"state": "idle"})
	has("rii_db_pool_max_connections", nil)
	if m := has("rii_outbox_messages", map[string]string{"state": "queued"}); m != nil && m.GetGauge().GetValue() < 1 {
		t.Errorf("queued outbox messages %v, the world enqueued one", m.GetGauge().GetValue())
	}
	if m := has("rii_outbox_oldest_queued_age_seconds", nil); m != nil && m.GetGauge().GetValue() < 0 {
		t.Error("negative age")
	}
	if m := has("rii_job_runs_total", map[string]string{"job": "sessions-cleanup"}); m != nil && m.GetCounter().GetValue() != 1 {
		t.Errorf("job runs %v, want 1", m.GetCounter().GetValue())
	}
	has("rii_job_failures_total", map[string]string{"job": "sessions-cleanup"})
	if m := has("rii_mail_deliveries_total", map[string]string{"result": "failed"}); m != nil && m.GetCounter().GetValue() != 1 {
		t.Errorf("failed deliveries %v, want 1", m.GetCounter().GetValue())
	}
	if m := has("rii_database_up", nil); m != nil && m.GetGauge().GetValue() != 1 {
		t.Error("database reported down")
	}
	value := func(fams map[string]*dto.MetricFamily, name string) float64 {
		for _, m := range fams[name].GetMetric() {
			return m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
		return -1
	}
	for _, c := range []struct {
		name string
		grow bool
	}{
		{"rii_page_cache_hits_total", true}, {"rii_page_cache_misses_total", true},
		{"rii_page_cache_bytes", true}, {"rii_page_cache_entries", true},
		{"rii_page_cache_stale_served_total", false}, {"rii_page_cache_evictions_total", false},
	} {
		b, a := value(before, c.name), value(fams, c.name)
		if c.grow && !(a > b) || !c.grow && a != b {
			t.Errorf("%s went from %v to %v, want it to grow: %v", c.name, b, a, c.grow)
		}
	}
	if got := value(fams, "rii_page_cache_max_bytes"); got != 16<<20 {
		t.Errorf("rii_page_cache_max_bytes %v, want %d", got, 16<<20)
	}
	if got := fams["rii_page_cache_hits_total"].GetType(); got != dto.MetricType_COUNTER {
		t.Errorf("rii_page_cache_hits_total is a %v, want a counter", got)
	}
	if got := fams["rii_page_cache_entries"].GetType(); got != dto.MetricType_GAUGE {
		t.Errorf("rii_page_cache_entries is a %v, want a gauge", got)
	}
	has("process_resident_memory_bytes", nil)
	has("go_goroutines", nil)

	email := regexp.MustCompile(`[^\s@]+@[^\s@]+`)
	for name, f := range fams {
		if strings.HasPrefix(name, "rii_") && f.GetType() == dto.MetricType_COUNTER && !strings.HasSuffix(name, "_total") {
			t.Errorf("counter %s lacks _total", name)
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				v := l.GetValue()
				if email.MatchString(v) || strings.Contains(v, token) || strings.Contains(v, "gibt-es-nicht") ||
					strings.Contains(v, "irgendwo") || strings.Contains(v, "initiative-a") {
					t.Errorf("%s: label %s=%q carries personal data or a raw path", name, l.GetName(), v)
				}
			}
		}
	}
}

// scrape reads /metrics from the metrics listener at url and parses it
// with the Prometheus text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: status %d", res.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

func matches(m *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, l := range m.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

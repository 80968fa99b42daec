package server

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// unmatchedRoute labels requests no route matched: their raw paths would
// make unbounded label values and may carry personal data.
const unmatchedRoute = "unmatched"

// metrics are the portal's Prometheus figures. Each Server has its own
// registry (no global state); Metrics serves it on a separate listener.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	mailSent *prometheus.CounterVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rii_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rii_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		mailSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rii_mail_deliveries_total",
			Help: "Attempts of this instance to deliver an outbox message, by result (sent, failed).",
		}, []string{"result"}),
	}
	m.mailSent.WithLabelValues("sent")
	m.mailSent.WithLabelValues("failed")
	m.reg.MustRegister(m.requests, m.duration, m.mailSent,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&dbCollector{s: s})
	return m
}

// Metrics is the handler of /metrics on the metrics listener.
func (s *Server) Metrics() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{
		ErrorLog: nil, ErrorHandling: promhttp.ContinueOnError}))
	return mux
}

// MailDelivered counts one delivery attempt of the outbox worker; pass it
// as the worker's Observe hook.
func (s *Server) MailDelivered(ok bool) {
	if ok {
		s.metrics.mailSent.WithLabelValues("sent").Inc()
	} else {
		s.metrics.mailSent.WithLabelValues("failed").Inc()
	}
}

// observe counts a request under its route pattern, never under its raw
// path.
func (m *metrics) observe(r *http.Request, o requestOutcome) {
	method := methodLabel(r.Method)
	m.requests.WithLabelValues(o.Route, method, strconv.Itoa(o.Status)).Inc()
	m.duration.WithLabelValues(o.Route, method).Observe(o.Duration.Seconds())
}

// methodLabel bounds the method label to the methods HTTP defines.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

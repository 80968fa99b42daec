package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// healthz answers 200 while the process can serve HTTP at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database answers and carries every migration
// this binary needs, 503 otherwise. The pool reconnects on its own, so it
// turns ready again when the database returns.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	v, err := s.store.SchemaVersion(ctx)
	switch {
	case err != nil:
		s.log.WarnContext(ctx, "not ready: database", slog.Any("error", err))
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
	case v < s.wantSchema:
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("migrations pending\n"))
	default:
		w.Write([]byte("ready\n"))
	}
}

// robots allows crawling of the public pages but not of the internal areas.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("User-agent: *\nDisallow: /verwaltung/\nDisallow: /konto\nDisallow: /dashboard\n"))
}

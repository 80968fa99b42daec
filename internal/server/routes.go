package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"rii/web/static"
)

// Handler returns the portal's route table wrapped in its middleware.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.securityHeaders, s.logRequests, s.recoverPanics,
		s.crossOriginProtection, s.limitBody, middleware.RedirectSlashes, middleware.GetHead)
	r.NotFound(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotFound }))
	r.MethodNotAllowed(s.handle(func(http.ResponseWriter, *http.Request) error { return errNotAllowed }))

	// Operations: no session, no compression, no page frame.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle(static.Prefix+"*", s.assets) // gzipped ahead of time

	r.Group(func(r chi.Router) {
		r.Use(middleware.Compress(5, "text/html", "text/plain", "text/css", "application/javascript",
			"application/json", "text/csv", "text/calendar", "application/atom+xml"))
		r.Use(s.sessions.LoadAndSave)

		// Public pages.
		r.Get("/", s.handle(s.showHome))
		r.Get("/impressum", s.handle(s.showImprint))
		r.Get("/datenschutz", s.handle(s.showPrivacy))
		r.Get("/barrierefreiheit", s.handle(s.showAccessibility))
		r.Get("/leichte-sprache", s.handle(s.showEasyLanguage))
		r.Get("/kontakt", s.handle(s.showContact))
		r.Get("/robots.txt", s.robots)

		// Sections whose content later issues build; they explain what comes.
		for _, sec := range sections {
			r.Get(sec.Path, s.handle(s.showSection(sec)))
		}
	})
	return r
}

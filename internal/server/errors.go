package server

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"rii/internal/store"
	"rii/web/layout"
	"rii/web/pages"
)

// Errors handlers return to get a specific error page.
var (
	errNotFound   = errors.New("not found")
	errForbidden  = errors.New("forbidden")
	errNotAllowed = errors.New("method not allowed")
)

// handlerFunc is a handler that returns an error instead of writing one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h: an error becomes the matching German error page, and
// anything unexpected is logged once, with the request id, as a 500.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// fail writes the error page for err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var maxBytes *http.MaxBytesError
	status := http.StatusInternalServerError
	switch {
	case r.Context().Err() != nil:
		s.clientGone(w, r, err)
		return
	case errors.Is(err, errNotFound), errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, errForbidden):
		status = http.StatusForbidden
	case store.IsConflict(err):
		// Two people saved at once; the handlers that expect it show both
		// versions, any other gets the conflict page.
		status = http.StatusConflict
	case errors.Is(err, errNotAllowed):
		status = http.StatusMethodNotAllowed
	case errors.As(err, &maxBytes):
		status = http.StatusRequestEntityTooLarge
	case store.Unavailable(err):
		s.unavailablePage(w, r, err)
		return
	case errors.Is(err, errBusy):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	default:
		s.log.ErrorContext(r.Context(), "request failed",
			slog.String("request_id", middleware.GetReqID(r.Context())),
			slog.String("method", r.Method), slog.String("path", s.loggedPath(r)),
			slog.Any("error", err))
	}
	s.errorPage(w, r, status)
}

// errorPage renders the frame's error page for status; if even that fails,
// a plain German sentence.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	s.writeErrorPage(w, r, pages.ErrorView{Status: status})
}

// writeErrorPage renders v, whose Status is set, in the frame.
func (s *Server) writeErrorPage(w http.ResponseWriter, r *http.Request, v pages.ErrorView) {
	status := v.Status
	v.RequestID = middleware.GetReqID(r.Context())
	if v.Heading == "" {
		v.Heading, v.Message = errorText(status)
	}
	// No flash here: error pages are also drawn outside the session middleware.
	v.Frame = layout.Frame{Title: v.Heading, Path: r.URL.Path, Assets: s.frameURLs}
	var buf bytes.Buffer
	if err := pages.Error(v).Render(r.Context(), &buf); err != nil {
		s.log.ErrorContext(r.Context(), "error page failed", slog.Any("error", err))
		http.Error(w, "Es ist ein Fehler aufgetreten.", status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorText gives the heading and explanation of an error page.
func errorText(status int) (heading, message string) {
	switch status {
	case http.StatusNotFound:
		return "Seite nicht gefunden", "Die angeforderte Seite gibt es nicht oder nicht mehr. Vielleicht hat sich die Adresse geändert."
	case http.StatusForbidden:
		return "Zugriff nicht erlaubt", "Sie haben keine Berechtigung für diese Seite oder Aktion. Falls Sie ein Formular abgeschickt haben: Laden Sie die Seite neu und versuchen Sie es noch einmal."
	case http.StatusConflict:
		return "Änderung nicht gespeichert", "Die Daten wurden inzwischen geändert oder der Name ist schon vergeben. Ihre Änderung wurde nicht gespeichert. Laden Sie die Seite neu, prüfen Sie den aktuellen Stand und versuchen Sie es noch einmal."
	case http.StatusMethodNotAllowed:
		return "Aktion nicht möglich", "Diese Seite kann auf diesem Weg nicht aufgerufen werden."
	case http.StatusServiceUnavailable:
		return "Gerade ausgelastet", "Das Portal ist gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden noch einmal."
	case http.StatusRequestEntityTooLarge:
		return "Anfrage zu groß", "Die gesendeten Daten sind zu groß. Bitte kürzen Sie Ihre Eingabe oder wählen Sie eine kleinere Datei."
	default:
		return "Ein Fehler ist aufgetreten", "Bei der Bearbeitung Ihrer Anfrage ist auf unserer Seite ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal."
	}
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, c templ.Component) error {
	return s.renderStatus(w, r, http.StatusOK, c)
}

// renderStatus renders c into a buffer first, so a template failure can
// still become a clean error page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		if status == http.StatusOK && !s.sessionInUse(r) {
			// Anonymous pages hold nothing personal: a proxy may serve them briefly.
			h.Set("Cache-Control", "public, max-age=60")
		} else {
			h.Set("Cache-Control", "private, no-store")
		}
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.DebugContext(r.Context(), "write response", slog.Any("error", err))
	}
	return nil
}

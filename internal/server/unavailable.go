package server

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"rii/internal/store"
	"rii/web/components"
	"rii/web/pages"
)

// retryAfter is what a 503 asks clients to wait while the database is away:
// a restart for an update takes a few seconds.
const retryAfter = 10

// unavailableHeading heads the 503 page of an outage.
const unavailableHeading = "Vorübergehend nicht erreichbar"

// unavailableText explains a 503 on the error page and above a kept form.
const unavailableText = "Das Portal kann seine Datenbank gerade nicht erreichen, etwa während einer Wartung. " +
	"Bitte versuchen Sie es in wenigen Sekunden noch einmal."

// unavailableFormText is the alert above a form whose sending failed.
const unavailableFormText = "Ihre Eingaben wurden nicht gespeichert, weil das Portal seine Datenbank gerade nicht " +
	"erreichen kann. Sie stehen noch im Formular: Bitte senden Sie es in wenigen Sekunden noch einmal ab."

// unavailable prepares a 503 answer: Retry-After, and one warning in the log
// (an outage is expected operations, not a bug).
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	s.log.WarnContext(r.Context(), "database unavailable",
		slog.String("request_id", middleware.GetReqID(r.Context())), slog.Any("error", err))
}

// keepInput answers a form post that failed because the database is away:
// the same form again, with what was typed and an alert, as a 503 instead of
// the generic error page. Form handlers defer it right after building their
// view:
//
//	defer s.keepInput(w, r, &err, &v.Form, func() templ.Component { return pages.SignIn(v) })
//
// Any other error passes through unchanged.
func (s *Server) keepInput(w http.ResponseWriter, r *http.Request, errp *error, f *components.Form, page func() templ.Component) {
	if !store.Unavailable(*errp) {
		return
	}
	s.unavailable(w, r, *errp)
	f.Alert = unavailableFormText
	w.Header().Set("Cache-Control", "no-store")
	*errp = s.renderStatus(w, r, http.StatusServiceUnavailable, page())
}

// unavailablePage is the 503 page. For a form post it carries what was
// sent, so nothing typed is lost even when the failure came before the
// handler (loading the session needs the database too).
func (s *Server) unavailablePage(w http.ResponseWriter, r *http.Request, err error) {
	s.unavailable(w, r, err)
	v := pages.ErrorView{Status: http.StatusServiceUnavailable, Heading: unavailableHeading, Message: unavailableText}
	if r.Method == http.MethodPost {
		v.Resend = resendForm(r)
	}
	s.writeErrorPage(w, r, v)
}

// resendForm collects a post's fields, leaving out secrets (passwords,
// one-time codes, tokens) and files; nil when nothing can be kept.
func resendForm(r *http.Request) *pages.ResendForm {
	if r.PostForm == nil {
		// Already capped by limitBody; files are parsed but not kept.
		if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return nil
		}
	}
	f := &pages.ResendForm{Action: r.URL.RequestURI()}
	if r.MultipartForm != nil && len(r.MultipartForm.File) > 0 {
		f.Omitted = true
	}
	names := slices.Sorted(maps.Keys(r.PostForm))
	for _, name := range names {
		if secretField(name) {
			f.Omitted = true
			continue
		}
		for _, value := range r.PostForm[name] {
			f.Fields = append(f.Fields, pages.ResendField{ID: "feld-" + strconv.Itoa(len(f.Fields)+1), Name: name, Value: value})
		}
	}
	if len(f.Fields) == 0 {
		return nil
	}
	return f
}

// secretField tells the fields never shown again.
func secretField(name string) bool {
	name = strings.ToLower(name)
	for _, s := range []string{"passwort", "password", "code", "token", "geheim", "secret"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// statusClientGone is what logs and metrics record for a request whose
// client went away before the answer (nginx's 499): not a server fault.
const statusClientGone = 499

// clientGone ends a request whose client disconnected mid-way; the error
// it caused (a cancelled query) is no failure of the portal.
func (s *Server) clientGone(w http.ResponseWriter, r *http.Request, err error) {
	s.log.DebugContext(r.Context(), "client gone",
		slog.String("request_id", middleware.GetReqID(r.Context())), slog.Any("error", err))
	w.WriteHeader(statusClientGone)
}

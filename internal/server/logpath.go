package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// tokenPrefixes are the paths whose last segment is a secret from an e-mail
// (reset, invitation, confirmation): it must never reach a log (ASVS 16.2.5).
var tokenPrefixes = []string{"/passwort-zuruecksetzen/", "/einladung/", "/bestaetigen/"}

// loggedPath is what logs say about a request's path: the route pattern when
// the route has parameters ("/einladung/{token}"), otherwise the path with
// any token segment masked (a redirect or 404 happens before routing).
func loggedPath(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); strings.Contains(p, "{") {
			return p
		}
	}
	for _, prefix := range tokenPrefixes {
		if strings.HasPrefix(r.URL.Path, prefix) {
			return prefix + "{token}"
		}
	}
	return r.URL.Path
}

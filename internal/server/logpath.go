package server

import (
	"net/http"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"
)

// secretParam is the route parameter holding a secret from an e-mail (a
// reset, invitation, confirmation, registration or proposal link): it must
// never reach a log or a metrics label (ASVS 16.2.5).
const secretParam = "{token}"

// secretPrefixes are the fixed paths before secretParam in routes, longest
// first, taken from the route table itself so that a new link route is
// masked without being listed twice.
func secretPrefixes(routes chi.Routes) []string {
	seen := map[string]bool{}
	var prefixes []string
	chi.Walk(routes, func(_ string, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		i := strings.Index(route, secretParam)
		if i < 0 || strings.Contains(route[:i], "{") {
			return nil // a parameter before the secret: left to looksLikeToken
		}
		if p := strings.ToLower(route[:i]); !seen[p] {
			seen[p] = true
			prefixes = append(prefixes, p)
		}
		return nil
	})
	sort.Slice(prefixes, func(a, b int) bool { return len(prefixes[a]) > len(prefixes[b]) })
	return prefixes
}

// loggedPath is what logs say about a request's path: the route pattern when
// the route has parameters ("/einladung/{token}"); otherwise (a redirect,
// 404 or 405 happens before or without routing) the path with everything
// after a secret route's prefix masked, and any other segment that looks
// like a token too.
func (s *Server) loggedPath(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); strings.Contains(p, "{") {
			return p
		}
	}
	return maskPath(r.URL.Path, s.secretPrefixes)
}

// maskPath masks path for a log: after a prefix (compared without case,
// as people mistype) the rest is a secret, and a segment shaped like a
// token is one wherever it stands.
func maskPath(path string, prefixes []string) string {
	for _, prefix := range prefixes {
		if len(path) > len(prefix) && strings.EqualFold(path[:len(prefix)], prefix) {
			return path[:len(prefix)] + secretParam
		}
	}
	segments := strings.Split(path, "/")
	for i, seg := range segments {
		if looksLikeToken(seg) {
			segments[i] = secretParam
		}
	}
	return strings.Join(segments, "/")
}

// looksLikeToken reports whether seg could be a token (newToken: 43
// characters of base64url): 20 or more of its characters and an upper-case
// letter or underscore, which the portal's lower-case slugs and words never
// hold.
func looksLikeToken(seg string) bool {
	if len(seg) < 20 {
		return false
	}
	mixed := false
	for _, c := range seg {
		switch {
		case c >= 'A' && c <= 'Z', c == '_':
			mixed = true
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
		default:
			return false
		}
	}
	return mixed
}

// Package server is the portal's HTTP layer: the route table, handlers,
// middleware and sessions. Handlers return errors; one adapter turns them into
// responses.
package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"rii/internal/config"
	"rii/internal/pagecache"
	"rii/internal/secret"
	"rii/internal/store"
	"rii/web/layout"
	"rii/web/static"
)

// Server holds the dependencies of every handler.
type Server struct {
	cfg       *config.Config
	log       *slog.Logger
	store     *store.Store
	sessions  *scs.SessionManager
	assets    *static.Assets
	frameURLs layout.Assets
	// wantSchema is the migration version this binary needs (for /readyz).
	wantSchema int64
	// now is the clock; tests move it to check time limits.
	now func() time.Time
	// keys seal second factors and e-mailed links (RII_SECRET_KEYS).
	keys *secret.Keys
	// hashes bounds concurrent password hashes.
	hashes *hashLimiter
	// mailNotify wakes the outbox worker after a message is committed.
	mailNotify func()
	// pool and metrics feed the Prometheus figures and the status page.
	pool    *pgxpool.Pool
	metrics *metrics
	// pages caches anonymous responses (pagecache.go); listenContent turns
	// off its LISTEN connection in the test of the periodic check.
	pages         *pagecache.Cache
	listenContent bool
	// secretPrefixes are the paths whose next segment is an e-mailed secret
	// (logpath.go), read from the route table by Handler.
	secretPrefixes []string
}

// Options are what New needs besides the pool.
type Options struct {
	Config *config.Config
	Logger *slog.Logger
	// SchemaVersion is the newest migration this binary embeds.
	SchemaVersion int64
	// Clock replaces time.Now (tests).
	Clock func() time.Time
	// MailNotify, if set, is called after e-mails were committed to the outbox.
	MailNotify func()
}

// New builds a server on pool.
func New(pool *pgxpool.Pool, opt Options) (*Server, error) {
	assets, err := static.New()
	if err != nil {
		return nil, err
	}
	keys, err := secret.New(opt.Config.SecretKeys...)
	if err != nil {
		return nil, fmt.Errorf("RII_SECRET_KEYS: %w", err)
	}
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 10*time.Minute)
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 30 * time.Minute
	sm.Cookie.Name = "rii_sitzung"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = opt.Config.SecureCookies
	sm.Cookie.Path = "/"
	if sm.Cookie.Secure {
		// The browser then accepts the cookie only over HTTPS, for the whole
		// host and from no subdomain (ASVS 3.3.x).
		sm.Cookie.Name = "__Host-rii_sitzung"
	}
	s := &Server{
		cfg:        opt.Config,
		log:        opt.Logger,
		store:      store.New(pool),
		sessions:   sm,
		assets:     assets,
		wantSchema: opt.SchemaVersion,
		now:        opt.Clock,
		mailNotify: opt.MailNotify,
		pool:       pool,
		hashes:     newHashLimiter(opt.Config.HashMemoryMiB),
		keys:       keys,
	}
	s.metrics = newMetrics(s)
	if s.now == nil {
		s.now = time.Now
	}
	// Loading or saving a session fails only when the database does: the one
	// error mapper answers it (503 during an outage), not scs's plain 500.
	sm.ErrorFunc = s.fail
	s.pages, s.listenContent = s.newPageCache(), true
	s.frameURLs = layout.Assets{
		FontsCSS:  assets.URL("vendor/kern/fonts/fira-sans.css"),
		KernCSS:   assets.URL("vendor/kern/kern.min.css"),
		PortalCSS: assets.URL("css/portal.css"),
		Icon:      assets.URL("img/icon.svg"),
		PickerJS:  assets.URL("js/picker.js"),
	}
	return s, nil
}

// frame fills the page frame for this request.
func (s *Server) frame(r *http.Request, title string) layout.Frame {
	f := layout.Frame{Title: title, Path: r.URL.Path, Assets: s.frameURLs, User: frameUser(userFrom(r.Context()))}
	if s.hasSession(r) {
		f.Flash = s.sessions.PopString(r.Context(), keyFlash)
		f.Warning = s.sessions.PopString(r.Context(), keyWarning)
	}
	return f
}

// hasSession reports whether the request carries a session cookie; anonymous
// visitors never get a session. The cookie may name no session (made up or
// ended): what decides about sharing a page is liveSession or sessionInUse.
func (s *Server) hasSession(r *http.Request) bool {
	_, err := r.Cookie(s.sessions.Cookie.Name)
	return err == nil
}

// liveSession reports whether the request's cookie names a session the
// store holds (and that has not expired), so that a made-up cookie cannot
// opt out of the page cache. If the store cannot answer, the request counts
// as a session's: it is rendered for itself, never shared.
func (s *Server) liveSession(r *http.Request) bool {
	c, err := r.Cookie(s.sessions.Cookie.Name)
	if err != nil || c.Value == "" {
		return false
	}
	_, found, err := s.sessions.Store.Find(c.Value)
	return found || err != nil
}

// sessionInUse reports, inside the session middleware, whether this request
// has a session: one its cookie named and the store knew, or one begun
// during the request.
func (s *Server) sessionInUse(r *http.Request) bool {
	if !s.hasSession(r) {
		return false
	}
	ctx := r.Context()
	return s.sessions.Token(ctx) != "" || s.sessions.Status(ctx) != scs.Unmodified
}

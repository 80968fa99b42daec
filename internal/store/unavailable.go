package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Unavailable reports whether err means the database cannot be reached right
// now — refused or lost connections, a server shutting down or starting up,
// a connect or acquire that timed out — rather than a fault in a query. Such
// a request may succeed when retried later, so the portal answers 503.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "57P01", // admin_shutdown
			pgErr.Code == "57P02",               // crash_shutdown
			pgErr.Code == "57P03",               // cannot_connect_now (starting up, shutting down, recovery)
			strings.HasPrefix(pgErr.Code, "08"): // connection exceptions
			return true
		}
		return false // the server answered: a real error in the query
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		pgconn.Timeout(err), pgconn.SafeToRetry(err),
		errors.Is(err, context.DeadlineExceeded),
		// A connection that died under a running query: cut off mid-message,
		// or closed by pgx and used again.
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, pgconn.ErrConnClosed):
		return true
	}
	return false
}

// PoolConfig parses a connection URL into a pool configuration that notices
// a lost database quickly and recovers without a restart: connects give up
// after a few seconds, idle connections are checked every few seconds (and
// pinged before use after one idle second, pgxpool's default), so dead ones
// from before a database restart are dropped instead of handed out.
func PoolConfig(url string) (*pgxpool.Config, error) {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pc.ConnConfig.ConnectTimeout = 2 * time.Second
	pc.HealthCheckPeriod = 5 * time.Second
	pc.PingTimeout = 2 * time.Second
	return pc, nil
}

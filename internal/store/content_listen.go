package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// ListenContent tells onVersion the content version, first as it stands and
// then each new one announced by NOTIFY rii_content (migration 00010), until
// ctx ends or the connection fails; it returns that error. It holds a
// connection of its own, outside the pool, for as long as it runs. The
// version is read after LISTEN, so no change between the two is missed.
func (s *Store) ListenContent(ctx context.Context, onVersion func(int64)) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("store: listen content: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN rii_content`); err != nil {
		return fmt.Errorf("store: listen content: %w", err)
	}
	var v int64
	if err := conn.QueryRow(ctx, `SELECT version FROM content_version`).Scan(&v); err != nil {
		return fmt.Errorf("store: listen content: %w", err)
	}
	onVersion(v)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("store: listen content: %w", err)
		}
		v, err := strconv.ParseInt(n.Payload, 10, 64)
		if err != nil {
			return fmt.Errorf("store: listen content: payload %q: %w", n.Payload, err)
		}
		onVersion(v)
	}
}

// Package store is the only package that speaks SQL. One file per aggregate;
// every method takes ctx first and wraps its errors with the operation name.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store reads and writes the portal's data.
type Store struct {
	pool *pgxpool.Pool
	db   querier
	idx  *indexes // shared with the transaction-bound copies
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, db: pool, idx: &indexes{}} }

// InTx runs fn with a store bound to one transaction, committing when fn
// returns nil and rolling back otherwise. Called on a transaction-bound
// store it opens a savepoint, so a failed step can be retried without
// aborting the outer transaction.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	run := func(tx pgx.Tx) error { return fn(&Store{pool: s.pool, db: tx, idx: s.idx}) }
	if outer, ok := s.db.(pgx.Tx); ok {
		return pgx.BeginFunc(ctx, outer, run)
	}
	return pgx.BeginFunc(ctx, s.pool, run)
}

// collect scans every row into a T by column name, wrapping an error with
// the operation name op.
func collect[T any](rows pgx.Rows, op string) ([]T, error) {
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return list, nil
}

// collectPage scans one page of rows that each carry the size of the whole
// result (count(*) OVER ()), read by total; an empty page has total 0.
func collectPage[T any](rows pgx.Rows, op string, total func(T) int) ([]T, int, error) {
	list, err := collect[T](rows, op)
	if err != nil || len(list) == 0 {
		return list, 0, err
	}
	return list, total(list[0]), nil
}

// totalPastEnd is the total of a paged result: total as collectPage read
// it, or, when a page past the last one came back empty, the count of
// countSQL (so the pager can lead back).
func (s *Store) totalPastEnd(ctx context.Context, total, rows, offset int, op, countSQL string, args ...any) (int, error) {
	if rows > 0 || offset == 0 {
		return total, nil
	}
	err := s.db.QueryRow(ctx, countSQL, args...).Scan(&total)
	return total, wrap(op, err, nil)
}

// collectOne scans exactly one row into a T by column name; no row is
// ErrNotFound. Errors are wrapped with the operation name op.
func collectOne[T any](rows pgx.Rows, op string) (T, error) {
	return collectOneOr[T](rows, op, ErrNotFound)
}

// collectOneOr is collectOne with none as what "no row" means for op (see
// wrap), e.g. ErrTokenInvalid for a link's token.
func collectOneOr[T any](rows pgx.Rows, op string, none error) (T, error) {
	v, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[T])
	return v, wrap(op, err, none)
}

// SchemaVersion returns the newest applied migration version, 0 if none.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRow(ctx,
		`SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table: never migrated
			return 0, nil
		}
		return 0, fmt.Errorf("store: schema version: %w", err)
	}
	return v, nil
}

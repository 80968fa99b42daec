package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// State is a Land.
type State struct {
	Code string `db:"code"` // two digits, "01" … "16"
	Name string `db:"name"` // "Schleswig-Holstein"
}

// District is a Landkreis, Kreis, kreisfreie Stadt, Stadtkreis or the
// Regionalverband Saarbrücken. Figures are Destatis, 31.12.2018.
type District struct {
	AGS       string `db:"ags"` // five digits, the first two are the Land
	StateCode string `db:"state_code"`
	StateName string `db:"state_name"`
	// Name is official ("Flensburg, Stadt"); DisplayName is for lists, links
	// and maps ("Flensburg", "Landkreis Kassel").
	Name        string  `db:"name"`
	DisplayName string  `db:"display_name"`
	Kind        string  `db:"kind"` // Landkreis, Kreis, Kreisfreie Stadt, Stadtkreis, Regionalverband
	NUTS3       string  `db:"nuts3"`
	AreaKm2     float64 `db:"area_km2"`
	Population  int     `db:"population"`
	// ValidUntil and MergedInto are set for a district that no longer exists.
	ValidUntil *time.Time `db:"valid_until"`
	MergedInto *string    `db:"merged_into"`
}

// Current reports whether the district exists today.
func (d *District) Current() bool { return d.ValidUntil == nil }

// districtColumns reads from districts d joined with states s.
const districtColumns = `d.ags, d.state_code, s.name AS state_name, d.name, d.display_name, d.kind, d.nuts3,
	d.area_km2::float8 AS area_km2, d.population, d.valid_until, d.merged_into`

// States lists the 16 Länder by code (the official order, north to south).
func (s *Store) States(ctx context.Context) ([]State, error) {
	rows, _ := s.db.Query(ctx, `SELECT code, name FROM states ORDER BY code`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[State])
	if err != nil {
		return nil, fmt.Errorf("store: states: %w", err)
	}
	return list, nil
}

// Districts lists the current districts by display name in German order.
func (s *Store) Districts(ctx context.Context) ([]District, error) {
	return s.districts(ctx, "districts", ``)
}

// DistrictsOf lists the current districts of one Land by display name; an
// unknown code gives an empty list.
func (s *Store) DistrictsOf(ctx context.Context, stateCode string) ([]District, error) {
	return s.districts(ctx, "districts of state", `AND d.state_code = $1`, stateCode)
}

func (s *Store) districts(ctx context.Context, op, where string, args ...any) ([]District, error) {
	// valid_until IS NULL is the condition of the view current_districts;
	// the table is read for the columns the view leaves out.
	rows, _ := s.db.Query(ctx, `SELECT `+districtColumns+`
		FROM districts d JOIN states s ON s.code = d.state_code
		WHERE d.valid_until IS NULL `+where+`
		ORDER BY d.display_name COLLATE "de-DE-x-icu", d.ags`, args...)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[District])
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return list, nil
}

// District returns one district by AGS, a former one too (see Current and
// MergedInto); ErrNotFound if the key is unknown.
func (s *Store) District(ctx context.Context, ags string) (*District, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+districtColumns+`
		FROM districts d JOIN states s ON s.code = d.state_code WHERE d.ags = $1`, ags)
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByName[District])
	if err != nil {
		return nil, wrap(fmt.Sprintf("district %q", ags), err, ErrNotFound)
	}
	return d, nil
}

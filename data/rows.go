package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
)

// Row is one row of a table read outside PostGIS (a county's spreadsheet):
// its line in the file, its geometry in lon/lat, and its cells by column.
type Row struct {
	Line  int
	Geom  orb.Geometry // nil when the coordinates did not parse: Bad says why
	Bad   *RowError
	Cells map[string]string
}

// FromRows maps rows onto one layer as cfg maps a table: the id and each
// attribute from the column the config names (or the attribute's own name,
// matched but for case), then const, values and defaults exactly as Load
// applies them. Expressions and where are SQL and have no place in a
// spreadsheet: they are errors. Each skipped row's Problem carries its line.
// The set holds the layer's items; the error joins every mapping problem,
// and then no row is read.
func FromRows(layer string, cfg *Config, columns []string, rows []Row) (*Set, *LayerReport, error) {
	set, lr := &Set{}, newLayerReport(layer, "")
	switch layer {
	case LayerHydrants:
		return set, lr, fromRows(cfg, lr, columns, rows, decodeHydrant, &set.Hydrants)
	case LayerStations:
		return set, lr, fromRows(cfg, lr, columns, rows, decodeStation, &set.Stations)
	case LayerBuildings:
		return set, lr, fromRows(cfg, lr, columns, rows, decodeBuilding, &set.Buildings)
	}
	return nil, nil, fmt.Errorf("layer %q: points are read into hydrants, stations or buildings", layer)
}

func fromRows[T Feature](cfg *Config, lr *LayerReport, columns []string, rows []Row,
	decode func(string, orb.Geometry, Values) T, out *[]T) error {
	s, _ := SchemaOf(lr.Layer)
	if err := cfg.Check(); err != nil {
		return err
	}
	tc, _ := cfg.table(lr.Layer)
	if tc == nil {
		return fmt.Errorf("layer %s is set to null in the config", lr.Layer)
	}
	var params map[string]json.RawMessage
	if cfg != nil {
		params = cfg.Params
	}
	attrs, _ := tc.compile(s, params) // cfg.Check passed
	cols := make(map[string]string, len(columns))
	for _, c := range columns {
		cols[c] = "text"
	}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("layer %s: %s", lr.Layer, fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(tc.Where) != "" {
		fail("where is SQL: a spreadsheet cannot be filtered by it")
	}
	idCol := foldedColumn(cols, tc.ID)
	if _, ok := cols[idCol]; !ok {
		fail("no id column %q (columns: %s; set layers.%s.id in the config)", tc.ID, strings.Join(columns, ", "), lr.Layer)
	}
	src := map[string]string{} // attribute -> column
	var unread []string
	for _, a := range attrs {
		if a.hasConst {
			lr.Constants = setKey(lr.Constants, a.Name, a.constV)
			continue
		}
		name, read := tc.source(a.Name)
		if !read {
			continue
		}
		_, mapped := tc.Columns[a.Name]
		col := foldedColumn(cols, name)
		switch {
		case cols[col] != "":
			src[a.Name] = col
		case !bareName.MatchString(name):
			fail("attribute %s: %q is an SQL expression; a spreadsheet has columns only", a.Name, name)
		case mapped:
			fail("no column %q (mapped to %s in the config)", name, a.Name)
		case a.Required && a.def == nil:
			fail("no column %q for required attribute %s (map it in columns, or give it a const or a default)", name, a.Name)
		case a.def != nil:
			lr.Note("no column %q: %s takes its default in every row", name, a.Name)
		default:
			unread = append(unread, a.Name)
		}
	}
	if len(unread) > 0 {
		lr.Note("no column for %s: null in every row", strings.Join(unread, ", "))
	}
	if len(errs) > 0 {
		lr.Failed = true
		return errors.Join(errs...)
	}
	c := newCollector(s, decode, lr)
	c.attrs = attrs
	for _, r := range rows {
		c.line = r.Line
		id := strings.TrimSpace(r.Cells[idCol])
		if r.Bad != nil {
			c.skip(id, r.Bad)
			continue
		}
		raw := make(map[string]*string, len(src))
		for a, col := range src {
			if v, ok := r.Cells[col]; ok {
				raw[a] = &v
			}
		}
		c.add(&id, r.Geom, "", raw)
	}
	*out = c.items
	return nil
}

// sqlTransformPoints takes x and y arrays in SRID $3 to lon/lat, in order.
const sqlTransformPoints = `
SELECT ST_X(g), ST_Y(g) FROM (
  SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), $3::int), 4326) AS g, n
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, n)
) s ORDER BY n`

// TransformPoints converts points from srid (an EPSG code in PostGIS's
// spatial_ref_sys, such as a CGCS2000 Gauss-Kruger zone) to lon/lat in
// one query.
func TransformPoints(ctx context.Context, pool *pgxpool.Pool, srid int, pts []orb.Point) ([]orb.Point, error) {
	var known bool
	if err := pool.QueryRow(ctx, sqlKnownSRID, srid).Scan(&known); err != nil {
		return nil, err
	}
	if !known {
		return nil, fmt.Errorf("srid %d is not in spatial_ref_sys", srid)
	}
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = p[0], p[1]
	}
	rows, err := pool.Query(ctx, sqlTransformPoints, xs, ys, srid)
	if err != nil {
		return nil, fmt.Errorf("transform from srid %d: %w", srid, err)
	}
	defer rows.Close()
	out := make([]orb.Point, 0, len(pts))
	for rows.Next() {
		var p orb.Point
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("transform from srid %d: %w", srid, err)
	}
	return out, nil
}

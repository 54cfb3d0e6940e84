package data

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/project"

	"fireplan/geo/datum"
)

// Connect opens a pool to url, names the application and bounds every
// statement, and checks the database answers.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "fireplan"
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "300000" // ms
	// PostGIS functions carry high planner costs, so even a layer of a few
	// thousand rows passes jit_above_cost: compiling took 230 ms of a 3 ms
	// read of the sample's hydrants, and made every reload wait on it.
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	where := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", where, err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, &UnreachableError{Where: where, Err: err}
	}
	var postgis *string
	if err := pool.QueryRow(pctx, sqlPostGISVersion).Scan(&postgis); err != nil || postgis == nil {
		pool.Close()
		return nil, fmt.Errorf("database %s: the postgis extension is not installed (CREATE EXTENSION postgis)", where)
	}
	return pool, nil
}

// sqlKnownSRID says whether PostGIS can transform from an SRID.
const sqlKnownSRID = `SELECT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = $1)`

const sqlPostGISVersion = `SELECT extversion FROM pg_extension WHERE extname = 'postgis'`

// sqlColumns lists a table's columns and types; schema and table are values.
const sqlColumns = `
SELECT a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`

// sqlLayer reads one layer. %[1]s is the quoted id column, %[2]s the quoted
// geometry column, %[3]s the attributes as text (", (t.col)::text AS
// fp_a0, ..."), %[4]s the quoted table, %[5]s the where clause, %[6]s the
// attributes' output names and %[7]s their ordinals. Attributes and the
// where clause are evaluated over the table as t, the way probeExpr checks
// them. Geometry goes to lon/lat through ST_Transform (SRID 0 means $1;
// CGCS2000, EPSG:4490, and its Gauss-Kruger zones 4513-4554 are in
// PostGIS's spatial_ref_sys), 2D, as WKB; validity is judged by PostGIS so a bad row names its
// fault. Rows come in id order, then by geometry and attributes: a table's
// scan order shifts with parallel and synchronised scans, and the
// snapshot's version hashes items in order, so unchanged data must load in
// the same order (which of two rows sharing an id is kept, too).
const sqlLayer = `
SELECT fp_id, ST_AsBinary(fp_g), fp_g IS NOT NULL AND ST_IsEmpty(fp_g),
       CASE WHEN fp_g IS NULL OR ST_IsEmpty(fp_g) OR ST_IsValid(fp_g) THEN NULL ELSE ST_IsValidReason(fp_g) END%[6]s
FROM (
  SELECT t.%[1]s::text AS fp_id,
         ST_Force2D(CASE WHEN t.%[2]s IS NULL THEN NULL
                         WHEN ST_SRID(t.%[2]s) = 4326 THEN t.%[2]s::geometry
                         WHEN ST_SRID(t.%[2]s) = 0 THEN ST_Transform(ST_SetSRID(t.%[2]s::geometry, $1::int), 4326)
                         ELSE ST_Transform(t.%[2]s::geometry, 4326) END) AS fp_g%[3]s
  FROM %[4]s t%[5]s
) s
ORDER BY fp_id COLLATE "C", 2, 3, 4%[7]s`

// sqlProbe checks an expression or where clause of the config against the
// table without reading a row: %[1]s is the expression, %[2]s the table.
const (
	sqlProbeExpr  = `SELECT (%[1]s)::text FROM %[2]s t LIMIT 0`
	sqlProbeWhere = `SELECT 1 FROM %[2]s t WHERE (%[1]s) LIMIT 0`
)

// Load reads every layer from PostGIS as cfg maps it. A bad row is skipped
// and reported; a bad optional value is nulled and counted. Every problem
// of the config and every missing table or column of every layer comes
// back at once, joined, each naming its layer; the set and report hold
// what could be read either way.
func Load(ctx context.Context, pool *pgxpool.Pool, cfg *Config) (*Set, *Report, error) {
	set, rep := &Set{}, &Report{}
	errs := []error{cfg.Check()}
	load := func(name string, f func(*LayerReport) error) {
		if ctx.Err() != nil {
			return
		}
		lr := newLayerReport(name, "")
		rep.Layers = append(rep.Layers, lr)
		errs = append(errs, f(lr))
	}
	for _, name := range LayerNames() {
		load(name, func(lr *LayerReport) error { return readLayer(ctx, pool, cfg, set, lr) })
	}
	errs = append(errs, ctx.Err())
	return set, rep, errors.Join(errs...)
}

// readLayer reads lr's layer into set, replacing what set held of it.
func readLayer(ctx context.Context, pool *pgxpool.Pool, cfg *Config, set *Set, lr *LayerReport) error {
	switch lr.Layer {
	case LayerHydrants:
		return loadLayer(ctx, pool, cfg, lr, decodeHydrant, &set.Hydrants)
	case LayerStations:
		return loadLayer(ctx, pool, cfg, lr, decodeStation, &set.Stations)
	case LayerRoads:
		return loadLayer(ctx, pool, cfg, lr, decodeRoad, &set.Roads)
	case LayerBuildings:
		return loadLayer(ctx, pool, cfg, lr, decodeBuilding, &set.Buildings)
	case LayerVillages:
		return loadLayer(ctx, pool, cfg, lr, decodeVillage, &set.Villages)
	case LayerDistricts:
		return loadLayer(ctx, pool, cfg, lr, decodeDistrict, &set.Districts)
	case LayerFireLanes:
		return loadLayer(ctx, pool, cfg, lr, decodeFireLane, &set.FireLanes)
	case LayerTownships:
		return loadLayer(ctx, pool, cfg, lr, decodeTownship, &set.Townships)
	case LayerBuiltup:
		return loadLayer(ctx, pool, cfg, lr, decodeBuiltup, &set.Builtup)
	}
	return fmt.Errorf("no layer %q", lr.Layer)
}

func loadLayer[T Feature](ctx context.Context, pool *pgxpool.Pool, cfg *Config, lr *LayerReport,
	decode func(string, orb.Geometry, Values) T, out *[]T) error {
	*out = nil // a layer absent or failed now holds nothing of an earlier read
	s, _ := SchemaOf(lr.Layer)
	tc, configured := cfg.table(lr.Layer)
	if tc == nil {
		lr.Absent, lr.Source = true, "config"
		lr.Note("set to null in the config")
		return nil
	}
	var params map[string]json.RawMessage
	if cfg != nil {
		params = cfg.Params
	}
	attrs, _ := tc.compile(s, params) // Load reports cfg.Check's errors
	qualified := tc.Schema + "." + tc.Table
	table := pgx.Identifier{tc.Schema, tc.Table}.Sanitize()
	lr.Source = "postgis " + qualified

	cols, err := tableColumns(ctx, pool, tc.Schema, tc.Table)
	if err != nil {
		lr.Failed = true
		return fmt.Errorf("layer %s: table %s: %w", lr.Layer, qualified, err)
	}
	if len(cols) == 0 {
		if !configured && Optional(lr.Layer) {
			lr.Absent = true
			lr.Note("no table %s: loaded empty (map the layer to a table in the config, or set \"%s\": null in its layers to silence this)", qualified, lr.Layer)
			return nil
		}
		lr.Failed = true
		return fmt.Errorf("layer %s: table %s does not exist (map the layer to a table in the config)", lr.Layer, qualified)
	}
	// An OpenStreetMap import says so in its table comment; the map must
	// then credit OpenStreetMap.
	var comment *string
	if err := pool.QueryRow(ctx, `SELECT obj_description(to_regclass($1), 'pg_class')`, table).Scan(&comment); err == nil &&
		comment != nil && strings.Contains(*comment, "OpenStreetMap") {
		lr.Attribution = OSMAttribution
	}
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("layer %s: table %s: %s", lr.Layer, qualified, fmt.Sprintf(format, args...)))
	}
	tc.ID = foldedColumn(cols, tc.ID)
	if _, ok := cols[tc.ID]; !ok {
		fail("no id column %q (set layers.%s.id in the config)", tc.ID, lr.Layer)
	}
	geomCol, err := pickGeomColumn(cols, tc.Geom)
	if err != nil {
		fail("%v", err)
	}
	if tc.SRID != 4326 {
		var known bool
		if err := pool.QueryRow(ctx, sqlKnownSRID, tc.SRID).Scan(&known); err != nil || !known {
			fail("srid %d is not in spatial_ref_sys (set layers.%s.srid to an EPSG code PostGIS knows)", tc.SRID, lr.Layer)
		}
	}
	dat, _ := datum.Parse(tc.Datum) // Load reports cfg.Check's errors
	if dat != datum.WGS84 {
		lr.Note("datum %s: converted to WGS84", dat)
	}
	var where string
	if w := strings.TrimSpace(tc.Where); w != "" {
		if err := probe(ctx, pool, sqlProbeWhere, w, table); err != nil {
			fail("where %q: %v", w, err)
		}
		where = "\n  WHERE (" + w + ")"
	}
	var sel, names, order strings.Builder
	var present []string // attributes read, in select order
	var unread []string  // optional attributes without a column
	for _, a := range attrs {
		if a.hasConst {
			lr.Constants = setKey(lr.Constants, a.Name, a.constV)
			continue
		}
		src, read := tc.source(a.Name)
		if !read {
			lr.Note("%s not read (columns: null)", a.Name)
			continue
		}
		_, mapped := tc.Columns[a.Name]
		var expr string
		if col := foldedColumn(cols, src); cols[col] != "" {
			expr = "t." + pgx.Identifier{col}.Sanitize() // "Kind" serves for kind
		} else if bareName.MatchString(src) {
			switch {
			case mapped:
				fail("no column %q (mapped to %s in the config)", src, a.Name)
			case a.Required && a.def == nil:
				fail("no column %q for required attribute %s (map it in columns, or give it a const or a default)", src, a.Name)
			case a.def != nil:
				lr.Note("no column %q: %s takes its default in every row", src, a.Name)
			default:
				unread = append(unread, a.Name)
			}
			continue
		} else {
			if err := probe(ctx, pool, sqlProbeExpr, src, table); err != nil {
				fail("attribute %s: expression %s: %v", a.Name, src, err)
				continue
			}
			expr = "(" + src + ")"
		}
		alias := fmt.Sprintf("fp_a%d", len(present))
		fmt.Fprintf(&sel, ",\n         (%s)::text AS %s", expr, alias)
		fmt.Fprintf(&names, ", %s", alias)
		present = append(present, a.Name)
		fmt.Fprintf(&order, ", %d", 4+len(present))
	}
	if len(unread) > 0 {
		lr.Note("no column for %s: null in every row (map them in columns, or set them to null there to silence this)", strings.Join(unread, ", "))
	}
	lr.Columns = present
	if len(errs) > 0 {
		lr.Failed = true
		return errors.Join(errs...)
	}
	q := fmt.Sprintf(sqlLayer, pgx.Identifier{tc.ID}.Sanitize(), pgx.Identifier{geomCol}.Sanitize(), sel.String(),
		table, where, names.String(), order.String())
	rows, err := pool.Query(ctx, q, tc.SRID)
	if err != nil {
		lr.Failed = true
		return fmt.Errorf("layer %s: reading %s: %w", lr.Layer, qualified, err)
	}
	defer rows.Close()
	c := newCollector(s, decode, lr)
	c.attrs = attrs
	vals := make([]*string, len(present))
	dest := make([]any, 4+len(present))
	var id, invalid *string
	var raw []byte
	var empty bool
	dest[0], dest[1], dest[2], dest[3] = &id, &raw, &empty, &invalid
	for i := range vals {
		dest[4+i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("layer %s: reading %s: %w", lr.Layer, qualified, err)
		}
		attrs := make(map[string]*string, len(present))
		for i, name := range present {
			attrs[name] = vals[i]
		}
		g, gerr := decodeGeometry(raw, empty)
		if g != nil && dat != datum.WGS84 {
			g = project.Geometry(g, dat.ToWGS84) // g is fresh from WKB: converted in place
		}
		if gerr != nil {
			rid := ""
			if id != nil {
				rid = *id
			}
			lr.skip(rid, gerr)
			continue
		}
		inv := ""
		if invalid != nil {
			inv = *invalid
		}
		c.add(id, g, inv, attrs)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("layer %s: reading %s: %w", lr.Layer, qualified, err)
	}
	*out = c.items
	return ctx.Err()
}

// probe runs an expression or where clause of the config on no rows, so a
// mistake is reported with its layer and attribute before any reading.
func probe(ctx context.Context, pool *pgxpool.Pool, format, expr, table string) error {
	rows, err := pool.Query(ctx, fmt.Sprintf(format, expr, table))
	if err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

func setKey[V any](m map[string]V, k string, v V) map[string]V {
	if m == nil {
		m = map[string]V{}
	}
	m[k] = v
	return m
}

// foldedColumn returns the one column whose name equals want but for case,
// or want when there is none or more than one.
func foldedColumn(cols map[string]string, want string) string {
	found := ""
	for c := range cols {
		if strings.EqualFold(c, want) {
			if found != "" {
				return want
			}
			found = c
		}
	}
	if found == "" {
		return want
	}
	return found
}

func decodeGeometry(raw []byte, empty bool) (orb.Geometry, *RowError) {
	switch {
	case empty:
		return nil, rowErr(ReasonEmptyGeometry, "geometry is empty")
	case raw == nil:
		return nil, nil // CheckGeometry names it null
	}
	g, err := wkb.Unmarshal(raw)
	if err != nil {
		return nil, rowErr(ReasonInvalidGeometry, "unreadable WKB: %v", err)
	}
	return g, nil
}

func tableColumns(ctx context.Context, pool *pgxpool.Pool, schema, table string) (map[string]string, error) {
	rows, err := pool.Query(ctx, sqlColumns, schema, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]string{}
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, err
		}
		cols[name] = typ
	}
	return cols, rows.Err()
}

func isGeometryType(t string) bool {
	return strings.HasPrefix(t, "geometry") || strings.HasPrefix(t, "geography")
}

func pickGeomColumn(cols map[string]string, want string) (string, error) {
	if want != "" {
		t, ok := cols[want]
		if !ok {
			return "", fmt.Errorf("no geometry column %q", want)
		}
		if !isGeometryType(t) {
			return "", fmt.Errorf("column %q is %s, not geometry", want, t)
		}
		return want, nil
	}
	if t, ok := cols["geom"]; ok && isGeometryType(t) {
		return "geom", nil
	}
	var found []string
	for name, t := range cols {
		if isGeometryType(t) {
			found = append(found, name)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", errors.New("no geometry column")
	}
	return "", fmt.Errorf("several geometry columns (%s): name one in the config", strings.Join(found, ", "))
}

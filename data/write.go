package data

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/wkb"
)

// WriteOptions say what else Write stores beside the layers.
type WriteOptions struct {
	// Layers lists the layers to replace; nil means all nine. Tables of
	// other layers are left as they are.
	Layers []string
	// Tags holds each item's source tags by layer and id (a JSON object),
	// stored in the tags column; a missing entry is null.
	Tags map[string]map[string]json.RawMessage
	// Comment, when set, becomes each written table's COMMENT (the source
	// and its licence, for OpenStreetMap the attribution ODbL requires).
	Comment string
}

// Write stores every layer of set as a table in schema (created if absent),
// replacing tables of the same names: id text primary key, geom in EPSG:4326,
// one typed column per attribute, tags jsonb (null), and a GiST index on geom.
// All tables are replaced in one transaction.
func Write(ctx context.Context, pool *pgxpool.Pool, set *Set, schema string) error {
	return WriteWith(ctx, pool, set, schema, WriteOptions{})
}

// WriteWith is Write with source tags, a table comment or a subset of the
// layers. Readers of the schema see either the old tables or all the new
// ones, never a mix.
func WriteWith(ctx context.Context, pool *pgxpool.Pool, set *Set, schema string, o WriteOptions) error {
	if schema == "" {
		schema = "public"
	}
	for _, l := range o.Layers {
		if _, ok := SchemaOf(l); !ok {
			return fmt.Errorf("write: unknown layer %q", l)
		}
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	w := writer{ctx: ctx, tx: tx, schema: schema, o: o}
	for _, err := range []error{
		writeLayer(w, LayerHydrants, set.Hydrants),
		writeLayer(w, LayerStations, set.Stations),
		writeLayer(w, LayerRoads, set.Roads),
		writeLayer(w, LayerBuildings, set.Buildings),
		writeLayer(w, LayerVillages, set.Villages),
		writeLayer(w, LayerDistricts, set.Districts),
		writeLayer(w, LayerFireLanes, set.FireLanes),
		writeLayer(w, LayerTownships, set.Townships),
		writeLayer(w, LayerBuiltup, set.Builtup),
	} {
		if err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	// Statistics after the commit: ANALYZE inside would hold the new tables'
	// locks longer and see the same rows.
	for _, s := range Schemas {
		if o.Layers == nil || slices.Contains(o.Layers, s.Name) {
			if _, err := pool.Exec(ctx, "ANALYZE "+pgx.Identifier{schema, s.Name}.Sanitize()); err != nil {
				return err
			}
		}
	}
	return nil
}

// writer is one WriteWith call's transaction.
type writer struct {
	ctx    context.Context
	tx     pgx.Tx
	schema string
	o      WriteOptions
}

// sqlComment builds COMMENT ON TABLE on the server: COMMENT takes no $n
// parameters, and format's %I and %L quote the identifiers and the literal
// as this server reads them (quotes doubled, and backslashes doubled in an
// E-prefixed literal whatever standard_conforming_strings says), so the
// comment, which holds a user's file name, cannot end the literal.
const sqlComment = `SELECT format('COMMENT ON TABLE %I.%I IS %L', $1::text, $2::text, $3::text)`

// writeLayer copies items into a temporary staging table (geometry as WKB)
// and then into the layer's table, within the writer's transaction.
func writeLayer[T Feature](w writer, layer string, items []T) error {
	if w.o.Layers != nil && !slices.Contains(w.o.Layers, layer) {
		return nil
	}
	ctx, tx := w.ctx, w.tx
	s, _ := SchemaOf(layer)
	table := pgx.Identifier{w.schema, layer}.Sanitize()
	var defs, cols []string
	for _, f := range s.Fields {
		q := pgx.Identifier{f.Name}.Sanitize()
		defs = append(defs, q+" "+f.Type.SQLType())
		cols = append(cols, q)
	}
	stmts := []string{
		"DROP TABLE IF EXISTS " + table,
		fmt.Sprintf("CREATE TABLE %s (id text PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL, %s, tags jsonb)", table, strings.Join(defs, ", ")),
		fmt.Sprintf("CREATE TEMP TABLE fireplan_stage (id text, wkb bytea, %s, tags jsonb) ON COMMIT DROP", strings.Join(defs, ", ")),
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", layer, err)
		}
	}
	tags := w.o.Tags[layer]
	rows := make([][]any, len(items))
	for i, it := range items {
		b, err := wkb.Marshal(it.Geometry())
		if err != nil {
			return fmt.Errorf("write %s id=%s: %w", layer, it.FeatureID(), err)
		}
		props := it.Properties()
		row := []any{it.FeatureID(), b}
		for _, f := range s.Fields {
			row = append(row, props[f.Name])
		}
		var tag any // a nil RawMessage would be sent as JSON null, not SQL null
		if t, ok := tags[it.FeatureID()]; ok {
			tag = string(t)
		}
		rows[i] = append(row, tag)
	}
	stageCols := append(append([]string{"id", "wkb"}, fieldNames(s)...), "tags")
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"fireplan_stage"}, stageCols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("write %s: copy: %w", layer, err)
	}
	ins := fmt.Sprintf("INSERT INTO %s (id, geom, %s, tags) SELECT id, ST_SetSRID(ST_GeomFromWKB(wkb), 4326), %s, tags FROM fireplan_stage",
		table, strings.Join(cols, ", "), strings.Join(cols, ", "))
	for _, q := range []string{ins, fmt.Sprintf("CREATE INDEX ON %s USING gist (geom)", table), "DROP TABLE fireplan_stage"} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", layer, err)
		}
	}
	if w.o.Comment != "" {
		var q string
		if err := tx.QueryRow(ctx, sqlComment, w.schema, layer, w.o.Comment).Scan(&q); err != nil {
			return fmt.Errorf("write %s: comment: %w", layer, err)
		}
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: comment: %w", layer, err)
		}
	}
	return nil
}

func fieldNames(s Schema) []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

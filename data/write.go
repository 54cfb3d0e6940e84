package data

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb/encoding/wkb"
)

// Write stores every layer of set as a table in schema (created if absent),
// replacing tables of the same names: id text primary key, geom in EPSG:4326,
// one typed column per attribute, and a GiST index on geom.
func Write(ctx context.Context, pool *pgxpool.Pool, set *Set, schema string) error {
	if schema == "" {
		schema = "public"
	}
	if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	for _, err := range []error{
		writeLayer(ctx, pool, schema, LayerHydrants, set.Hydrants),
		writeLayer(ctx, pool, schema, LayerStations, set.Stations),
		writeLayer(ctx, pool, schema, LayerRoads, set.Roads),
		writeLayer(ctx, pool, schema, LayerBuildings, set.Buildings),
		writeLayer(ctx, pool, schema, LayerVillages, set.Villages),
		writeLayer(ctx, pool, schema, LayerDistricts, set.Districts),
		writeLayer(ctx, pool, schema, LayerFireLanes, set.FireLanes),
		writeLayer(ctx, pool, schema, LayerTownships, set.Townships),
		writeLayer(ctx, pool, schema, LayerBuiltup, set.Builtup),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeLayer copies items into a temporary staging table (geometry as WKB)
// and then into the layer's table, so the whole layer lands in one transaction.
func writeLayer[T Feature](ctx context.Context, pool *pgxpool.Pool, schema, layer string, items []T) error {
	s, _ := SchemaOf(layer)
	table := pgx.Identifier{schema, layer}.Sanitize()
	var defs, cols, sel []string
	for _, f := range s.Fields {
		q := pgx.Identifier{f.Name}.Sanitize()
		defs = append(defs, q+" "+f.Type.SQLType())
		cols = append(cols, q)
		sel = append(sel, q)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("write %s: %w", layer, err)
	}
	defer tx.Rollback(ctx)
	stmts := []string{
		"DROP TABLE IF EXISTS " + table,
		fmt.Sprintf("CREATE TABLE %s (id text PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL, %s)", table, strings.Join(defs, ", ")),
		fmt.Sprintf("CREATE TEMP TABLE fireplan_stage (id text, wkb bytea, %s) ON COMMIT DROP", strings.Join(defs, ", ")),
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", layer, err)
		}
	}
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
		rows[i] = row
	}
	stageCols := append([]string{"id", "wkb"}, fieldNames(s)...)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"fireplan_stage"}, stageCols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("write %s: copy: %w", layer, err)
	}
	ins := fmt.Sprintf("INSERT INTO %s (id, geom, %s) SELECT id, ST_SetSRID(ST_GeomFromWKB(wkb), 4326), %s FROM fireplan_stage",
		table, strings.Join(cols, ", "), strings.Join(sel, ", "))
	idx := fmt.Sprintf("CREATE INDEX ON %s USING gist (geom)", table)
	for _, q := range []string{ins, idx} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", layer, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("write %s: %w", layer, err)
	}
	_, err = pool.Exec(ctx, "ANALYZE "+table)
	return err
}

func fieldNames(s Schema) []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

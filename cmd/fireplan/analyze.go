package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb/encoding/wkb"

	"fireplan/coverage"
	"fireplan/data"
)

// analyzeHook, when set (by tests), runs after each result table is written
// inside the transaction; an error it returns aborts the whole write.
var analyzeHook func(table string) error

// analyzeCmd computes every analysis of the catalogue with its defaults
// (the config's params applied) and, with --write, stores each one's rows
// and geometry as a table of its own in --schema, plus a runs table, all
// replaced in one transaction.
func analyzeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	write := fs.Bool("write", false, "write the results into PostGIS (--schema)")
	schema := fs.String("schema", "fireplan_results", "schema for the result tables (with --write)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := src.check(); err != nil {
		return err
	}
	if *write && src.db == "" {
		return errors.New("--write needs --db or $DATABASE_URL")
	}
	if *schema == "" {
		return errors.New("--schema must not be empty")
	}
	cat, err := src.catalog(1 << 30)
	if err != nil {
		return err
	}
	snap, err := src.load(ctx, stderr)
	if err != nil {
		return err
	}
	var results []analysisResult
	for _, e := range cat.Entries {
		if !e.Analysis() {
			continue
		}
		v, err := e.Parse(url.Values{})
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		t, err := cat.Table(ctx, e, snap, v)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		fmt.Fprintf(stdout, "%-22s %d rows\n", e.Name, t.Len())
		results = append(results, analysisResult{name: e.Name, params: v.Map(), table: t})
	}
	if !*write {
		return nil
	}
	pool, err := data.Connect(ctx, src.db)
	if err != nil {
		return err
	}
	defer pool.Close()
	id, err := writeResults(ctx, pool, *schema, snap, results)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d analyses into schema %s (run %s)\n", len(results), *schema, id)
	return nil
}

type analysisResult struct {
	name   string
	params map[string]string
	table  *coverage.Table
}

// sqlTypes maps coverage.Column.Type to PostgreSQL.
var sqlTypes = map[string]string{
	"string":  "text",
	"integer": "bigint",
	"number":  "double precision",
	"boolean": "boolean",
}

// beginner is what writeResults needs of a pool.
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// writeResults replaces each result's table and the runs table in schema
// within one transaction: a failure anywhere leaves the previous results.
func writeResults(ctx context.Context, pool beginner, schema string, snap *data.Snapshot, results []analysisResult) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	runID := hex.EncodeToString(b)
	now := time.Now().UTC()
	tx, err := pool.Begin(ctx)
	if err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return "", fmt.Errorf("create schema %s: %w", schema, err)
	}
	for _, r := range results {
		if r.name == "runs" {
			return "", errors.New("write: an analysis named runs would replace the runs table")
		}
		if err := writeResult(ctx, tx, schema, r); err != nil {
			return "", err
		}
		if analyzeHook != nil {
			if err := analyzeHook(r.name); err != nil {
				return "", fmt.Errorf("write %s: %w", r.name, err)
			}
		}
	}
	runs := pgx.Identifier{schema, "runs"}.Sanitize()
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + runs,
		"CREATE TABLE " + runs + " (run_id text NOT NULL, analysis text PRIMARY KEY, rows bigint NOT NULL, run_at timestamptz NOT NULL, data_version text NOT NULL, source text NOT NULL, parameters jsonb NOT NULL)",
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return "", fmt.Errorf("write runs: %w", err)
		}
	}
	rows := make([][]any, len(results))
	for i, r := range results {
		p, err := json.Marshal(r.params)
		if err != nil {
			return "", err
		}
		rows[i] = []any{runID, r.name, int64(r.table.Len()), now, snap.VersionHex(), snap.Source, string(p)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{schema, "runs"}, []string{"run_id", "analysis", "rows", "run_at", "data_version", "source", "parameters"}, pgx.CopyFromRows(rows)); err != nil {
		return "", fmt.Errorf("write runs: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	return runID, nil
}

// keyColumn names a result table's row id column: id, or row_id when the
// analysis has a column of its own called id (a township's or village's id,
// not unique per row).
func keyColumn(cols []coverage.Column) string {
	for _, c := range cols {
		if c.Name == "id" {
			return "row_id"
		}
	}
	return "id"
}

// writeResult replaces one analysis's table: the row id (text, see keyColumn), geom (EPSG:4326, null
// for plain tables) and one typed column per Table column. The geometry is
// copied as WKB into a bytea column, then converted in place.
func writeResult(ctx context.Context, tx pgx.Tx, schema string, r analysisResult) error {
	t := r.table
	table := pgx.Identifier{schema, r.name}.Sanitize()
	key := keyColumn(t.Columns)
	defs := []string{pgx.Identifier{key}.Sanitize() + " text", "geom bytea"}
	cols := []string{key, "geom"}
	for _, c := range t.Columns {
		typ, ok := sqlTypes[c.Type]
		if !ok {
			return fmt.Errorf("write %s: column %s has type %q", r.name, c.Name, c.Type)
		}
		if c.Name == key || c.Name == "geom" {
			return fmt.Errorf("write %s: column %s clashes with the row id or geometry column", r.name, c.Name)
		}
		defs = append(defs, pgx.Identifier{c.Name}.Sanitize()+" "+typ)
		cols = append(cols, c.Name)
	}
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + table,
		fmt.Sprintf("CREATE TABLE %s (%s)", table, strings.Join(defs, ", ")),
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", r.name, err)
		}
	}
	hasGeom := t.HasGeoms() && t.Len() > 0
	rows := make([][]any, t.Len())
	for i := range rows {
		var g any
		if hasGeom {
			b, err := wkb.Marshal(t.LonLat(i))
			if err != nil {
				return fmt.Errorf("write %s id=%s: %w", r.name, t.ID(i), err)
			}
			g = b
		}
		rows[i] = append([]any{t.ID(i), g}, t.Row(i)...)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{schema, r.name}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("write %s: copy: %w", r.name, err)
	}
	stmts := []string{
		"ALTER TABLE " + table + " ALTER COLUMN geom TYPE geometry(Geometry, 4326) USING ST_SetSRID(ST_GeomFromWKB(geom), 4326)",
		"ALTER TABLE " + table + " ADD PRIMARY KEY (" + pgx.Identifier{key}.Sanitize() + ")",
	}
	if hasGeom {
		stmts = append(stmts, "CREATE INDEX ON "+table+" USING gist (geom)")
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("write %s: %w", r.name, err)
		}
	}
	return nil
}

// Package pgtest gives tests a real PostgreSQL+PostGIS: the pool named by
// TEST_DATABASE_URL (or DATABASE_URL) and a fresh schema per test. Locally a
// test without a database skips; under CI=true it fails.
package pgtest

import (
	"context"
	_ "embed"
	"fmt"
	"hash/fnv"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"fireplan/data"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// URL returns the test database URL, or fails (CI) or skips the test.
func URL(t testing.TB) string {
	t.Helper()
	for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if u := os.Getenv(k); u != "" {
			return u
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but TEST_DATABASE_URL is not set: run scripts/pg-up (make test does)")
	}
	t.Skip("TEST_DATABASE_URL not set; run `make test` to start a throwaway PostGIS (under CI=true this fails)")
	return ""
}

// Pool connects to the test database; the pool closes when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := data.Connect(ctx, URL(t))
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

var n atomic.Int64

// Schema creates an empty schema for one test and drops it afterwards.
func Schema(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	name := fmt.Sprintf("fp_test_%d_%d", os.Getpid(), n.Add(1))
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE; CREATE SCHEMA "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE")
	})
	return name
}

// PlaneSRID registers fireplan's projection centred on origin (lon, lat) as
// a spatial_ref_sys entry and returns its SRID, so PostGIS measures in the
// same plane as the engine. (ST_Transform to a PROJ string is not cached:
// 5 ms a call, against microseconds for a registered SRID.)
func PlaneSRID(t testing.TB, pool *pgxpool.Pool, origin [2]float64) int {
	t.Helper()
	proj := fmt.Sprintf("+proj=tmerc +lat_0=%.12f +lon_0=%.12f +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs", origin[1], origin[0])
	h := fnv.New32a()
	h.Write([]byte(proj))
	srid := 910000 + int(h.Sum32()%80000)
	const q = `INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, proj4text) VALUES ($1, 'fireplan', $1, $2)
ON CONFLICT (srid) DO UPDATE SET proj4text = EXCLUDED.proj4text`
	if _, err := pool.Exec(context.Background(), q, srid, proj); err != nil {
		t.Fatalf("register plane SRID: %v", err)
	}
	return srid
}

//go:embed municipal.sql
var municipalSQL string

//go:embed osm.sql
var osmSQL string

// Municipal fills schema with a municipal GIS's own tables (UTM 17N, its own
// column names and codes), those docs/municipal.example.json maps.
func Municipal(t testing.TB, pool *pgxpool.Pool, schema string) {
	t.Helper()
	fill(t, pool, municipalSQL, schema)
}

// OSM fills schema with OpenStreetMap tables as ogr2ogr writes them
// (points, lines, multipolygons, other_tags hstore), those
// docs/osm.example.json maps.
func OSM(t testing.TB, pool *pgxpool.Pool, schema string) {
	t.Helper()
	ctx := context.Background()
	// Two test binaries may create the extension at once; one wins.
	if _, err := pool.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS hstore"); err != nil {
		var ok bool
		if qerr := pool.QueryRow(ctx, "SELECT true FROM pg_extension WHERE extname = 'hstore'").Scan(&ok); qerr != nil || !ok {
			t.Fatalf("hstore: %v", err)
		}
	}
	fill(t, pool, osmSQL, schema)
}

func fill(t testing.TB, pool *pgxpool.Pool, sql, schema string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), fmt.Sprintf(sql, pgx.Identifier{schema}.Sanitize())); err != nil {
		t.Fatalf("fill schema %s: %v", schema, err)
	}
}

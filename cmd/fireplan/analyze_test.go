package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"fireplan/coverage"
	"fireplan/coverage/response"
	"fireplan/data/pgtest"
)

// TestAnalyzeWriteMatchesCatalogAndFailsAtomically writes the sample
// county's analyses into PostGIS, reads two of them back and compares them
// with Catalog.Table; a second write that fails halfway leaves them intact.
func TestAnalyzeWriteMatchesCatalogAndFailsAtomically(t *testing.T) {
	dbURL := pgtest.URL(t)
	pool := pgtest.Pool(t)
	ctx := context.Background()
	src := pgtest.Schema(t, pool)
	res := pgtest.Schema(t, pool)
	runOK(t, "import", "--sample", "--db", dbURL, "--schema", src)
	cfgPath := filepath.Join(t.TempDir(), "county.json")
	if err := os.WriteFile(cfgPath, []byte(`{"schema": "`+src+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runOK(t, "analyze", "--db", dbURL, "--config", cfgPath, "--write", "--schema", res)
	if !strings.Contains(out, "wrote ") {
		t.Fatalf("analyze output:\n%s", out)
	}

	// What the catalogue answers for the same county and defaults.
	sf := sourceFlags{db: dbURL, config: cfgPath, scale: 1}
	snap, err := sf.load(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := coverage.New(response.DefaultParams(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	table := func(name string) *coverage.Table {
		e, ok := cat.Entry(name)
		if !ok {
			t.Fatalf("no entry %s", name)
		}
		v, err := e.Parse(url.Values{})
		if err != nil {
			t.Fatal(err)
		}
		tb, err := cat.Table(ctx, e, snap, v)
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}

	// coverage_summary: every row equals the catalogue's JSON record.
	sum := table("coverage_summary")
	if sum.Len() == 0 {
		t.Fatal("coverage_summary has no rows")
	}
	key := keyColumn(sum.Columns)
	rows, err := pool.Query(ctx, "SELECT "+pgx.Identifier{key}.Sanitize()+", to_jsonb(t) - $1::text - 'geom' FROM "+pgx.Identifier{res, "coverage_summary"}.Sanitize()+" t", key)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]any{}
	for rows.Next() {
		var id string
		var rec map[string]any
		if err := rows.Scan(&id, &rec); err != nil {
			t.Fatal(err)
		}
		got[id] = rec
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != sum.Len() {
		t.Errorf("coverage_summary: %d rows in PostGIS, %d in the catalogue", len(got), sum.Len())
	}
	for i, id := range sum.IDs {
		b, _ := json.Marshal(sum.Record(i))
		var want map[string]any
		json.Unmarshal(b, &want)
		g, ok := got[id]
		if !ok {
			t.Errorf("coverage_summary: row %s missing", id)
			continue
		}
		for k, w := range want {
			gv := g[k]
			wf, wok := w.(float64)
			gf, gok := gv.(float64)
			if wok && gok {
				if math.Abs(wf-gf) > 1e-9*math.Max(1, math.Abs(wf)) {
					t.Errorf("coverage_summary %s.%s = %v, want %v", id, k, gv, w)
				}
			} else if w != gv {
				t.Errorf("coverage_summary %s.%s = %v (%T), want %v (%T)", id, k, gv, gv, w, w)
			}
		}
	}

	// hydrant_proposals: the count and a geometry's lon/lat.
	hp := table("hydrant_proposals")
	if hp.Len() == 0 {
		t.Fatal("hydrant_proposals has no rows")
	}
	hpTable := pgx.Identifier{res, "hydrant_proposals"}.Sanitize()
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+hpTable).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != hp.Len() {
		t.Errorf("hydrant_proposals: %d rows in PostGIS, %d in the catalogue", n, hp.Len())
	}
	var b []byte
	var srid int
	if err := pool.QueryRow(ctx, "SELECT ST_AsBinary(geom), ST_SRID(geom) FROM "+hpTable+" WHERE "+pgx.Identifier{keyColumn(hp.Columns)}.Sanitize()+" = $1", hp.IDs[0]).Scan(&b, &srid); err != nil {
		t.Fatal(err)
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := hp.LonLat(0); srid != 4326 || !orb.Equal(g, want) {
		t.Errorf("hydrant_proposals %s: geometry %v srid %d, want %v srid 4326", hp.IDs[0], g, srid, want)
	}

	var runID string
	var analyses int
	runs := pgx.Identifier{res, "runs"}.Sanitize()
	if err := pool.QueryRow(ctx, "SELECT min(run_id), count(*) FROM "+runs+" WHERE data_version = $1", snap.VersionHex()).Scan(&runID, &analyses); err != nil {
		t.Fatal(err)
	}
	if runID == "" || analyses == 0 {
		t.Fatalf("runs: run %q, %d analyses", runID, analyses)
	}

	// A second write failing after some tables were replaced changes nothing.
	boom := errors.New("injected failure")
	analyzeHook = func(name string) error {
		if name == "hydrant_proposals" {
			return boom
		}
		return nil
	}
	t.Cleanup(func() { analyzeHook = nil })
	var o, e bytes.Buffer
	err = run(ctx, []string{"analyze", "--db", dbURL, "--config", cfgPath, "--write", "--schema", res}, &o, &e)
	if !errors.Is(err, boom) {
		t.Fatalf("second analyze returned %v, want the injected failure", err)
	}
	analyzeHook = nil
	var runID2 string
	var analyses2, n2, sumN int
	if err := pool.QueryRow(ctx, "SELECT min(run_id), count(*) FROM "+runs).Scan(&runID2, &analyses2); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+hpTable).Scan(&n2); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{res, "coverage_summary"}.Sanitize()).Scan(&sumN); err != nil {
		t.Fatal(err)
	}
	if runID2 != runID || analyses2 != analyses || n2 != hp.Len() || sumN != sum.Len() {
		t.Errorf("after a failed write: run %s (%d analyses), %d proposals, %d summary rows; want run %s (%d), %d, %d",
			runID2, analyses2, n2, sumN, runID, analyses, hp.Len(), sum.Len())
	}
}

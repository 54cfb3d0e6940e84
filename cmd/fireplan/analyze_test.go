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
	"reflect"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/coverage/export"
	"fireplan/coverage/response"
	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
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

	// Every analysis: each row equals its JSON record in the API, and each
	// geometry its lon/lat there.
	for _, e := range cat.Entries {
		if e.Analysis() {
			compareWritten(t, pool, res, e.Name, table(e.Name))
		}
	}
	sum, hp := table("coverage_summary"), table("hydrant_proposals")
	hpTable := pgx.Identifier{res, "hydrant_proposals"}.Sanitize()

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

// compareWritten reads one result table back from PostGIS and compares it,
// row by row, with the JSON the API writes for the same table.
func compareWritten(t *testing.T, pool *pgxpool.Pool, schema, name string, tb *coverage.Table) {
	t.Helper()
	ctx := context.Background()
	var doc bytes.Buffer
	all := make([]int, tb.Len())
	for i := range all {
		all[i] = i
	}
	if err := export.JSON(&doc, tb, all, nil); err != nil {
		t.Fatal(err)
	}
	var want struct{ Rows []map[string]any }
	if err := json.Unmarshal(doc.Bytes(), &want); err != nil {
		t.Fatal(err)
	}
	key := keyColumn(tb.Columns)
	rows, err := pool.Query(ctx, "SELECT "+pgx.Identifier{key}.Sanitize()+", to_jsonb(t) - $1::text - 'geom', ST_AsBinary(geom) FROM "+
		pgx.Identifier{schema, name}.Sanitize()+" t", key)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	type written struct {
		rec  map[string]any
		geom []byte
	}
	got := map[string]written{}
	for rows.Next() {
		var id string
		var w written
		if err := rows.Scan(&id, &w.rec, &w.geom); err != nil {
			t.Fatal(err)
		}
		got[id] = w
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != tb.Len() {
		t.Errorf("%s: %d rows in PostGIS, %d in the API", name, len(got), tb.Len())
	}
	for i := range tb.Len() {
		id := tb.ID(i)
		g, ok := got[id]
		if !ok {
			t.Errorf("%s: row %s missing", name, id)
			continue
		}
		for k, w := range want.Rows[i] {
			gv := g.rec[k]
			wf, wok := w.(float64)
			gf, gok := gv.(float64)
			if wok && gok {
				if math.Abs(wf-gf) > 1e-9*math.Max(1, math.Abs(wf)) {
					t.Errorf("%s %s.%s = %v, want %v", name, id, k, gv, w)
				}
			} else if !reflect.DeepEqual(w, gv) {
				t.Errorf("%s %s.%s = %v (%T), want %v (%T)", name, id, k, gv, gv, w, w)
			}
		}
		if !tb.HasGeoms() {
			continue
		}
		geom, err := wkb.Unmarshal(g.geom)
		if err != nil {
			t.Fatalf("%s %s: %v", name, id, err)
		}
		if want := tb.LonLat(i); !orb.Equal(geom, want) {
			t.Errorf("%s %s: geometry %v, want %v", name, id, geom, want)
		}
	}
}

package data_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/data/sample"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestSignatureSeesEveryKindOfEdit changes one table in every way QGIS or
// psql would and checks the signature moves each time, and only then.
func TestSignatureSeesEveryKindOfEdit(t *testing.T) {
	pool, schema := sampleInPostGIS(t)
	ctx := context.Background()
	cfg := &data.Config{Schema: schema}
	sig := func() string {
		t.Helper()
		s, err := data.Signature(ctx, pool, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hydrants := pgx.Identifier{schema, "hydrants"}.Sanitize()
	last := sig()
	if again := sig(); again != last {
		t.Fatalf("signature moved without an edit: %s then %s", last, again)
	}
	for _, edit := range []string{
		"UPDATE " + hydrants + " SET status = 'broken' WHERE id = (SELECT min(id) FROM " + hydrants + ")",
		"UPDATE " + hydrants + " SET geom = ST_Translate(geom, 0.0001, 0) WHERE id = (SELECT min(id) FROM " + hydrants + ")",
		"DELETE FROM " + hydrants + " WHERE id = (SELECT max(id) FROM " + hydrants + ")",
		"INSERT INTO " + hydrants + " (id, geom, kind, status) VALUES ('new-1', ST_SetSRID(ST_MakePoint(111.45, 27.21), 4326), 'municipal', 'working')",
		"ALTER TABLE " + hydrants + " RENAME COLUMN status TO state",
		"ALTER TABLE " + hydrants + " RENAME COLUMN state TO status",
		"CREATE VIEW " + pgx.Identifier{schema, "v"}.Sanitize() + " AS SELECT 1", // another relation: no change
		"TRUNCATE " + hydrants,
	} {
		if _, err := pool.Exec(ctx, edit); err != nil {
			t.Fatalf("%s: %v", edit, err)
		}
		s := sig()
		if moved := s != last; moved == strings.HasPrefix(edit, "CREATE VIEW") {
			t.Errorf("after %q the signature moved: %v", edit, moved)
		}
		last = s
	}
	// A renamed column that stays renamed differs from the original too
	// (rename and rename back above returned to a signature seen before).
	if _, err := pool.Exec(ctx, "DROP TABLE "+hydrants); err != nil {
		t.Fatal(err)
	}
	if _, err := data.Signature(ctx, pool, cfg); err == nil || !strings.Contains(err.Error(), "hydrants") {
		t.Fatalf("signature of a dropped table: %v, want an error naming it", err)
	}
}

// TestTriggersNotifyWithinASecond installs the triggers, edits a table and
// waits for the notification a listening server reloads on.
func TestTriggersNotifyWithinASecond(t *testing.T) {
	pool, schema := sampleInPostGIS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg := &data.Config{Schema: schema, Layers: map[string]*data.TableConfig{data.LayerVillages: nil}}
	tables, err := data.InstallTriggers(ctx, pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Installing again (a layer added to the config) replaces the triggers.
	if tables, err = data.InstallTriggers(ctx, pool, cfg); err != nil {
		t.Fatalf("installing a second time: %v", err)
	}
	if len(tables) != len(data.LayerNames())-1 {
		t.Fatalf("triggers on %d tables, want every layer's but the absent villages", len(tables))
	}
	got := make(chan string, 16)
	ready := make(chan struct{})
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	go data.Listen(lctx, pgtest.URL(t), func() { close(ready) }, func(table string) { got <- table })
	<-ready
	start := time.Now()
	if _, err := pool.Exec(ctx, "UPDATE "+pgx.Identifier{schema, "hydrants"}.Sanitize()+" SET status = 'broken' WHERE id = (SELECT min(id) FROM "+
		pgx.Identifier{schema, "hydrants"}.Sanitize()+")"); err != nil {
		t.Fatal(err)
	}
	select {
	case table := <-got:
		if table != schema+".hydrants" || time.Since(start) > time.Second {
			t.Errorf("notified of %q after %v, want %s.hydrants within a second", table, time.Since(start), schema)
		}
	case <-ctx.Done():
		t.Fatal("no notification")
	}
	if _, err := data.RemoveTriggers(ctx, pool, cfg); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'fireplan_notify%'
		AND tgrelid::regclass::text LIKE $1`, schema+".%").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d triggers left after removing them (%v)", n, err)
	}
}

// TestWatcherKeepsTheLastGoodData drives a watcher through changes, a
// source gone away and back, and a load that fails for good.
func TestWatcherKeepsTheLastGoodData(t *testing.T) {
	set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
	snaps := []*data.Snapshot{data.NewSnapshot(set, "one", nil), data.NewSnapshot(set, "two", nil)}
	var (
		sig     = "a"
		sigErr  error
		loadErr error
		loads   atomic.Int32
	)
	var st data.Store
	w := &data.Watcher{Store: &st, Interval: time.Hour,
		Signature: func(context.Context) (string, error) { return sig, sigErr },
		Load: func(context.Context) (*data.Snapshot, error) {
			if loadErr != nil {
				return nil, loadErr
			}
			n := loads.Add(1)
			return snaps[(n-1)%2], nil
		}}
	ctx := context.Background()
	steps := []struct {
		name        string
		sig         string
		sigErr      error
		loadErr     error
		force       bool
		wantLoads   int32
		wantSource  string
		wantErr     bool
		wantFailure int // failures so far
	}{
		{name: "first load", sig: "a", wantLoads: 1, wantSource: "one"},
		{name: "unchanged", sig: "a", wantLoads: 1, wantSource: "one"},
		{name: "changed", sig: "b", wantLoads: 2, wantSource: "two"},
		{name: "source gone", sig: "b", sigErr: &data.UnreachableError{Where: "db", Err: errors.New("refused")}, wantLoads: 2, wantSource: "two", wantErr: true, wantFailure: 1},
		{name: "back, unchanged", sig: "b", wantLoads: 2, wantSource: "two", wantFailure: 1},
		{name: "a column renamed: load fails", sig: "c", loadErr: errors.New("column status missing"), wantLoads: 2, wantSource: "two", wantErr: true, wantFailure: 2},
		{name: "not retried until it changes", sig: "c", wantLoads: 2, wantSource: "two", wantErr: true, wantFailure: 2},
		{name: "fixed", sig: "d", wantLoads: 3, wantSource: "one", wantFailure: 2},
		{name: "forced", sig: "d", force: true, wantLoads: 4, wantSource: "two", wantFailure: 2},
	}
	for _, s := range steps {
		sig, sigErr, loadErr = s.sig, s.sigErr, s.loadErr
		if s.force {
			w.Reload()
		}
		w.Check(ctx)
		stat := w.Status()
		if loads.Load() != s.wantLoads || st.Load().Source != s.wantSource || (stat.Error != "") != s.wantErr || stat.Failures != s.wantFailure {
			t.Fatalf("%s: %d loads, serving %q, error %q, %d failures; want %d, %q, error %v, %d",
				s.name, loads.Load(), st.Load().Source, stat.Error, stat.Failures, s.wantLoads, s.wantSource, s.wantErr, s.wantFailure)
		}
	}
}

// TestLoaderReadsOnlyWhatChanged: after an edit the loader re-reads only
// the edited table, and its county is the one a full load reads.
func TestLoaderReadsOnlyWhatChanged(t *testing.T) {
	pool, schema := sampleInPostGIS(t)
	ctx := context.Background()
	cfg := &data.Config{Schema: schema}
	var l, snaps data.Loader // one reads, one builds snapshots too
	version := func(set *data.Set, rep *data.Report) uint64 { return data.NewSnapshot(set, "t", rep).Version }
	steps := []struct {
		name, edit string
		want       []string
	}{
		{"first", "", data.LayerNames()},
		{"unchanged", "", nil},
		{"a hydrant", "UPDATE %s.hydrants SET status = 'broken' WHERE id = (SELECT min(id) FROM %[1]s.hydrants)", []string{data.LayerHydrants}},
		{"a building", "DELETE FROM %s.buildings WHERE id = (SELECT max(id) FROM %[1]s.buildings)", []string{data.LayerBuildings}},
		{"a township", "UPDATE %s.townships SET name = 'x' WHERE id = (SELECT min(id) FROM %[1]s.townships)", []string{data.LayerTownships}},
		{"a road", "DELETE FROM %s.roads WHERE id = (SELECT max(id) FROM %[1]s.roads)", []string{data.LayerRoads}},
	}
	for _, s := range steps {
		if s.edit != "" {
			if _, err := pool.Exec(ctx, fmt.Sprintf(s.edit, pgx.Identifier{schema}.Sanitize())); err != nil {
				t.Fatal(err)
			}
		}
		set, rep, read, err := l.Load(ctx, pool, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(read, s.want) {
			t.Errorf("%s: read %v, want %v", s.name, read, s.want)
		}
		fullSet, fullRep, err := data.Load(ctx, pool, cfg)
		if err != nil {
			t.Fatal(err)
		}
		full := data.NewSnapshot(fullSet, "t", fullRep)
		if got := version(set, rep); got != full.Version {
			t.Errorf("%s: the loader's county has version %x, a full load's %x", s.name, got, full.Version)
		}
		// Built on the last snapshot: the same county and report.
		snap, _, err := snaps.Snapshot(ctx, pool, cfg, "t", data.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(snap.Report)
		w, _ := json.Marshal(full.Report)
		if snap.Version != full.Version || string(g) != string(w) {
			t.Errorf("%s: the rebuilt snapshot has version %x and report\n%s\na full load's %x\n%s", s.name, snap.Version, g, full.Version, w)
		}
	}
}

// TestLoaderRefusesToLoseATableOrColumn: an optional table dropped or a
// column renamed while the server runs fails the load, naming the layer and
// what went, until it is back; the first load of a county without them is
// no error.
func TestLoaderRefusesToLoseATableOrColumn(t *testing.T) {
	pool, schema := sampleInPostGIS(t)
	ctx := context.Background()
	cfg := &data.Config{Schema: schema}
	var l data.Loader
	if _, _, err := l.Snapshot(ctx, pool, cfg, "t", data.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	q := pgx.Identifier{schema}.Sanitize()
	for _, c := range []struct{ name, break_, mend, want string }{
		{"an optional column renamed", "ALTER TABLE %s.hydrants RENAME COLUMN flow_lps TO flow", "ALTER TABLE %s.hydrants RENAME COLUMN flow TO flow_lps", "attribute flow_lps"},
		{"an optional table renamed", "ALTER TABLE %s.villages RENAME TO villages_x", "ALTER TABLE %s.villages_x RENAME TO villages", "layer villages"},
	} {
		if _, err := pool.Exec(ctx, fmt.Sprintf(c.break_, q)); err != nil {
			t.Fatal(err)
		}
		_, _, err := l.Snapshot(ctx, pool, cfg, "t", data.DefaultOptions())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: load error %v, want one naming %s", c.name, err, c.want)
		}
		// A fresh server starts on the county as it is.
		var fresh data.Loader
		if _, _, err := fresh.Snapshot(ctx, pool, cfg, "t", data.DefaultOptions()); err != nil {
			t.Errorf("%s: a first load: %v", c.name, err)
		}
		if _, err := pool.Exec(ctx, fmt.Sprintf(c.mend, q)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := l.Snapshot(ctx, pool, cfg, "t", data.DefaultOptions()); err != nil {
			t.Errorf("%s: once mended: %v", c.name, err)
		}
	}
}

// TestWatcherReportsLosingTheListener: without polling, the change
// notifications are all that follows the database, so losing them is the
// watcher's error until they are back; with polling it is not.
func TestWatcherReportsLosingTheListener(t *testing.T) {
	for _, c := range []struct {
		interval time.Duration
		wantErr  bool
	}{{0, true}, {time.Hour, false}} {
		var st data.Store
		w := &data.Watcher{Store: &st, Interval: c.interval,
			Signature: func(context.Context) (string, error) { return "a", nil },
			Load:      func(context.Context) (*data.Snapshot, error) { return nil, errors.New("unused") }}
		w.SetListening(true, nil)
		w.SetListening(false, errors.New("connection refused"))
		if got := w.Status(); got.Listening || (got.Error != "") != c.wantErr {
			t.Errorf("interval %v: listener lost: status %+v, want an error %v", c.interval, got, c.wantErr)
		}
		w.SetListening(true, nil)
		if got := w.Status(); !got.Listening || got.Error != "" {
			t.Errorf("interval %v: listener back: status %+v", c.interval, got)
		}
	}
}

// sampleInPostGIS writes the sample county into a schema of its own.
func sampleInPostGIS(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	if err := data.Write(context.Background(), pool, sample.Generate(sample.Options{Seed: sample.DefaultSeed}), schema); err != nil {
		t.Fatal(err)
	}
	return pool, schema
}

package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// NotifyChannel is the channel the change triggers notify on.
const NotifyChannel = "fireplan_data"

// sqlSignature fingerprints one table, %[1]s quoted and $1 its name: its
// row count, the sum of its row versions (xmin changes with every insert
// and update, the count with every delete) and its columns by name and
// type, so that an edit, a truncate or a renamed column each change it.
const sqlSignature = `
SELECT count(*)::text || '/' || coalesce(sum(t.xmin::text::bigint), 0)::text || '/' || (` + sqlColumnList + `)
FROM %[1]s t`

// sqlSignatureView is sqlSignature for a view or foreign table, which has
// no row versions: its rows' text is hashed instead, which reads every
// value but sees through to the tables behind it.
const sqlSignatureView = `
SELECT count(*)::text || '/' || coalesce(sum(hashtext(t::text)::bigint), 0)::text || '/' || (` + sqlColumnList + `)
FROM %[1]s t`

const sqlColumnList = `SELECT string_agg(attname || ':' || atttypid::regtype::text, ',' ORDER BY attnum)
  FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`

// Table is one table the config reads.
type Table struct {
	Layer, Schema, Name string
	// Required: the table must exist (an optional layer the config does
	// not name loads empty without one).
	Required bool
}

// Quoted is the table's name as SQL takes it.
func (t Table) Quoted() string { return pgx.Identifier{t.Schema, t.Name}.Sanitize() }

// Tables returns the tables the config reads, layer by layer; absent
// layers have none.
func (c *Config) Tables() []Table {
	var out []Table
	for _, l := range LayerNames() {
		if tc, configured := c.table(l); tc != nil {
			out = append(out, Table{Layer: l, Schema: tc.Schema, Name: tc.Table, Required: configured || !Optional(l)})
		}
	}
	return out
}

// Signature fingerprints the content and columns of every table cfg reads.
// It changes with any insert, update, delete or truncate and any column
// added, dropped, renamed or retyped; a table gone is an error naming it.
// A plain table costs one scan of its row versions (no values are read).
func Signature(ctx context.Context, pool *pgxpool.Pool, cfg *Config) (string, error) {
	sigs, err := tableSignatures(ctx, pool, cfg)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range cfg.Tables() {
		fmt.Fprintf(h, "%s=%s\n", t.Quoted(), sigs[t.Layer])
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// tableSignatures fingerprints each layer's table, by layer.
func tableSignatures(ctx context.Context, pool *pgxpool.Pool, cfg *Config) (map[string]string, error) {
	out := map[string]string{}
	var errs []error
	for _, t := range cfg.Tables() {
		var kind string
		err := pool.QueryRow(ctx, `SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)`, t.Quoted()).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && kind == "" {
			if t.Required {
				errs = append(errs, fmt.Errorf("layer %s: table %s is gone", t.Layer, t.Quoted()))
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("layer %s: %w", t.Layer, err)
		}
		q := sqlSignature
		if kind != "r" && kind != "p" {
			q = sqlSignatureView
		}
		var sig string
		if err := pool.QueryRow(ctx, fmt.Sprintf(q, t.Quoted()), t.Quoted()).Scan(&sig); err != nil {
			return nil, fmt.Errorf("layer %s: signature of %s: %w", t.Layer, t.Quoted(), err)
		}
		out[t.Layer] = sig
	}
	return out, errors.Join(errs...)
}

// Loader reads a county from PostGIS again and again, for a server that
// follows edits: after the first read it re-reads only the tables whose
// signature moved, so an edited hydrant costs a read of the hydrants, not
// of every building.
type Loader struct {
	mu   sync.Mutex
	sigs map[string]string
	set  Set                    // as read, before a snapshot checked it
	reps map[string][]byte      // each layer's report as read, as JSON
	last *Snapshot              // the last snapshot Snapshot built
	good map[string]LayerReport // what it read of each layer
}

// Snapshot loads the county as Load does and builds its snapshot, reusing
// from the last one it built every layer not read again (see Rebuild). On
// a load error the report says what was read.
func (l *Loader) Snapshot(ctx context.Context, pool *pgxpool.Pool, cfg *Config, source string, opt Options) (*Snapshot, *Report, error) {
	set, rep, read, err := l.Load(ctx, pool, cfg)
	if err != nil {
		return nil, rep, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := lost(l.good, rep); err != nil {
		return nil, rep, err
	}
	good := map[string]LayerReport{}
	for _, lr := range rep.Layers {
		good[lr.Layer] = LayerReport{Source: lr.Source, Absent: lr.Absent, Loaded: lr.Loaded, Columns: lr.Columns}
	}
	snap, err := Rebuild(l.last, read, set, source, rep, opt)
	if err != nil {
		return nil, rep, err
	}
	l.last, l.good = snap, good
	return snap, rep, nil
}

// lost says what a load lost of the last good one: a table read then and
// missing now, or an attribute read from a column then and from none now.
// Read as absent, an optional table or column would empty a layer or null
// an attribute of every row while the server runs; a table dropped or a
// column renamed in QGIS is a mistake more often than not, so the reload
// fails and the last good data stays.
func lost(good map[string]LayerReport, rep *Report) error {
	var errs []error
	for _, lr := range rep.Layers {
		was, ok := good[lr.Layer]
		if !ok || was.Absent {
			continue
		}
		if lr.Absent {
			errs = append(errs, fmt.Errorf("layer %s: %s gave %d rows at the last load and is gone now: the last good data stays (restore it, or set %q to null in the config's layers and restart)",
				lr.Layer, strings.TrimPrefix(was.Source, "postgis "), was.Loaded, lr.Layer))
			continue
		}
		for _, c := range was.Columns {
			if !slices.Contains(lr.Columns, c) {
				errs = append(errs, fmt.Errorf("layer %s: attribute %s was read from a column at the last load and no column gives it now (renamed or dropped?): the last good data stays (restore the column, or map %s in the config's columns)",
					lr.Layer, c, c))
			}
		}
	}
	return errors.Join(errs...)
}

// Load returns the county as Load would, and the layers read from the
// database this time (every one the first time, and after any failure).
// The set and report are the caller's to change.
func (l *Loader) Load(ctx context.Context, pool *pgxpool.Pool, cfg *Config) (*Set, *Report, []string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sigs, err := tableSignatures(ctx, pool, cfg)
	var read []string
	if err == nil && l.sigs != nil {
		for _, name := range LayerNames() {
			if sigs[name] == l.sigs[name] {
				continue
			}
			lr := newLayerReport(name, "")
			if err = readLayer(ctx, pool, cfg, &l.set, lr); err != nil {
				break
			}
			l.reps[name], _ = json.Marshal(lr)
			read = append(read, name)
		}
	}
	if err != nil || l.sigs == nil {
		// The first read, or a failure: everything, with every problem
		// reported as Load reports them.
		l.sigs = nil
		set, rep, err := Load(ctx, pool, cfg)
		if err != nil {
			return set, rep, LayerNames(), err
		}
		l.set, l.reps = *set.clone(), map[string][]byte{}
		for _, lr := range rep.Layers {
			l.reps[lr.Layer], _ = json.Marshal(lr)
		}
		read = LayerNames()
	}
	// A table edited while it was read is read again next time.
	l.sigs = sigs
	set := l.set.clone()
	rep := &Report{}
	for _, name := range LayerNames() {
		lr := newLayerReport(name, "")
		if err := json.Unmarshal(l.reps[name], lr); err != nil {
			return nil, nil, read, fmt.Errorf("layer %s: the report kept: %w", name, err)
		}
		rep.Layers = append(rep.Layers, lr)
	}
	return set, rep, read, nil
}

// sqlNotifyFunction notifies NotifyChannel with the table changed.
const sqlNotifyFunction = `
CREATE OR REPLACE FUNCTION fireplan_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('` + NotifyChannel + `', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END $$`

// InstallTriggers adds a statement trigger to every plain table cfg reads
// that notifies NotifyChannel after any insert, update, delete or
// truncate, so a server listening reloads within a second of a commit.
// Views are skipped and named in the error (their tables need triggers of
// their own); everything else is installed in one transaction.
func InstallTriggers(ctx context.Context, pool *pgxpool.Pool, cfg *Config) ([]Table, error) {
	return triggers(ctx, pool, cfg, true)
}

// RemoveTriggers drops what InstallTriggers added.
func RemoveTriggers(ctx context.Context, pool *pgxpool.Pool, cfg *Config) ([]Table, error) {
	return triggers(ctx, pool, cfg, false)
}

func triggers(ctx context.Context, pool *pgxpool.Pool, cfg *Config, install bool) ([]Table, error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx)
	if install {
		if _, err := tx.Exec(ctx, sqlNotifyFunction); err != nil {
			return nil, fmt.Errorf("creating fireplan_notify(): %w", err)
		}
	}
	var done []Table
	var skipped []string
	seen := map[string]bool{}
	for _, t := range cfg.Tables() {
		if seen[t.Quoted()] {
			continue // two layers from one table
		}
		seen[t.Quoted()] = true
		var kind string
		err := tx.QueryRow(ctx, `SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)`, t.Quoted()).Scan(&kind)
		if errors.Is(err, pgx.ErrNoRows) && !t.Required {
			continue // an optional layer the county does not keep
		}
		if err != nil {
			return nil, fmt.Errorf("layer %s: table %s: %w", t.Layer, t.Quoted(), err)
		}
		if kind != "r" && kind != "p" {
			skipped = append(skipped, fmt.Sprintf("%s (layer %s)", t.Quoted(), t.Layer))
			continue
		}
		// Both dropped first: installing again (a layer added to the
		// config) replaces what an earlier install made.
		for _, name := range []string{"fireplan_notify", "fireplan_notify_truncate"} {
			if _, err := tx.Exec(ctx, "DROP TRIGGER IF EXISTS "+name+" ON "+t.Quoted()); err != nil {
				return nil, fmt.Errorf("layer %s: %w", t.Layer, err)
			}
		}
		if install {
			for _, s := range []string{
				"CREATE TRIGGER fireplan_notify AFTER INSERT OR UPDATE OR DELETE ON " + t.Quoted() + " FOR EACH STATEMENT EXECUTE FUNCTION fireplan_notify()",
				"CREATE TRIGGER fireplan_notify_truncate AFTER TRUNCATE ON " + t.Quoted() + " FOR EACH STATEMENT EXECUTE FUNCTION fireplan_notify()",
			} {
				if _, err := tx.Exec(ctx, s); err != nil {
					return nil, fmt.Errorf("layer %s: %w", t.Layer, err)
				}
			}
		}
		done = append(done, t)
	}
	if !install {
		if _, err := tx.Exec(ctx, "DROP FUNCTION IF EXISTS fireplan_notify()"); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	if len(skipped) > 0 {
		return done, fmt.Errorf("not plain tables, no trigger (put triggers on the tables behind them): %s", strings.Join(skipped, ", "))
	}
	return done, nil
}

// Listen waits for change notifications on a connection of its own, calls
// ready once listening and changed for each notification, until ctx ends
// or the connection fails (the error says which; the caller reconnects).
func Listen(ctx context.Context, url string, ready func(), changed func(table string)) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return err
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		changed(n.Payload)
	}
}

// clone copies the layers' slices, so that a snapshot built from the copy
// (which filters them) leaves the loader's as read.
func (s *Set) clone() *Set {
	return &Set{Hydrants: slices.Clone(s.Hydrants), Stations: slices.Clone(s.Stations), Roads: slices.Clone(s.Roads),
		Buildings: slices.Clone(s.Buildings), Villages: slices.Clone(s.Villages), Districts: slices.Clone(s.Districts),
		FireLanes: slices.Clone(s.FireLanes), Townships: slices.Clone(s.Townships), Builtup: slices.Clone(s.Builtup)}
}

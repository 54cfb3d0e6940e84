package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"fireplan/coverage"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/sample"
)

// sourceFlags choose where the county comes from.
type sourceFlags struct {
	db       string
	config   string
	dbSchema string
	osm      string
	mapping  string
	seed     int64
	scale    int
	// loader, when set, re-reads only the tables edited since its last
	// read (a server following edits).
	loader *data.Loader
}

func (f *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.db, "db", "", "PostGIS URL (postgres://...); default $DATABASE_URL; without either, the built-in sample county")
	fs.StringVar(&f.config, "config", "", "JSON file mapping layers to tables and columns (docs/DATA.md)")
	fs.StringVar(&f.dbSchema, "db-schema", "", "schema of the layer tables (default: the config's, else public)")
	fs.StringVar(&f.osm, "osm", "", "OpenStreetMap extract (.osm.pbf, .osm, .osm.gz) read in memory, no database")
	fs.StringVar(&f.mapping, "mapping", "", "JSON file overriding the OpenStreetMap mapping (with --osm)")
	fs.Int64Var(&f.seed, "seed", sample.DefaultSeed, "sample county seed")
	fs.IntVar(&f.scale, "scale", 1, "sample county scale: N counties side by side")
}

func (f *sourceFlags) check() error {
	if f.scale < 1 || f.scale > 400 {
		return fmt.Errorf("--scale must be 1..400, got %d", f.scale)
	}
	if f.osm != "" && f.db != "" {
		return errors.New("--osm and --db are two sources: give one")
	}
	if f.db == "" && f.osm == "" {
		// From the environment, the password stays out of process lists.
		f.db = os.Getenv("DATABASE_URL")
	}
	if f.config != "" && f.db == "" && f.osm == "" {
		return errors.New("--config needs --db or $DATABASE_URL (or --osm, for its params)")
	}
	if f.mapping != "" && f.osm == "" {
		return errors.New("--mapping goes with --osm")
	}
	if f.dbSchema != "" && f.db == "" {
		return errors.New("--db-schema needs --db or $DATABASE_URL")
	}
	return nil
}

// readConfig reads --config; nil without one.
func (f *sourceFlags) readConfig() (*data.Config, error) {
	return configWithSchema(f.config, f.dbSchema)
}

// configWithSchema reads the config file (none: nil) and puts the layer
// tables in schema when one is given.
func configWithSchema(file, schema string) (*data.Config, error) {
	var cfg *data.Config
	if file != "" {
		c, err := data.LoadConfig(file)
		if c == nil || schema == "" {
			return c, err
		}
		cfg = c
	}
	if schema == "" {
		return cfg, nil
	}
	if cfg == nil {
		cfg = &data.Config{}
	}
	cfg.Schema = schema
	return cfg, nil
}

// catalog returns the catalogue --config's params set (its query defaults
// included), with a cache of cacheBytes.
func (f *sourceFlags) catalog(cacheBytes int64) (*coverage.Catalog, error) {
	cfg, err := f.readConfig()
	if err != nil {
		return nil, err
	}
	st, err := settings(cfg)
	if err != nil {
		return nil, err
	}
	cat, err := coverage.New(st.Response, cacheBytes)
	if err != nil {
		return nil, err
	}
	return cat, cat.SetDefaults(st.Query)
}

// settings are the config's params for the analyses, checked as
// coverage.Catalog.SetDefaults checks them; the defaults without a config.
func settings(cfg *data.Config) (coverage.Settings, error) {
	var params map[string]json.RawMessage
	if cfg != nil {
		params = cfg.Params
	}
	s, perr := coverage.ParseSettings(params, data.ParamNames)
	base := s.Response
	if perr != nil {
		base = response.DefaultParams() // the query defaults are still checked
	}
	cat, err := coverage.New(base, 1)
	if err != nil {
		return s, err
	}
	return s, errors.Join(perr, cat.SetDefaults(s.Query))
}

// markWeakened names, on each absent or empty layer of rep, the analyses
// it leaves without their input (data knows no analysis, so cmd asks the
// catalogue).
func markWeakened(rep *data.Report) error {
	cat, err := coverage.New(response.DefaultParams(), 1)
	if err != nil {
		return err
	}
	for _, lr := range rep.Layers {
		if lr.Absent || lr.Loaded == 0 {
			lr.Weakens = cat.Weakened(lr.Layer)
		}
	}
	return nil
}

// servable says why a county cannot be served: without roads or stations
// every share is 0% and nothing says why.
func servable(counts map[string]int) error {
	var errs []error
	for _, l := range []string{data.LayerRoads, data.LayerStations} {
		if counts[l] == 0 {
			errs = append(errs, fmt.Errorf("no %s loaded: every analysis would answer 0%%", l))
		}
	}
	return errors.Join(errs...)
}

func counts(set *data.Set) map[string]int {
	return map[string]int{data.LayerRoads: len(set.Roads), data.LayerStations: len(set.Stations)}
}

// load builds a snapshot from the database or the sample and prints the
// load summary to w (the rows stay in the JSON report).
func (f *sourceFlags) load(ctx context.Context, w io.Writer) (*data.Snapshot, error) {
	var snap *data.Snapshot
	switch {
	case f.osm != "":
		s, st, err := readOSM(ctx, f.osm, f.mapping, nil)
		if err != nil {
			return nil, err
		}
		printStats(w, st)
		snap = s
	case f.db == "":
		set := sample.Generate(sample.Options{Seed: f.seed, Scale: f.scale})
		opts := data.DefaultOptions()
		if f.scale > 1 {
			// Counties side by side 64 km apart: scale 400 spans 1,300 km,
			// more than one county's 200 km.
			opts.MaxDistanceM = 1_000_000
		}
		s, err := data.NewSnapshotWith(set, fmt.Sprintf("sample seed=%d scale=%d", f.seed, f.scale), nil, opts)
		if err != nil {
			return nil, err
		}
		snap = s
	default:
		cfg, err := f.readConfig()
		if err != nil {
			return nil, err
		}
		pool, err := data.Connect(ctx, f.db)
		if err != nil {
			return nil, err
		}
		defer pool.Close()
		opts, err := cfg.Options()
		if err != nil {
			return nil, err
		}
		cc := pool.Config().ConnConfig
		source := fmt.Sprintf("postgis %s:%d/%s", cc.Host, cc.Port, cc.Database)
		l := f.loader
		if l == nil {
			l = &data.Loader{} // one read of everything
		}
		s, rep, err := l.Snapshot(ctx, pool, cfg, source, opts)
		if err != nil {
			if rep != nil {
				rep.Print(w)
			}
			return nil, fmt.Errorf("%w\n(fireplan check --db URL --config FILE lists every problem)", err)
		}
		snap = s
	}
	if err := markWeakened(snap.Report); err != nil {
		return nil, err
	}
	snap.Report.Print(w)
	return snap, nil
}

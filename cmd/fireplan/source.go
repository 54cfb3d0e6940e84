package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"fireplan/data"
	"fireplan/data/sample"
)

// sourceFlags choose where the county comes from.
type sourceFlags struct {
	db     string
	config string
	seed   int64
	scale  int
}

func (f *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.db, "db", "", "PostGIS URL (postgres://...); without it, the built-in sample county")
	fs.StringVar(&f.config, "config", "", "JSON file mapping layers to tables and columns")
	fs.Int64Var(&f.seed, "seed", sample.DefaultSeed, "sample county seed")
	fs.IntVar(&f.scale, "scale", 1, "sample county scale: N counties side by side")
}

func (f *sourceFlags) check() error {
	if f.scale < 1 || f.scale > 400 {
		return fmt.Errorf("--scale must be 1..400, got %d", f.scale)
	}
	if f.config != "" && f.db == "" {
		return errors.New("--config needs --db")
	}
	return nil
}

// load builds a snapshot from the database or the sample and prints the
// load report to w.
func (f *sourceFlags) load(ctx context.Context, w io.Writer) (*data.Snapshot, error) {
	var snap *data.Snapshot
	if f.db == "" {
		set := sample.Generate(sample.Options{Seed: f.seed, Scale: f.scale})
		snap = data.NewSnapshot(set, fmt.Sprintf("sample seed=%d scale=%d", f.seed, f.scale), nil)
	} else {
		var cfg *data.Config
		if f.config != "" {
			c, err := data.LoadConfig(f.config)
			if err != nil {
				return nil, err
			}
			cfg = c
		}
		pool, err := data.Connect(ctx, f.db)
		if err != nil {
			return nil, err
		}
		defer pool.Close()
		set, rep, err := data.Load(ctx, pool, cfg)
		if err != nil {
			return nil, err
		}
		cc := pool.Config().ConnConfig
		snap = data.NewSnapshot(set, fmt.Sprintf("postgis %s:%d/%s", cc.Host, cc.Port, cc.Database), rep)
	}
	snap.Report.Print(w)
	return snap, nil
}

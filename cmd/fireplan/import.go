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

func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "PostGIS URL to write into (required)")
	useSample := fs.Bool("sample", false, "write the built-in sample county")
	schema := fs.String("schema", "public", "schema to write the layer tables into")
	seed := fs.Int64("seed", sample.DefaultSeed, "sample county seed")
	scale := fs.Int("scale", 1, "sample county scale")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db == "" || !*useSample {
		return errors.New("import needs --db URL and --sample")
	}
	if *scale < 1 || *scale > 400 {
		return fmt.Errorf("--scale must be 1..400, got %d", *scale)
	}
	pool, err := data.Connect(ctx, *db)
	if err != nil {
		return err
	}
	defer pool.Close()
	set := sample.Generate(sample.Options{Seed: *seed, Scale: *scale})
	if err := data.Write(ctx, pool, set, *schema); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote the sample county (seed %d, scale %d) into schema %s: %d roads, %d buildings, %d hydrants, %d stations, %d villages\n",
		*seed, *scale, *schema, len(set.Roads), len(set.Buildings), len(set.Hydrants), len(set.Stations), len(set.Villages))
	return nil
}

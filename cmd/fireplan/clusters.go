package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"fireplan/api"
	"fireplan/coverage"
)

func clustersCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("clusters", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	p := coverage.DefaultClusterParams()
	fs.Float64Var(&p.SeparationM, "separation", p.SeparationM, "buildings closer than this (m, edge to edge) are one cluster")
	fs.BoolVar(&p.ByStructure, "by-structure", false, "separation by fire resistance (GB 50016 table 5.2.2) instead")
	minHH := fs.Int("min-households", 30, "list clusters of at least this many households")
	format := fs.String("format", "csv", "csv, geojson, or json (the ledger per township)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := src.check(); err != nil {
		return err
	}
	snap, err := src.load(ctx, stderr)
	if err != nil {
		return err
	}
	c, err := coverage.NewEngine().Clusters(snap, p, coverage.DefaultParams())
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d rural buildings in %d clusters\n", len(c.Rural), len(c.Clusters))
	switch *format {
	case "csv":
		return api.WriteClustersCSV(stdout, c, *minHH)
	case "geojson":
		return json.NewEncoder(stdout).Encode(api.ClustersGeoJSON(c, *minHH))
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(c.Ledger())
	}
	return fmt.Errorf("--format must be csv, geojson or json")
}

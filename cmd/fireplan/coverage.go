package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fireplan/api"
	"fireplan/coverage"
)

func coverageCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("coverage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	minutes := fs.String("minutes", "5", "target(s) in minutes, comma-separated; gaps use the first")
	format := fs.String("format", "csv", "csv or geojson (gaps), json (summary per township)")
	p := coverage.DefaultParams()
	fs.Float64Var(&p.TruckWidthM, "truck-width", p.TruckWidthM, "roads narrower than this (m) are left out")
	fs.Float64Var(&p.AccessMaxM, "access-max", p.AccessMaxM, "farthest walk from road to building (m)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := src.check(); err != nil {
		return err
	}
	var targets []float64
	for _, m := range strings.Split(*minutes, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(m), 64)
		if err != nil || !(v > 0 && v <= 120) {
			return fmt.Errorf("--minutes: %q is not a number of minutes in (0, 120]", m)
		}
		targets = append(targets, v)
	}
	snap, err := src.load(ctx, stderr)
	if err != nil {
		return err
	}
	res, err := coverage.NewEngine().Response(snap, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "graph: %s; %d stations placed\n", res.Graph.Report, len(res.Starts))
	for _, pr := range res.Problems {
		fmt.Fprintf(stderr, "  %s\n", pr)
	}
	switch *format {
	case "csv":
		return api.WriteGapsCSV(stdout, res.Gaps(targets[0]))
	case "geojson":
		return json.NewEncoder(stdout).Encode(api.GapsGeoJSON(res.Gaps(targets[0]), targets[0]))
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.Summary(targets))
	}
	return fmt.Errorf("--format must be csv, geojson or json")
}

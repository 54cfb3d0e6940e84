package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"fireplan/api"
	"fireplan/coverage"
)

func hydrantsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "gaps" && args[0] != "proposals" && args[0] != "stats") {
		return errors.New("usage: fireplan hydrants gaps|proposals|stats [flags]")
	}
	what := args[0]
	fs := flag.NewFlagSet("hydrants "+what, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	p := coverage.DefaultHydrantParams()
	fs.BoolVar(&p.Straight, "straight", false, "measure the protection radius in straight lines, not along streets")
	fs.BoolVar(&p.IncludePlanned, "include-planned", false, "count planned hydrants as working (what-if)")
	fs.Float64Var(&p.RadiusM, "radius", p.RadiusM, "protection radius (m)")
	fs.Float64Var(&p.SpacingM, "spacing", p.SpacingM, "largest spacing along a street (m)")
	count := fs.Int("count", 0, "proposals: the best N sites (0: every site needed)")
	format := fs.String("format", "csv", "csv or geojson (stats: json)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := src.check(); err != nil {
		return err
	}
	if *count < 0 {
		return fmt.Errorf("--count must be >= 0")
	}
	snap, err := src.load(ctx, stderr)
	if err != nil {
		return err
	}
	h, err := coverage.NewEngine().Hydrants(snap, p)
	if err != nil {
		return err
	}
	for _, pr := range h.Problems {
		fmt.Fprintf(stderr, "  %s\n", pr)
	}
	enc := json.NewEncoder(stdout)
	switch {
	case what == "stats":
		tw, dis := h.Stats()
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"townships": tw, "districts": dis})
	case what == "gaps" && *format == "csv":
		return api.WriteHydrantGapsCSV(stdout, h)
	case what == "gaps" && *format == "geojson":
		return enc.Encode(api.HydrantGapsGeoJSON(h))
	case what == "proposals" && *format == "csv":
		return api.WriteProposalsCSV(stdout, h, api.Proposals(h, *count))
	case what == "proposals" && *format == "geojson":
		return enc.Encode(api.ProposalsGeoJSON(h, api.Proposals(h, *count)))
	}
	return fmt.Errorf("--format must be csv or geojson")
}

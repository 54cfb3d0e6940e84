package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"fireplan/coverage"
	"fireplan/coverage/export"
	"fireplan/coverage/response"
)

// shortcuts name the analyses planners export most under a short command.
var shortcuts = map[string]string{
	"coverage":           "coverage_gaps",
	"clusters":           "clusters",
	"hydrants gaps":      "hydrant_gaps",
	"hydrants proposals": "hydrant_proposals",
	"hydrants stats":     "hydrant_stats",
}

// exportCmd writes one catalogue entry's rows to stdout: its parameters
// become flags (truck_width_m as --truck-width-m), with the defaults and
// ranges the catalogue declares, or those the config's params set.
func exportCmd(ctx context.Context, name string, args []string, stdout, stderr io.Writer) error {
	cat, err := coverage.New(response.DefaultParams(), 1<<30)
	if err != nil {
		return err
	}
	e, ok := cat.Entry(name)
	if !ok || !e.Analysis() {
		var names []string
		for _, e := range cat.Entries {
			if e.Analysis() {
				names = append(names, e.Name)
			}
		}
		return fmt.Errorf("no analysis %q (analyses: %s)", name, strings.Join(names, ", "))
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	format := fs.String("format", "csv", "json, geojson, csv or xlsx")
	lang := fs.String("lang", export.Langs[0], "CSV and Excel headers and labels: zh or en")
	by := new(string)
	if _, own := e.Param("by"); !own {
		by = fs.String("by", "", "with --format xlsx: "+export.ByTownship+" (one sheet per township)")
	}
	out := fs.String("o", "", "write to this file instead of standard output")
	vals := map[string]*string{}
	for _, p := range e.Params {
		help := p.Title.En
		if p.Kind == coverage.Enum {
			help += " (" + strings.Join(p.Enum, ", ") + ")"
		}
		vals[p.Name] = fs.String(strings.ReplaceAll(p.Name, "_", "-"), p.Default, help)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := src.check(); err != nil {
		return err
	}
	// The county's params become the defaults of the flags not given.
	if cat, err = src.catalog(1 << 30); err != nil {
		return err
	}
	e, _ = cat.Entry(name)
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	q := url.Values{}
	for _, p := range e.Params {
		v := p.Default
		if given[strings.ReplaceAll(p.Name, "_", "-")] {
			v = *vals[p.Name]
		}
		q.Set(p.Name, v)
	}
	v, err := e.Parse(q)
	if err != nil {
		return err
	}
	if err := export.Check(e, *format, export.Options{Lang: *lang, By: *by}); err != nil {
		return err
	}
	snap, err := src.load(ctx, stderr)
	if err != nil {
		return err
	}
	t, err := cat.Table(ctx, e, snap, v)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: %d rows\n", e.Name, t.Len())
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return export.Write(w, *format, e, t, export.AllRows(t), export.Options{Lang: *lang, By: *by, Values: v, County: coverage.County(snap), Date: snap.LoadedAt,
		Extra: map[string]any{"name": e.Name, "parameters": v.Map()}})
}

// listAnalyses prints every analysis with its parameters and defaults.
func listAnalyses(w io.Writer) error {
	cat, err := coverage.New(response.DefaultParams(), 1)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "usage: fireplan export ANALYSIS [--format csv|json|geojson|xlsx] [--lang zh|en] [--by township] [-o FILE] [--db URL --config FILE | --osm FILE] [parameters]")
	fmt.Fprintln(w, "(--by township: one Excel sheet per township, with --format xlsx, for analyses whose rows lie in townships)")
	for _, e := range cat.Entries {
		if !e.Analysis() {
			continue
		}
		fmt.Fprintf(w, "%-22s %s\n", e.Name, e.Description.En)
		for _, p := range e.Params {
			fmt.Fprintf(w, "    --%-18s %s (default %q)\n", strings.ReplaceAll(p.Name, "_", "-"), p.Title.En, p.Default)
		}
	}
	return nil
}

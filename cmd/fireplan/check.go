package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"fireplan/data"
)

// errCannotServe is check's verdict when the data cannot be served; the
// reasons are printed above it.
var errCannotServe = errors.New("check failed: this data cannot be served as configured")

// checkCmd reads everything a config maps, serves nothing, and prints in
// one go every problem and the load summary. It returns nil when serve
// would start on this data.
func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "PostGIS URL (default: $DATABASE_URL)")
	config := fs.String("config", "", "JSON file mapping layers to tables and columns (docs/DATA.md)")
	dbSchema := fs.String("db-schema", "", "schema of the layer tables (default: the config's, else public)")
	osmFile := fs.String("osm", "", "check an OpenStreetMap extract read in memory instead of a database")
	mapping := fs.String("mapping", "", "JSON file overriding the OpenStreetMap mapping (with --osm)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *osmFile != "" {
		if *db != "" || *config != "" {
			return errors.New("--osm reads no database: drop --db and --config")
		}
		snap, st, err := readOSM(ctx, *osmFile, *mapping, nil)
		if err != nil {
			return err
		}
		printStats(stdout, st)
		fmt.Fprintln(stdout)
		return verdict(stdout, snap.Report, nil, map[string]int{data.LayerRoads: snap.Roads.Len(), data.LayerStations: snap.Stations.Len()})
	}
	if *mapping != "" {
		return errors.New("--mapping goes with --osm")
	}
	url := *db
	if url == "" {
		url = os.Getenv("DATABASE_URL")
	}
	if url == "" {
		return errors.New("check needs --db URL (or DATABASE_URL)")
	}
	// A config's errors come back from data.Load with the database's.
	cfg, err := configWithSchema(*config, *dbSchema)
	if *config != "" && cfg == nil {
		return err
	}
	_, perr := settings(cfg)
	pool, err := data.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	set, rep, lerr := data.Load(ctx, pool, cfg)
	if err := ctx.Err(); err != nil {
		return err
	}
	// Build the snapshot as serve would: stray coordinates and derived
	// built-up areas show in the report too.
	n := counts(set)
	opts, oerr := cfg.Options()
	if oerr == nil {
		snap, err := data.NewSnapshotWith(set, "check", rep, opts)
		if err != nil {
			return err
		}
		n = map[string]int{data.LayerRoads: snap.Roads.Len(), data.LayerStations: snap.Stations.Len()}
	}
	return verdict(stdout, rep, errors.Join(lerr, perr), n)
}

// verdict prints every problem, then the load report, and says whether
// serve would start.
func verdict(stdout io.Writer, rep *data.Report, err error, n map[string]int) error {
	if err := markWeakened(rep); err != nil {
		return err
	}
	problems := lines(err, servable(n))
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "%s:\n", plural(len(problems), "problem"))
		for _, p := range problems {
			fmt.Fprintf(stdout, "  - %s\n", p)
		}
		fmt.Fprintln(stdout)
	}
	rep.Print(stdout)
	fmt.Fprintln(stdout)
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "cannot serve: %s (listed first)\n", plural(len(problems), "problem"))
		return errCannotServe
	}
	fmt.Fprintf(stdout, "ready to serve: %d roads, %d stations\n", n[data.LayerRoads], n[data.LayerStations])
	return nil
}

// lines splits errors (joined or not) into one line each.
func lines(errs ...error) []string {
	var out []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		for _, l := range strings.Split(err.Error(), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// plural says "1 problem", "2 problems".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

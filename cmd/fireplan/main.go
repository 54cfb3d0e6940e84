// Command fireplan serves and exports fire-safety planning analyses of a
// county: from its PostGIS tables, an OpenStreetMap extract, or the
// built-in sample county.
//
//	fireplan serve  [--addr :8080] [--db URL] [--config FILE] [--osm FILE [--mapping FILE]] [--allow-empty] [--seed N] [--scale N]
//	fireplan export ANALYSIS [--PARAM VALUE ...] [--format csv|json|geojson|xlsx] [--db URL]
//	fireplan coverage | clusters | hydrants gaps|proposals|stats   (shortcuts for export)
//	fireplan scenario apply FILE.json [--report coverage|hydrants|all] [--json] [--db URL --config FILE]
//	fireplan check  [--db URL] [--config FILE] | --osm FILE [--mapping FILE]
//	fireplan import --db URL [--schema NAME] --sample [--seed N] [--scale N]
//	fireplan import --db URL [--schema NAME] --osm FILE [--mapping FILE]
//	fireplan import --db URL [--schema NAME] --points FILE.csv|xlsx --layer hydrants|stations [--datum gcj02|bd09|wgs84] [--srid N] [--config FILE]
//	fireplan analyze --db URL [--config FILE] --write [--schema fireplan_results]
//	fireplan version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "fireplan:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode is 0 for success and for -h (help was asked for and given), 1
// for any error.
func exitCode(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

const usage = `fireplan: fire-safety infrastructure planning for a county

commands:
  serve     serve the web map, layers and analyses over HTTP
  export    any analysis as csv, json, geojson or xlsx: fireplan export coverage_summary --minutes 5,8
            (fireplan export -list lists them, with their parameters)
  coverage  shortcut: export coverage_gaps
  clusters  shortcut: export clusters
  hydrants  gaps | proposals | stats: shortcuts for export hydrant_gaps, hydrant_proposals, hydrant_stats
  scenario  apply FILE.json: what a scenario's changes (stations, hydrants, closed roads) do to
            coverage and hydrant gaps: fireplan scenario apply plan.json --report coverage
  check     read a county's tables as the config maps them, print every problem, serve nothing
            (exit status 0 when serve would start on this data)
  import    write into PostGIS: the sample county (--sample), an OpenStreetMap extract (--osm FILE),
            or a spreadsheet of hydrants or stations (--points FILE --layer hydrants|stations)
  analyze   compute every analysis with its defaults; --write stores each as a table in PostGIS
            (--schema, fireplan_results by default) for QGIS, replaced in one transaction
  triggers  install (or remove) triggers on the mapped tables so that serve reloads within a
            second of an edit (it checks every --reload-interval, 10 s, without them)
  version   print the version

run "fireplan <command> -h" for a command's flags`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command")
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stderr, log)
	case "export":
		if len(args) < 2 {
			return errors.New("usage: fireplan export ANALYSIS [flags] (fireplan export -list lists them)")
		}
		if args[1] == "-list" || args[1] == "--list" || isHelp(args[1]) {
			return listAnalyses(stdout)
		}
		return exportCmd(ctx, args[1], args[2:], stdout, stderr)
	case "coverage", "clusters":
		return exportCmd(ctx, shortcuts[args[0]], args[1:], stdout, stderr)
	case "hydrants":
		const use = "usage: fireplan hydrants gaps|proposals|stats [flags] (fireplan hydrants gaps -h lists the flags)"
		if len(args) >= 2 && isHelp(args[1]) {
			fmt.Fprintln(stdout, use)
			return nil
		}
		if len(args) < 2 || shortcuts["hydrants "+args[1]] == "" {
			return errors.New(use)
		}
		return exportCmd(ctx, shortcuts["hydrants "+args[1]], args[2:], stdout, stderr)
	case "scenario":
		return scenarioCmd(ctx, args[1:], stdout, stderr)
	case "check":
		return checkCmd(ctx, args[1:], stdout, stderr)
	case "import":
		return importCmd(ctx, args[1:], stdout, stderr)
	case "analyze":
		return analyzeCmd(ctx, args[1:], stdout, stderr)
	case "triggers":
		return triggersCmd(ctx, args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "fireplan", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// isHelp tells whether arg asks a command for its usage.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// Command fireplan serves and exports fire-safety planning analyses of a
// county: from its PostGIS tables, or from the built-in sample county.
//
//	fireplan serve  [--addr :8080] [--db URL] [--config FILE] [--seed N] [--scale N]
//	fireplan coverage [--minutes 5] [--format csv|geojson|json] [--db URL]
//	fireplan clusters [--min-households 30] [--separation 6] [--format csv|geojson|json]
//	fireplan hydrants gaps|proposals|stats [--count N] [--straight] [--format csv|geojson]
//	fireplan import --db URL --sample [--schema NAME] [--seed N] [--scale N]
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
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "fireplan:", err)
		}
		os.Exit(1)
	}
}

const usage = `fireplan: fire-safety infrastructure planning for a county

commands:
  serve     serve the web map, layers and analyses over HTTP
  coverage  response-time gaps (csv, geojson) or township summary (json)
  clusters  rural house clusters of 30, 50, 100+ households (csv, geojson; json: ledger)
  hydrants  gaps | proposals [--count 20] | stats: hydrant spacing, protection and siting
  import    write the sample county into PostGIS
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
	case "coverage":
		return coverageCmd(ctx, args[1:], stdout, stderr)
	case "clusters":
		return clustersCmd(ctx, args[1:], stdout, stderr)
	case "hydrants":
		return hydrantsCmd(ctx, args[1:], stdout, stderr)
	case "import":
		return importCmd(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "fireplan", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"fireplan/data"
)

// triggersCmd installs or removes the triggers that tell a serving
// fireplan of every edit at once (it polls every --reload-interval
// without them).
func triggersCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: fireplan triggers install|remove --db URL [--config FILE] (fireplan triggers install -h lists the flags)"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, use)
		return nil
	}
	if len(args) == 0 || args[0] != "install" && args[0] != "remove" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("triggers "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := src.check(); err != nil {
		return err
	}
	if src.db == "" {
		return errors.New("triggers need --db or $DATABASE_URL")
	}
	cfg, err := src.readConfig()
	if err != nil {
		return err
	}
	pool, err := data.Connect(ctx, src.db)
	if err != nil {
		return err
	}
	defer pool.Close()
	do, verb := data.InstallTriggers, "installed on"
	if args[0] == "remove" {
		do, verb = data.RemoveTriggers, "removed from"
	}
	tables, err := do(ctx, pool, cfg)
	for _, t := range tables {
		fmt.Fprintf(stdout, "trigger %s %s (layer %s)\n", verb, t.Quoted(), t.Layer)
	}
	return err
}

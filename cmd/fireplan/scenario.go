package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"fireplan/coverage/scenario"
)

// scenarioCmd runs fireplan scenario apply FILE.json: the scenario applied
// to the county, its diff against the county as it stands.
func scenarioCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: fireplan scenario apply FILE.json [--report coverage|hydrants|all] [--minutes 5,8,15] [--json] [--db URL --config FILE | --seed N --scale N] (fireplan scenario apply -h lists the flags)"
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, use)
		return nil
	}
	if len(args) == 0 || args[0] != "apply" {
		return errors.New(use)
	}
	fs := flag.NewFlagSet("scenario apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	report := fs.String("report", scenario.ReportAll, "coverage, hydrants or all")
	minutes := fs.String("minutes", "", "response targets (default: coverage_summary's)")
	asJSON := fs.Bool("json", false, "print the diff as JSON")
	// The file may come before the flags or after them.
	rest := args[1:]
	var file string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		return errors.New("scenario apply takes one FILE.json")
	}
	if *report != scenario.ReportCoverage && *report != scenario.ReportHydrants && *report != scenario.ReportAll {
		return fmt.Errorf("--report must be coverage, hydrants or all, not %q", *report)
	}
	if err := src.check(); err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc, err := scenario.Parse(f)
	if err != nil {
		return fmt.Errorf("%s: %w", file, fieldOf(err))
	}
	cat, err := src.catalog(1 << 30)
	if err != nil {
		return err
	}
	base, err := src.load(ctx, stderr)
	if err != nil {
		return err
	}
	scen, err := sc.Validate(ctx, cat, base)
	if err != nil {
		return fmt.Errorf("%s: %w", file, fieldOf(err))
	}
	q := url.Values{}
	if *minutes != "" {
		q["minutes"] = []string{*minutes}
	}
	d, err := scenario.Diff(ctx, cat, base, scen, q, *report)
	if err != nil {
		return err
	}
	d.ID = sc.ID
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	printDiff(stdout, sc, d)
	return nil
}

// fieldOf adds the field to a change error's message.
func fieldOf(err error) error {
	var ce *scenario.ChangeError
	if errors.As(err, &ce) && ce.Field != "" {
		return fmt.Errorf("%w (field %s)", err, ce.Field)
	}
	return err
}

func printDiff(w io.Writer, sc *scenario.Scenario, d *scenario.DiffReport) {
	fmt.Fprintf(w, "scenario %s %q: %d changes, data %s -> %s\n", sc.ID, sc.Name, len(sc.Changes), d.BaseVersion, d.Version)
	if c := d.Coverage; c != nil {
		fmt.Fprintf(w, "\ncoverage: %d gaps closed, %d opened\n", c.GapsClosed, c.GapsOpened)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "township\tname\ttarget (min)\tbefore\tafter\tgained\t")
		for _, t := range c.Townships {
			if t.Gained != 0 {
				fmt.Fprintf(tw, "%s\t%s\t%g\t%d\t%d\t%+d\t\n", t.TownshipID, t.Name, t.TargetMin, t.Before, t.After, t.Gained)
			}
		}
		tw.Flush()
		for _, m := range sortedTargets(c.HouseholdsGained) {
			fmt.Fprintf(w, "county within %s min: %+d households\n", m, c.HouseholdsGained[m])
		}
	}
	if h := d.Hydrants; h != nil {
		rate := func(r *float64) string {
			if r == nil {
				return "none built"
			}
			return fmt.Sprintf("%.1f%%", *r*100)
		}
		fmt.Fprintf(w, "\nhydrants: street gaps %.1f m closed, %.1f m opened; %d buildings newly protected, %d newly unprotected; intact rate %s -> %s\n",
			h.GapsClosedM, h.GapsOpenedM, h.BuildingsNewlyProtected, h.BuildingsNewlyUnprotected, rate(h.IntactRateBefore), rate(h.IntactRateAfter))
	}
}

// sortedTargets orders target keys ("15", "5", "8") by their number.
func sortedTargets(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	num := func(s string) float64 {
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(num(a), num(b)) })
	return keys
}

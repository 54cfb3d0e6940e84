package scenario

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"

	"fireplan/coverage"
	"fireplan/data"
)

// DiffReport is what a scenario changes against its base: coverage per
// township (or village) and target, coverage gaps, hydrant gaps.
type DiffReport struct {
	ID          string        `json:"id"`
	BaseVersion string        `json:"base_version"`
	Version     string        `json:"version"`
	Coverage    *CoverageDiff `json:"coverage,omitempty"`
	Hydrants    *HydrantDiff  `json:"hydrants,omitempty"`
}

// CoverageDiff compares coverage_summary and coverage_gaps.
type CoverageDiff struct {
	Townships []TownshipDiff `json:"townships"`
	// HouseholdsGained is the county's gain per target ("8": households),
	// from coverage_summary's county row.
	HouseholdsGained map[string]int `json:"households_gained"`
	// GapsClosed and GapsOpened count coverage_gaps rows (villages, old
	// districts, buildings) gone and new, summed over the targets.
	GapsClosed int `json:"gaps_closed"`
	GapsOpened int `json:"gaps_opened"`
}

// TownshipDiff is one township's households within one target.
type TownshipDiff struct {
	TownshipID string  `json:"township_id"`
	Name       string  `json:"name"`
	TargetMin  float64 `json:"target_min"`
	Before     int     `json:"households_before"`
	After      int     `json:"households_after"`
	Gained     int     `json:"gained"` // After - Before; negative when lost
}

// HydrantDiff compares hydrant_gaps and hydrant_stats.
type HydrantDiff struct {
	// GapsClosedM and GapsOpenedM are street-gap metres (street beyond
	// every working hydrant's radius) gone and new, summed per road.
	GapsClosedM float64 `json:"gaps_closed_m"`
	GapsOpenedM float64 `json:"gaps_opened_m"`
	// BuildingsNewlyProtected were unprotected before; BuildingsNewlyUnprotected the reverse.
	BuildingsNewlyProtected   int      `json:"buildings_newly_protected"`
	BuildingsNewlyUnprotected int      `json:"buildings_newly_unprotected"`
	IntactRateBefore          *float64 `json:"intact_rate_before"` // working / (working + broken), county-wide
	IntactRateAfter           *float64 `json:"intact_rate_after"`
}

// Reports a diff may hold.
const (
	ReportCoverage = "coverage"
	ReportHydrants = "hydrants"
	ReportAll      = "all"
)

// Diff compares scen with base through the catalogue, as the analysis
// endpoints answer them. q holds the parameters of coverage_summary
// (minutes, by, the response parameters) and of hydrant_gaps (mode,
// radius_m...), defaults for those absent. report is ReportCoverage,
// ReportHydrants or ReportAll.
func Diff(ctx context.Context, cat *coverage.Catalog, base, scen *data.Snapshot, q url.Values, report string) (*DiffReport, error) {
	summary, _ := cat.Entry("coverage_summary")
	gaps, _ := cat.Entry("hydrant_gaps")
	cv, err := summary.Parse(q, paramNames(gaps)...)
	if err != nil {
		return nil, err
	}
	hv, err := gaps.Parse(q, paramNames(summary)...)
	if err != nil {
		return nil, err
	}
	d := &DiffReport{BaseVersion: base.VersionHex(), Version: scen.VersionHex()}
	if report != ReportHydrants {
		if d.Coverage, err = diffCoverage(ctx, cat, base, scen, cv); err != nil {
			return nil, err
		}
	}
	if report != ReportCoverage {
		if d.Hydrants, err = diffHydrants(ctx, cat, base, scen, hv); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func paramNames(e *coverage.Entry) []string {
	out := make([]string, len(e.Params))
	for i, p := range e.Params {
		out[i] = p.Name
	}
	return out
}

// tables returns e's table on base and scen.
func tables(ctx context.Context, cat *coverage.Catalog, e *coverage.Entry, base, scen *data.Snapshot, v coverage.Values) (*coverage.Table, *coverage.Table, error) {
	b, err := cat.Table(ctx, e, base, v)
	if err != nil {
		return nil, nil, err
	}
	s, err := cat.Table(ctx, e, scen, v)
	return b, s, err
}

// column returns the index of the column called name.
func column(t *coverage.Table, name string) int {
	for k, c := range t.Columns {
		if c.Name == name {
			return k
		}
	}
	panic("scenario: no column " + name) // the catalogue declares them
}

func diffCoverage(ctx context.Context, cat *coverage.Catalog, base, scen *data.Snapshot, v coverage.Values) (*CoverageDiff, error) {
	summary, _ := cat.Entry("coverage_summary")
	before, after, err := tables(ctx, cat, summary, base, scen, v)
	if err != nil {
		return nil, err
	}
	d := &CoverageDiff{Townships: []TownshipDiff{}, HouseholdsGained: map[string]int{}}
	// The areas are the same layers in both: the rows match one to one.
	afterRow := make(map[string]int, after.Len())
	for i := range after.Len() {
		afterRow[after.ID(i)] = i
	}
	name := column(before, "name")
	for _, m := range v.Floats("minutes") {
		key := strconv.FormatFloat(m, 'f', -1, 64)
		kb, ka := column(before, "covered_"+key+"min"), column(after, "covered_"+key+"min")
		for i := range before.Len() {
			id := before.ID(i)
			td := TownshipDiff{TownshipID: id, TargetMin: m, Before: before.Value(i, kb).(int)}
			td.Name, _ = before.Value(i, name).(string)
			if j, ok := afterRow[id]; ok {
				td.After = after.Value(j, ka).(int)
			}
			td.Gained = td.After - td.Before
			if id == "county" { // the last row: the whole county
				d.HouseholdsGained[key] = td.Gained
				continue
			}
			d.Townships = append(d.Townships, td)
		}
	}
	gaps, _ := cat.Entry("coverage_gaps")
	for _, m := range v.Floats("minutes") {
		q := url.Values{"minutes": {strconv.FormatFloat(m, 'f', -1, 64)}}
		for _, p := range gaps.Params {
			if p.Name != "minutes" {
				q.Set(p.Name, v.Get(p.Name))
			}
		}
		gv, err := gaps.Parse(q)
		if err != nil {
			return nil, err
		}
		before, after, err := tables(ctx, cat, gaps, base, scen, gv)
		if err != nil {
			return nil, err
		}
		closed, opened := setDiff(ids(before), ids(after))
		d.GapsClosed += closed
		d.GapsOpened += opened
	}
	return d, nil
}

// setDiff counts the ids of a missing from b, and of b missing from a.
func setDiff(a, b []string) (int, int) {
	in := func(ids []string) map[string]bool {
		m := make(map[string]bool, len(ids))
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	gone, added := 0, 0
	for id := range ma {
		if !mb[id] {
			gone++
		}
	}
	for id := range mb {
		if !ma[id] {
			added++
		}
	}
	return gone, added
}

func diffHydrants(ctx context.Context, cat *coverage.Catalog, base, scen *data.Snapshot, v coverage.Values) (*HydrantDiff, error) {
	gaps, _ := cat.Entry("hydrant_gaps")
	before, after, err := tables(ctx, cat, gaps, base, scen, v)
	if err != nil {
		return nil, err
	}
	d := &HydrantDiff{}
	bm, am := streetGapM(before), streetGapM(after)
	for _, road := range slices.Sorted(maps.Keys(bm)) { // a fixed order: sums equal to the last bit
		d.GapsClosedM += math.Max(0, bm[road]-am[road])
	}
	for _, road := range slices.Sorted(maps.Keys(am)) {
		d.GapsOpenedM += math.Max(0, am[road]-bm[road])
	}
	d.GapsClosedM, d.GapsOpenedM = math.Round(d.GapsClosedM*10)/10, math.Round(d.GapsOpenedM*10)/10
	d.BuildingsNewlyProtected, d.BuildingsNewlyUnprotected = setDiff(buildingGaps(before), buildingGaps(after))
	stats, _ := cat.Entry("hydrant_stats")
	sv, err := stats.Parse(url.Values(mapValues(v)))
	if err != nil {
		return nil, err
	}
	sb, sa, err := tables(ctx, cat, stats, base, scen, sv)
	if err != nil {
		return nil, err
	}
	if d.IntactRateBefore, err = countyIntact(sb); err != nil {
		return nil, err
	}
	if d.IntactRateAfter, err = countyIntact(sa); err != nil {
		return nil, err
	}
	return d, nil
}

func mapValues(v coverage.Values) map[string][]string {
	out := map[string][]string{}
	for k, s := range v.Map() {
		out[k] = []string{s}
	}
	return out
}

// ids returns t's row ids.
func ids(t *coverage.Table) []string {
	out := make([]string, t.Len())
	for i := range out {
		out[i] = t.ID(i)
	}
	return out
}

// streetGapM sums hydrant_gaps' street-gap metres per road.
func streetGapM(t *coverage.Table) map[string]float64 {
	kind, road, length := column(t, "kind"), column(t, "road_id"), column(t, "length_m")
	out := map[string]float64{}
	for i := range t.Len() {
		if t.Value(i, kind) == "street_gap" {
			out[t.Value(i, road).(string)] += t.Value(i, length).(float64)
		}
	}
	return out
}

// buildingGaps returns the ids of hydrant_gaps' unprotected buildings.
func buildingGaps(t *coverage.Table) []string {
	kind, id := column(t, "kind"), column(t, "detail")
	var out []string
	for i := range t.Len() {
		if t.Value(i, kind) == "building" {
			out = append(out, t.Value(i, id).(string))
		}
	}
	return out
}

// countyIntact reads the county row of hydrant_stats.
func countyIntact(t *coverage.Table) (*float64, error) {
	k := column(t, "intact_rate")
	for i := range t.Len() {
		if t.ID(i) == "county" {
			if f, ok := t.Value(i, k).(float64); ok {
				return &f, nil
			}
			return nil, nil
		}
	}
	return nil, fmt.Errorf("hydrant_stats has no county row")
}

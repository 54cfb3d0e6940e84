package data

import (
	"errors"
	"fmt"
)

// Options are the snapshot's own numbers: how far from the bulk of the data
// a coordinate may lie, and how built-up areas are drawn when none are given.
type Options struct {
	// MaxDistanceM: a feature with any vertex farther than this from the
	// projection origin (great-circle metres) is skipped as bad_coordinate.
	// 200 km holds a county of the largest kind and keeps the projection's
	// scale error under 0.05%.
	MaxDistanceM float64
	// BuiltupGapM: when no built-up area is loaded, buildings within this
	// many metres of each other (between their bounds) form one; 0 derives none.
	BuiltupGapM float64
	// BuiltupMinAreaM2: the least area of a derived built-up area, m2.
	BuiltupMinAreaM2 float64
}

// DefaultOptions returns the options NewSnapshot uses.
//
// 50 m joins buildings across a street and its setbacks, not across
// fields. 20 ha keeps a township seat (a few blocks: 35 ha and more in the
// sample county, 0.5 km2 and more in Hunan's) and leaves villages to the
// rural analyses, which count only buildings outside built-up areas: a
// village of 300 houses in clusters 5-15 m apart covers up to 17 ha with
// its margin (the sample county's largest), a hamlet 1 to 3 ha, so at 5 ha
// 57 of its 224 villages would turn into built-up areas and leave the
// cluster ledger.
func DefaultOptions() Options {
	return Options{MaxDistanceM: 200_000, BuiltupGapM: 50, BuiltupMinAreaM2: 200_000}
}

// Check reports every option that cannot be used, by its params name.
func (o Options) Check() error {
	var errs []error
	if !(o.MaxDistanceM >= 1000 && o.MaxDistanceM <= 1_000_000) {
		errs = append(errs, fmt.Errorf("max_distance_km %g outside 1..1000", o.MaxDistanceM/1000))
	}
	if !(o.BuiltupGapM >= 0 && o.BuiltupGapM <= 500) {
		errs = append(errs, fmt.Errorf("builtup_gap_m %g outside 0..500", o.BuiltupGapM))
	}
	if !(o.BuiltupMinAreaM2 >= 0 && o.BuiltupMinAreaM2 <= 1e9) {
		errs = append(errs, fmt.Errorf("builtup_min_area_m2 %g outside 0..1e9", o.BuiltupMinAreaM2))
	}
	return errors.Join(errs...)
}

package response

import (
	"errors"
	"fireplan/coverage/network"
	"fmt"
	"slices"

	"fireplan/data"
)

// Params are the numbers of the response-time analysis. Defaults come from
// the standards DESIGN.md cites; every one may be changed.
type Params struct {
	network.Profile                    // the truck graph: speeds, widths, the truck's width
	TurnoutS        map[string]float64 // by station class, seconds
	AccessSpeedMps  float64            // on foot laying hose from road to building
	AccessMaxM      float64            // farther than this from a passable road: unreachable
	StationSnapM    float64            // a station farther than this from a passable road is left out
}

// MaxAccessM is the farthest a building may be from the road it is reached
// from: the most access_max_m may be.
const MaxAccessM = 5000

// DefaultParams returns the defaults of DESIGN.md.
func DefaultParams() Params {
	return Params{
		Profile: network.DefaultProfile(),
		TurnoutS: map[string]float64{"special": 60, "urban1": 60, "urban2": 60, "small": 60,
			"township_fulltime": 60, "volunteer": 180, "micro": 60},
		AccessSpeedMps: 1,
		AccessMaxM:     150,
		StationSnapM:   1000,
	}
}

// Check reports every parameter that cannot be used, each by the name a
// config's params give it.
func (p Params) Check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, c := range data.RoadClasses {
		if v, ok := p.SpeedKmh[c]; !ok || !(v > 0) {
			bad("speed_kmh.%s must be > 0 km/h", c)
		}
		if v, ok := p.WidthM[c]; !ok || !(v > 0) {
			bad("road_width_m.%s must be > 0 m", c)
		}
	}
	for c := range p.SpeedKmh {
		if !slices.Contains(data.RoadClasses, c) {
			bad("speed_kmh: unknown road class %q", c)
		}
	}
	for _, c := range data.StationClasses {
		if v, ok := p.TurnoutS[c]; !ok || !(v >= 0) {
			bad("turnout_s.%s must be >= 0 s", c)
		}
	}
	for _, r := range []struct {
		name    string
		v       float64
		lo, hi  float64
		openLow bool
	}{
		{"truck_width_m", p.TruckWidthM, 0, 20, false},
		{"node_tolerance_m", p.NodeToleranceM, 0, 10, false},
		{"access_speed_mps", p.AccessSpeedMps, 0, 10, true},
		{"access_max_m", p.AccessMaxM, 0, MaxAccessM, false},
		{"station_snap_m", p.StationSnapM, 0, 20000, false},
	} {
		if !(r.v >= r.lo && r.v <= r.hi) || r.openLow && r.v == r.lo {
			lo := "["
			if r.openLow {
				lo = "("
			}
			bad("%s %g outside %s%g, %g]", r.name, r.v, lo, r.lo, r.hi)
		}
	}
	return errors.Join(errs...)
}

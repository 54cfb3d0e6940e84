package response

import (
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

// Check reports a parameter that cannot be used.
func (p Params) Check() error {
	for _, c := range data.RoadClasses {
		if v, ok := p.SpeedKmh[c]; !ok || !(v > 0) {
			return fmt.Errorf("speed for road class %s must be > 0 km/h", c)
		}
		if v, ok := p.WidthM[c]; !ok || !(v > 0) {
			return fmt.Errorf("default width for road class %s must be > 0 m", c)
		}
	}
	for c := range p.SpeedKmh {
		if !slices.Contains(data.RoadClasses, c) {
			return fmt.Errorf("unknown road class %q in speeds", c)
		}
	}
	for _, c := range data.StationClasses {
		if v, ok := p.TurnoutS[c]; !ok || v < 0 {
			return fmt.Errorf("turnout for station class %s must be >= 0 s", c)
		}
	}
	switch {
	case !(p.TruckWidthM >= 0 && p.TruckWidthM <= 20):
		return fmt.Errorf("truck width %g m outside 0..20", p.TruckWidthM)
	case !(p.NodeToleranceM >= 0 && p.NodeToleranceM <= 10):
		return fmt.Errorf("node tolerance %g m outside 0..10", p.NodeToleranceM)
	case !(p.AccessSpeedMps > 0 && p.AccessSpeedMps <= 10):
		return fmt.Errorf("access speed %g m/s outside (0, 10]", p.AccessSpeedMps)
	case !(p.AccessMaxM >= 0 && p.AccessMaxM <= 5000):
		return fmt.Errorf("access limit %g m outside 0..5000", p.AccessMaxM)
	case !(p.StationSnapM >= 0 && p.StationSnapM <= 20000):
		return fmt.Errorf("station snap limit %g m outside 0..20000", p.StationSnapM)
	}
	return nil
}

package lanes

import (
	"fmt"
	"math"

	"fireplan/coverage/areas"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Params are the fire-lane clearances of GB 50016-2014 7.1.8.
type Params struct {
	MinWidthM  float64 // lanes narrower than this cannot take a truck
	MinHeightM float64 // nor lanes lower than this
}

// DefaultParams returns the standard's numbers.
func DefaultParams() Params { return Params{MinWidthM: 4, MinHeightM: 4} }

// Check reports a parameter that cannot be used.
func (p Params) Check() error {
	if !(p.MinWidthM > 0 && p.MinWidthM <= 50) || !(p.MinHeightM > 0 && p.MinHeightM <= 50) {
		return fmt.Errorf("lane clearances %g x %g m outside (0, 50]", p.MinWidthM, p.MinHeightM)
	}
	return nil
}

// DistrictLanes is one old district's fire lanes and what a truck cannot reach.
type DistrictLanes struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	Lanes                int                `json:"lanes"`
	LengthM              float64            `json:"length_m"`
	ByStatusM            map[string]float64 `json:"by_status_m"` // marked, unmarked, obstructed, unknown
	NarrowM              float64            `json:"too_narrow_m"`
	LowM                 float64            `json:"too_low_m"`
	UsableM              float64            `json:"usable_m"` // wide and high enough and not obstructed
	Buildings            int                `json:"buildings"`
	Households           int                `json:"households"`
	BeyondReach          int                `json:"buildings_beyond_reach"` // no truck road within the access limit
	BeyondReachHousehold int                `json:"households_beyond_reach"`
}

// Districts reports every old district's lanes by status, the lengths too
// narrow or too low for a truck, and the buildings no truck road reaches
// (from the response analysis r). A lane belongs to the district its
// district_id names, or else to the one holding its middle.
func Districts(r *response.Response, p Params) []DistrictLanes {
	s := r.Snap
	out := make([]DistrictLanes, s.Districts.Len())
	byID := map[string]int{}
	for i, d := range s.Districts.Items {
		out[i] = DistrictLanes{ID: d.ID, Name: d.Name, ByStatusM: map[string]float64{"marked": 0, "unmarked": 0, "obstructed": 0, "unknown": 0}}
		byID[d.ID] = i
	}
	for i, l := range s.FireLanes.Items {
		k, ok := byID[l.DistrictID]
		if !ok {
			mid := midpoint(s.FireLanes.Metric[i])
			if k = int(areas.Containing(&s.Districts.MIndex, s.Districts.Metric, mid)); k < 0 {
				continue
			}
		}
		d := &out[k]
		m := geo.Length(s.FireLanes.Metric[i])
		d.Lanes++
		d.LengthM += m
		status := l.Status
		if status == "" {
			status = "unknown"
		}
		d.ByStatusM[status] += m
		narrow := l.WidthM != nil && *l.WidthM < p.MinWidthM
		low := l.ClearHeightM != nil && *l.ClearHeightM < p.MinHeightM
		if narrow {
			d.NarrowM += m
		}
		if low {
			d.LowM += m
		}
		if !narrow && !low && status != "obstructed" {
			d.UsableM += m
		}
	}
	for i, b := range s.Buildings.Items {
		k := r.Member.District[i]
		if k < 0 {
			continue
		}
		d := &out[k]
		d.Buildings++
		d.Households += b.Households
		if r.Buildings[i].Reach != response.Reached {
			d.BeyondReach++
			d.BeyondReachHousehold += b.Households
		}
	}
	for i := range out {
		d := &out[i]
		d.LengthM, d.NarrowM, d.LowM, d.UsableM = math.Round(d.LengthM), math.Round(d.NarrowM), math.Round(d.LowM), math.Round(d.UsableM)
		for k, v := range d.ByStatusM {
			d.ByStatusM[k] = math.Round(v)
		}
	}
	return out
}

// midpoint returns the point halfway along a linear geometry.
func midpoint(g orb.Geometry) orb.Point {
	half := geo.Length(g) / 2
	var out orb.Point
	found := false
	for _, l := range network.Lines(g) {
		for v := 1; v < len(l) && !found; v++ {
			d := geo.Dist(l[v-1], l[v])
			if half <= d && d > 0 {
				out, found = geo.Lerp(l[v-1], l[v], half/d), true
			}
			half -= d
		}
	}
	if !found {
		return g.Bound().Center()
	}
	return out
}

package network

import (
	"context"

	"fireplan/coverage/internal/workers"
	"fireplan/data"
)

// Frontage is where each building meets the road network: the road
// segment nearest its wall among every road a truck drives at some width.
// A truck graph of any width holds that segment or leaves it out; when it
// holds it, it is the building's nearest in that graph too (the nearest of
// a set is the nearest of any subset holding it), found without a search.
// A new truck width then costs a lookup per building, not a search.
type Frontage struct {
	Road, Part, Seg []int32   // per building: segment Seg of line Part of road Road; Road -1 for none within MaxM
	Dist, T         []float64 // per building: metres from its wall, and where on the segment (0-1)
	MaxM            float64
	roads           *data.Layer[data.Road]
}

// NewFrontage finds every building's frontage within maxM metres among
// the roads p gives a speed, searching rs (the roads' Segments; nil:
// indexed here), sharing the buildings among the workers ctx allows.
func NewFrontage(ctx context.Context, s *data.Snapshot, rs *Segments, p Profile, maxM float64) (*Frontage, error) {
	if rs == nil || rs.roads != s.Roads {
		var err error
		if rs, err = NewSegments(ctx, s.Roads); err != nil {
			return nil, err
		}
	}
	driven := make([]bool, s.Roads.Len())
	for i := range s.Roads.Items {
		driven[i] = p.Speed(&s.Roads.Items[i]) > 0
	}
	keep := func(i int32) bool { return driven[rs.sn.segs[i].edge] }
	n := s.Buildings.Len()
	f := &Frontage{Road: make([]int32, n), Part: make([]int32, n), Seg: make([]int32, n), Dist: make([]float64, n), T: make([]float64, n), MaxM: maxM, roads: s.Roads}
	workers.Each(ctx, n, func(i int) {
		f.Road[i] = -1
		if seg, d, t := rs.sn.nearestTo(s.Buildings.Metric[i], maxM, keep); seg >= 0 {
			f.Road[i], f.Part[i], f.Seg[i], f.Dist[i], f.T[i] = rs.sn.segs[seg].edge, rs.pv[seg].part, rs.pv[seg].v, d, t
		}
	})
	return f, ctx.Err()
}

// Bytes estimates the frontage's memory.
func (f *Frontage) Bytes() int64 { return int64(len(f.Road))*28 + 64 }

// On returns building i's snap in sn's graph when the graph holds its
// frontage: what NearestTo would find, when that is also what keep accepts.
func (sn *Snapper) On(f *Frontage, i int) (Snap, bool) {
	if f.Road[i] < 0 {
		return Snap{}, false
	}
	e, ok := sn.g.EdgeAt(f.Road[i], f.Part[i], f.Seg[i])
	if !ok {
		return Snap{}, false
	}
	return snapAt(sn.g, e, f.Seg[i], f.T[i], f.Dist[i]), true
}

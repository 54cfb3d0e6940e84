package network

import (
	"context"

	"fireplan/coverage/internal/workers"
	"fireplan/data"
	"fireplan/geo"
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
// the roads p gives a speed, sharing the buildings among the workers ctx
// allows.
func NewFrontage(ctx context.Context, s *data.Snapshot, p Profile, maxM float64) (*Frontage, error) {
	// A snapper over the raw road lines: its "edges" are roads, and pv
	// says which line and vertex each segment starts at.
	sn := &Snapper{}
	type at struct{ part, v int32 }
	var pv []at
	for i := range s.Roads.Items {
		if !(p.Speed(&s.Roads.Items[i]) > 0) {
			continue
		}
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for part, l := range Lines(s.Roads.Metric[i]) {
			sn.addLine(int32(i), l, func(v int) { pv = append(pv, at{int32(part), int32(v)}) })
		}
	}
	n := s.Buildings.Len()
	f := &Frontage{Road: make([]int32, n), Part: make([]int32, n), Seg: make([]int32, n), Dist: make([]float64, n), T: make([]float64, n), MaxM: maxM, roads: s.Roads}
	workers.Each(ctx, n, func(i int) {
		f.Road[i] = -1
		if seg, d, t := sn.nearestTo(s.Buildings.Metric[i], maxM, nil); seg >= 0 {
			f.Road[i], f.Part[i], f.Seg[i], f.Dist[i], f.T[i] = sn.segs[seg].edge, pv[seg].part, pv[seg].v, d, t
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
	ed := &sn.g.Edges[e]
	l := Lines(sn.g.roads.Metric[ed.Road])[ed.Part]
	// S as NewSnapper sums it, vertex by vertex from the edge's start.
	at := 0.0
	for k := ed.V0 + 1; k <= f.Seg[i]; k++ {
		at += geo.Dist(l[k-1], l[k])
	}
	a, b, t := l[f.Seg[i]], l[f.Seg[i]+1], f.T[i]
	sp := Snap{Edge: e, S: at + t*geo.Dist(a, b), Dist: f.Dist[i], Point: geo.Lerp(a, b, t)}
	if sp.S > ed.Length {
		sp.S = ed.Length
	}
	return sp, true
}

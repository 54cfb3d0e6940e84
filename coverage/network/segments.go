package network

import (
	"context"

	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Segments is an R-tree of every road's segments, built once per version
// of the roads. The frontage searches it, and a truck graph of any width
// snaps through it, keeping the segments the graph holds, instead of
// indexing its own: at a province that index was the largest part of a new
// width's work and memory.
type Segments struct {
	sn    Snapper // its "edges" are roads
	pv    []segAt // per segment: its line and start vertex
	roads *data.Layer[data.Road]
}

type segAt struct{ part, v int32 }

// NewSegments indexes the segments of roads, zero-length ones left out.
func NewSegments(ctx context.Context, roads *data.Layer[data.Road]) (*Segments, error) {
	rs := &Segments{roads: roads}
	for i := range roads.Items {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for part, l := range Lines(roads.Metric[i]) {
			rs.sn.addLine(int32(i), l, func(v int) { rs.pv = append(rs.pv, segAt{int32(part), int32(v)}) })
		}
	}
	return rs, nil
}

// Bytes estimates the index's memory.
func (rs *Segments) Bytes() int64 { return int64(len(rs.pv)) * (48 + 8 + 40) }

// Snapper returns g's snapper, searching rs for the segments g holds; it
// answers as NewSnapper(g) would. A graph of other roads gets its own.
func (rs *Segments) Snapper(g *Graph) *Snapper {
	if g.roads != rs.roads {
		return NewSnapper(g)
	}
	return &Snapper{g: g, on: rs}
}

// edgeIn returns the edge of g holding segment i, if g holds it.
func (rs *Segments) edgeIn(g *Graph, i int32) (int32, bool) {
	return g.EdgeAt(rs.sn.segs[i].edge, rs.pv[i].part, rs.pv[i].v)
}

// nearestIn is g's Snapper.NearestToWhere. The segments g holds are numbered
// here in the order g's own index numbers them (roads, lines, vertices), so
// ties go the same way.
func (rs *Segments) nearestIn(g *Graph, geom orb.Geometry, max float64, keep func(edge int32) bool) (Snap, bool) {
	seg, d, t := rs.sn.nearestTo(geom, max, func(i int32) bool {
		e, ok := rs.edgeIn(g, i)
		return ok && (keep == nil || keep(e))
	})
	if seg < 0 {
		return Snap{}, false
	}
	e, _ := rs.edgeIn(g, seg)
	return snapAt(g, e, rs.pv[seg].v, t, d), true
}

// withinIn is g's Snapper.Within.
func (rs *Segments) withinIn(g *Graph, p orb.Point, radius float64, fn func(e int32, s, d float64) bool) {
	rs.sn.idx.Within(p, radius, func(i int32) float64 {
		d, _ := geo.SegmentPoint(p, rs.sn.segs[i].a, rs.sn.segs[i].b)
		return d
	}, func(i int32, d float64) bool {
		e, ok := rs.edgeIn(g, i)
		if !ok {
			return true
		}
		at, a, b := along(g, e, rs.pv[i].v)
		_, t := geo.SegmentPoint(p, a, b)
		return fn(e, at+t*geo.Dist(a, b), d)
	})
}

// along returns how far along edge e the segment starting at vertex v of
// its line starts, and the segment's ends. It is summed vertex by vertex
// from the edge's start, as NewSnapper sums it.
func along(g *Graph, e, v int32) (at float64, a, b orb.Point) {
	ed := &g.Edges[e]
	l := Lines(g.roads.Metric[ed.Road])[ed.Part]
	for k := ed.V0 + 1; k <= v; k++ {
		at += geo.Dist(l[k-1], l[k])
	}
	return at, l[v], l[v+1]
}

// snapAt is the snap t of the way along the segment starting at vertex v of
// edge e's line, dist metres from what was snapped.
func snapAt(g *Graph, e, v int32, t, dist float64) Snap {
	at, a, b := along(g, e, v)
	sp := Snap{Edge: e, S: at + t*geo.Dist(a, b), Dist: dist, Point: geo.Lerp(a, b, t)}
	if sp.S > g.Edges[e].Length {
		sp.S = g.Edges[e].Length
	}
	return sp
}

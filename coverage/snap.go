package coverage

import (
	"math"

	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Snapper finds the nearest passable road point with an R-tree of the
// graph's edge segments.
type Snapper struct {
	g    *Graph
	idx  geo.Index
	segs []segRef
}

type segRef struct {
	edge int32
	at   float64 // metres from the edge's From node to the segment's start
	a, b orb.Point
}

// Snap is a point on the graph: Edge, S metres from its From node, Dist
// metres from the point snapped.
type Snap struct {
	Edge  int32
	S     float64
	Dist  float64
	Point orb.Point
}

// NewSnapper indexes every segment of every edge.
func NewSnapper(g *Graph) *Snapper {
	sn := &Snapper{g: g}
	for e := range g.Edges {
		l := g.EdgeLine(int32(e))
		at := 0.0
		for v := 1; v < len(l); v++ {
			d := geo.Dist(l[v-1], l[v])
			if d > 0 {
				sn.idx.Insert(int32(len(sn.segs)), orb.Bound{Min: l[v-1], Max: l[v-1]}.Extend(l[v]))
				sn.segs = append(sn.segs, segRef{edge: int32(e), at: at, a: l[v-1], b: l[v]})
			}
			at += d
		}
	}
	return sn
}

// Nearest returns the nearest road point to p within max metres. It
// searches a box around p that doubles until it holds a segment no farther
// than its half-width, which is then the nearest: cheaper than a best-first
// walk when, as here, most queries find a road within tens of metres.
func (sn *Snapper) Nearest(p orb.Point, max float64) (Snap, bool) {
	best, bestD := int32(-1), math.Inf(1)
	for r := math.Min(64, max); ; r = math.Min(2*r, max) {
		sn.idx.Search(orb.Bound{Min: orb.Point{p[0] - r, p[1] - r}, Max: orb.Point{p[0] + r, p[1] + r}}, func(i int32) bool {
			if d, _ := geo.SegmentPoint(p, sn.segs[i].a, sn.segs[i].b); d < bestD || d == bestD && i < best {
				best, bestD = i, d
			}
			return true
		})
		if bestD <= r || r >= max {
			break
		}
	}
	if best < 0 || bestD > max {
		return Snap{}, false
	}
	s := sn.segs[best]
	_, t := geo.SegmentPoint(p, s.a, s.b)
	snap := Snap{Edge: s.edge, S: s.at + t*geo.Dist(s.a, s.b), Dist: bestD, Point: geo.Lerp(s.a, s.b, t)}
	if l := sn.g.Edges[s.edge].Length; snap.S > l { // float rounding at the far end
		snap.S = l
	}
	return snap, true
}

package network

import (
	"math"

	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Snapper finds the nearest passable road point: with an R-tree of the
// graph's edge segments, or through the roads' Segments (see
// Segments.Snapper).
type Snapper struct {
	g    *Graph
	idx  geo.Index
	segs []segRef
	on   *Segments // set: the graph's segments are found among these
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
	n := 0
	for e := range g.Edges {
		n += int(g.Edges[e].V1 - g.Edges[e].V0)
	}
	sn := &Snapper{g: g, segs: make([]segRef, 0, n)}
	for e := range g.Edges {
		sn.addLine(int32(e), g.EdgeLine(int32(e)), nil)
	}
	return sn
}

// addLine indexes the segments of line l as edge id's, zero-length ones
// left out, each with its distance from l's start; added, if not nil, is
// told the vertex each segment starts at.
func (sn *Snapper) addLine(id int32, l orb.LineString, added func(v int)) {
	at := 0.0
	for v := 1; v < len(l); v++ {
		d := geo.Dist(l[v-1], l[v])
		if d > 0 {
			sn.idx.Insert(int32(len(sn.segs)), orb.Bound{Min: l[v-1], Max: l[v-1]}.Extend(l[v]))
			sn.segs = append(sn.segs, segRef{edge: id, at: at, a: l[v-1], b: l[v]})
			if added != nil {
				added(v - 1)
			}
		}
		at += d
	}
}

// Nearest returns the nearest road point to p within max metres.
func (sn *Snapper) Nearest(p orb.Point, max float64) (Snap, bool) {
	return sn.NearestToWhere(p, max, nil)
}

// nearestSeg returns the segment nearest p within max (-1 for none) and its
// distance, among the segments keep accepts (all if keep is nil). It searches a
// box around p that doubles until it holds a segment no farther than its
// half-width, which is then the nearest: cheaper than a best-first walk
// when, as here, most queries find a road within tens of metres.
func (sn *Snapper) nearestSeg(p orb.Point, max float64, keep func(seg int32) bool) (int32, float64) {
	best, bestD := int32(-1), math.Inf(1)
	for r := math.Min(64, max); ; r = math.Min(2*r, max) {
		sn.idx.Search(orb.Bound{Min: orb.Point{p[0] - r, p[1] - r}, Max: orb.Point{p[0] + r, p[1] + r}}, func(i int32) bool {
			if d, _ := geo.SegmentPoint(p, sn.segs[i].a, sn.segs[i].b); (d < bestD || d == bestD && i < best) && (keep == nil || keep(i)) {
				best, bestD = i, d
			}
			return true
		})
		if bestD <= r || r >= max {
			break
		}
	}
	if bestD > max {
		return -1, bestD
	}
	return best, bestD
}

func (sn *Snapper) snap(seg int32, t, dist float64) Snap {
	s := sn.segs[seg]
	snap := Snap{Edge: s.edge, S: s.at + t*geo.Dist(s.a, s.b), Dist: dist, Point: geo.Lerp(s.a, s.b, t)}
	if l := sn.g.Edges[s.edge].Length; snap.S > l { // float rounding at the far end
		snap.S = l
	}
	return snap
}

// NearestTo returns the road point nearest to g (a point, or a building's
// outline: the road point nearest its wall) within max metres; Dist is then
// the distance from that road point to g.
func (sn *Snapper) NearestTo(g orb.Geometry, max float64) (Snap, bool) {
	return sn.NearestToWhere(g, max, nil)
}

// NearestToWhere is NearestTo among the edges keep accepts (all if keep is
// nil).
func (sn *Snapper) NearestToWhere(g orb.Geometry, max float64, keep func(edge int32) bool) (Snap, bool) {
	if sn.on != nil {
		return sn.on.nearestIn(sn.g, g, max, keep)
	}
	var k func(int32) bool
	if keep != nil {
		k = func(i int32) bool { return keep(sn.segs[i].edge) }
	}
	seg, d, t := sn.nearestTo(g, max, k)
	if seg < 0 {
		return Snap{}, false
	}
	return sn.snap(seg, t, d), true
}

// nearestTo returns the segment nearest g among the segments keep accepts
// (-1 for none within max), its distance and the position on it. Of
// segments as near, the first is taken. The segment nearest g's centre
// bounds the answer; only segments whose boxes come closer are measured.
func (sn *Snapper) nearestTo(g orb.Geometry, max float64, keep func(seg int32) bool) (int32, float64, float64) {
	if p, ok := g.(orb.Point); ok {
		best, bestD := sn.nearestSeg(p, max, keep)
		if best < 0 {
			return -1, 0, 0
		}
		_, t := geo.SegmentPoint(p, sn.segs[best].a, sn.segs[best].b)
		return best, bestD, t
	}
	gb := g.Bound()
	c := gb.Center()
	// No road within max of g lies farther than max + half the box's
	// diagonal from its centre.
	first, _ := sn.nearestSeg(c, max+geo.Dist(c, gb.Max), keep)
	if first < 0 {
		return -1, 0, 0
	}
	best := first
	bestD, bestT := geo.SegmentGeometry(sn.segs[first].a, sn.segs[first].b, g)
	sn.idx.Search(gb.Pad(bestD), func(i int32) bool {
		s := &sn.segs[i]
		if i == first || boxGap(orb.Bound{Min: s.a, Max: s.a}.Extend(s.b), gb) > bestD || keep != nil && !keep(i) {
			return true
		}
		if d, t := geo.SegmentGeometry(s.a, s.b, g); d < bestD || d == bestD && i < best {
			best, bestD, bestT = i, d, t
		}
		return true
	})
	if bestD > max {
		return -1, 0, 0
	}
	return best, bestD, bestT
}

func boxGap(a, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0]))
	dy := math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1]))
	return math.Hypot(dx, dy)
}

// Segment is a road segment of a graph: on Edge, starting At metres from
// its From node, from A to B.
type Segment struct {
	Edge int32
	At   float64
	A, B orb.Point
}

// Near appends to buf the segments whose box meets b, and may append a few
// whose box misses it by less than a float32 step (see geo.Index.Search).
// Many searches within one box's reach read them instead of the tree:
// SegmentsWithin answers as Within from them.
func (sn *Snapper) Near(buf []Segment, b orb.Bound) []Segment {
	if rs := sn.on; rs != nil {
		rs.sn.idx.Search(b, func(i int32) bool {
			if e, ok := rs.edgeIn(sn.g, i); ok {
				at, a, b := along(sn.g, e, rs.pv[i].v)
				buf = append(buf, Segment{e, at, a, b})
			}
			return true
		})
		return buf
	}
	sn.idx.Search(b, func(i int32) bool {
		sg := &sn.segs[i]
		buf = append(buf, Segment{sg.edge, sg.at, sg.a, sg.b})
		return true
	})
	return buf
}

// SegmentsWithin calls fn as Within(p, radius, fn) would, in the same
// order, reading segs, what Near found for a box holding p's within radius.
func SegmentsWithin(segs []Segment, p orb.Point, radius float64, fn func(e int32, s, d float64) bool) {
	for k := range segs {
		sg := &segs[k]
		d, t := geo.SegmentPoint(p, sg.A, sg.B)
		if d <= radius && !fn(sg.Edge, sg.At+t*geo.Dist(sg.A, sg.B), d) {
			return
		}
	}
}

// Within calls fn, in no particular order, for every road segment within radius of
// p with the point's nearest position on it: edge e, s metres along e, d
// metres away. It stops when fn returns false.
func (sn *Snapper) Within(p orb.Point, radius float64, fn func(e int32, s, d float64) bool) {
	if sn.on != nil {
		sn.on.withinIn(sn.g, p, radius, fn)
		return
	}
	sn.idx.Within(p, radius, func(i int32) float64 {
		d, _ := geo.SegmentPoint(p, sn.segs[i].a, sn.segs[i].b)
		return d
	}, func(i int32, d float64) bool {
		sg := &sn.segs[i]
		_, t := geo.SegmentPoint(p, sg.a, sg.b)
		return fn(sg.edge, sg.at+t*geo.Dist(sg.a, sg.b), d)
	})
}

package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// SegmentPoint returns the distance from p to segment ab and the fraction t
// in [0,1] of the closest point along ab.
func SegmentPoint(p, a, b orb.Point) (dist, t float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t = ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
		t = math.Max(0, math.Min(1, t))
	}
	x, y := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return math.Sqrt(x*x + y*y), t
}

// Dist returns the euclidean distance between two planar points. (Sqrt,
// not Hypot: metres in a county neither overflow nor underflow, and Hypot
// costs several times more on these hot paths.)
func Dist(a, b orb.Point) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return math.Sqrt(dx*dx + dy*dy)
}

// Lerp returns the point at fraction t along ab.
func Lerp(a, b orb.Point, t float64) orb.Point {
	return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}

// SegmentSegment returns the least distance between segments ab and cd
// (zero when they cross).
func SegmentSegment(a, b, c, d orb.Point) float64 {
	if segmentsCross(a, b, c, d) {
		return 0
	}
	d1, _ := SegmentPoint(a, c, d)
	d2, _ := SegmentPoint(b, c, d)
	d3, _ := SegmentPoint(c, a, b)
	d4, _ := SegmentPoint(d, a, b)
	return math.Min(math.Min(d1, d2), math.Min(d3, d4))
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func segmentsCross(a, b, c, d orb.Point) bool {
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))
}

// segments calls fn for every segment of a linear or areal geometry.
func segments(g orb.Geometry, fn func(a, b orb.Point)) {
	line := func(ps []orb.Point) {
		for i := 1; i < len(ps); i++ {
			fn(ps[i-1], ps[i])
		}
	}
	switch g := g.(type) {
	case orb.LineString:
		line(g)
	case orb.MultiLineString:
		for _, l := range g {
			line(l)
		}
	case orb.Ring:
		line(g)
	case orb.Polygon:
		for _, r := range g {
			line(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				line(r)
			}
		}
	}
}

// vertices returns the points of g.
func vertices(g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return []orb.Point{g}
	case orb.MultiPoint:
		return g
	}
	var out []orb.Point
	segments(g, func(a, _ orb.Point) { out = append(out, a) })
	return out
}

func areal(g orb.Geometry) bool {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon, orb.Ring:
		return true
	}
	return false
}

func contains(g orb.Geometry, p orb.Point) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.PolygonContains(g, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(g, p)
	case orb.Ring:
		return planar.RingContains(g, p)
	}
	return false
}

// PointDistance returns the planar distance from p to g: zero inside a polygon,
// otherwise the distance to the nearest vertex or edge.
func PointDistance(p orb.Point, g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Point:
		return Dist(p, g)
	case orb.MultiPoint:
		best := math.Inf(1)
		for _, q := range g {
			best = math.Min(best, Dist(p, q))
		}
		return best
	}
	if areal(g) && contains(g, p) {
		return 0
	}
	best := math.Inf(1)
	segments(g, func(a, b orb.Point) {
		d, _ := SegmentPoint(p, a, b)
		best = math.Min(best, d)
	})
	return best
}

// Distance returns the least planar distance between two geometries, zero
// when they touch, cross or one holds the other (as PostGIS ST_Distance).
func Distance(a, b orb.Geometry) float64 {
	va, vb := vertices(a), vertices(b)
	if len(va) == 0 || len(vb) == 0 {
		return math.Inf(1)
	}
	if _, ok := a.(orb.Point); ok {
		return PointDistance(a.(orb.Point), b)
	}
	if _, ok := b.(orb.Point); ok {
		return PointDistance(b.(orb.Point), a)
	}
	if areal(a) && contains(a, vb[0]) || areal(b) && contains(b, va[0]) {
		return 0
	}
	best := math.Inf(1)
	bb := b.Bound()
	segments(a, func(p, q orb.Point) {
		if best == 0 {
			return
		}
		// Box test before the exact segment distance.
		sb := orb.Bound{Min: p, Max: p}.Extend(q)
		if BoxGap(sb, bb) > best {
			return
		}
		segments(b, func(r, s orb.Point) {
			if d := SegmentSegment(p, q, r, s); d < best {
				best = d
			}
		})
	})
	if best == math.Inf(1) { // point sets on one side
		for _, p := range va {
			best = math.Min(best, PointDistance(p, b))
		}
	}
	return best
}

// BoxGap returns the distance between two bounds (zero when they overlap).
func BoxGap(a, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0]))
	dy := math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1]))
	return math.Hypot(dx, dy)
}

// Length returns the planar length of a linear geometry.
func Length(g orb.Geometry) float64 {
	var l float64
	segments(g, func(a, b orb.Point) { l += Dist(a, b) })
	return l
}

// Within tells whether a and b come within d of each other (as PostGIS
// ST_DWithin), stopping at the first close pair of segments. Cheaper than
// Distance when only the answer matters.
func Within(a, b orb.Geometry, d float64) bool {
	pa, aok := a.(orb.Point)
	pb, bok := b.(orb.Point)
	switch {
	case aok && bok:
		return Dist(pa, pb) <= d
	case aok:
		return PointDistance(pa, b) <= d
	case bok:
		return PointDistance(pb, a) <= d
	}
	if pa, ok := a.(orb.Polygon); ok && len(pa) == 1 {
		if pb, ok := b.(orb.Polygon); ok && len(pb) == 1 {
			return ringsWithin(pa[0], pb[0], d)
		}
	}
	ab, bb := a.Bound(), b.Bound()
	if BoxGap(ab, bb) > d {
		return false
	}
	found := false
	segments(a, func(p, q orb.Point) {
		if found || BoxGap(orb.Bound{Min: p, Max: p}.Extend(q), bb) > d {
			return
		}
		segments(b, func(r, s orb.Point) {
			if !found && SegmentSegment(p, q, r, s) <= d {
				found = true
			}
		})
	})
	if found {
		return true
	}
	// No boundaries within d: one may still lie inside the other.
	if ab.Intersects(bb) {
		return areal(b) && contains(b, firstPoint(a)) || areal(a) && contains(a, firstPoint(b))
	}
	return false
}

func firstPoint(g orb.Geometry) orb.Point {
	var p orb.Point
	got := false
	segments(g, func(a, _ orb.Point) {
		if !got {
			p, got = a, true
		}
	})
	return p
}

// ringsWithin is Within for two polygons without holes: plain loops and
// squared distances, for the cluster search's hot path.
func ringsWithin(a, b orb.Ring, d float64) bool {
	d2 := d * d
	// Corners first: neighbouring houses usually have a pair within d.
	for _, p := range a {
		for _, q := range b {
			if dx, dy := p[0]-q[0], p[1]-q[1]; dx*dx+dy*dy <= d2 {
				return true
			}
		}
	}
	for i := 1; i < len(a); i++ {
		p, q := a[i-1], a[i]
		for j := 1; j < len(b); j++ {
			r, s := b[j-1], b[j]
			if segSeg2(p, q, r, s) <= d2 {
				return true
			}
		}
	}
	// Apart by more than d on every edge: inside each other, or apart.
	return len(a) > 0 && len(b) > 0 && (planar.RingContains(b, a[0]) || planar.RingContains(a, b[0]))
}

// segSeg2 is the squared least distance between segments pq and rs.
func segSeg2(p, q, r, s orb.Point) float64 {
	if segmentsCross(p, q, r, s) {
		return 0
	}
	return min(pointSeg2(p, r, s), pointSeg2(q, r, s), pointSeg2(r, p, q), pointSeg2(s, p, q))
}

func pointSeg2(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	x, y := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return x*x + y*y
}

// SegmentGeometry returns the least distance from segment ab to g and the
// fraction t along ab of the segment's point nearest g. Between a segment
// and a polygon's edges the least distance falls at an end of one of them,
// so ab's ends and g's vertices projected onto ab are the candidates; a
// segment that enters a polygon is at distance 0 where it does. Where a
// wall runs parallel to ab (to a millimetre), all its length is nearest: t
// is its middle.
func SegmentGeometry(a, b orb.Point, g orb.Geometry) (dist, t float64) {
	if p, ok := g.(orb.Point); ok {
		return SegmentPoint(p, a, b)
	}
	const tie = 1e-3 // metres: walls parallel but for projection rounding
	lo, hi := 0.0, 0.0
	dist = math.Inf(1)
	consider := func(d, s float64) {
		switch {
		case d < dist-tie:
			dist, lo, hi = d, s, s
		case d <= dist+tie:
			dist, lo, hi = math.Min(dist, d), math.Min(lo, s), math.Max(hi, s)
		}
	}
	// Only a segment whose box meets g's can cross or lie inside it.
	inside := orb.Bound{Min: a, Max: a}.Extend(b).Intersects(g.Bound())
	crossed, crossT := false, 0.0
	segments(g, func(p, q orb.Point) {
		consider(SegmentPoint(p, a, b))
		da, _ := SegmentPoint(a, p, q)
		consider(da, 0)
		db, _ := SegmentPoint(b, p, q)
		consider(db, 1)
		if inside && !crossed && segmentsCross(a, b, p, q) {
			crossed, crossT = true, crossAt(a, b, p, q)
		}
	})
	switch {
	case crossed:
		return 0, crossT
	case inside && areal(g) && contains(g, a):
		return 0, 0
	case hi > lo: // the middle of a parallel wall: its own distance, within tie of the least
		t = (lo + hi) / 2
		return PointDistance(Lerp(a, b, t), g), t
	}
	return dist, lo
}

// crossAt returns the fraction along ab where it crosses pq.
func crossAt(a, b, p, q orb.Point) float64 {
	den := (b[0]-a[0])*(q[1]-p[1]) - (b[1]-a[1])*(q[0]-p[0])
	if den == 0 {
		return 0
	}
	return ((p[0]-a[0])*(q[1]-p[1]) - (p[1]-a[1])*(q[0]-p[0])) / den
}

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
	return math.Hypot(x, y), t
}

// Dist returns the euclidean distance between two planar points.
func Dist(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

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
		if boxGap(sb, bb) > best {
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

// boxGap returns the distance between two bounds (zero when they overlap).
func boxGap(a, b orb.Bound) float64 {
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

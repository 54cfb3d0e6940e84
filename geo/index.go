package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Index is an R-tree of items identified by int32 (a position in the
// caller's slice). It stores boxes only; callers supply the exact distance,
// so the same index serves points, lines and polygons.
type Index struct {
	tr rtree.RTreeGN[float64, int32]
}

// Insert adds item i with bound b.
func (x *Index) Insert(i int32, b orb.Bound) {
	x.tr.Insert([2]float64(b.Min), [2]float64(b.Max), i)
}

// Len returns the number of items.
func (x *Index) Len() int { return x.tr.Len() }

// Search calls fn for every item whose box meets b until fn returns false.
func (x *Index) Search(b orb.Bound, fn func(i int32) bool) {
	x.tr.Search([2]float64(b.Min), [2]float64(b.Max), func(_, _ [2]float64, i int32) bool {
		return fn(i)
	})
}

// Within calls fn for every item within r of p by the exact distance dist,
// in no particular order, until fn returns false.
func (x *Index) Within(p orb.Point, r float64, dist func(i int32) float64, fn func(i int32, d float64) bool) {
	x.tr.Search([2]float64{p[0] - r, p[1] - r}, [2]float64{p[0] + r, p[1] + r}, func(_, _ [2]float64, i int32) bool {
		if d := dist(i); d <= r {
			return fn(i, d)
		}
		return true
	})
}

// Hit is one item of a nearest-neighbour answer.
type Hit struct {
	Item int32
	Dist float64
}

// Nearest returns up to k items nearest to p by the exact distance dist,
// nearest first, ignoring items farther than maxDist (use math.Inf(1) for no
// limit). Box distances bound the exact ones from below, so the order is exact.
func (x *Index) Nearest(p orb.Point, k int, maxDist float64, dist func(i int32) float64) []Hit {
	var out []Hit
	x.NearestFunc(p, maxDist, dist, func(i int32, d float64) bool {
		out = append(out, Hit{i, d})
		return len(out) < k
	})
	return out
}

// NearestFunc calls fn with items in increasing exact distance from p, up to
// maxDist, until fn returns false.
func (x *Index) NearestFunc(p orb.Point, maxDist float64, dist func(i int32) float64, fn func(i int32, d float64) bool) {
	x.tr.Nearby(func(min, max [2]float64, i int32, item bool) float64 {
		if item {
			return dist(i)
		}
		dx := math.Max(0, math.Max(min[0]-p[0], p[0]-max[0]))
		dy := math.Max(0, math.Max(min[1]-p[1], p[1]-max[1]))
		return math.Hypot(dx, dy)
	}, func(_, _ [2]float64, i int32, d float64) bool {
		if d > maxDist {
			return false
		}
		return fn(i, d)
	})
}

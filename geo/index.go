package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Index is an R-tree of items identified by int32 (a position in the
// caller's slice). It stores boxes only; callers supply the exact distance,
// so the same index serves points, lines and polygons.
//
// Boxes are kept as float32 offsets from an origin, the first inserted box's
// corner, which halves the tree's nodes; a stored box is rounded outward so
// it always contains the true one. Search may therefore also report items
// whose box misses b by less than a float32 step of the offset (about 3 cm at
// 500 km from the origin); Within and Nearest are exact.
type Index struct {
	origin orb.Point
	tr     rtree.RTreeGN[float32, int32]
}

// Insert adds item i with bound b.
func (x *Index) Insert(i int32, b orb.Bound) {
	if x.tr.Len() == 0 {
		x.origin = b.Min
	}
	min, max := x.box(b)
	x.tr.Insert(min, max, i)
}

// box returns b as offsets from the origin, rounded outward.
func (x *Index) box(b orb.Bound) (min, max [2]float32) {
	for k := 0; k < 2; k++ {
		min[k] = down(b.Min[k], x.origin[k])
		max[k] = up(b.Max[k], x.origin[k])
	}
	return min, max
}

// down returns a float32 f with float64(f)+o <= v, the sum by which a
// query turns the offset back into a coordinate, and v <= that sum for the
// float32 after f: stepping down from the nearest float32 stops at the first
// at most v. SearchExact relies on both.
func down(v, o float64) float32 {
	f := float32(v - o)
	for float64(f)+o > v {
		f = math.Nextafter32(f, float32(math.Inf(-1)))
	}
	return f
}

// up returns a float32 f with float64(f)+o >= v, and v >= that sum for the
// float32 before f.
func up(v, o float64) float32 { return -down(-v, -o) }

// Len returns the number of items.
func (x *Index) Len() int { return x.tr.Len() }

// Search calls fn for every item whose box meets b until fn returns false.
// It may also call fn for an item whose box misses b by less than a float32
// step (see Index); callers needing exact meets re-check the item's bound.
func (x *Index) Search(b orb.Bound, fn func(i int32) bool) {
	min, max := x.box(b)
	x.tr.Search(min, max, func(_, _ [2]float32, i int32) bool {
		return fn(i)
	})
}

// SearchExact calls fn for every item whose true box, bound(i), meets b
// until fn returns false. bound is called only for the few items whose
// stored box meets b within a float32 step of its edges.
func (x *Index) SearchExact(b orb.Bound, bound func(i int32) orb.Bound, fn func(i int32) bool) {
	min, max := x.box(b)
	x.tr.Search(min, max, func(smin, smax [2]float32, i int32) bool {
		if !(Box32{smin, smax}).Meets(b, x.origin, func() orb.Bound { return bound(i) }) {
			return true
		}
		return fn(i)
	})
}

// Box32 is a bound as float32 offsets from an origin, rounded outward: half
// the bytes of an orb.Bound, and a sure test of most intersections.
type Box32 struct{ Min, Max [2]float32 }

// NewBox32 returns b as offsets from o, rounded outward.
func NewBox32(b orb.Bound, o orb.Point) Box32 {
	var x Box32
	for k := 0; k < 2; k++ {
		x.Min[k], x.Max[k] = down(b.Min[k], o[k]), up(b.Max[k], o[k])
	}
	return x
}

// Meets tells whether the bound x was made from (with origin o) meets q,
// from the float32s where they tell and from exact() where they cannot.
func (x Box32) Meets(q orb.Bound, o orb.Point, exact func() orb.Bound) bool {
	for k := 0; k < 2; k++ {
		if float64(x.Min[k])+o[k] > q.Max[k] || float64(x.Max[k])+o[k] < q.Min[k] {
			return false // the stored box holds the true one
		}
	}
	// The true box starts at or below the float32 after its stored min
	// and ends at or above the one before its stored max (see down).
	for k := 0; k < 2; k++ {
		if float64(math.Nextafter32(x.Min[k], float32(math.Inf(1))))+o[k] > q.Max[k] ||
			float64(math.Nextafter32(x.Max[k], float32(math.Inf(-1))))+o[k] < q.Min[k] {
			return exact().Intersects(q)
		}
	}
	return true
}

// Within calls fn for every item within r of p by the exact distance dist,
// in no particular order, until fn returns false.
func (x *Index) Within(p orb.Point, r float64, dist func(i int32) float64, fn func(i int32, d float64) bool) {
	min, max := x.box(orb.Bound{Min: orb.Point{p[0] - r, p[1] - r}, Max: orb.Point{p[0] + r, p[1] + r}})
	x.tr.Search(min, max, func(_, _ [2]float32, i int32) bool {
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
	o := x.origin
	x.tr.Nearby(func(min, max [2]float32, i int32, item bool) float64 {
		if item {
			return dist(i)
		}
		// The stored box contains the true ones beneath it, so this is a
		// lower bound of their distances.
		dx := math.Max(0, math.Max(float64(min[0])+o[0]-p[0], p[0]-(float64(max[0])+o[0])))
		dy := math.Max(0, math.Max(float64(min[1])+o[1]-p[1], p[1]-(float64(max[1])+o[1])))
		return math.Hypot(dx, dy)
	}, func(_, _ [2]float32, i int32, d float64) bool {
		if d > maxDist {
			return false
		}
		return fn(i, d)
	})
}

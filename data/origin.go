package data

import (
	"slices"

	"fireplan/geo"

	"github.com/paulmach/orb"
)

// origin returns the projection origin: the median longitude and the
// median latitude of the roads' vertices, or of the buildings' without
// roads, or of every layer's vertices. A median follows the bulk of the
// data; a bound's centre moves with one stray point (a hydrant at 0,0),
// and with it every length in the plane.
func (set *Set) origin() orb.Point {
	var lons, lats []float64
	add := func(p orb.Point) {
		lons = append(lons, p[0])
		lats = append(lats, p[1])
	}
	vertices(set.Roads, add)
	if len(lons) == 0 {
		vertices(set.Buildings, add)
	}
	if len(lons) == 0 {
		vertices(set.Hydrants, add)
		vertices(set.Stations, add)
		vertices(set.Villages, add)
		vertices(set.Districts, add)
		vertices(set.FireLanes, add)
		vertices(set.Townships, add)
		vertices(set.Builtup, add)
	}
	if len(lons) == 0 {
		return orb.Point{}
	}
	return orb.Point{median(lons), median(lats)}
}

func vertices[T Feature](items []T, fn func(orb.Point)) {
	for _, it := range items {
		eachPoint(it.Geometry(), fn)
	}
}

// median returns the upper median of xs, reordering xs.
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// dropFar skips the items with a vertex farther than maxM metres from
// origin, reporting each with its farthest vertex and distance.
func dropFar[T Feature](items []T, origin orb.Point, maxM float64, lr *LayerReport) []T {
	r := geo.NewReach(origin, maxM)
	kept := items[:0]
	for _, it := range items {
		var far orb.Point
		var dist float64
		eachPoint(it.Geometry(), func(p orb.Point) {
			if d, beyond := r.Beyond(p); beyond && d > dist {
				far, dist = p, d
			}
		})
		if dist == 0 {
			kept = append(kept, it)
			continue
		}
		lr.skip(it.FeatureID(), rowErr(ReasonBadCoordinate, "coordinate (%g %g) is %.1f km from the data's centre (%.5f %.5f), beyond the %g km limit",
			far[0], far[1], dist/1000, origin[0], origin[1], maxM/1000))
		lr.Loaded--
	}
	return kept
}

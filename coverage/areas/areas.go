// Package areas places buildings in the areas that hold them: township,
// village, old district and built-up area. Every analysis that reports per
// area reads one Membership per snapshot.
package areas

import (
	"fireplan/data"
	"fireplan/geo"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Membership places every building in its township, village, district and
// built-up area (by centroid; -1 for none).
type Membership struct {
	Township, Village, District, Builtup []int32
	Centroid                             []orb.Point // metres
}

// Centroid returns the planar centroid of a metric geometry.
func Centroid(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.Polygon, orb.MultiPolygon:
		c, _ := planar.CentroidArea(g)
		return c
	}
	return g.Bound().Center()
}

// New assigns buildings to the areas holding their centroids.
func New(s *data.Snapshot) *Membership {
	n := s.Buildings.Len()
	m := &Membership{Township: make([]int32, n), Village: make([]int32, n), District: make([]int32, n), Builtup: make([]int32, n),
		Centroid: make([]orb.Point, n)}
	for i, g := range s.Buildings.Metric {
		c := Centroid(g)
		m.Centroid[i] = c
		m.Township[i] = Containing(&s.Townships.MIndex, s.Townships.Metric, c)
		m.Village[i] = Containing(&s.Villages.MIndex, s.Villages.Metric, c)
		m.District[i] = Containing(&s.Districts.MIndex, s.Districts.Metric, c)
		m.Builtup[i] = Containing(&s.Builtup.MIndex, s.Builtup.Metric, c)
	}
	return m
}

// Containing returns the polygon of polys (indexed by idx) that holds p, or -1.
func Containing(idx *geo.Index, polys []orb.Geometry, p orb.Point) int32 {
	found := int32(-1)
	idx.Search(orb.Bound{Min: p, Max: p}, func(i int32) bool {
		if geo.PointDistance(p, polys[i]) == 0 {
			found = i
			return false
		}
		return true
	})
	return found
}

// Share returns part/whole rounded to four places (0 when whole is 0).
func Share(part, whole float64) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(part/whole*10000) / 10000
}

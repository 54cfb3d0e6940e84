package clusters

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestHull(t *testing.T) {
	for _, tc := range []struct {
		name string
		ps   []orb.Point
		area float64
	}{
		{"square with inner and edge points", []orb.Point{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {5, 5}, {5, 0}, {10, 10}}, 100},
		{"triangle", []orb.Point{{0, 0}, {4, 0}, {0, 3}}, 6},
		{"two points: a 5 m box", []orb.Point{{0, 0}, {2, 0}}, 12 * 10},
		{"collinear: a 5 m box", []orb.Point{{0, 0}, {1, 1}, {2, 2}}, 12 * 12},
		{"one point: a 5 m box", []orb.Point{{3, 3}}, 100},
	} {
		h := hull(append([]orb.Point(nil), tc.ps...))
		r := h[0]
		if !r.Closed() {
			t.Errorf("%s: ring not closed: %v", tc.name, r)
		}
		if a := planar.Area(h); math.Abs(a-tc.area) > 1e-9 {
			t.Errorf("%s: area %g, want %g", tc.name, a, tc.area)
		}
		if r.Orientation() != orb.CCW {
			t.Errorf("%s: ring not counter-clockwise", tc.name)
		}
		for _, p := range tc.ps {
			if !planar.PolygonContains(h, p) && planar.DistanceFrom(h, p) > 1e-9 {
				t.Errorf("%s: %v outside the hull", tc.name, p)
			}
		}
	}
}

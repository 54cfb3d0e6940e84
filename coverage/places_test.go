package coverage

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestLabelPointLiesOnItsPlace(t *testing.T) {
	// An L whose centroid (about 3.3, 3.3) lies in the notch, outside it.
	ell := orb.Polygon{{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}}
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		want orb.Point // checked exactly unless inside is set
		in   orb.Polygon
	}{
		{name: "a point is itself", g: orb.Point{3, 4}, want: orb.Point{3, 4}},
		{name: "a line's point at half its length", g: orb.LineString{{0, 0}, {10, 0}, {10, 30}}, want: orb.Point{10, 10}},
		{name: "lines together", g: orb.MultiLineString{{{0, 0}, {4, 0}}, {{0, 5}, {0, 9}}}, want: orb.Point{4, 0}},
		{name: "a square's centroid", g: orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}, want: orb.Point{2, 2}},
		{name: "an L inside the L", g: ell, in: ell},
		{name: "the largest part", g: orb.MultiPolygon{{{{50, 50}, {51, 50}, {51, 51}, {50, 50}}}, ell}, in: ell},
		{name: "the member nearest the middle", g: orb.MultiPoint{{0, 0}, {5, 6}, {10, 10}}, want: orb.Point{5, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := LabelPoint(tc.g)
			if tc.in != nil {
				if !planar.PolygonContains(tc.in, got) {
					t.Errorf("%v lies outside", got)
				}
				return
			}
			if got != tc.want {
				t.Errorf("%v, want %v", got, tc.want)
			}
		})
	}
}

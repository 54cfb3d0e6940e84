package geo

import (
	"cmp"
	"math/rand"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/xy"
)

// TestConvexHullFilterKeepsTheHull compares ConvexHull with go-geom's hull
// of every point, unfiltered.
func TestConvexHullFilterKeepsTheHull(t *testing.T) {
	rng := rand.New(rand.NewSource(seed(t)))
	grid := func(nx, ny int) []orb.Point { // in rows, as buildings come
		var ps []orb.Point
		for j := 0; j < ny; j++ {
			for i := 0; i < nx; i++ {
				ps = append(ps, orb.Point{float64(i) * 10, float64(j) * 7})
			}
		}
		return ps
	}
	for _, tc := range []struct {
		name string
		ps   []orb.Point
	}{
		{"random", randomPoints(rng, 500, 1000)},
		{"grid in rows", grid(40, 30)},
		{"disc", func() []orb.Point {
			var ps []orb.Point
			for _, p := range randomPoints(rng, 2000, 2) {
				if q := (orb.Point{p[0] - 1, p[1] - 1}); q[0]*q[0]+q[1]*q[1] <= 1 {
					ps = append(ps, q)
				}
			}
			return ps
		}()},
		{"repeated and collinear", []orb.Point{{0, 0}, {1, 1}, {2, 2}, {2, 2}, {0, 2}, {0, 0}, {1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ConvexHull(tc.ps)
			if !ok {
				t.Fatal("no hull")
			}
			flat := make([]float64, 0, 2*len(tc.ps))
			for _, p := range tc.ps {
				flat = append(flat, p[0], p[1])
			}
			c := xy.ConvexHullFlat(geom.XY, flat).(*geom.Polygon).LinearRing(0).FlatCoords()
			var want []orb.Point
			for i := 0; i+1 < len(c)-2; i += 2 { // the closing point once
				want = append(want, orb.Point{c[i], c[i+1]})
			}
			gotSet := slices.Clone([]orb.Point(got[:len(got)-1]))
			byXY := func(a, b orb.Point) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }
			slices.SortFunc(gotSet, byXY)
			slices.SortFunc(want, byXY)
			if !slices.Equal(gotSet, want) {
				t.Fatalf("hull vertices %v, go-geom unfiltered %v", gotSet, want)
			}
			if len(tc.ps) > 100 && len(want) < 4 {
				t.Fatalf("degenerate case: %d hull vertices", len(want))
			}
		})
	}
}

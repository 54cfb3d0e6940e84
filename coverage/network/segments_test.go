package network_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"

	"github.com/paulmach/orb"
)

// A truck graph's snapper through the roads' shared segments answers every
// question exactly as one indexing the graph's own segments: the nearest
// road to a building or a point, with and without a filter on edges, and
// every segment within a radius, at widths that leave out different roads.
func TestSharedSegmentsSnapAsTheGraphsOwn(t *testing.T) {
	ctx := context.Background()
	for _, c := range fixture.Counties() {
		s := c.Snap(t)
		rs, err := network.NewSegments(ctx, s.Roads)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []float64{2.5, 4, 7} {
			t.Run(fmt.Sprintf("%s/width=%g", c.Name, w), func(t *testing.T) {
				p := network.DefaultProfile()
				p.TruckWidthM = w
				g, err := network.Truck(ctx, s, p, nil)
				if err != nil {
					t.Fatal(err)
				}
				own, shared := network.NewSnapper(g), rs.Snapper(g)
				keep := func(e int32) bool { return e%3 != 0 }
				step := max(1, s.Buildings.Len()/3000)
				found := 0
				for i := 0; i < s.Buildings.Len(); i += step {
					b := s.Buildings.Metric[i]
					for _, max := range []float64{5, 150} {
						a, okA := own.NearestTo(b, max)
						z, okZ := shared.NearestTo(b, max)
						if a != z || okA != okZ {
							t.Fatalf("building %s within %g m: shared %+v %v, own %+v %v", s.Buildings.Items[i].ID, max, z, okZ, a, okA)
						}
						if okA {
							found++
						}
						a, okA = own.NearestToWhere(b, max, keep)
						z, okZ = shared.NearestToWhere(b, max, keep)
						if a != z || okA != okZ {
							t.Fatalf("building %s within %g m, filtered: shared %+v %v, own %+v %v", s.Buildings.Items[i].ID, max, z, okZ, a, okA)
						}
					}
					// A point beside the building, off any vertex.
					pt := b.Bound().Center()
					pt = orb.Point{pt[0] + 17.3, pt[1] - 9.1}
					a, okA := own.Nearest(pt, 400)
					z, okZ := shared.Nearest(pt, 400)
					if a != z || okA != okZ {
						t.Fatalf("point %v: shared %+v %v, own %+v %v", pt, z, okZ, a, okA)
					}
					if within(own, pt) != within(shared, pt) {
						t.Fatalf("point %v: within 60 m differs:\nshared %s\nown    %s", pt, within(shared, pt), within(own, pt))
					}
					// A run of points searches the tree once (Near), each then
					// reads what it found: the same hits in the same order.
					run := orb.Bound{Min: pt, Max: orb.Point{pt[0] + 31, pt[1] + 17}}
					for _, sn := range []*network.Snapper{own, shared} {
						segs := sn.Near(nil, run.Pad(60))
						for _, q := range []orb.Point{run.Min, run.Max, run.Center()} {
							if a, z := inOrder(sn.Within, q), inOrder(func(p orb.Point, r float64, fn func(e int32, s, d float64) bool) {
								network.SegmentsWithin(segs, p, r, fn)
							}, q); a != z {
								t.Fatalf("point %v: within 60 m, searched %s, read from the run's %s", q, a, z)
							}
						}
					}
				}
				if found == 0 {
					t.Fatal("no building near a road: nothing compared")
				}
			})
		}
	}
}

// inOrder lists, in the order given, what within reports within 60 m of p.
func inOrder(within func(p orb.Point, r float64, fn func(e int32, s, d float64) bool), p orb.Point) string {
	var hits []string
	within(p, 60, func(e int32, s, d float64) bool {
		hits = append(hits, fmt.Sprintf("%d@%x/%x", e, math.Float64bits(s), math.Float64bits(d)))
		return true
	})
	return fmt.Sprint(hits)
}

// within lists, sorted, what sn.Within reports within 60 m of p.
func within(sn *network.Snapper, p orb.Point) string {
	var hits []string
	sn.Within(p, 60, func(e int32, s, d float64) bool {
		hits = append(hits, fmt.Sprintf("%d@%x/%x", e, math.Float64bits(s), math.Float64bits(d)))
		return true
	})
	slices.Sort(hits)
	return fmt.Sprint(hits)
}

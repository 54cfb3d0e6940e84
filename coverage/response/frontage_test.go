package response_test

import (
	"context"
	"fmt"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
)

// TestFrontageFindsWhatSearchFinds: every building's arrival found from its
// frontage is the arrival a nearest-road search in the truck graph finds,
// to the edge and the metre, at truck widths that leave out different
// roads and at access limits that leave out far buildings.
func TestFrontageFindsWhatSearchFinds(t *testing.T) {
	ctx := context.Background()
	for _, c := range fixture.Counties() {
		s := c.Snap(t)
		m := areas.New(s)
		f, err := network.NewFrontage(ctx, s, nil, response.DefaultParams().Profile, response.MaxAccessM)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ width, access float64 }{{4, 150}, {2.5, 150}, {3.5, 40}, {7, 150}, {9, 5000}} {
			t.Run(fmt.Sprintf("%s/width=%g/access=%g", c.Name, tc.width, tc.access), func(t *testing.T) {
				p := response.DefaultParams()
				p.TruckWidthM, p.AccessMaxM = tc.width, tc.access
				g, err := network.Truck(ctx, s, p.Profile, nil)
				if err != nil {
					t.Fatal(err)
				}
				sn := network.NewSnapper(g)
				got, err := response.New(ctx, s, p, g, sn, m, f)
				if err != nil {
					t.Fatal(err)
				}
				want, err := response.New(ctx, s, p, g, sn, m, nil)
				if err != nil {
					t.Fatal(err)
				}
				reached, fromFrontage := 0, 0
				for i, w := range want.Buildings {
					if got.Buildings[i] != w {
						t.Fatalf("building %s: frontage gives %+v, search %+v", s.Buildings.Items[i].ID, got.Buildings[i], w)
					}
					if w.Reach == response.Reached {
						reached++
						if sp, ok := sn.On(f, i); ok && sp.Edge == w.Edge {
							fromFrontage++
						}
					}
				}
				t.Logf("%d of %d buildings reached, %d from their frontage", reached, len(want.Buildings), fromFrontage)
				if reached == 0 {
					t.Fatal("no building reached: nothing compared")
				}
			})
		}
	}
}

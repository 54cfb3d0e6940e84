package response_test

import (
	"math"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

func TestHandCheckedNetwork(t *testing.T) {
	n := fixture.NewTiny()
	res := 25 / 3.6  // residential, m/s
	prim := 40 / 3.6 // primary
	n.Road("A", "residential", 6, false, orb.Point{0, 0}, orb.Point{500, 0}, orb.Point{1000, 0})
	n.Road("B", "primary", 12, true, orb.Point{1000, 0}, orb.Point{2000, 0}) // one-way east
	n.Road("C", "residential", 3, false, orb.Point{2000, 0}, orb.Point{2000, 1000})
	n.Road("E", "residential", 6, false, orb.Point{2000, 0}, orb.Point{2500, 0})
	n.Road("F", "residential", 6, false, orb.Point{5000, 0}, orb.Point{5200, 0}) // cut off
	n.Station("S1", "urban1", orb.Point{0, 10}, nil)
	n.Station("S2", "volunteer", orb.Point{2500, 0}, nil)
	n.Building("on-B", orb.Point{1500, 20})
	n.Building("by-narrow-C", orb.Point{2010, 800})
	n.Building("on-F", orb.Point{5100, 10})
	n.Building("on-E", orb.Point{2300, -5})
	n.Building("mid-A", orb.Point{250, 30})

	r := n.Response(t, response.DefaultParams())
	if ex := r.Graph.Report.Excluded[network.ExcludedNarrow]; ex != 1 {
		t.Fatalf("narrow roads excluded: %d, want 1 (C)", ex)
	}
	if r.Graph.Report.Pieces != 2 {
		t.Fatalf("pieces %d, want 2 (the network and F)", r.Graph.Report.Pieces)
	}
	t0 := 60 + 10/res // turnout, then the 10 m snap leg driven
	for _, tc := range []struct {
		name    string
		b       int
		want    float64
		station string
		reach   response.Reach
	}{
		// Reached from S1 over A, then 500 m of one-way B, then 20 m on foot;
		// S2 is nearer but B forbids coming from the east.
		{"one-way", 0, t0 + 1000/res + 500/prim + 20, "S1", response.Reached},
		{"narrow road left out", 1, math.Inf(1), "", response.NoRoad},
		{"cut off", 2, math.Inf(1), "", response.NotConnected},
		// S2: volunteer turnout 180 s, 200 m of E, 5 m on foot; S1 would need 60+1.4+144+90+29+5.
		{"volunteer turnout", 3, 180 + 200/res + 5, "S2", response.Reached},
		{"partial edge", 4, t0 + 250/res + 30, "S1", response.Reached},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := r.Buildings[tc.b]
			if a.Reach != tc.reach {
				t.Fatalf("reach %v, want %v", a.Reach, tc.reach)
			}
			if math.IsInf(tc.want, 1) != math.IsInf(a.T, 1) || !math.IsInf(a.T, 1) && math.Abs(a.T-tc.want) > 1e-3 {
				t.Fatalf("arrival %.4f s, want %.4f s", a.T, tc.want)
			}
			got := ""
			if a.Station >= 0 {
				got = r.Snap.Stations.Items[a.Station].ID
			}
			if got != tc.station {
				t.Fatalf("station %q, want %q", got, tc.station)
			}
		})
	}
}

func TestTurnoutOverrideAndStationOffRoad(t *testing.T) {
	n := fixture.NewTiny()
	zero := 0.0
	n.Road("A", "residential", 6, false, orb.Point{0, 0}, orb.Point{1000, 0})
	n.Station("quick", "urban1", orb.Point{0, 0}, &zero)
	n.Station("far", "urban1", orb.Point{0, 5000}, nil) // no road within 1 km
	n.Building("end", orb.Point{1000, 0})
	r := n.Response(t, response.DefaultParams())
	if want := 1000 / (25 / 3.6); math.Abs(r.Buildings[0].T-want) > 1e-3 {
		t.Fatalf("arrival %.3f, want %.3f (turnout 0 overrides 60)", r.Buildings[0].T, want)
	}
	if len(r.Problems) != 1 || r.Problems[0].ID != "far" {
		t.Fatalf("problems %v, want the station without a road", r.Problems)
	}
}

func TestTruckWidthIsAParameter(t *testing.T) {
	n := fixture.NewTiny()
	n.Road("A", "residential", 3, false, orb.Point{0, 0}, orb.Point{1000, 0})
	n.Station("S", "urban1", orb.Point{0, 0}, nil)
	n.Building("b", orb.Point{500, 10})
	if r := n.Response(t, response.DefaultParams()); r.Buildings[0].Reach != response.NoRoad {
		t.Fatalf("3 m road with a 4 m truck: %v", r.Buildings[0].Reach)
	}
	p := response.DefaultParams()
	p.TruckWidthM = 2.5
	if r := n.Response(t, p); r.Buildings[0].Reach != response.Reached {
		t.Fatalf("3 m road with a 2.5 m truck: %v", r.Buildings[0].Reach)
	}
}

func TestBuildingsAreReachedAtTheirWall(t *testing.T) {
	n := fixture.NewTiny()
	n.Road("A", "residential", 6, false, orb.Point{0, 0}, orb.Point{1000, 0})
	n.Station("S", "urban1", orb.Point{0, 0}, nil)
	// A 20 x 10 m house whose near wall, parallel to the road, stands 30 m
	// from it: reached from the road point opposite the wall's middle.
	r := orb.Ring{n.LL(orb.Point{490, 30}), n.LL(orb.Point{510, 30}), n.LL(orb.Point{510, 40}), n.LL(orb.Point{490, 40})}
	r = append(r, r[0])
	n.Set.Buildings = append(n.Set.Buildings, data.Building{ID: "house", Geom: orb.Polygon{r}, Households: 1})
	res := n.Response(t, response.DefaultParams())
	a := res.Buildings[0]
	want := 60 + 500/(25/3.6) + 30 // turnout, 500 m along the road, 30 m on foot
	if a.Reach != response.Reached || math.Abs(a.AccessM-30) > 1e-3 || math.Abs(a.T-want) > 1e-3 {
		t.Fatalf("arrival %+v, want %.3f s with 30 m on foot", a, want)
	}
}

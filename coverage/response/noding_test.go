package response_test

import (
	"math"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// TestNodingLoopsAndOneWayCorners works arrival times out by hand where the
// graph's noding or the walk along a road decides them. Every layout has a
// station S at (0, 0) on a main road (0,0)-(500,0)-(1000,0).
func TestNodingLoopsAndOneWayCorners(t *testing.T) {
	res := 25 / 3.6 // residential, m/s
	diag := math.Hypot(50, 100)
	main := func(n *fixture.Tiny) {
		n.Street("main", "", orb.Point{0, 0}, orb.Point{500, 0}, orb.Point{1000, 0})
		n.Station("S", "urban1", orb.Point{0, 0}, nil)
	}
	// A cul-de-sac loop leaving the main road at (500, 0) and coming back to
	// it there: a closed ring meeting the network at one vertex.
	loop := func(oneway int8) func(n *fixture.Tiny) {
		return func(n *fixture.Tiny) {
			main(n)
			n.Street("loop", "", orb.Point{500, 0}, orb.Point{450, 100}, orb.Point{450, 200}, orb.Point{550, 200}, orb.Point{550, 100}, orb.Point{500, 0})
			n.Set.Roads[len(n.Set.Roads)-1].Oneway = oneway
			n.Building("east side", orb.Point{555, 150}) // 5 m east of (550, 150)
		}
	}
	// A side road north whose first vertex misses the main road's vertex
	// (500, 0) by gap metres.
	side := func(gap float64) func(n *fixture.Tiny) {
		return func(n *fixture.Tiny) {
			main(n)
			n.Street("side", "", orb.Point{500, gap}, orb.Point{500, 800})
			n.Building("up the side road", orb.Point{510, 700})
		}
	}
	// A one-way road between (1000, 0) and (1000, 300), driven only from
	// (1000, 300) south; (1000, 300) is reached round a 2.3 km loop east.
	// A house 20 m up the one-way road is walked to from the corner.
	corner := func(oneway int8) func(n *fixture.Tiny) {
		return func(n *fixture.Tiny) {
			main(n)
			n.Street("around", "", orb.Point{1000, 0}, orb.Point{2000, 0}, orb.Point{2000, 300}, orb.Point{1000, 300})
			if oneway == data.Forward {
				n.Street("one-way", "", orb.Point{1000, 300}, orb.Point{1000, 0})
			} else {
				n.Street("one-way", "", orb.Point{1000, 0}, orb.Point{1000, 300})
			}
			n.Set.Roads[len(n.Set.Roads)-1].Oneway = oneway
			n.Building("by the corner", orb.Point{1010, 20})
		}
	}
	for _, tc := range []struct {
		name   string
		layout func(n *fixture.Tiny)
		tol    float64
		road   string // the road the building is reached from
		want   float64
		reach  response.Reach
		joined int
	}{
		// The ring is split in two edges, so it is driven either way: the
		// east side (diag + 50 m) is the short way.
		{"loop both ways", loop(data.TwoWay), 0.5, "loop", 60 + (500+diag+50)/res + 5, response.Reached, 0},
		// One-way as digitised (west side first): driven the long way round.
		{"loop one-way", loop(data.Forward), 0.5, "loop", 60 + (500+diag+250)/res + 5, response.Reached, 0},
		// Against the digitising: the east side, the short way.
		{"loop one-way backward", loop(data.Backward), 0.5, "loop", 60 + (500+diag+50)/res + 5, response.Reached, 0},
		{"near miss of 3 mm joined", side(0.003), 0.5, "side", 60 + (500+699.997)/res + 10, response.Reached, 1},
		{"near miss of 3 mm, tolerance 0", side(0.003), 0, "side", math.Inf(1), response.NotConnected, 0},
		{"miss of 2 m not joined", side(2), 0.5, "side", math.Inf(1), response.NotConnected, 0},
		{"miss of 2 m, tolerance 2.5", side(2), 2.5, "side", 60 + (500+698)/res + 10, response.Reached, 1},
		// Driving in from (1000, 300) would take 60 + (1000+2300+280)/res + 10.
		{"one-way corner forward", corner(data.Forward), 0.5, "one-way", 60 + 1000/res + 20 + 10, response.Reached, 0},
		{"one-way corner backward", corner(data.Backward), 0.5, "one-way", 60 + 1000/res + 20 + 10, response.Reached, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := fixture.NewTiny()
			tc.layout(n)
			p := response.DefaultParams()
			p.NodeToleranceM = tc.tol
			r := n.Response(t, p)
			if r.Graph.Report.JoinedEnds != tc.joined {
				t.Errorf("%d ends joined by tolerance, want %d", r.Graph.Report.JoinedEnds, tc.joined)
			}
			a := r.Buildings[0]
			if a.Reach != tc.reach || a.Edge < 0 || r.Graph.Road(a.Edge).ID != tc.road {
				t.Fatalf("reach %v on edge %d, want %v on %s", a.Reach, a.Edge, tc.reach, tc.road)
			}
			if math.IsInf(tc.want, 1) != math.IsInf(a.T, 1) || !math.IsInf(a.T, 1) && math.Abs(a.T-tc.want) > 1e-6 {
				t.Fatalf("arrival %.6f s, want %.6f s", a.T, tc.want)
			}
			if a.Reach == response.Reached && (a.Station != 0 || r.UnreachedRoads != 0) {
				t.Fatalf("station %d, %d roads unreached", a.Station, r.UnreachedRoads)
			}
		})
	}
}

// TestNearestReachedRoad places a house 5 m from a road no station reaches
// and 30 m from one a station does: the crew comes from the reached road,
// and the cut-off road is reported.
func TestNearestReachedRoad(t *testing.T) {
	n := fixture.NewTiny()
	n.Street("main", "", orb.Point{0, 0}, orb.Point{1000, 0})
	n.Street("cut off", "", orb.Point{400, 35}, orb.Point{600, 35})
	n.Station("S", "urban1", orb.Point{0, 0}, nil)
	n.Building("between", orb.Point{500, 30})
	n.Building("beyond", orb.Point{500, 170}) // 135 m from the cut-off road, 170 m from main
	r := n.Response(t, response.DefaultParams())
	want := 60 + 500/(25/3.6) + 30
	if a := r.Buildings[0]; a.Reach != response.Reached || r.Graph.Road(a.Edge).ID != "main" || math.Abs(a.T-want) > 1e-6 {
		t.Fatalf("between: %+v, want reached from main at %.3f s", a, want)
	}
	if a := r.Buildings[1]; a.Reach != response.NotConnected || r.Graph.Road(a.Edge).ID != "cut off" || math.Abs(a.AccessM-135) > 1e-6 {
		t.Fatalf("beyond: %+v, want not connected, 135 m from the cut-off road", a)
	}
	if r.UnreachedRoads != 1 || len(r.Problems) != 1 || r.Problems[0].ID != "cut off" || r.Problems[0].Reason != response.ProblemNotReachable {
		t.Fatalf("%d unreached roads, problems %v", r.UnreachedRoads, r.Problems)
	}
}

func TestCheckNodeTolerance(t *testing.T) {
	for _, tc := range []struct {
		tol float64
		ok  bool
	}{{0, true}, {0.5, true}, {10, true}, {-0.1, false}, {10.5, false}, {math.NaN(), false}} {
		p := response.DefaultParams()
		p.NodeToleranceM = tc.tol
		if err := p.Check(); (err == nil) != tc.ok {
			t.Errorf("tolerance %g: %v", tc.tol, err)
		}
	}
}

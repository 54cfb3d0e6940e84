package hydrants

import (
	"context"
	"fmt"
	"math"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// hydrantAnalysis runs the hydrant analysis of s with p on fresh streets.
func hydrantAnalysis(t testing.TB, s *data.Snapshot, p Params) *Hydrants {
	t.Helper()
	ctx := context.Background()
	st, err := NewStreets(ctx, s, network.DefaultProfile().NodeToleranceM)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(ctx, s, p, st, areas.New(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// planOf returns h's siting plan.
func planOf(t testing.TB, h *Hydrants) *Plan {
	t.Helper()
	p, err := h.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// withSites returns the sample county with every site of plan added as a
// working municipal hydrant.
func withSites(s *data.Snapshot, sites []Site) *data.Snapshot {
	set := &data.Set{Hydrants: append([]data.Hydrant(nil), s.Hydrants.Items...), Stations: s.Stations.Items, Roads: s.Roads.Items,
		Buildings: s.Buildings.Items, Villages: s.Villages.Items, Districts: s.Districts.Items, FireLanes: s.FireLanes.Items,
		Townships: s.Townships.Items, Builtup: s.Builtup.Items}
	for i, st := range sites {
		set.Hydrants = append(set.Hydrants, data.Hydrant{ID: fmt.Sprintf("new-%d", i), Geom: s.Proj.Inverse(st.Point), Kind: "municipal", Status: "working"})
	}
	return data.NewSnapshot(set, "with sites", nil)
}

func TestProposalsCloseEveryGap(t *testing.T) {
	for _, county := range fixture.Counties() {
		for _, straight := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/straight=%v", county.Name, straight), func(t *testing.T) {
				proposalsCloseGaps(t, county.Snap(t), straight)
			})
		}
	}
}

func proposalsCloseGaps(t *testing.T, s *data.Snapshot, straight bool) {
	p := DefaultParams()
	p.Straight = straight
	h := hydrantAnalysis(t, s, p)
	if len(h.Stretches) == 0 || len(h.Spacing) == 0 || len(h.BuildingGaps) == 0 {
		t.Fatalf("the county should have gaps: %d stretches, %d spacing, %d buildings", len(h.Stretches), len(h.Spacing), len(h.BuildingGaps))
	}
	plan := planOf(t, h)
	if plan.Uncoverable != 0 {
		t.Fatalf("%d elements no site can cover", plan.Uncoverable)
	}
	after := hydrantAnalysis(t, withSites(s, plan.Sites), p)
	if len(after.Stretches) != 0 || len(after.Spacing) != 0 || len(after.BuildingGaps) != 0 {
		t.Fatalf("after %d sites: %d stretches (first %+v), %d spacing gaps, %d buildings remain",
			len(plan.Sites), len(after.Stretches), first(after.Stretches), len(after.Spacing), len(after.BuildingGaps))
	}
	// Ranked households first, then street, then spacing, each by gain.
	tier := func(s Site) (int, float64) {
		switch {
		case s.NewBuildings > 0:
			return 0, float64(max(s.NewHouseholds, s.NewBuildings))
		case s.NewStreetM > 0:
			return 1, s.NewStreetM
		}
		return 2, s.NewSpacingM
	}
	for i, st := range plan.Sites {
		k, v := tier(st)
		if v <= 0 {
			t.Fatalf("site %d protects nothing: %+v", st.Rank, st)
		}
		if i == 0 {
			continue
		}
		pk, pv := tier(plan.Sites[i-1])
		// Building gains weigh households with at least 1 a building,
		// which the site does not carry: only metres are compared.
		if k < pk || k == pk && k > 0 && v > pv+1e-6 {
			t.Fatalf("site %d (tier %d, %g) ranked after site %d (tier %d, %g)", st.Rank, k, v, st.Rank-1, pk, pv)
		}
	}
}

func first(s []Stretch) any {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}

func TestGreedyPlanMatchesKnownOptimum(t *testing.T) {
	line := func(n int, step float64) []orb.Point {
		var ps []orb.Point
		for i := 0; i <= n; i++ {
			ps = append(ps, orb.Point{float64(i) * step, 0})
		}
		return ps
	}
	for _, tc := range []struct {
		name  string
		build func(*fixture.Tiny)
		want  int
	}{
		// 1000 m, nothing on it: every point within 60 m of a site along the
		// street, so one site serves at most 120 m.
		{"straight street", func(n *fixture.Tiny) { n.Street("a", "A", line(10, 100)...) }, 9},
		// Four 400 m streets from one crossing: a site at the crossing serves
		// the first 60 m of each; the other 340 m of each need 3 more apiece.
		// Without it every street needs 4.
		{"crossing", func(n *fixture.Tiny) {
			n.Street("n", "N", orb.Point{0, 0}, orb.Point{0, 400})
			n.Street("s", "S", orb.Point{0, 0}, orb.Point{0, -400})
			n.Street("e", "E", orb.Point{0, 0}, orb.Point{400, 0})
			n.Street("w", "W", orb.Point{0, 0}, orb.Point{-400, 0})
		}, 13},
		// A square ring street of 800 m with one hydrant at a corner: spacing
		// runs round the loop, 680 m to cover at 120 m a site.
		{"loop", func(n *fixture.Tiny) {
			n.Street("r1", "R", orb.Point{0, 0}, orb.Point{200, 0})
			n.Street("r2", "R", orb.Point{200, 0}, orb.Point{200, 200})
			n.Street("r3", "R", orb.Point{200, 200}, orb.Point{0, 200})
			n.Street("r4", "R", orb.Point{0, 200}, orb.Point{0, 0})
			n.Hydrant("h0", orb.Point{0, 0})
		}, 6},
		// Hydrants 1000 m apart at both ends: every point between must come
		// within 60 m of one, 880 m in all at 120 m a site.
		// Protection (300 m a site) is met on the way.
		{"spacing", func(n *fixture.Tiny) {
			n.Street("a", "A", line(10, 100)...)
			n.Hydrant("h0", orb.Point{0, 3})
			n.Hydrant("h1", orb.Point{1000, 3})
		}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := fixture.NewTiny()
			tc.build(n)
			n.BuiltupAround(-500, -500, 1100, 500)
			s := n.Snapshot()
			h := hydrantAnalysis(t, s, DefaultParams())
			plan := planOf(t, h)
			if len(plan.Sites) != tc.want {
				t.Fatalf("plan of %d sites, optimum %d: %+v", len(plan.Sites), tc.want, plan.Sites)
			}
			after := hydrantAnalysis(t, withSites(s, plan.Sites), DefaultParams())
			if len(after.Stretches)+len(after.Spacing) != 0 {
				t.Fatalf("gaps remain: %+v %+v", after.Stretches, after.Spacing)
			}
		})
	}
}

const sqlProtectedBuildings = `SELECT b.id FROM %[1]s.bm b WHERE EXISTS (SELECT 1 FROM %[1]s.hm h WHERE ST_DWithin(b.g, h.g, $1))`

func TestStraightLineProtectionEqualsSTDWithin(t *testing.T) {
	for _, county := range fixture.Counties() {
		t.Run(county.Name, func(t *testing.T) { straightEqualsDWithin(t, county.Snap(t), county.Min.ProtectedBuildings) })
	}
}

func straightEqualsDWithin(t *testing.T, s *data.Snapshot, useful int) {
	pool, q := fixture.MetricTables(t, s)
	p := DefaultParams()
	p.Straight = true
	h := hydrantAnalysis(t, s, p)
	rows, err := pool.Query(context.Background(), fmt.Sprintf(sqlProtectedBuildings, q), p.RadiusM)
	if err != nil {
		t.Fatal(err)
	}
	theirs := map[string]bool{}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		theirs[id] = true
	}
	rows.Close()
	n := 0
	for i, b := range s.Buildings.Items {
		if h.Protected[i] == theirs[b.ID] {
			n++
			continue
		}
		// A disagreement is allowed only within a centimetre of the radius,
		// where our series and PROJ's may round apart.
		if d := h.straightDist(s.Buildings.Metric[i]); math.Abs(d-p.RadiusM) > 0.01 {
			t.Errorf("building %s: ours protected=%v at %.3f m, ST_DWithin says %v", b.ID, h.Protected[i], d, theirs[b.ID])
		}
	}
	if len(theirs) < useful || len(theirs) == len(s.Buildings.Items) {
		t.Fatalf("ST_DWithin protects %d of %d buildings: not a useful check", len(theirs), len(s.Buildings.Items))
	}
	t.Logf("%d of %d buildings agree with ST_DWithin (%d protected)", n, len(s.Buildings.Items), len(theirs))
}

func TestStreetProtectionEqualsPgRouting(t *testing.T) {
	for _, county := range fixture.Counties() {
		t.Run(county.Name, func(t *testing.T) { streetEqualsPgRouting(t, county.Snap(t), county.Min.ProtectedNodes) })
	}
}

func streetEqualsPgRouting(t *testing.T, s *data.Snapshot, useful int) {
	pool := pgtest.Pool(t)
	p := DefaultParams()
	h := hydrantAnalysis(t, s, p)
	st := h.St
	seeds := h.Seeds
	table, starts := fixture.PgrEdges(t, pool, pgtest.Schema(t, pool), st.G, seeds)
	rows, err := pool.Query(context.Background(), fixture.SQLDrivingDistance, "SELECT id, source, target, cost, reverse_cost FROM "+table, starts, p.RadiusM)
	if err != nil {
		t.Fatal(err)
	}
	theirs := map[int64]float64{}
	for rows.Next() {
		var node int64
		var c float64
		rows.Scan(&node, &c)
		theirs[node] = c
	}
	rows.Close()
	protected := 0
	for n := range st.G.Nodes {
		c, ok := theirs[int64(n)+1]
		ours := h.D.T[n]
		if ok != !math.IsInf(ours, 1) || ok && math.Abs(c-ours) > 1e-6 {
			t.Fatalf("node %d: ours %.6f m, pgRouting %v (%v)", n, ours, c, ok)
		}
		if ok {
			protected++
		}
	}
	if protected < useful || protected == len(st.G.Nodes) {
		t.Fatalf("%d of %d nodes protected: not a useful check", protected, len(st.G.Nodes))
	}
	t.Logf("%d of %d street nodes protected, all as pgr_drivingDistance says", protected, len(st.G.Nodes))
}

// straightDist returns the distance from p to the nearest active hydrant,
// or +Inf beyond the radius.
func (h *Hydrants) straightDist(g orb.Geometry) float64 {
	best := math.Inf(1)
	c := g.Bound().Center()
	r := h.P.RadiusM + geo.Dist(c, g.Bound().Max)
	h.activeIdx.Within(c, r, func(k int32) float64 {
		return geo.PointDistance(h.Snap.Hydrants.Metric[h.Active[k]].(orb.Point), g)
	}, func(_ int32, d float64) bool {
		best = math.Min(best, d)
		return true
	})
	return best
}

func TestHydrantFarFromStreets(t *testing.T) {
	n := fixture.NewTiny()
	n.Street("a", "A", orb.Point{0, 0}, orb.Point{500, 0})
	n.BuiltupAround(-100, -400, 600, 400)
	n.Hydrant("pond", orb.Point{250, 300}) // 300 m from the street
	n.Set.Buildings = append(n.Set.Buildings, data.Building{ID: "farm", Households: 2,
		Geom: orb.Polygon{{n.LL(orb.Point{240, 320}), n.LL(orb.Point{260, 320}), n.LL(orb.Point{260, 330}), n.LL(orb.Point{240, 320})}}})
	s := n.Snapshot()
	for _, tc := range []struct {
		straight  bool
		protected bool
	}{{false, false}, {true, true}} {
		p := DefaultParams()
		p.Straight = tc.straight
		h := hydrantAnalysis(t, s, p)
		if len(h.Problems) != 1 || h.Problems[0].ID != "pond" || h.Problems[0].Reason != "far_from_street" {
			t.Fatalf("problems %v, want the pond far from streets", h.Problems)
		}
		if h.Protected[0] != tc.protected {
			t.Fatalf("straight=%v: farm protected=%v, want %v", tc.straight, h.Protected[0], tc.protected)
		}
	}
}

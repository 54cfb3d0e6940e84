package lanes

import (
	"math"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

func fp(v float64) *float64 { return &v }

// oldDistrict lays out a 400 m square old district (0,0)-(400,400) with a
// street along its south side, a 5 m residential alley through it at
// x=150 (a truck fits, but it is the district's own passage), and three
// buildings: "edge" 50 m from the street, "deep" 300 m from it, "top"
// 320 m from it; deep and top are 50 m from the alley, 103 m and 86 m
// from where it leaves the district.
func oldDistrict() *fixture.Tiny {
	n := fixture.NewTiny()
	n.Road("south", "residential", 6, false, orb.Point{-100, 0}, orb.Point{500, 0})
	n.Road("alley", "residential", 5, false, orb.Point{150, 0}, orb.Point{150, 400})
	n.Station("S", "urban1", orb.Point{-100, 0}, nil)
	ring := orb.Ring{n.LL(orb.Point{0, 0}), n.LL(orb.Point{400, 0}), n.LL(orb.Point{400, 400}), n.LL(orb.Point{0, 400})}
	ring = append(ring, ring[0])
	n.Set.Districts = append(n.Set.Districts, data.District{ID: "d1", Name: "老街", Geom: orb.Polygon{ring}})
	n.Building("edge", orb.Point{200, 50})
	n.Building("deep", orb.Point{200, 300})
	n.Building("top", orb.Point{200, 320})
	return n
}

func TestReachAlongLanes(t *testing.T) {
	lane := func(id, status string, w, h float64, from, to orb.Point) func(n *fixture.Tiny) {
		return func(n *fixture.Tiny) {
			n.Set.FireLanes = append(n.Set.FireLanes, data.FireLane{ID: id, DistrictID: "d1", Status: status, WidthM: fp(w), ClearHeightM: fp(h),
				Geom: orb.LineString{n.LL(from), n.LL(to)}})
		}
	}
	road := func(id, class string, w float64, from, to orb.Point) func(n *fixture.Tiny) {
		return func(n *fixture.Tiny) { n.Road(id, class, w, false, from, to) }
	}
	for _, c := range []struct {
		name    string
		add     []func(n *fixture.Tiny)
		beyond  []string // buildings beyond a truck's reach
		usableM float64
		fixes   []string // the plan's kinds, in order
	}{
		{name: "no lanes", beyond: []string{"deep", "top"}, fixes: []string{BuildLane}},
		{name: "obstructed lane", add: []func(*fixture.Tiny){lane("l", "obstructed", 6, 5, orb.Point{250, 150}, orb.Point{250, 350})},
			beyond: []string{"deep", "top"}, fixes: []string{ClearObstruction}},
		{name: "narrow lane", add: []func(*fixture.Tiny){lane("l", "marked", 3, 5, orb.Point{250, 150}, orb.Point{250, 350})},
			beyond: []string{"deep", "top"}, fixes: []string{WidenLane}},
		{name: "low lane", add: []func(*fixture.Tiny){lane("l", "unmarked", 5, 3.5, orb.Point{250, 150}, orb.Point{250, 350})},
			beyond: []string{"deep", "top"}, fixes: []string{WidenLane}},
		{name: "usable lane", add: []func(*fixture.Tiny){lane("l", "marked", 4.5, 5, orb.Point{250, 150}, orb.Point{250, 350})},
			usableM: 200},
		{name: "usable lane too far", add: []func(*fixture.Tiny){lane("l", "marked", 4.5, 5, orb.Point{380, 20}, orb.Point{380, 100})},
			beyond: []string{"deep", "top"}, usableM: 80, fixes: []string{BuildLane}},
		{name: "an obstructed lane serving nobody is still owed", add: []func(*fixture.Tiny){
			lane("ok", "marked", 4.5, 5, orb.Point{250, 150}, orb.Point{250, 350}),
			lane("blocked", "obstructed", 6, 5, orb.Point{50, 20}, orb.Point{50, 100})},
			usableM: 200, fixes: []string{ClearObstruction}},
		{name: "a through street", add: []func(*fixture.Tiny){road("main", "tertiary", 12, orb.Point{-100, 320}, orb.Point{500, 320})}},
		{name: "a street along the outline, inside by 5 m", add: []func(*fixture.Tiny){road("north", "residential", 6, orb.Point{-100, 395}, orb.Point{500, 395})},
			beyond: []string{"deep"}, fixes: []string{BuildLane}},
		{name: "a minor road deep inside", add: []func(*fixture.Tiny){road("inner", "residential", 6, orb.Point{0, 320}, orb.Point{400, 320})},
			beyond: []string{"deep", "top"}, fixes: []string{BuildLane}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := oldDistrict()
			for _, f := range c.add {
				f(n)
			}
			a := Districts(n.Response(t, response.DefaultParams()), DefaultParams())
			var beyond []string
			for i, b := range a.Snap.Buildings.Items {
				if a.Beyond(i) {
					beyond = append(beyond, b.ID)
				}
			}
			d := a.Districts[0]
			if !slices.Equal(beyond, c.beyond) || d.BeyondReach != len(c.beyond) || d.BeyondReachHousehold != len(c.beyond) || d.Buildings != 3 {
				t.Fatalf("beyond reach %v (%d of %d buildings, %d households), want %v", beyond, d.BeyondReach, d.Buildings, d.BeyondReachHousehold, c.beyond)
			}
			if d.UsableM != c.usableM {
				t.Errorf("usable %g m, want %g", d.UsableM, c.usableM)
			}
			var kinds []string
			fixed := 0
			for _, f := range a.Plan(0) {
				kinds = append(kinds, f.Kind)
				fixed += f.Households
				if f.Kind == BuildLane && !(f.LengthM > 0 && f.LengthM < 400) {
					t.Errorf("new lane %g m", f.LengthM)
				}
			}
			if !slices.Equal(kinds, c.fixes) || fixed != len(c.beyond) {
				t.Errorf("plan %v bringing in %d households, want %v bringing in %d", kinds, fixed, c.fixes, len(c.beyond))
			}
		})
	}
}

func TestLanesByStatus(t *testing.T) {
	n := oldDistrict()
	lane := func(id, district, status string, w, h float64, y float64) {
		n.Set.FireLanes = append(n.Set.FireLanes, data.FireLane{ID: id, DistrictID: district, Status: status, WidthM: fp(w), ClearHeightM: fp(h),
			Geom: orb.LineString{n.LL(orb.Point{250, y}), n.LL(orb.Point{350, y})}})
	}
	lane("ok", "d1", "marked", 4.5, 5, 50)         // 100 m usable
	lane("narrow", "d1", "unmarked", 3, 5, 100)    // too narrow
	lane("low", "", "marked", 6, 3.5, 150)         // too low; district by position
	lane("blocked", "d1", "obstructed", 6, 5, 200) // obstructed
	lane("unknown", "d1", "", 6, 5, 250)           // status unknown, usable
	a := Districts(n.Response(t, response.DefaultParams()), DefaultParams())
	d := a.Districts[0]
	if d.Lanes != 5 || d.LengthM != 500 || d.UsableM != 200 || d.NarrowM != 100 || d.LowM != 100 ||
		d.ByStatusM["obstructed"] != 100 || d.ByStatusM["marked"] != 200 || d.ByStatusM["unmarked"] != 100 || d.ByStatusM["unknown"] != 100 {
		t.Fatalf("lanes %+v", d)
	}
	for _, l := range a.Lanes {
		if l.District != 0 || l.Usable != (l.ID == "ok" || l.ID == "unknown") {
			t.Errorf("lane %+v", l)
		}
	}
	// The unknown lane's west end (250, 250) is 70.7 m from deep, 86 m from top.
	if got := a.WayM[1]; math.Abs(got-50*math.Sqrt2) > 1e-6 {
		t.Errorf("deep is %g m from a way in, want 70.7", got)
	}
	if !a.Beyond(2) {
		t.Errorf("top is %g m from a way in, want beyond %d m", a.WayM[2], DefaultReachM)
	}
}

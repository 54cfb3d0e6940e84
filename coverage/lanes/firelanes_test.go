package lanes

import (
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

func TestFireLanesPerDistrict(t *testing.T) {
	n := fixture.NewTiny()
	n.Road("A", "residential", 6, false, orb.Point{0, 0}, orb.Point{400, 0})
	n.Station("S", "urban1", orb.Point{0, 0}, nil)
	ring := orb.Ring{n.LL(orb.Point{0, 10}), n.LL(orb.Point{400, 10}), n.LL(orb.Point{400, 400}), n.LL(orb.Point{0, 400})}
	ring = append(ring, ring[0])
	n.Set.Districts = append(n.Set.Districts, data.District{ID: "d1", Name: "老街", Geom: orb.Polygon{ring}})
	f := func(v float64) *float64 { return &v }
	lane := func(id, district, status string, w, h float64, y float64) {
		n.Set.FireLanes = append(n.Set.FireLanes, data.FireLane{ID: id, DistrictID: district, Status: status, WidthM: f(w), ClearHeightM: f(h),
			Geom: orb.LineString{n.LL(orb.Point{50, y}), n.LL(orb.Point{150, y})}})
	}
	lane("ok", "d1", "marked", 4.5, 5, 50)         // 100 m usable
	lane("narrow", "d1", "unmarked", 3, 5, 100)    // too narrow
	lane("low", "", "marked", 6, 3.5, 150)         // too low; district by position
	lane("blocked", "d1", "obstructed", 6, 5, 200) // obstructed
	n.Building("near", orb.Point{200, 100})        // 90 m from road A
	n.Building("deep", orb.Point{200, 380})        // 370 m: beyond the 150 m walk
	res := n.Response(t, response.DefaultParams())
	got := Districts(res, DefaultParams())
	if len(got) != 1 {
		t.Fatalf("%d districts", len(got))
	}
	d := got[0]
	if d.Lanes != 4 || d.LengthM != 400 || d.UsableM != 100 || d.NarrowM != 100 || d.LowM != 100 ||
		d.ByStatusM["obstructed"] != 100 || d.ByStatusM["marked"] != 200 || d.ByStatusM["unmarked"] != 100 {
		t.Fatalf("lanes %+v", d)
	}
	if d.Buildings != 2 || d.BeyondReach != 1 {
		t.Fatalf("buildings %d, beyond reach %d; want 2 and 1", d.Buildings, d.BeyondReach)
	}
}

package siting

import (
	"context"
	"fmt"
	"math"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

func TestStationSitingPicksTheUnservedVillage(t *testing.T) {
	n := fixture.NewTiny()
	// A 12 km road; the station stands at its west end. Villages of 100
	// households at 9 km and 40 at 4 km: 5 minutes at 25 km/h after a
	// minute's turnout reach 1.67 km, so both wait.
	var pts []orb.Point
	for x := 0.0; x <= 12000; x += 500 {
		pts = append(pts, orb.Point{x, 0})
	}
	for i := 1; i < len(pts); i++ {
		n.Road(fmt.Sprintf("r%d", i), "residential", 6, false, pts[i-1], pts[i])
	}
	n.Station("S", "urban1", orb.Point{0, 0}, nil)
	house := func(id string, x float64, hh int) {
		n.Set.Buildings = append(n.Set.Buildings, data.Building{ID: id, Geom: n.LL(orb.Point{x, 20}), Households: hh})
	}
	for k := 0; k < 10; k++ {
		house(fmt.Sprintf("big%d", k), 9000+float64(k)*20, 10)
		house(fmt.Sprintf("small%d", k), 4000+float64(k)*20, 4)
	}
	res := n.Response(t, response.DefaultParams())
	plan, err := Stations(context.Background(), res, Options{K: 2, Minutes: 5, Class: "township_fulltime"})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Covered != 0 || plan.Households != 140 || len(plan.Sites) != 2 {
		t.Fatalf("plan %+v", plan)
	}
	first, second := plan.Sites[0], plan.Sites[1]
	if first.NewHouseholds != 100 || math.Abs(geo.Dist(first.Point, res.Snap.Proj.Forward(n.LL(orb.Point{9100, 0})))) > 1700 {
		t.Fatalf("first site %+v, want the 100 households at 9 km", first)
	}
	if second.NewHouseholds != 40 || second.CoveredAfter != 140 {
		t.Fatalf("second site %+v, want the 40 households at 4 km", second)
	}
	if _, err := Stations(context.Background(), res, Options{K: 1, Minutes: 5, Class: "castle"}); err == nil {
		t.Fatal("unknown class accepted")
	}
}

package response

import (
	"context"
	"math"
	"testing"

	"fireplan/data/pgtest"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"
)

func TestIsochronesAreValidAndNested(t *testing.T) {
	s := sampleSnapshot(t)
	p := DefaultParams()
	g := BuildGraph(s, p)
	r := NewResponse(s, p, g, NewSnapper(g), NewMembership(s))
	isos := r.Isochrones([]float64{5, 8, 15})
	union := map[float64]Isochrone{}
	perStation := map[float64]float64{}
	for _, iso := range isos {
		if iso.Station < 0 {
			union[iso.Minutes] = iso
		} else {
			perStation[iso.Minutes] += iso.AreaKm2
		}
		if len(iso.Geom) == 0 {
			t.Errorf("%g min station %q: empty", iso.Minutes, iso.StationID)
		}
	}
	if !(union[5].AreaKm2 < union[8].AreaKm2 && union[8].AreaKm2 < union[15].AreaKm2) {
		t.Errorf("union areas %g, %g, %g km2 do not grow with the target", union[5].AreaKm2, union[8].AreaKm2, union[15].AreaKm2)
	}
	for m, u := range union {
		// Station areas tile the union (up to smoothing).
		if math.Abs(perStation[m]-u.AreaKm2) > 0.05*u.AreaKm2 {
			t.Errorf("%g min: station areas sum to %g km2, union %g km2", m, perStation[m], u.AreaKm2)
		}
	}
	// Every reached node within 5 minutes lies inside the 5-minute union.
	proj := s.Proj
	miss, in := 0, 0
	for n, tn := range r.Times.T {
		if tn < 5*60-30 {
			if planar.MultiPolygonContains(union[5].Geom, proj.Inverse(g.Nodes[n])) {
				in++
			} else {
				miss++
			}
		}
	}
	if miss > in/100 {
		t.Errorf("%d nodes reached within 4.5 min lie outside the 5 min isochrone (%d inside)", miss, in)
	}

	// PostGIS judges validity: no self-intersections, holes inside shells.
	pool := pgtest.Pool(t)
	for _, iso := range isos {
		b, err := wkb.Marshal(iso.Geom)
		if err != nil {
			t.Fatal(err)
		}
		var reason string
		if err := pool.QueryRow(context.Background(), `SELECT ST_IsValidReason(ST_GeomFromWKB($1, 4326))`, b).Scan(&reason); err != nil {
			t.Fatal(err)
		}
		if reason != "Valid Geometry" {
			t.Errorf("%g min station %q: %s", iso.Minutes, iso.StationID, reason)
		}
	}
	_ = orb.Point{}
}

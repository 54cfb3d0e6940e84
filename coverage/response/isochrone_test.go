package response_test

import (
	"context"
	"math"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data/pgtest"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/planar"
)

func TestIsochronesAreValidAndNested(t *testing.T) {
	ctx := context.Background()
	s := fixture.Sample(t)
	r := fixture.Respond(t, s, response.DefaultParams())
	g := r.Graph
	isos, err := r.Isochrones(ctx, []float64{5, 8, 15})
	if err != nil {
		t.Fatal(err)
	}
	union := map[float64]response.Isochrone{}
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
	// Every reached node within 5 minutes lies inside the 5-minute union
	// (both in metres).
	miss, in := 0, 0
	for n, tn := range r.Times.T {
		if tn < 5*60-30 {
			if planar.MultiPolygonContains(union[5].Geom, g.Nodes[n]) {
				in++
			} else {
				miss++
			}
		}
	}
	if miss > in/100 {
		t.Errorf("%d nodes reached within 4.5 min lie outside the 5 min isochrone (%d inside)", miss, in)
	}

	// PostGIS judges validity: no self-intersections, holes inside shells;
	// in the plane they are traced in, and in lon/lat as clients get them.
	pool := pgtest.Pool(t)
	plane := pgtest.PlaneSRID(t, pool, s.Proj.Origin())
	for _, iso := range isos {
		for _, v := range []struct {
			geom orb.Geometry
			srid int
		}{{iso.Geom, plane}, {s.Proj.InverseGeometry(iso.Geom), 4326}} {
			b, err := wkb.Marshal(v.geom)
			if err != nil {
				t.Fatal(err)
			}
			var reason string
			if err := pool.QueryRow(ctx, `SELECT ST_IsValidReason(ST_GeomFromWKB($1, $2::int))`, b, v.srid).Scan(&reason); err != nil {
				t.Fatal(err)
			}
			if reason != "Valid Geometry" {
				t.Errorf("%g min station %q (SRID %d): %s", iso.Minutes, iso.StationID, v.srid, reason)
			}
		}
	}
}

package data_test

import (
	"context"
	"fmt"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/geo"
	"fireplan/geo/datum"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// TestLoadChineseCoordinateSystems loads hydrants stored in CGCS2000 and
// its Gauss-Kruger zones, and in the web maps' offset datums, and finds
// each within 1 m of its WGS84 reference. The Gauss-Kruger coordinates are
// computed by fireplan's own transverse Mercator (Snyder's series, not
// PROJ), so PostGIS is checked against an independent implementation.
func TestLoadChineseCoordinateSystems(t *testing.T) {
	pool := pgtest.Pool(t)
	ctx := context.Background()
	// gk is a point's Gauss-Kruger coordinates: zone's central meridian,
	// false easting (the zone number in front for 4513-4533).
	gk := func(p orb.Point, cm, falseEasting float64) orb.Point {
		xy := geo.NewProjection(orb.Point{cm, 0}).Forward(p)
		return orb.Point{xy[0] + falseEasting, xy[1]}
	}
	wuhan, hunan := orb.Point{114.305, 30.593}, orb.Point{111.4753, 27.2341}
	for _, tc := range []struct {
		name  string
		srid  int
		datum string
		ref   orb.Point
		xy    orb.Point // as stored
	}{
		{"cgcs2000 lon/lat", 4490, "", hunan, hunan},
		{"gauss-kruger zone 38 with prefix (4526)", 4526, "", wuhan, gk(wuhan, 114, 38_500_000)},
		{"gauss-kruger cm 111 (4546)", 4546, "", hunan, gk(hunan, 111, 500_000)},
		{"gauss-kruger zone 37 with prefix, 1.5 degrees off its meridian (4525)", 4525, "", orb.Point{112.4, 27.9}, gk(orb.Point{112.4, 27.9}, 111, 37_500_000)},
		{"gcj02", 4326, "gcj02", hunan, datum.GCJ02.FromWGS84(hunan)},
		{"bd09", 4326, "bd09", hunan, datum.BD09.FromWGS84(hunan)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := pgtest.Schema(t, pool)
			table := pgx.Identifier{schema, "hydrants"}.Sanitize()
			if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %s (id text, kind text, status text, geom geometry(Point, %d))`, table, tc.srid)); err != nil {
				t.Fatal(err)
			}
			if _, err := pool.Exec(ctx, fmt.Sprintf(`INSERT INTO %s VALUES ('h', 'municipal', 'working', ST_SetSRID(ST_MakePoint($1, $2), %d))`, table, tc.srid),
				tc.xy[0], tc.xy[1]); err != nil {
				t.Fatal(err)
			}
			cfg := &data.Config{Schema: schema, Layers: map[string]*data.TableConfig{
				data.LayerHydrants: {Datum: tc.datum}, data.LayerStations: nil, data.LayerRoads: nil, data.LayerBuildings: nil}}
			set, rep, err := data.Load(ctx, pool, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Hydrants) != 1 {
				t.Fatalf("loaded %d hydrants: %v", len(set.Hydrants), rep.Layer(data.LayerHydrants).Problems)
			}
			proj := geo.NewProjection(tc.ref)
			d := geo.Dist(proj.Forward(set.Hydrants[0].Geom), proj.Forward(tc.ref))
			if d > 1 {
				t.Errorf("loaded %v, %.3f m from %v", set.Hydrants[0].Geom, d, tc.ref)
			}
			t.Logf("%.4f m from the reference", d)
		})
	}
}

func TestConfigDatum(t *testing.T) {
	for _, tc := range []struct {
		datum string
		ok    bool
	}{{"", true}, {"wgs84", true}, {"gcj02", true}, {"bd09", true}, {"GCJ-02", false}, {"cgcs2000", false}} {
		t.Run(tc.datum, func(t *testing.T) {
			c := data.Config{Layers: map[string]*data.TableConfig{data.LayerHydrants: {Datum: tc.datum}}}
			if err := c.Check(); (err == nil) != tc.ok {
				t.Errorf("Check: %v", err)
			}
		})
	}
}

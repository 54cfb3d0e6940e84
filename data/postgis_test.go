package data_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/data/sample"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

func TestSampleRoundTripThroughPostGIS(t *testing.T) {
	for _, o := range []sample.Options{{Seed: sample.DefaultSeed}, {Seed: 7, Mixed: true}} {
		t.Run(fmt.Sprintf("seed=%d mixed=%v", o.Seed, o.Mixed), func(t *testing.T) { roundTrip(t, o) })
	}
}

func roundTrip(t *testing.T, o sample.Options) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	ctx := context.Background()
	want := sample.Generate(o)
	if err := data.Write(ctx, pool, want, schema); err != nil {
		t.Fatal(err)
	}
	got, rep, err := data.Load(ctx, pool, &data.Config{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	for _, lr := range rep.Layers {
		if lr.SkippedTotal() != 0 {
			t.Errorf("layer %s: %d rows skipped: %v", lr.Layer, lr.SkippedTotal(), lr.Problems)
		}
	}
	compareLayer(t, data.LayerHydrants, want.Hydrants, got.Hydrants)
	compareLayer(t, data.LayerStations, want.Stations, got.Stations)
	compareLayer(t, data.LayerRoads, want.Roads, got.Roads)
	compareLayer(t, data.LayerBuildings, want.Buildings, got.Buildings)
	compareLayer(t, data.LayerVillages, want.Villages, got.Villages)
	compareLayer(t, data.LayerDistricts, want.Districts, got.Districts)
	compareLayer(t, data.LayerFireLanes, want.FireLanes, got.FireLanes)
	compareLayer(t, data.LayerTownships, want.Townships, got.Townships)
	compareLayer(t, data.LayerBuiltup, want.Builtup, got.Builtup)
	// Written and read back, the county is the same data: the same version.
	if w, g := data.NewSnapshot(want, "sample", nil).Version, data.NewSnapshot(got, "postgis", nil).Version; w != g {
		t.Errorf("version %x after the round trip, %x before", g, w)
	}
}

func compareLayer[T data.Feature](t *testing.T, layer string, want, got []T) {
	t.Helper()
	if len(want) == 0 {
		t.Errorf("%s: the sample has none", layer)
	}
	if len(got) != len(want) {
		t.Errorf("%s: loaded %d features, wrote %d", layer, len(got), len(want))
		return
	}
	byID := make(map[string]T, len(got))
	for _, f := range got {
		byID[f.FeatureID()] = f
	}
	bad := 0
	for _, w := range want {
		g, ok := byID[w.FeatureID()]
		switch {
		case !ok:
			t.Errorf("%s: id %s missing after load", layer, w.FeatureID())
		case !geomClose(w.Geometry(), g.Geometry(), 1e-7):
			t.Errorf("%s %s: geometry %v, want %v", layer, w.FeatureID(), g.Geometry(), w.Geometry())
		case !reflect.DeepEqual(w.Properties(), g.Properties()):
			t.Errorf("%s %s: attributes %v, want %v", layer, w.FeatureID(), g.Properties(), w.Properties())
		default:
			continue
		}
		if bad++; bad > 5 {
			t.FailNow()
		}
	}
}

func geomClose(a, b orb.Geometry, tol float64) bool {
	if a.GeoJSONType() != b.GeoJSONType() {
		return false
	}
	pa, pb := points(a), points(b)
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if math.Abs(pa[i][0]-pb[i][0]) > tol || math.Abs(pa[i][1]-pb[i][1]) > tol {
			return false
		}
	}
	return true
}

func points(g orb.Geometry) []orb.Point {
	var out []orb.Point
	switch g := g.(type) {
	case orb.Point:
		out = append(out, g)
	case orb.LineString:
		out = append(out, g...)
	case orb.MultiLineString:
		for _, l := range g {
			out = append(out, l...)
		}
	case orb.Polygon:
		for _, r := range g {
			out = append(out, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			out = append(out, points(p)...)
		}
	}
	return out
}

// badRows fills a schema with one bad row of each kind beside good rows, in
// tables whose layout differs from fireplan's own.
const badRows = `
CREATE TABLE %[1]s.hydrants (gid serial, code text, the_geom geometry, kind text, status text, flow_lps text, installed_year int);
INSERT INTO %[1]s.hydrants (code, the_geom, kind, status, flow_lps, installed_year) VALUES
 ('good-1', 'SRID=4326;POINT(111.40 27.20)', 'municipal', 'working', '15', 2001),
 ('good-2', 'SRID=4326;POINT(111.41 27.21)', 'fire_pool', 'broken', NULL, NULL),
 ('good-3', 'SRID=4490;POINT(111.42 27.22)', 'Natural', 'planned', '20.5', 2020),
 ('good-4', 'SRID=4326;MULTIPOINT((111.48 27.28))', 'crane', 'working', NULL, NULL),
 ('two-points', 'SRID=4326;MULTIPOINT((111.48 27.28),(111.49 27.29))', 'crane', 'working', NULL, NULL),
 ('null-geom', NULL, 'municipal', 'working', NULL, NULL),
 ('empty-geom', 'SRID=4326;POINT EMPTY', 'municipal', 'working', NULL, NULL),
 ('wrong-type', 'SRID=4326;LINESTRING(111.4 27.2, 111.5 27.3)', 'municipal', 'working', NULL, NULL),
 ('nan', ST_SetSRID(ST_MakePoint('NaN'::float8, 27.2), 4326), 'municipal', 'working', NULL, NULL),
 ('out-of-range', 'SRID=4326;POINT(211.4 27.2)', 'municipal', 'working', NULL, NULL),
 ('good-1', 'SRID=4326;POINT(111.43 27.23)', 'municipal', 'working', NULL, NULL),
 ('no-kind', 'SRID=4326;POINT(111.44 27.24)', NULL, 'working', NULL, NULL),
 ('bad-status', 'SRID=4326;POINT(111.45 27.25)', 'municipal', 'leaking', NULL, NULL),
 ('bad-flow', 'SRID=4326;POINT(111.46 27.26)', 'municipal', 'working', 'lots', NULL),
 (NULL, 'SRID=4326;POINT(111.47 27.27)', 'municipal', 'working', NULL, NULL);
CREATE TABLE %[1]s.villages (id bigint, geom geometry(Geometry, 3857), "Name" text, households numeric);
INSERT INTO %[1]s.villages VALUES
 (1, ST_Transform('SRID=4326;POLYGON((111.4 27.2, 111.41 27.2, 111.41 27.21, 111.4 27.21, 111.4 27.2))'::geometry, 3857), 'A', 120),
 (2, ST_Transform('SRID=4326;MULTIPOLYGON(((111.5 27.2, 111.51 27.2, 111.51 27.21, 111.5 27.2)),((111.6 27.2, 111.61 27.2, 111.61 27.21, 111.6 27.2)))'::geometry, 3857), 'B', 30.0),
 (3, ST_Transform('SRID=4326;POLYGON((111.4 27.2, 111.41 27.21, 111.41 27.2, 111.4 27.21, 111.4 27.2))'::geometry, 3857), 'bowtie', 10),
 (4, ST_Transform('SRID=4326;POLYGON((111.7 27.2, 111.71 27.2, 111.71 27.21, 111.7 27.2))'::geometry, 3857), 'fractional', 12.5);
`

func TestLoadSkipsAndReportsBadRows(t *testing.T) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	ctx := context.Background()
	// Empty layers in fireplan's own layout, then the two odd tables.
	empty := &data.Set{}
	if err := data.Write(ctx, pool, empty, schema); err != nil {
		t.Fatal(err)
	}
	q := pgx.Identifier{schema}.Sanitize()
	if _, err := pool.Exec(ctx, fmt.Sprintf("DROP TABLE %[1]s.hydrants; DROP TABLE %[1]s.villages;", q)+fmt.Sprintf(badRows, q)); err != nil {
		t.Fatal(err)
	}
	cfg := &data.Config{Schema: schema, Layers: map[string]*data.TableConfig{
		data.LayerHydrants: {ID: "code"},
	}}
	set, rep, err := data.Load(ctx, pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hy := rep.Layer(data.LayerHydrants)
	wantSkip := map[string]string{
		"null-geom":    data.ReasonNullGeometry,
		"empty-geom":   data.ReasonEmptyGeometry,
		"wrong-type":   data.ReasonWrongGeomType,
		"nan":          data.ReasonBadCoordinate,
		"out-of-range": data.ReasonBadCoordinate,
		"good-1":       data.ReasonDuplicateID,
		"no-kind":      data.ReasonMissingAttribute,
		"bad-status":   data.ReasonBadAttribute,
		"":             data.ReasonMissingID,
		"two-points":   data.ReasonWrongGeomType,
	}
	checkSkips(t, hy, wantSkip)
	// A bad optional value is nulled and counted; the row stays.
	if ids := ids(set.Hydrants); !reflect.DeepEqual(ids, []string{"bad-flow", "good-1", "good-2", "good-3", "good-4"}) {
		t.Errorf("hydrants loaded %v, want bad-flow, good-1..4", ids)
	}
	if h := set.Hydrants[0]; h.FlowLPS != nil || hy.Warnings["bad_attribute flow_lps"] != 1 {
		t.Errorf("bad-flow = %+v, warnings %v: want flow nulled and counted", h, hy.Warnings)
	}
	set.Hydrants = set.Hydrants[1:]
	if p := set.Hydrants[3].Geom; p != (orb.Point{111.48, 27.28}) {
		t.Errorf("good-4 (a MultiPoint of one) = %v", p)
	}
	if h := set.Hydrants[0]; h.Geom != (orb.Point{111.40, 27.20}) || *h.FlowLPS != 15 || *h.InstalledYear != 2001 {
		t.Errorf("good-1 = %+v", h)
	}
	if h := set.Hydrants[2]; h.Kind != "natural" || h.Status != "planned" || math.Abs(h.Geom[0]-111.42) > 1e-12 {
		t.Errorf("good-3 (EPSG:4490, capitalised kind) = %+v", h)
	}

	vi := rep.Layer(data.LayerVillages)
	checkSkips(t, vi, map[string]string{"3": data.ReasonInvalidGeometry})
	if ids := ids(set.Villages); !reflect.DeepEqual(ids, []string{"1", "2", "4"}) {
		t.Errorf("villages loaded %v, want 1, 2, 4", ids)
	}
	if v := set.Villages[2]; v.Households != nil || vi.Warnings["bad_attribute households"] != 1 {
		t.Errorf("village 4 = %+v, warnings %v: want 12.5 households nulled and counted", v, vi.Warnings)
	}
	if v := set.Villages[1]; v.Geom.GeoJSONType() != "MultiPolygon" || *v.Households != 30 || v.Name != "B" {
		t.Errorf("village 2 = %+v", v)
	}
	// EPSG:3857 comes back to lon/lat.
	if p := set.Villages[0].Geom.(orb.Polygon)[0][0]; math.Abs(p[0]-111.4) > 1e-7 || math.Abs(p[1]-27.2) > 1e-7 {
		t.Errorf("village 1 first vertex %v, want 111.4 27.2", p)
	}
	if n := rep.Layer(data.LayerRoads).Loaded; n != 0 {
		t.Errorf("empty roads loaded %d", n)
	}
}

func checkSkips(t *testing.T, lr *data.LayerReport, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, p := range lr.Problems {
		got[p.ID] = p.Reason
		if p.Layer != lr.Layer || p.Detail == "" {
			t.Errorf("problem %+v lacks layer or detail", p)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s skipped %v, want %v", lr.Layer, got, want)
	}
	if lr.SkippedTotal() != len(want) {
		t.Errorf("%s skip counts %v sum to %d, want %d", lr.Layer, lr.Skipped, lr.SkippedTotal(), len(want))
	}
}

func ids[T data.Feature](fs []T) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.FeatureID())
	}
	return out
}

func TestLoadErrorsNameWhatIsMissing(t *testing.T) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	ctx := context.Background()
	if err := data.Write(ctx, pool, &data.Set{}, schema); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  data.TableConfig
		want string
	}{
		{"missing table", data.TableConfig{Table: "no_such_roads"}, "no_such_roads does not exist"},
		{"missing id column", data.TableConfig{ID: "gid"}, `no id column "gid"`},
		{"missing mapped column", data.TableConfig{Columns: map[string]*string{"class": ptr("highway")}}, `no column "highway"`},
		{"missing geometry column", data.TableConfig{Geom: "shape"}, `no geometry column "shape"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &data.Config{Schema: schema, Layers: map[string]*data.TableConfig{data.LayerRoads: &tc.cfg}}
			_, _, err := data.Load(ctx, pool, cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "roads") {
				t.Fatalf("error %v, want it to name roads and say %q", err, tc.want)
			}
		})
	}
}

func TestConnectToDownDatabaseIsAClearError(t *testing.T) {
	_, err := data.Connect(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1/none") {
		t.Fatalf("error %v, want one naming the database", err)
	}
}

func ptr[T any](v T) *T { return &v }

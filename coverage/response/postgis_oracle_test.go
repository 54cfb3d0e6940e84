package response_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// TestArrivalsEqualPostGIS compares arrivals at Helsinki's buildings (at
// their centroids) with a graph PostGIS nodes from the roads table and
// pgr_drivingDistance searches.
func TestArrivalsEqualPostGIS(t *testing.T) {
	s := fixture.Helsinki(t)
	p := response.DefaultParams()
	r := fixture.Respond(t, s, p)
	// The SQL nodes at shared vertices only: fireplan's tolerance must have
	// joined nothing here for the two graphs to be the same.
	if r.Graph.Report.JoinedEnds != 0 {
		t.Fatalf("%d road ends joined by tolerance: the SQL graph does not model that", r.Graph.Report.JoinedEnds)
	}
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	ctx := context.Background()
	if err := data.Write(ctx, pool, &data.Set{Roads: s.Roads.Items, Stations: s.Stations.Items}, schema); err != nil {
		t.Fatal(err)
	}
	q := pgx.Identifier{schema}.Sanitize()
	fixture.PgClasses(t, pool, schema, p)
	// Both sides get the same lon/lat point: fireplan's projection and its
	// inverse do not round-trip exactly (0.6 mm here, at 60 degrees north).
	var pts [][]any
	points := make([]orb.Point, s.Buildings.Len())
	for i, g := range s.Buildings.Metric {
		ll := s.Proj.Inverse(areas.Centroid(g))
		points[i] = s.Proj.Forward(ll)
		pts = append(pts, []any{int32(i), wkb.Value(ll)})
	}
	fixture.CopyTable(t, pool, schema, "pts", "id int, geom geometry(Point, 4326)", []string{"id", "geom"}, pts)
	srid := pgtest.PlaneSRID(t, pool, s.Proj.Origin())
	fixture.PgRoadGraph(t, pool, schema, srid, p)
	var nEdges, nStarts int
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT (SELECT count(*) FROM %[1]s.edges), (SELECT count(*) FROM %[1]s.starts)", q)).Scan(&nEdges, &nStarts); err != nil {
		t.Fatal(err)
	}
	if nStarts != len(r.Starts) {
		t.Fatalf("%d stations placed in SQL, %d by fireplan", nStarts, len(r.Starts))
	}
	rows, err := pool.Query(ctx, fmt.Sprintf(fixture.PgArrivals, q), srid, p.AccessMaxM, p.AccessSpeedMps)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	reach := []response.Reach{response.Reached, response.NoRoad, response.NotConnected}
	counts := map[response.Reach]int{}
	worst, bad := 0.0, 0
	for rows.Next() {
		var id int32
		var kind int
		var want, access float64
		if err := rows.Scan(&id, &kind, &want, &access); err != nil {
			t.Fatal(err)
		}
		got := r.Arrive(points[id])
		counts[got.Reach]++
		// Both sides measure in the same transverse Mercator plane through
		// different code (fireplan's series, PROJ in PostGIS): the planes
		// are offset by 0.6 mm north-south, which moves nothing relative to
		// anything else, and lengths agree to 2e-10 (32.2 km of edges: 5 um
		// apart). A time of ~300 s then differs by ~1e-7 s at most (7e-8
		// measured); 1e-6 s is above that and far below any rule's effect
		// (a metre walked is a second).
		d := math.Abs(got.T - want)
		if math.IsInf(want, 1) && math.IsInf(got.T, 1) {
			d = 0
		}
		if got.Reach != reach[kind] || !(d <= 1e-6) || got.Reach == response.Reached && math.Abs(got.AccessM-access) > 1e-6 {
			t.Errorf("building %s: fireplan %v %.9f s, %.6f m on foot; PostGIS %v %.9f s, %.6f m",
				s.Buildings.Items[id].ID, got.Reach, got.T, got.AccessM, reach[kind], want, access)
			if bad++; bad > 10 {
				t.FailNow()
			}
		}
		if !math.IsInf(want, 1) {
			worst = math.Max(worst, d)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if counts[response.Reached] < 300 {
		t.Fatalf("only %d buildings reached: %v", counts[response.Reached], counts)
	}
	t.Logf("%d edges built by PostGIS (fireplan %d); %v; largest difference %.2g s", nEdges, len(r.Graph.Edges), counts, worst)
}

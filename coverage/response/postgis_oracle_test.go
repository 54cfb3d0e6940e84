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

// The PostGIS side of TestArrivalsEqualPostGIS: a road graph noded and
// timed in SQL from the roads table alone, never from fireplan's edges.
// %[1]s is the schema; each step names its arguments: the plane's SRID
// (the same transverse Mercator as the snapshot's projection), the truck's
// width, the station snap limit.
var pgRoadGraph = []struct {
	sql  string
	args []string
}{
	// Passable lines in lon/lat, at their truck speed (m/s).
	{`CREATE TABLE %[1]s.lines AS
	SELECT r.id AS road, coalesce(d.path[1], 1) AS part, d.geom AS g, r.oneway, coalesce(r.speed_kmh, c.speed) / 3.6 AS mps
	FROM %[1]s.roads r JOIN %[1]s.classes c USING (class), ST_Dump(r.geom) d
	WHERE coalesce(r.width_m, c.width) >= $1 AND coalesce(r.speed_kmh, c.speed) > 0`, []string{"truck"}},
	// Vertices, identified by their exact coordinates; line ends count twice,
	// so a vertex used twice or more is a node.
	{`CREATE TABLE %[1]s.verts AS
	SELECT k, sum(u) AS uses, row_number() OVER (ORDER BY k) AS vid FROM (
		SELECT ST_AsBinary(d.geom) AS k, CASE WHEN d.path[1] IN (1, ST_NPoints(l.g)) THEN 2 ELSE 1 END AS u
		FROM %[1]s.lines l, ST_DumpPoints(l.g) d) x
	GROUP BY k`, nil},
	{`CREATE INDEX ON %[1]s.verts (k)`, nil},
	// Segments numbered into edges: a new edge starts after each node.
	{`CREATE TABLE %[1]s.edges AS
	WITH s AS (
		SELECT l.road, l.part, l.oneway, l.mps, s.path[1] AS i, s.geom AS g, (v.uses >= 2)::int AS cut
		FROM %[1]s.lines l, ST_DumpSegments(l.g) s, %[1]s.verts v
		WHERE v.k = ST_AsBinary(ST_EndPoint(s.geom))
	), n AS (
		SELECT *, coalesce(sum(cut) OVER (PARTITION BY road, part ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS e FROM s
	), e AS (
		SELECT road, part, e, min(oneway) AS oneway, min(mps) AS mps, ST_Transform(ST_MakeLine(array_agg(g ORDER BY i)), $1::int) AS gm,
			(array_agg(ST_AsBinary(ST_StartPoint(g)) ORDER BY i))[1] AS a, (array_agg(ST_AsBinary(ST_EndPoint(g)) ORDER BY i DESC))[1] AS b
		FROM n GROUP BY road, part, e
	)
	SELECT row_number() OVER (ORDER BY road, part, e.e) AS id, va.vid AS source, vb.vid AS target, gm, ST_Length(gm) AS len,
		CASE WHEN oneway = -1 THEN -1 ELSE ST_Length(gm) / mps END AS cost,
		CASE WHEN oneway = 1 THEN -1 ELSE ST_Length(gm) / mps END AS reverse_cost
	FROM e JOIN %[1]s.verts va ON va.k = e.a JOIN %[1]s.verts vb ON vb.k = e.b`, []string{"srid"}},
	{`CREATE INDEX ON %[1]s.edges USING gist (gm)`, nil},
	// Active stations on their nearest edge, f of the way along it, ready
	// after turnout and the snap leg driven at the edge's speed.
	{`CREATE TABLE %[1]s.starts AS
	SELECT row_number() OVER (ORDER BY st.id) AS k, e.id AS edge, e.source, e.target, e.cost, e.reverse_cost,
		ST_LineLocatePoint(e.gm, p) AS f, coalesce(st.turnout_s, t.s) + e.d / (e.len / least(nullif(e.cost, -1), nullif(e.reverse_cost, -1))) AS t0
	FROM %[1]s.stations st JOIN %[1]s.turnout t USING (class), ST_Transform(st.geom, $1::int) p,
	LATERAL (SELECT *, ST_Distance(gm, p) AS d FROM %[1]s.edges ORDER BY ST_Distance(gm, p), id LIMIT 1) e
	WHERE st.status = 'active' AND e.d <= $2`, []string{"srid", "snap"}},
	// pgRouting's edges: the roads, and from one super source (node 0)
	// through each station's virtual node (-k) to the ends of its edge.
	{`CREATE TABLE %[1]s.pgr AS
	SELECT id, source, target, cost, reverse_cost FROM %[1]s.edges
	UNION ALL SELECT -k, 0, -k, 0, -1 FROM %[1]s.starts
	UNION ALL SELECT -1000000 - k, -k, target, t0 + (1 - f) * cost, -1 FROM %[1]s.starts WHERE cost >= 0
	UNION ALL SELECT -2000000 - k, -k, source, t0 + f * reverse_cost, -1 FROM %[1]s.starts WHERE reverse_cost >= 0`, nil},
	{`CREATE TABLE %[1]s.dd AS
	SELECT node, agg_cost AS t FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM %[1]s.pgr', 0, 1e9, directed => true)`, nil},
	{`CREATE INDEX ON %[1]s.dd (node)`, nil},
}

// pgArrivals places each point on the nearest edge a truck reaches (an end
// in dd) within $2 metres and takes the earliest of driving in from an end
// the edge may be entered by, a station on the edge, and walking at $3 m/s
// from either end; then the walk from the road. Reach: 0 reached, 1 no
// road, 2 not connected.
const pgArrivals = `
SELECT p.id,
	CASE WHEN e.id IS NOT NULL THEN 0 WHEN EXISTS (SELECT 1 FROM %[1]s.edges x WHERE ST_DWithin(x.gm, g, $2)) THEN 2 ELSE 1 END,
	coalesce(least(
		CASE WHEN e.cost >= 0 THEN e.ts + e.f * e.cost END,
		CASE WHEN e.reverse_cost >= 0 THEN e.tt + (1 - e.f) * e.reverse_cost END,
		e.ts + e.f * e.len / $3, e.tt + (1 - e.f) * e.len / $3,
		(SELECT min(CASE WHEN e.f >= st.f AND e.cost >= 0 THEN st.t0 + (e.f - st.f) * e.cost
			WHEN e.f <= st.f AND e.reverse_cost >= 0 THEN st.t0 + (st.f - e.f) * e.reverse_cost END)
		FROM %[1]s.starts st WHERE st.edge = e.id)
	) + e.d / $3, 'Infinity'), coalesce(e.d, 0)
FROM %[1]s.pts p, ST_Transform(p.geom, $1::int) g
LEFT JOIN LATERAL (
	SELECT x.*, ts.t AS ts, tt.t AS tt, ST_Distance(x.gm, g) AS d, ST_LineLocatePoint(x.gm, g) AS f
	FROM %[1]s.edges x LEFT JOIN %[1]s.dd ts ON ts.node = x.source LEFT JOIN %[1]s.dd tt ON tt.node = x.target
	WHERE ST_DWithin(x.gm, g, $2) AND (ts.t IS NOT NULL OR tt.t IS NOT NULL)
	ORDER BY ST_Distance(x.gm, g), x.id LIMIT 1) e ON true
ORDER BY p.id`

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
	var classes, turnout, pts [][]any
	for c, v := range p.SpeedKmh {
		classes = append(classes, []any{c, v, p.WidthM[c]})
	}
	for c, v := range p.TurnoutS {
		turnout = append(turnout, []any{c, v})
	}
	// Both sides get the same lon/lat point: fireplan's projection and its
	// inverse do not round-trip exactly (0.6 mm here, at 60 degrees north).
	points := make([]orb.Point, s.Buildings.Len())
	for i, g := range s.Buildings.Metric {
		ll := s.Proj.Inverse(areas.Centroid(g))
		points[i] = s.Proj.Forward(ll)
		pts = append(pts, []any{int32(i), wkb.Value(ll)})
	}
	for _, tb := range []struct {
		name, def string
		cols      []string
		rows      [][]any
	}{
		{"classes", "class text, speed float8, width float8", []string{"class", "speed", "width"}, classes},
		{"turnout", "class text, s float8", []string{"class", "s"}, turnout},
		{"pts", "id int, geom geometry(Point, 4326)", []string{"id", "geom"}, pts},
	} {
		if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.%s (%s)", q, tb.name, tb.def)); err != nil {
			t.Fatal(err)
		}
		if _, err := pool.CopyFrom(ctx, pgx.Identifier{schema, tb.name}, tb.cols, pgx.CopyFromRows(tb.rows)); err != nil {
			t.Fatal(err)
		}
	}
	srid := pgtest.PlaneSRID(t, pool, s.Proj.Origin())
	named := map[string]any{"srid": srid, "truck": p.TruckWidthM, "snap": p.StationSnapM}
	for _, step := range pgRoadGraph {
		var args []any
		for _, a := range step.args {
			args = append(args, named[a])
		}
		if _, err := pool.Exec(ctx, fmt.Sprintf(step.sql, q), args...); err != nil {
			t.Fatalf("%v in\n%s", err, fmt.Sprintf(step.sql, q))
		}
	}
	var nEdges, nStarts int
	if err := pool.QueryRow(ctx, fmt.Sprintf("SELECT (SELECT count(*) FROM %[1]s.edges), (SELECT count(*) FROM %[1]s.starts)", q)).Scan(&nEdges, &nStarts); err != nil {
		t.Fatal(err)
	}
	if nStarts != len(r.Starts) {
		t.Fatalf("%d stations placed in SQL, %d by fireplan", nStarts, len(r.Starts))
	}
	rows, err := pool.Query(ctx, fmt.Sprintf(pgArrivals, q), srid, p.AccessMaxM, p.AccessSpeedMps)
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

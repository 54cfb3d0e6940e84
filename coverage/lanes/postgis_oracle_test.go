package lanes_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/lanes"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
)

// pgWays builds the ways in from the layers alone, in PostGIS: usable fire
// lanes, and the roads a truck fits (width and speed by class where
// unknown) less, for all but the through streets, what lies inside an old
// district farther than the boundary tolerance from its outline
// (ST_Buffer by minus that tolerance). %[1]s is the schema; each step
// names its arguments.
var pgWays = []struct {
	sql  string
	args []string
}{
	{`CREATE TABLE %[1]s.dm AS SELECT id, ST_Transform(geom, $1::int) AS g FROM %[1]s.districts`, []string{"srid"}},
	{`CREATE TABLE %[1]s.deep AS SELECT ST_Union(ST_Buffer(g, -$1::float8)) AS g FROM %[1]s.dm`, []string{"tol"}},
	{`CREATE TABLE %[1]s.ways AS
	SELECT ST_Transform(geom, $1::int) AS g FROM %[1]s.fire_lanes
	WHERE status IS DISTINCT FROM 'obstructed' AND coalesce(width_m >= $2, true) AND coalesce(clear_height_m >= $3, true)
	UNION ALL
	SELECT CASE WHEN r.class IN ('motorway', 'trunk', 'primary', 'secondary', 'tertiary') OR NOT ST_Intersects(rm, deep.g) THEN rm
		ELSE ST_Difference(rm, deep.g) END
	FROM %[1]s.roads r JOIN %[1]s.classes c USING (class), ST_Transform(r.geom, $1::int) rm, %[1]s.deep
	WHERE coalesce(r.width_m, c.width) >= $4 AND coalesce(r.speed_kmh, c.speed) > 0`, []string{"srid", "width", "height", "truck"}},
	{`CREATE INDEX ON %[1]s.ways USING gist (g)`, nil},
	{`CREATE TABLE %[1]s.bm AS SELECT b.id, ST_Transform(b.geom, $1::int) AS g FROM %[1]s.buildings b`, []string{"srid"}},
	{`CREATE INDEX ON %[1]s.bm USING gist (g)`, nil},
}

// pgWayDist is, per building whose centre lies in an old district, the
// metres to the nearest way in within $1 (null beyond).
const pgWayDist = `
SELECT bm.id, (SELECT min(ST_Distance(bm.g, w.g)) FROM %[1]s.ways w WHERE ST_DWithin(bm.g, w.g, $1))
FROM %[1]s.bm JOIN %[1]s.dm ON ST_Contains(dm.g, ST_Centroid(bm.g))`

// TestReachEqualsPostGIS compares each old-district building's distance to
// the nearest way in, and so whether a truck reaches it, with ST_DWithin
// over ways PostGIS cuts from the layers. fireplan judges minor roads in
// pieces of 2 m by their middles, so a way in ends up to 1 m off: the two
// may disagree only where a building is within that of the reach.
func TestReachEqualsPostGIS(t *testing.T) {
	for _, county := range []struct {
		name string
		snap func(testing.TB) *data.Snapshot
	}{{"sample", fixture.Sample}, {"variant", fixture.Variant}} {
		t.Run(county.name, func(t *testing.T) {
			s := county.snap(t)
			rp := response.DefaultParams()
			p := lanes.DefaultParams()
			a := lanes.Districts(fixture.Respond(t, s, rp), p)
			pool := pgtest.Pool(t)
			schema := pgtest.Schema(t, pool)
			ctx := context.Background()
			set := &data.Set{Roads: s.Roads.Items, Buildings: s.Buildings.Items, Districts: s.Districts.Items, FireLanes: s.FireLanes.Items}
			if err := data.Write(ctx, pool, set, schema); err != nil {
				t.Fatal(err)
			}
			q := pgx.Identifier{schema}.Sanitize()
			var classes [][]any
			for c, v := range rp.SpeedKmh {
				classes = append(classes, []any{c, v, rp.WidthM[c]})
			}
			if _, err := pool.Exec(ctx, fmt.Sprintf("CREATE TABLE %s.classes (class text, speed float8, width float8)", q)); err != nil {
				t.Fatal(err)
			}
			if _, err := pool.CopyFrom(ctx, pgx.Identifier{schema, "classes"}, []string{"class", "speed", "width"}, pgx.CopyFromRows(classes)); err != nil {
				t.Fatal(err)
			}
			srid := pgtest.PlaneSRID(t, pool, s.Proj.Origin())
			named := map[string]any{"srid": srid, "tol": lanes.BoundaryTolM, "width": p.MinWidthM, "height": p.MinHeightM, "truck": rp.TruckWidthM}
			for _, step := range pgWays {
				var args []any
				for _, n := range step.args {
					args = append(args, named[n])
				}
				if _, err := pool.Exec(ctx, fmt.Sprintf(step.sql, q), args...); err != nil {
					t.Fatalf("%v in\n%s", err, fmt.Sprintf(step.sql, q))
				}
			}
			rows, err := pool.Query(ctx, fmt.Sprintf(pgWayDist, q), p.ReachM)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			index := map[string]int{}
			for i, b := range s.Buildings.Items {
				index[b.ID] = i
			}
			const slack = 1.01 // metres: half a piece, and the planes' rounding
			compared, beyond, bad, nearReach, worst := 0, 0, 0, 0, 0.0
			for rows.Next() {
				var id string
				var want *float64
				if err := rows.Scan(&id, &want); err != nil {
					t.Fatal(err)
				}
				i := index[id]
				if math.IsNaN(a.WayM[i]) {
					t.Errorf("building %s: in a district for PostGIS, not for fireplan", id)
					continue
				}
				compared++
				got := a.WayM[i]
				pg := math.Inf(1)
				if want != nil {
					pg = *want
				}
				if a.Beyond(i) {
					beyond++
				}
				near := math.Abs(got-p.ReachM) <= slack || math.Abs(pg-p.ReachM) <= slack
				if near {
					nearReach++
				}
				if !math.IsInf(pg, 1) && !math.IsInf(got, 1) {
					worst = math.Max(worst, math.Abs(got-pg))
				}
				if !near && (a.Beyond(i) != (pg > p.ReachM) || !math.IsInf(pg, 1) && math.Abs(got-pg) > slack) {
					t.Errorf("building %s: fireplan %.3f m to a way in (beyond %v), PostGIS %.3f m", id, got, a.Beyond(i), pg)
					if bad++; bad > 10 {
						t.FailNow()
					}
				}
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			inDistricts := 0
			for _, k := range a.Member.District {
				if k >= 0 {
					inDistricts++
				}
			}
			if compared != inDistricts || compared < 200 || beyond == 0 || beyond == compared {
				t.Fatalf("%d buildings compared of %d in districts, %d beyond reach: nothing to check", compared, inDistricts, beyond)
			}
			t.Logf("%d buildings in old districts, %d beyond a truck's reach, %d within %g m of the reach; largest difference %.3f m",
				compared, beyond, nearReach, slack, worst)
		})
	}
}

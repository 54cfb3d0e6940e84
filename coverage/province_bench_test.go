package coverage

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"testing"

	"fireplan/coverage/clusters"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// provinceQuestion is one of cmd/scalebench's questions: the catalogue
// entry and the parameters scalebench asks it at (def: beside the
// defaults).
type provinceQuestion struct{ name, entry, def, fresh string }

// provinceQuestions are cmd/scalebench's, with the same new parameters.
var provinceQuestions = []provinceQuestion{
	{"coverage_summary", "coverage_summary", "", "truck_width_m=2.7"},
	{"coverage_gaps", "coverage_gaps", "", "minutes=7"},
	{"hydrant_gaps", "hydrant_gaps", "", "radius_m=140"},
	{"hydrant_plan", "hydrant_proposals", "count=20", "count=20&radius_m=140"},
	{"cluster_ledger", "cluster_ledger", "", "separation_m=7"},
	{"fire_lanes", "fire_lane_districts", "", "min_width_m=3.5"},
	{"station_siting", "station_siting", "k=3", "k=3&truck_width_m=2.7"},
}

// provinceValues returns the catalogue entry name and query's values for it.
func provinceValues(b *testing.B, c *Catalog, name, query string) (*Entry, Values) {
	e, ok := c.Entry(name)
	if !ok {
		b.Fatalf("no entry %s", name)
	}
	raw, err := url.ParseQuery(query)
	if err != nil {
		b.Fatal(err)
	}
	v, err := e.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	return e, v
}

// provinceAnswer is what both sides count for a question: the figures
// compared, by name.
type provinceAnswer map[string]float64

// BenchmarkProvince asks cmd/scalebench's questions of 20 sample counties
// side by side (1.05 million buildings), fireplan and PostGIS/pgRouting in
// one run. ours/<question>/default computes from the snapshot with nothing
// cached, as PostGIS starts from its tables; ours/<question>/new asks the
// new parameters of a catalogue that holds the defaults, as a running
// server would. postgis/<question>/<params> builds every input in SQL
// from the raw tables (the road graph noded by fixture.PgRoadGraph, not
// taken from fireplan); postgis/coverage answers the summary and the gaps
// from one table of arrivals (postgis/coverage/<params>/graph, then
// /arrivals). The year's hydrant plan and station siting are
// optimisations PostGIS has no primitive for: they have no postgis side.
// Each question's answers are then compared, within the tolerance its
// check states.
func BenchmarkProvince(b *testing.B) {
	ctx := context.Background()
	s := fixture.Scale20(b)
	base := response.DefaultParams()
	newCatalog := func(b *testing.B) *Catalog {
		c, err := New(base, 1<<30)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	values := func(b *testing.B, c *Catalog, q provinceQuestion, fresh bool) (*Entry, Values) {
		query := q.def
		if fresh {
			query = q.fresh
		}
		return provinceValues(b, c, q.entry, query)
	}
	for _, q := range provinceQuestions {
		b.Run("ours/"+q.name+"/default", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				c := newCatalog(b)
				e, v := values(b, c, q, false)
				if _, err := c.Table(ctx, e, s, v); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ours/"+q.name+"/new", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				c := newCatalog(b)
				e, v := values(b, c, q, false)
				if _, err := c.Table(ctx, e, s, v); err != nil {
					b.Fatal(err)
				}
				_, v = values(b, c, q, true)
				b.StartTimer()
				if _, err := c.Table(ctx, e, s, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	ours := provinceOurs(b, s, newCatalog(b))

	pool := pgtest.Pool(b)
	schema := pgtest.Schema(b, pool)
	pg := provincePostGIS(b, pool, schema, s)
	theirs := map[string]provinceAnswer{}
	for _, t := range pg.timed {
		b.Run("postgis/"+t.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				theirs[t.name] = t.run(b)
			}
		})
	}
	for _, c := range provinceChecks {
		o, t := ours[c.ours], theirs[c.theirs]
		if t == nil { // not asked in this run (-bench chose others)
			continue
		}
		for _, k := range c.keys {
			d := math.Abs(o[k] - t[k])
			tol := c.tol * math.Max(1, math.Abs(t[k]))
			if !(d <= tol) {
				b.Errorf("%s %s: fireplan %g, PostGIS %g (tolerance %g)", c.ours, k, o[k], t[k], tol)
				continue
			}
			b.Logf("%s %s: fireplan %g, PostGIS %g", c.ours, k, o[k], t[k])
		}
	}
}

// provinceChecks pair fireplan's answer with PostGIS's, with the relative
// tolerance their definitions allow.
var provinceChecks = []struct {
	ours, theirs string
	keys         []string
	tol          float64
}{
	// Both reach a building at its wall, but fireplan joins road ends
	// nearer than its noding tolerance where the SQL nodes at shared
	// vertices only, and the SQL places a village's buildings by their
	// centroids in lon/lat: 0.2% apart at most on the sample, 0.06% at
	// scale 20.
	{"coverage/default", "coverage/default/arrivals", []string{"covered_5min", "covered_8min", "covered_15min", "uncovered_7min", "uncovered_villages"}, 0.005},
	{"coverage/new", "coverage/new/arrivals", []string{"covered_5min", "covered_8min", "covered_15min"}, 0.005},
	// The same straight-line radius and the same centroid test for
	// built-up areas: exact.
	{"hydrants/default", "hydrant_gaps/default", []string{"buildings", "households"}, 0},
	{"hydrants/new", "hydrant_gaps/new", []string{"buildings", "households"}, 0},
	// Single linkage at the separation is ST_ClusterDBSCAN with minpoints
	// 1: exact.
	{"clusters/default", "cluster_ledger/default", []string{"clusters", "tier_30-49", "tier_50-99", "tier_100+"}, 0},
	{"clusters/new", "cluster_ledger/new", []string{"clusters", "tier_30-49", "tier_50-99", "tier_100+"}, 0},
	// fireplan rounds each lane to 0.1 m and each district's sum to 1 m.
	{"lanes/default", "fire_lanes/default", []string{"narrow_lanes", "districts_without_lanes", "unmatched"}, 0},
	{"lanes/default", "fire_lanes/default", []string{"narrow_m"}, 0.001},
	{"lanes/new", "fire_lanes/new", []string{"narrow_lanes", "districts_without_lanes", "unmatched"}, 0},
	{"lanes/new", "fire_lanes/new", []string{"narrow_m"}, 0.001},
}

// provinceOurs counts fireplan's answers to the compared questions, at the
// defaults and the new parameters. Hydrant gaps are counted in straight
// lines, the radius ST_DWithin measures (the served default measures along
// streets).
func provinceOurs(b *testing.B, s *data.Snapshot, c *Catalog) map[string]provinceAnswer {
	ctx := context.Background()
	out := map[string]provinceAnswer{}
	entry := func(name string, query string) Values {
		_, v := provinceValues(b, c, name, query)
		return v
	}
	for _, p := range []string{"default", "new"} {
		pick := func(def, fresh string) string {
			if p == "new" {
				return fresh
			}
			return def
		}
		r, err := c.response(ctx, s, entry("coverage_summary", pick("", "truck_width_m=2.7")))
		if err != nil {
			b.Fatal(err)
		}
		a := provinceAnswer{}
		villages := map[int32]bool{}
		for i, arr := range r.Buildings {
			hh := float64(s.Buildings.Items[i].Households)
			for _, m := range []float64{5, 8, 15} {
				if arr.Reach == response.Reached && arr.T <= m*60 {
					a[fmt.Sprintf("covered_%gmin", m)] += hh
				}
			}
			if !(arr.Reach == response.Reached && arr.T <= 7*60) {
				a["uncovered_7min"] += hh
				if v := r.Member.Village[i]; v >= 0 {
					villages[v] = true
				}
			}
		}
		a["uncovered_villages"] = float64(len(villages))
		out["coverage/"+p] = a
		h, err := c.hydrants(ctx, s, entry("hydrant_gaps", pick("mode=straight", "mode=straight&radius_m=140")))
		if err != nil {
			b.Fatal(err)
		}
		a = provinceAnswer{"buildings": float64(len(h.BuildingGaps))}
		for _, i := range h.BuildingGaps {
			a["households"] += float64(s.Buildings.Items[i].Households)
		}
		out["hydrants/"+p] = a
		cs, err := c.clusters(ctx, s, entry("cluster_ledger", pick("", "separation_m=7")))
		if err != nil {
			b.Fatal(err)
		}
		a = provinceAnswer{"clusters": float64(len(cs.Clusters))}
		for _, cl := range cs.Clusters {
			a["tier_"+clusters.Tier(cl.Households)]++
		}
		out["clusters/"+p] = a
		ac, err := c.access(ctx, s, entry("fire_lane_districts", pick("", "min_width_m=3.5")))
		if err != nil {
			b.Fatal(err)
		}
		a = provinceAnswer{"narrow_lanes": 0, "districts_without_lanes": 0}
		for _, l := range ac.Lanes {
			if l.Narrow {
				a["narrow_lanes"]++
			}
		}
		for _, d := range ac.Districts {
			a["narrow_m"] += d.NarrowM
			if d.Lanes == 0 {
				a["districts_without_lanes"]++
			}
		}
		out["lanes/"+p] = a
	}
	return out
}

// provinceSQL holds the PostGIS side: the layers written to a schema and
// the timed questions on them.
type provinceSQL struct {
	timed []struct {
		name string
		run  func(b *testing.B) provinceAnswer
	}
}

// provincePostGIS writes every layer of s into schema, as `fireplan
// import` would, adds what a PostGIS user prepares once (copies in our
// plane with GiST indexes, the class tables, building centroids), and
// returns the questions in SQL.
func provincePostGIS(b *testing.B, pool *pgxpool.Pool, schema string, s *data.Snapshot) *provinceSQL {
	ctx := context.Background()
	set := &data.Set{Hydrants: s.Hydrants.Items, Stations: s.Stations.Items, Roads: s.Roads.Items, Buildings: s.Buildings.Items,
		Villages: s.Villages.Items, Districts: s.Districts.Items, FireLanes: s.FireLanes.Items, Townships: s.Townships.Items, Builtup: s.Builtup.Items}
	if err := data.Write(ctx, pool, set, schema); err != nil {
		b.Fatal(err)
	}
	q := pgx.Identifier{schema}.Sanitize()
	srid := pgtest.PlaneSRID(b, pool, s.Proj.Origin())
	fixture.MetricCopies(b, pool, schema, srid)
	fixture.PgClasses(b, pool, schema, response.DefaultParams())
	exec := func(b *testing.B, sql string, args ...any) {
		b.Helper()
		if _, err := pool.Exec(ctx, fmt.Sprintf(sql, q), args...); err != nil {
			b.Fatalf("%v in\n%s", err, fmt.Sprintf(sql, q))
		}
	}
	// Buildings with households and centroid in our plane (bc), their
	// own geometry in lon/lat as fixture.PgArrivals reads it (pts),
	// built-up areas in our plane (um).
	exec(b, `CREATE TABLE %[1]s.bc AS SELECT row_number() OVER (ORDER BY b.id)::int AS k, b.id, coalesce(b.households, 1) AS hh, bm.g, ST_Centroid(bm.g) AS c
	FROM %[1]s.buildings b JOIN %[1]s.bm USING (id)`)
	exec(b, `CREATE TABLE %[1]s.pts AS SELECT k AS id, geom FROM %[1]s.buildings JOIN %[1]s.bc USING (id)`)
	exec(b, `CREATE TABLE %[1]s.um AS SELECT id, ST_Transform(geom, $1::int) AS g FROM %[1]s.builtup`, srid)
	exec(b, `CREATE INDEX ON %[1]s.bc USING gist (g); CREATE INDEX ON %[1]s.bc (k); CREATE INDEX ON %[1]s.um USING gist (g);
	ANALYZE %[1]s.bc; ANALYZE %[1]s.pts; ANALYZE %[1]s.um`)
	scan := func(b *testing.B, keys []string, sql string, args ...any) provinceAnswer {
		b.Helper()
		vals := make([]float64, len(keys))
		ptrs := make([]any, len(keys))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := pool.QueryRow(ctx, fmt.Sprintf(sql, q), args...).Scan(ptrs...); err != nil {
			b.Fatalf("%v in\n%s", err, fmt.Sprintf(sql, q))
		}
		a := provinceAnswer{}
		for i, k := range keys {
			a[k] = vals[i]
		}
		return a
	}
	p := &provinceSQL{}
	add := func(name string, run func(b *testing.B) provinceAnswer) {
		p.timed = append(p.timed, struct {
			name string
			run  func(b *testing.B) provinceAnswer
		}{name, run})
	}
	for _, par := range []struct {
		name                      string
		truck, radius, sep, width float64
	}{{"default", 4, 150, 6, 4}, {"new", 2.7, 140, 7, 3.5}} {
		rp := response.DefaultParams()
		rp.TruckWidthM = par.truck
		// Coverage: the graph noded in SQL and pgr_drivingDistance from
		// every active station (graph), then every building's arrival, the
		// households within each target and the uncovered list (per
		// village, at 7 min: the gaps' new parameter) on that graph
		// (arrivals).
		add("coverage/"+par.name+"/graph", func(b *testing.B) provinceAnswer {
			b.StopTimer()
			for _, t := range append([]string{"arr"}, fixture.RoadGraphTables...) {
				exec(b, "DROP TABLE IF EXISTS %[1]s."+pgx.Identifier{t}.Sanitize())
			}
			b.StartTimer()
			fixture.PgRoadGraph(b, pool, schema, srid, rp)
			return nil
		})
		add("coverage/"+par.name+"/arrivals", func(b *testing.B) provinceAnswer {
			b.StopTimer()
			exec(b, "DROP TABLE IF EXISTS %[1]s.arr")
			b.StartTimer()
			exec(b, `CREATE TABLE %[1]s.arr AS SELECT a.id, a.reach, a.t FROM (`+fixture.PgArrivals+`) a (id, reach, t, walk)`, srid, rp.AccessMaxM, rp.AccessSpeedMps)
			a := scan(b, []string{"covered_5min", "covered_8min", "covered_15min", "uncovered_7min"}, `SELECT
				coalesce(sum(hh) FILTER (WHERE reach = 0 AND t <= 300), 0), coalesce(sum(hh) FILTER (WHERE reach = 0 AND t <= 480), 0),
				coalesce(sum(hh) FILTER (WHERE reach = 0 AND t <= 900), 0), coalesce(sum(hh) FILTER (WHERE NOT (reach = 0 AND t <= 420)), 0)
				FROM %[1]s.arr JOIN %[1]s.bc ON bc.k = arr.id`)
			a["uncovered_villages"] = scan(b, []string{"n"}, `SELECT count(*) FROM (SELECT v.id FROM %[1]s.arr JOIN %[1]s.bc ON bc.k = arr.id
				JOIN %[1]s.villages v ON ST_Contains(v.geom, ST_Transform(bc.c, 4326)) WHERE NOT (reach = 0 AND t <= 420) GROUP BY v.id) x`)["n"]
			return a
		})
		// Hydrant gaps: built-up buildings (centroid inside) farther than
		// the radius, in straight lines, from every working hydrant.
		add("hydrant_gaps/"+par.name, func(b *testing.B) provinceAnswer {
			return scan(b, []string{"buildings", "households"}, `SELECT count(*), coalesce(sum(hh), 0) FROM %[1]s.bc
				WHERE EXISTS (SELECT 1 FROM %[1]s.um WHERE ST_Contains(um.g, bc.c))
				AND NOT EXISTS (SELECT 1 FROM %[1]s.hm WHERE ST_DWithin(hm.g, bc.g, $1))`, par.radius)
		})
		// Cluster ledger: rural buildings (centroid outside every built-up
		// area) joined by ST_ClusterDBSCAN at the separation, counted by
		// households per tier.
		add("cluster_ledger/"+par.name, func(b *testing.B) provinceAnswer {
			return scan(b, []string{"clusters", "tier_30-49", "tier_50-99", "tier_100+"}, `WITH r AS (
				SELECT g, hh FROM %[1]s.bc WHERE NOT EXISTS (SELECT 1 FROM %[1]s.um WHERE ST_Contains(um.g, bc.c))
			), k AS (SELECT ST_ClusterDBSCAN(g, eps => $1, minpoints => 1) OVER () AS cid, hh FROM r
			), h AS (SELECT sum(hh) AS hh FROM k GROUP BY cid)
			SELECT count(*), count(*) FILTER (WHERE hh >= 30 AND hh < 50), count(*) FILTER (WHERE hh >= 50 AND hh < 100),
				count(*) FILTER (WHERE hh >= 100) FROM h`, par.sep)
		})
		// Fire lanes: lanes narrower than the least width, their length,
		// and the old districts without a lane. Every lane names its
		// district in the sample (unmatched counts them, and must be 0).
		add("fire_lanes/"+par.name, func(b *testing.B) provinceAnswer {
			return scan(b, []string{"narrow_lanes", "narrow_m", "districts_without_lanes", "unmatched"}, `SELECT
				count(*) FILTER (WHERE l.width_m < $1), coalesce(sum(ST_Length(ST_Transform(l.geom, $2::int))) FILTER (WHERE l.width_m < $1), 0),
				(SELECT count(*) FROM %[1]s.districts d WHERE NOT EXISTS (SELECT 1 FROM %[1]s.fire_lanes x WHERE x.district_id = d.id)),
				count(*) FILTER (WHERE d.id IS NULL)
				FROM %[1]s.fire_lanes l LEFT JOIN %[1]s.districts d ON d.id = l.district_id`, par.width, srid)
		})
	}
	return p
}

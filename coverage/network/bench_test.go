package network_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/pgtest"

	"github.com/paulmach/orb"
)

func BenchmarkGraphBuild(b *testing.B) {
	ctx := context.Background()
	for _, c := range fixture.BenchCounties() {
		s := c.Snap(b)
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := network.Truck(ctx, s, network.DefaultProfile(), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reachLimit is the largest default target, 15 minutes, in seconds.
const reachLimit = 900.0

// BenchmarkMultiSource is one multi-source run from every active station,
// the work pgr_drivingDistance does below: over the whole network ("full")
// and up to the largest default target ("15min").
func BenchmarkMultiSource(b *testing.B) {
	for _, c := range fixture.BenchCounties() {
		r := fixture.Respond(b, c.Snap(b), response.DefaultParams())
		g, seeds := r.Graph, r.Seeds
		var t network.Times
		for _, lim := range []struct {
			name  string
			limit float64
		}{{"full", math.Inf(1)}, {"15min", reachLimit}} {
			b.Run(c.Name+"/"+lim.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					g.RunInto(&t, seeds, lim.limit)
				}
				b.ReportMetric(float64(len(g.Edges)), "edges")
			})
		}
	}
}

// BenchmarkPgrDrivingDistance runs pgRouting on the same edges and seeds.
// "single" starts from one virtual node joined to every seed (one tree, the
// same work as ours); "multi" passes every seed as a start with equicost =>
// false and keeps each node's least cost (the oracle test's query), and
// "equicost" the same with equicost => true (pgRouting 3.4 answers it wrong,
// see fixture.SQLDrivingDistance). Multi-start forms return a row per start
// and node in reach, so they run to 15 minutes only.
func BenchmarkPgrDrivingDistance(b *testing.B) {
	pool := pgtest.Pool(b)
	for _, c := range fixture.BenchCounties() {
		r := fixture.Respond(b, c.Snap(b), response.DefaultParams())
		g, seeds := r.Graph, r.Seeds
		schema := pgtest.Schema(b, pool)
		table, starts := fixture.PgrEdges(b, pool, schema, g, seeds)
		// One virtual node ahead of all seed nodes, for the single-source form.
		super := int64(len(g.Nodes) + len(seeds) + 1)
		if _, err := pool.Exec(context.Background(), fmt.Sprintf(
			"INSERT INTO %s SELECT 10000000 + row_number() OVER (), %d, source, 0, -1 FROM %s WHERE source > %d", table, super, table, len(g.Nodes)),
		); err != nil {
			b.Fatal(err)
		}
		edges := "SELECT id, source, target, cost, reverse_cost FROM " + table
		for _, q := range []struct {
			name, sql string
			start     any
			limit     float64
		}{
			{"single/full", `SELECT node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => true)`, super, 1e9},
			{"single/15min", `SELECT node, agg_cost FROM pgr_drivingDistance($1, $2::bigint, $3::float8, directed => true)`, super, reachLimit},
			{"multi/15min", fixture.SQLDrivingDistance, starts, reachLimit},
			{"equicost/15min", `SELECT node, agg_cost FROM pgr_drivingDistance($1, $2::bigint[], $3::float8, directed => true, equicost => true)`, starts, reachLimit},
		} {
			b.Run(c.Name+"/"+q.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					fixture.QueryRows(b, pool, q.sql, edges, q.start, q.limit)
				}
			})
		}
	}
}

// BenchmarkGraphMemory builds a graph of a million edges (a street grid of
// roads only) and reports the heap it holds.
func BenchmarkGraphMemory(b *testing.B) {
	const n = 708 // n x n nodes, 2n(n-1) ~ 1M edges
	t := fixture.NewTiny()
	for y := 0; y < n; y++ {
		row := make(orb.LineString, n)
		for x := 0; x < n; x++ {
			row[x] = t.LL(orb.Point{float64(x) * 50, float64(y) * 50})
		}
		for x := 1; x < n; x++ {
			t.Set.Roads = append(t.Set.Roads, data.Road{ID: fmt.Sprintf("h%d-%d", y, x), Geom: row[x-1 : x+1], Class: "residential"})
		}
		if y > 0 {
			for x := 0; x < n; x++ {
				a := t.LL(orb.Point{float64(x) * 50, float64(y-1) * 50})
				t.Set.Roads = append(t.Set.Roads, data.Road{ID: fmt.Sprintf("v%d-%d", y, x), Geom: orb.LineString{a, row[x]}, Class: "residential"})
			}
		}
	}
	s := data.NewSnapshot(&t.Set, "grid", nil)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		g, err := network.Truck(ctx, s, network.DefaultProfile(), nil)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(len(g.Edges)), "edges")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB-held")
		runtime.KeepAlive(g)
	}
}

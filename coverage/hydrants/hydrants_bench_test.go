package hydrants

import (
	"context"
	"fmt"
	"math"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/data/pgtest"
)

// BenchmarkProtectedBuildings answers "which buildings stand within 150 m
// of a working hydrant" in straight lines: ours over the R-tree, PostGIS by
// ST_DWithin on GiST-indexed tables already in our plane.
func BenchmarkProtectedBuildings(b *testing.B) {
	s := fixture.Sample(b)
	p := DefaultParams()
	p.Straight = true
	h := hydrantAnalysis(b, s, p)
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			n := 0
			for k := range s.Buildings.Metric {
				if h.straightWithin(s.Buildings.Metric[k], p.RadiusM) {
					n++
				}
			}
			if n == 0 {
				b.Fatal("none protected")
			}
		}
	})
	pool, q := fixture.MetricTables(b, s)
	b.Run("postgis", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var n int
			if err := pool.QueryRow(context.Background(), fmt.Sprintf(`SELECT count(*) FROM (`+sqlProtectedBuildings+`) x`, q), p.RadiusM).Scan(&n); err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkStreetProtection answers "which street points lie within 150 m of
// a working hydrant along streets": ours (multi-source run cut at the
// radius, then protected intervals of every edge) beside pgr_drivingDistance
// on the same edges, length cost, cut at the radius.
func BenchmarkStreetProtection(b *testing.B) {
	s := fixture.Sample(b)
	p := DefaultParams()
	h := hydrantAnalysis(b, s, p)
	st, seeds := h.St, h.Seeds
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		var t network.Times
		for i := 0; i < b.N; i++ {
			st.G.RunInto(&t, seeds, p.RadiusM)
			prot := 0.0
			for e := range st.G.Edges {
				l := st.G.Edges[e].Length
				gap := 0.0
				for _, iv := range subtract(l, h.protectedIntervals(int32(e))) {
					gap += iv.B - iv.A
				}
				prot += l - gap
			}
			if prot == 0 || math.IsNaN(prot) {
				b.Fatal("nothing protected")
			}
		}
	})
	pool := pgtest.Pool(b)
	table, starts := fixture.PgrEdges(b, pool, pgtest.Schema(b, pool), st.G, seeds)
	b.Run("pgrouting", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			fixture.QueryRows(b, pool, fixture.SQLDrivingDistance, "SELECT id, source, target, cost, reverse_cost FROM "+table, starts, p.RadiusM)
		}
	})
}

// BenchmarkHydrantAnalysis is the whole gap report, and the siting plan.
func BenchmarkHydrantAnalysis(b *testing.B) {
	ctx := context.Background()
	s := fixture.Sample(b)
	m := areas.New(s)
	st, err := NewStreets(ctx, s, network.DefaultProfile().NodeToleranceM)
	if err != nil {
		b.Fatal(err)
	}
	// The buildings' frontage is shared by every parameter set, as the
	// catalogue shares it: measured on its own below.
	f, err := NewFrontage(ctx, s, st, m)
	if err != nil {
		b.Fatal(err)
	}
	for _, straight := range []bool{false, true} {
		p := DefaultParams()
		p.Straight = straight
		b.Run(fmt.Sprintf("gaps/straight=%v", straight), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := New(ctx, s, p, st, m, f); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("plan/straight=%v", straight), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				h, err := New(ctx, s, p, st, m, f)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := h.Plan(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("frontage", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := NewFrontage(ctx, s, st, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("streets", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := NewStreets(ctx, s, network.DefaultProfile().NodeToleranceM); err != nil {
				b.Fatal(err)
			}
		}
	})
}

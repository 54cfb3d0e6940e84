package data_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/data/sample"
	"fireplan/geo"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

func BenchmarkSampleGenerate(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sample.Generate(sample.Options{Seed: sample.DefaultSeed})
	}
}

func BenchmarkSnapshotBuild(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
		b.StartTimer()
		data.NewSnapshot(set, "bench", nil)
	}
}

// BenchmarkSnapshotDerived builds the sample county without its built-up
// layer: the areas are derived from the buildings.
func BenchmarkSnapshotDerived(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
		set.Builtup = nil
		b.StartTimer()
		data.NewSnapshot(set, "bench", nil)
	}
}

// BenchmarkDeriveBuiltup derives built-up areas from the buildings of one
// sample county (44,499) and of twenty (1,054,543).
func BenchmarkDeriveBuiltup(b *testing.B) {
	for _, scale := range []int{1, 20} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			s := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed, Scale: scale}), "bench", nil)
			opt := data.DefaultOptions()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				data.DeriveBuiltup(s.Buildings, s.Proj, opt.BuiltupGapM, opt.BuiltupMinAreaM2)
			}
			b.ReportMetric(float64(s.Buildings.Len())*float64(b.N)/b.Elapsed().Seconds(), "buildings/s")
		})
	}
}

func BenchmarkPostGISLoad(b *testing.B) {
	pool := pgtest.Pool(b)
	schema := pgtest.Schema(b, pool)
	ctx := context.Background()
	set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
	if err := data.Write(ctx, pool, set, schema); err != nil {
		b.Fatal(err)
	}
	n := len(set.Hydrants) + len(set.Stations) + len(set.Roads) + len(set.Buildings) + len(set.Villages) +
		len(set.Districts) + len(set.FireLanes) + len(set.Townships) + len(set.Builtup)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := data.Load(ctx, pool, &data.Config{Schema: schema}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "features/s")
}

// BenchmarkReload times what a server following the database does: the
// change signature of the nine tables (each poll), and a reload after one
// hydrant was edited, which re-reads the hydrants only and builds them
// alone into the snapshot, beside the full read and build a reload was
// before.
func BenchmarkReload(b *testing.B) {
	pool, schema := sampleInPostGIS(b)
	ctx := context.Background()
	cfg := &data.Config{Schema: schema}
	edit := fmt.Sprintf("UPDATE %s.hydrants SET status = CASE status WHEN 'broken' THEN 'working' ELSE 'broken' END WHERE id = (SELECT min(id) FROM %[1]s.hydrants)",
		pgx.Identifier{schema}.Sanitize())
	b.Run("signature", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := data.Signature(ctx, pool, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hydrant-edited", func(b *testing.B) {
		var l data.Loader
		if _, _, err := l.Snapshot(ctx, pool, cfg, "bench", data.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := pool.Exec(ctx, edit); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, _, err := l.Snapshot(ctx, pool, cfg, "bench", data.DefaultOptions()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("full", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			set, rep, err := data.Load(ctx, pool, cfg)
			if err != nil {
				b.Fatal(err)
			}
			data.NewSnapshot(set, "bench", rep)
		}
	})
}

func sampleSnapshot(b *testing.B) *data.Snapshot {
	return data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "bench", nil)
}

// BenchmarkBuildingsWithin150m asks, for one hydrant at a time, which
// buildings stand within 150 m (edge distance, metres).
func BenchmarkBuildingsWithin150m(b *testing.B) {
	s := sampleSnapshot(b)
	hy := s.Hydrants.Metric
	b.ReportAllocs()
	b.ResetTimer()
	found := 0
	for i := 0; i < b.N; i++ {
		p := hy[i%len(hy)].(orb.Point)
		s.Buildings.MIndex.Within(p, 150, func(j int32) float64 { return geo.PointDistance(p, s.Buildings.Metric[j]) },
			func(int32, float64) bool { found++; return true })
	}
	b.ReportMetric(float64(found)/float64(b.N), "hits/op")
}

// BenchmarkNearest8Hydrants asks, for one building at a time, for its 8
// nearest hydrants.
func BenchmarkNearest8Hydrants(b *testing.B) {
	s := sampleSnapshot(b)
	bs := s.Buildings.Metric
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := bs[i%len(bs)].Bound().Center()
		s.Hydrants.MIndex.Nearest(p, 8, math.Inf(1), func(j int32) float64 { return geo.Dist(p, s.Hydrants.Metric[j].(orb.Point)) })
	}
}

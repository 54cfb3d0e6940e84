package clusters

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/data/sample"

	"github.com/jackc/pgx/v5"
)

// BenchmarkClusters partitions the sample's rural buildings: ours beside
// ST_ClusterDBSCAN on a GiST-indexed table already in our plane.
func BenchmarkClusters(b *testing.B) {
	ctx := context.Background()
	s := fixture.Sample(b)
	m := areas.New(s)
	c, err := New(ctx, s, DefaultParams(), m, nil)
	if err != nil {
		b.Fatal(err)
	}
	// The partition alone is the question ST_ClusterDBSCAN answers.
	b.Run("ours/partition", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := c.partition(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(c.Rural)), "buildings")
	})
	b.Run("ours/ledger", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c, err := New(ctx, s, DefaultParams(), m, nil)
			if err != nil {
				b.Fatal(err)
			}
			c.Ledger()
		}
	})
	pool := pgtest.Pool(b)
	schema := pgtest.Schema(b, pool)
	var rural []data.Building
	for _, i := range c.Rural {
		rural = append(rural, s.Buildings.Items[i])
	}
	if err := data.Write(ctx, pool, &data.Set{Buildings: rural}, schema); err != nil {
		b.Fatal(err)
	}
	q := pgx.Identifier{schema}.Sanitize()
	srid := pgtest.PlaneSRID(b, pool, s.Proj.Origin())
	if _, err := pool.Exec(ctx, fmt.Sprintf(`CREATE TABLE %[1]s.rm AS SELECT id, ST_Transform(geom, %[2]d) AS g FROM %[1]s.buildings;
CREATE INDEX ON %[1]s.rm USING gist (g); ANALYZE %[1]s.rm`, q, srid)); err != nil {
		b.Fatal(err)
	}
	b.Run("postgis", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var n int
			err := pool.QueryRow(ctx, fmt.Sprintf(`SELECT count(DISTINCT cid) FROM (SELECT ST_ClusterDBSCAN(g, eps => 6, minpoints => 1) OVER () AS cid FROM %s.rm) x`, q)).Scan(&n)
			if err != nil || n != len(c.Clusters) {
				b.Fatalf("%d clusters from PostGIS, %d ours: %v", n, len(c.Clusters), err)
			}
		}
	})
}

var (
	scale50Once sync.Once
	scale50     *data.Snapshot
)

// BenchmarkClustersScale50 clusters 50 counties side by side (2M+ buildings).
func BenchmarkClustersScale50(b *testing.B) {
	scale50Once.Do(func() {
		scale50 = data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed, Scale: 50}), "scale 50", nil)
	})
	s := scale50
	m := areas.New(s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := New(context.Background(), s, DefaultParams(), m, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(s.Buildings.Len()), "buildings")
		b.ReportMetric(float64(len(c.Rural)), "rural")
	}
}

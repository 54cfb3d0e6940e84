package clusters

import (
	"context"
	"fmt"
	"testing"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/fixture"
	"fireplan/data"
	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
)

// clusters runs the cluster analysis of s with p, without arrival times.
func clusters(t testing.TB, s *data.Snapshot, p Params) *Clusters {
	t.Helper()
	c, err := New(context.Background(), s, p, areas.New(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func clustersOf(t testing.TB, n *fixture.Tiny, p Params) *Clusters {
	t.Helper()
	return clusters(t, n.Snapshot(), p)
}

func TestClustersOnHandMadeLayouts(t *testing.T) {
	t.Run("chain 5 m apart is one cluster", func(t *testing.T) {
		n := fixture.NewTiny()
		for i := 0; i < 12; i++ { // 10 m houses, 5 m gaps: 180 m end to end
			n.House(fmt.Sprintf("h%02d", i), float64(i)*15, 0, 10, 8, 3, "wood")
		}
		c := clustersOf(t, n, DefaultParams())
		if len(c.Clusters) != 1 || c.Clusters[0].Households != 36 || len(c.Clusters[0].Buildings) != 12 {
			t.Fatalf("clusters %+v", c.Clusters)
		}
		if cl := c.Clusters[0]; cl.ID != "cl-h00" || cl.WoodShare != 1 || cl.Tier != "30-49" {
			t.Fatalf("cluster %s wood %g tier %s", cl.ID, cl.WoodShare, cl.Tier)
		}
	})
	t.Run("groups 7 m apart with 6 m separation are two", func(t *testing.T) {
		n := fixture.NewTiny()
		n.House("a1", 0, 0, 10, 8, 20, "brick")
		n.House("a2", 14, 0, 10, 8, 15, "brick") // 4 m from a1
		n.House("b1", 31, 0, 10, 8, 40, "brick") // 7 m from a2
		n.House("b2", 31, 12, 10, 8, 60, "brick")
		c := clustersOf(t, n, DefaultParams())
		if len(c.Clusters) != 2 || c.Clusters[0].Households != 100 || c.Clusters[1].Households != 35 {
			t.Fatalf("clusters %+v", c.Clusters)
		}
		p := DefaultParams()
		p.SeparationM = 7.5
		if c := clustersOf(t, n, p); len(c.Clusters) != 1 {
			t.Fatalf("7.5 m separation: %d clusters", len(c.Clusters))
		}
	})
	t.Run("timber spacing by structure", func(t *testing.T) {
		n := fixture.NewTiny()
		n.House("w1", 0, 0, 10, 8, 1, "wood")
		n.House("w2", 21, 0, 10, 8, 1, "wood")      // 11 m: timber to timber needs 12
		n.House("c1", 100, 0, 10, 8, 1, "concrete") // 11 m from c2: grades I-II need 6
		n.House("c2", 121, 0, 10, 8, 1, "concrete")
		p := DefaultParams()
		p.ByStructure = true
		c := clustersOf(t, n, p)
		if len(c.Clusters) != 3 {
			t.Fatalf("by structure: %d clusters, want w1+w2, c1, c2", len(c.Clusters))
		}
	})
	t.Run("tiers at their bounds", func(t *testing.T) {
		for _, tc := range []struct {
			h    int
			want string
		}{{29, "<30"}, {30, "30-49"}, {49, "30-49"}, {50, "50-99"}, {99, "50-99"}, {100, "100+"}, {0, "<30"}} {
			n := fixture.NewTiny()
			n.House("x", 0, 0, 10, 8, tc.h, "brick")
			if got := clustersOf(t, n, DefaultParams()).Clusters[0].Tier; got != tc.want {
				t.Errorf("%d households: tier %s, want %s", tc.h, got, tc.want)
			}
		}
	})
	t.Run("built-up buildings stay out", func(t *testing.T) {
		n := fixture.NewTiny()
		n.House("in", 0, 0, 10, 8, 1, "brick")
		n.House("out", 500, 0, 10, 8, 1, "brick")
		n.BuiltupAround(-50, -50, 50, 50)
		c := clustersOf(t, n, DefaultParams())
		if len(c.Clusters) != 1 || c.Clusters[0].ID != "cl-out" {
			t.Fatalf("clusters %+v", c.Clusters)
		}
	})
}

func TestClustersEqualSTClusterDBSCAN(t *testing.T) {
	for _, county := range fixture.Counties() {
		snap := county.Snap
		if county.Rural != nil {
			snap = county.Rural
		}
		t.Run(county.Name, func(t *testing.T) { clustersEqualDBSCAN(t, snap(t), county.Min) })
	}
}

func clustersEqualDBSCAN(t *testing.T, s *data.Snapshot, useful fixture.Useful) {
	c := clusters(t, s, DefaultParams())
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	ctx := context.Background()
	if err := data.Write(ctx, pool, &data.Set{Buildings: s.Buildings.Items}, schema); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(c.Rural))
	for k, i := range c.Rural {
		ids[k] = s.Buildings.Items[i].ID
	}
	srid := pgtest.PlaneSRID(t, pool, s.Proj.Origin())
	q := fmt.Sprintf(`SELECT id, ST_ClusterDBSCAN(ST_Transform(geom, $1::int), eps => $2, minpoints => 1) OVER ()
FROM %s.buildings WHERE id = ANY($3)`, pgx.Identifier{schema}.Sanitize())
	rows, err := pool.Query(ctx, q, srid, c.P.SeparationM, ids)
	if err != nil {
		t.Fatal(err)
	}
	theirs := map[string]int{}
	for rows.Next() {
		var id string
		var label int
		if err := rows.Scan(&id, &label); err != nil {
			t.Fatal(err)
		}
		theirs[id] = label
	}
	rows.Close()
	if len(theirs) != len(ids) {
		t.Fatalf("PostGIS labelled %d of %d rural buildings", len(theirs), len(ids))
	}
	// Partitions are equal when labels map one to one.
	ourToTheirs, theirsToOurs := map[int]int{}, map[int]int{}
	for k, cl := range c.Clusters {
		for _, i := range cl.Buildings {
			l := theirs[s.Buildings.Items[i].ID]
			if prev, ok := ourToTheirs[k]; ok && prev != l {
				t.Fatalf("our cluster %s spans PostGIS clusters %d and %d", cl.ID, prev, l)
			}
			if prev, ok := theirsToOurs[l]; ok && prev != k {
				t.Fatalf("PostGIS cluster %d spans our clusters %s and %s", l, c.Clusters[prev].ID, cl.ID)
			}
			ourToTheirs[k], theirsToOurs[l] = l, k
		}
	}
	big := 0
	for _, cl := range c.Clusters {
		if cl.Households >= 30 {
			big++
		}
	}
	if len(c.Clusters) < useful.Clusters || big < useful.BigClusters {
		t.Fatalf("%d clusters, %d of 30+ households: not a useful check", len(c.Clusters), big)
	}
	t.Logf("%d rural buildings in %d clusters (%d of 30+ households), the same partition as ST_ClusterDBSCAN", len(ids), len(c.Clusters), big)
}

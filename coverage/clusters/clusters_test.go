package clusters

import (
	"context"
	"fmt"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// house adds a w x h house with its lower left corner at (x, y) metres.
func (t *tiny) house(id string, x, y, w, h float64, households int, structure string) {
	r := orb.Ring{t.ll(orb.Point{x, y}), t.ll(orb.Point{x + w, y}), t.ll(orb.Point{x + w, y + h}), t.ll(orb.Point{x, y + h})}
	r = append(r, r[0])
	t.set.Buildings = append(t.set.Buildings, data.Building{ID: id, Geom: orb.Polygon{r}, Households: households, Structure: structure})
}

func clustersOf(n *tiny, p ClusterParams) *Clusters {
	s := data.NewSnapshot(&n.set, "tiny", nil)
	return NewClusters(s, p, NewMembership(s), nil)
}

func TestClustersOnHandMadeLayouts(t *testing.T) {
	t.Run("chain 5 m apart is one cluster", func(t *testing.T) {
		n := newTiny()
		for i := 0; i < 12; i++ { // 10 m houses, 5 m gaps: 180 m end to end
			n.house(fmt.Sprintf("h%02d", i), float64(i)*15, 0, 10, 8, 3, "wood")
		}
		c := clustersOf(n, DefaultClusterParams())
		if len(c.Clusters) != 1 || c.Clusters[0].Households != 36 || len(c.Clusters[0].Buildings) != 12 {
			t.Fatalf("clusters %+v", c.Clusters)
		}
		if cl := c.Clusters[0]; cl.ID != "cl-h00" || cl.WoodShare != 1 || cl.Tier != "30-49" {
			t.Fatalf("cluster %s wood %g tier %s", cl.ID, cl.WoodShare, cl.Tier)
		}
	})
	t.Run("groups 7 m apart with 6 m separation are two", func(t *testing.T) {
		n := newTiny()
		n.house("a1", 0, 0, 10, 8, 20, "brick")
		n.house("a2", 14, 0, 10, 8, 15, "brick") // 4 m from a1
		n.house("b1", 31, 0, 10, 8, 40, "brick") // 7 m from a2
		n.house("b2", 31, 12, 10, 8, 60, "brick")
		c := clustersOf(n, DefaultClusterParams())
		if len(c.Clusters) != 2 || c.Clusters[0].Households != 100 || c.Clusters[1].Households != 35 {
			t.Fatalf("clusters %+v", c.Clusters)
		}
		p := DefaultClusterParams()
		p.SeparationM = 7.5
		if c := clustersOf(n, p); len(c.Clusters) != 1 {
			t.Fatalf("7.5 m separation: %d clusters", len(c.Clusters))
		}
	})
	t.Run("timber spacing by structure", func(t *testing.T) {
		n := newTiny()
		n.house("w1", 0, 0, 10, 8, 1, "wood")
		n.house("w2", 21, 0, 10, 8, 1, "wood")      // 11 m: timber to timber needs 12
		n.house("c1", 100, 0, 10, 8, 1, "concrete") // 11 m from c2: grades I-II need 6
		n.house("c2", 121, 0, 10, 8, 1, "concrete")
		p := DefaultClusterParams()
		p.ByStructure = true
		c := clustersOf(n, p)
		if len(c.Clusters) != 3 {
			t.Fatalf("by structure: %d clusters, want w1+w2, c1, c2", len(c.Clusters))
		}
	})
	t.Run("tiers at their bounds", func(t *testing.T) {
		for _, tc := range []struct {
			h    int
			want string
		}{{29, "<30"}, {30, "30-49"}, {49, "30-49"}, {50, "50-99"}, {99, "50-99"}, {100, "100+"}, {0, "<30"}} {
			n := newTiny()
			n.house("x", 0, 0, 10, 8, tc.h, "brick")
			if got := clustersOf(n, DefaultClusterParams()).Clusters[0].Tier; got != tc.want {
				t.Errorf("%d households: tier %s, want %s", tc.h, got, tc.want)
			}
		}
	})
	t.Run("built-up buildings stay out", func(t *testing.T) {
		n := newTiny()
		n.house("in", 0, 0, 10, 8, 1, "brick")
		n.house("out", 500, 0, 10, 8, 1, "brick")
		n.builtupAround(-50, -50, 50, 50)
		c := clustersOf(n, DefaultClusterParams())
		if len(c.Clusters) != 1 || c.Clusters[0].ID != "cl-out" {
			t.Fatalf("clusters %+v", c.Clusters)
		}
	})
}

func TestClustersEqualSTClusterDBSCAN(t *testing.T) {
	for _, county := range counties {
		t.Run(county.name, func(t *testing.T) { clustersEqualDBSCAN(t, county.snap(t)) })
	}
}

func clustersEqualDBSCAN(t *testing.T, s *data.Snapshot) {
	c := NewClusters(s, DefaultClusterParams(), NewMembership(s), nil)
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
	if len(c.Clusters) < 100 || big == 0 {
		t.Fatalf("%d clusters, %d of 30+ households: not a useful check", len(c.Clusters), big)
	}
	t.Logf("%d rural buildings in %d clusters (%d of 30+ households), the same partition as ST_ClusterDBSCAN", len(ids), len(c.Clusters), big)
}

package coverage

import (
	"context"
	"math"
	"math/rand"
	"os"
	"strconv"
	"sync"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
	"fireplan/data/sample"
	"fireplan/geo"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
)

var (
	sampleOnce sync.Once
	sampleSnap *data.Snapshot
)

func sampleSnapshot(t testing.TB) *data.Snapshot {
	sampleOnce.Do(func() {
		sampleSnap = data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil)
	})
	return sampleSnap
}

var (
	variantOnce sync.Once
	variantSnap *data.Snapshot
)

// variantSnapshot is another county (seed 7) with mixed geometry types,
// as other counties' tables hold them.
func variantSnapshot(t testing.TB) *data.Snapshot {
	variantOnce.Do(func() {
		variantSnap = data.NewSnapshot(sample.Generate(sample.Options{Seed: 7, Mixed: true}), "variant", nil)
	})
	return variantSnap
}

// counties are the datasets the oracle tests run on.
var counties = []struct {
	name string
	snap func(testing.TB) *data.Snapshot
}{{"sample", sampleSnapshot}, {"variant", variantSnapshot}}

func testSeed(t testing.TB) int64 {
	if s, err := strconv.ParseInt(os.Getenv("SEED"), 10, 64); err == nil {
		return s
	}
	t.Logf("SEED=%d", 1127)
	return 1127
}

// pgrEdges writes g's edges, plus one virtual node per seed joined to the
// seed's node at the seed's time, into a pgRouting edge table. Node ids are
// ours + 1; virtual nodes follow the graph's. It returns the table and the
// virtual node ids.
func pgrEdges(t testing.TB, pool *pgxpool.Pool, schema string, g *Graph, seeds []Seed) (string, []int64) {
	t.Helper()
	ctx := context.Background()
	table := pgx.Identifier{schema, "edges"}.Sanitize()
	if _, err := pool.Exec(ctx, "CREATE TABLE "+table+" (id bigint, source bigint, target bigint, cost float8, reverse_cost float8)"); err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, 0, len(g.Edges)+len(seeds))
	rev := func(c float64) float64 {
		if math.IsInf(c, 1) {
			return -1
		}
		return c
	}
	for i, e := range g.Edges {
		rows = append(rows, []any{int64(i + 1), int64(e.From) + 1, int64(e.To) + 1, e.Fwd, rev(e.Bwd)})
	}
	var starts []int64
	for k, s := range seeds {
		v := int64(len(g.Nodes)) + 1 + int64(k)
		starts = append(starts, v)
		rows = append(rows, []any{int64(len(g.Edges) + 1 + k), v, int64(s.Node) + 1, s.T, -1.0})
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{schema, "edges"}, []string{"id", "source", "target", "cost", "reverse_cost"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	return table, starts
}

// sqlDrivingDistance is the multi-source query. pgRouting 3.4's equicost =>
// true does not always keep a node with its nearest start (on a random graph
// of 3,000 nodes and 6 starts, 430 nodes came back with a farther start's
// cost), so every start's tree is asked for and the least cost kept.
const sqlDrivingDistance = `SELECT node, min(agg_cost) FROM pgr_drivingDistance($1, $2::bigint[], $3::float8, directed => true, equicost => false) GROUP BY node`

func pgrTimes(t testing.TB, pool *pgxpool.Pool, table string, starts []int64) map[int64]float64 {
	t.Helper()
	rows, err := pool.Query(context.Background(), sqlDrivingDistance,
		"SELECT id, source, target, cost, reverse_cost FROM "+table, starts, 1e9)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]float64{}
	for rows.Next() {
		var node int64
		var cost float64
		if err := rows.Scan(&node, &cost); err != nil {
			t.Fatal(err)
		}
		out[node] = cost
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareTimes checks every node's arrival against pgRouting's, from the
// seeds' virtual nodes (agg_cost counts from 0 there, as our seeds' times do
// through the virtual edge).
func compareTimes(t *testing.T, g *Graph, ours *Times, theirs map[int64]float64) {
	t.Helper()
	reached, bad := 0, 0
	for n := range g.Nodes {
		want, ok := theirs[int64(n)+1]
		got := ours.T[n]
		switch {
		case !ok && !math.IsInf(got, 1):
			t.Errorf("node %d: ours %.6f s, pgRouting never reaches it", n, got)
			bad++
		case ok && math.Abs(got-want) > 1e-6:
			t.Errorf("node %d: ours %.9f s, pgRouting %.9f s", n, got, want)
			bad++
		case ok:
			reached++
		}
		if bad > 10 {
			t.FailNow()
		}
	}
	if reached < len(g.Nodes)/2 {
		t.Fatalf("only %d of %d nodes reached", reached, len(g.Nodes))
	}
	t.Logf("%d of %d nodes agree with pgr_drivingDistance", reached, len(g.Nodes))
}

func TestResponseTimesEqualPgRouting(t *testing.T) {
	pool := pgtest.Pool(t)
	for _, county := range counties {
		t.Run(county.name, func(t *testing.T) {
			schema := pgtest.Schema(t, pool)
			s := county.snap(t)
			p := DefaultParams()
			g := BuildGraph(s, p)
			r := NewResponse(s, p, g, NewSnapper(g), NewMembership(s))
			seeds := r.Seeds
			if len(seeds) < 10 {
				t.Fatalf("%d seeds from %d stations", len(seeds), len(r.Starts))
			}
			table, starts := pgrEdges(t, pool, schema, g, seeds)
			compareTimes(t, g, r.Times, pgrTimes(t, pool, table, starts))
		})
	}
}

// randomGraph builds a graph of n nodes on a plane with random two-way and
// one-way edges between near nodes.
func randomGraph(rng *rand.Rand, n, m int) *Graph {
	g := &Graph{}
	for i := 0; i < n; i++ {
		g.Nodes = append(g.Nodes, orb.Point{rng.Float64() * 10000, rng.Float64() * 10000})
	}
	for len(g.Edges) < m {
		a := int32(rng.Intn(n))
		b := int32(rng.Intn(n))
		if a == b {
			continue
		}
		l := 10 + rng.Float64()*2000
		e := Edge{From: a, To: b, Length: l, Fwd: l / (1 + rng.Float64()*20), Bwd: l / (1 + rng.Float64()*20)}
		if rng.Float64() < 0.25 {
			e.Bwd = math.Inf(1)
		}
		g.Edges = append(g.Edges, e)
	}
	g.buildCSR()
	return g
}

// subdivide splits every edge of g into 1-4 pieces, each one-way (either
// way) at random: long chains of degree-2 nodes with one-way stretches.
func subdivide(rng *rand.Rand, g *Graph) *Graph {
	out := &Graph{Nodes: append([]orb.Point(nil), g.Nodes...)}
	for _, e := range g.Edges {
		pieces := 1 + rng.Intn(4)
		prev := e.From
		for k := 0; k < pieces; k++ {
			next := e.To
			if k < pieces-1 {
				next = int32(len(out.Nodes))
				out.Nodes = append(out.Nodes, geo.Lerp(g.Nodes[e.From], g.Nodes[e.To], float64(k+1)/float64(pieces)))
			}
			p := Edge{From: prev, To: next, Length: e.Length / float64(pieces), Fwd: e.Fwd / float64(pieces), Bwd: e.Fwd / float64(pieces)}
			switch rng.Intn(6) {
			case 0:
				p.Bwd = math.Inf(1)
			case 1:
				p.From, p.To = p.To, p.From
				p.Bwd = math.Inf(1)
			}
			out.Edges = append(out.Edges, p)
			prev = next
		}
	}
	out.buildCSR()
	return out
}

func TestDijkstraEqualsPgRoutingOnRandomGraph(t *testing.T) {
	pool := pgtest.Pool(t)
	rng := rand.New(rand.NewSource(testSeed(t)))
	for _, tc := range []struct {
		name string
		g    *Graph
	}{
		{"random", randomGraph(rng, 3000, 7000)},
		{"random with chains", subdivide(rng, randomGraph(rng, 1500, 2500))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.g
			var seeds []Seed
			for k := 0; k < 8; k++ { // seeds on core and chain nodes alike
				seeds = append(seeds, Seed{Node: int32(rng.Intn(len(g.Nodes))), T: rng.Float64() * 200, Src: int32(k)})
			}
			ours := g.Run(seeds, math.Inf(1))
			table, starts := pgrEdges(t, pool, pgtest.Schema(t, pool), g, seeds)
			compareTimes(t, g, ours, pgrTimes(t, pool, table, starts))
		})
	}
}

package network_test

import (
	"math"
	"math/rand"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/data/pgtest"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// randomGraph builds a graph of n nodes on a plane with random two-way and
// one-way edges between near nodes.
func randomGraph(rng *rand.Rand, n, m int) *network.Graph {
	g := &network.Graph{}
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
		e := network.Edge{From: a, To: b, Length: l, Fwd: l / (1 + rng.Float64()*20), Bwd: l / (1 + rng.Float64()*20)}
		if rng.Float64() < 0.25 {
			e.Bwd = math.Inf(1)
		}
		g.Edges = append(g.Edges, e)
	}
	network.BuildCSR(g)
	return g
}

// subdivide splits every edge of g into 1-4 pieces, each one-way (either
// way) at random: long chains of degree-2 nodes with one-way stretches.
func subdivide(rng *rand.Rand, g *network.Graph) *network.Graph {
	out := &network.Graph{Nodes: append([]orb.Point(nil), g.Nodes...)}
	for _, e := range g.Edges {
		pieces := 1 + rng.Intn(4)
		prev := e.From
		for k := 0; k < pieces; k++ {
			next := e.To
			if k < pieces-1 {
				next = int32(len(out.Nodes))
				out.Nodes = append(out.Nodes, geo.Lerp(g.Nodes[e.From], g.Nodes[e.To], float64(k+1)/float64(pieces)))
			}
			p := network.Edge{From: prev, To: next, Length: e.Length / float64(pieces), Fwd: e.Fwd / float64(pieces), Bwd: e.Fwd / float64(pieces)}
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
	network.BuildCSR(out)
	return out
}

func TestDijkstraEqualsPgRoutingOnRandomGraph(t *testing.T) {
	pool := pgtest.Pool(t)
	rng := rand.New(rand.NewSource(fixture.Seed(t)))
	for _, tc := range []struct {
		name string
		g    *network.Graph
	}{
		{"random", randomGraph(rng, 3000, 7000)},
		{"random with chains", subdivide(rng, randomGraph(rng, 1500, 2500))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.g
			var seeds []network.Seed
			for k := 0; k < 8; k++ { // seeds on core and chain nodes alike
				seeds = append(seeds, network.Seed{Node: int32(rng.Intn(len(g.Nodes))), T: rng.Float64() * 200, Src: int32(k)})
			}
			ours := g.Run(seeds, math.Inf(1))
			table, starts := fixture.PgrEdges(t, pool, pgtest.Schema(t, pool), g, seeds)
			fixture.CompareTimes(t, g, ours, fixture.PgrTimes(t, pool, table, starts))
		})
	}
}

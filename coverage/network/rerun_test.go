package network_test

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"

	"github.com/paulmach/orb"
)

// TestRerunEqualsRun changes the sources of a full run (added, moved,
// slower, removed, on core and chain nodes alike) and compares the rerun
// with a full run from the new seeds: every node's time and source.
func TestRerunEqualsRun(t *testing.T) {
	seed := fixture.Seed(t)
	rng := rand.New(rand.NewSource(seed))
	graphs := []struct {
		name string
		g    *network.Graph
	}{
		{"random", randomGraph(rng, 2000, 4500)},
		{"random with chains", subdivide(rng, randomGraph(rng, 1000, 1800))},
		{"sparse, many pieces", subdivide(rng, randomGraph(rng, 1500, 900))},
	}
	for _, gc := range graphs {
		g := gc.g
		for _, tc := range []struct {
			name                        string
			add, move, slow, remove, of int
		}{
			{"add one", 1, 0, 0, 0, 6},
			{"move one", 0, 1, 0, 0, 6},
			{"slower one", 0, 0, 1, 0, 6},
			{"remove one", 0, 0, 0, 1, 6},
			{"remove the only one", 0, 0, 0, 1, 1},
			{"several", 2, 2, 1, 2, 12},
			{"no change", 0, 0, 0, 0, 5},
		} {
			t.Run(gc.name+"/"+tc.name, func(t *testing.T) {
				for round := 0; round < 20; round++ {
					// Old sources 0..of-1, two seeds each; the new numbering
					// interleaves added sources, keeping the old ones' order.
					type src struct {
						nodes []int32
						t0    float64
					}
					random := func() src {
						return src{[]int32{int32(rng.Intn(len(g.Nodes))), int32(rng.Intn(len(g.Nodes)))}, rng.Float64() * 300}
					}
					old := make([]src, tc.of)
					for i := range old {
						old[i] = random()
					}
					changed := rng.Perm(tc.of)[:min(tc.of, tc.move+tc.slow+tc.remove)]
					next := append([]src(nil), old...)
					gone := make([]bool, tc.of)
					for k, i := range changed {
						switch {
						case k < tc.move:
							next[i] = random()
						case k < tc.move+tc.slow:
							next[i].t0 += 1 + rng.Float64()*100
						default:
							gone[i] = true
						}
					}
					srcMap := make([]int32, tc.of)
					var newSrcs []src
					for i := range old {
						for tc.add > 0 && rng.Intn(tc.of+1) == 0 {
							newSrcs = append(newSrcs, random())
						}
						srcMap[i] = -1
						if gone[i] {
							continue
						}
						if next[i].t0 == old[i].t0 && next[i].nodes[0] == old[i].nodes[0] && next[i].nodes[1] == old[i].nodes[1] {
							srcMap[i] = int32(len(newSrcs))
						}
						newSrcs = append(newSrcs, next[i])
					}
					for len(newSrcs) < tc.of-tc.remove+tc.add {
						newSrcs = append(newSrcs, random())
					}
					seeds := func(ss []src) []network.Seed {
						var out []network.Seed
						for k, s := range ss {
							for j, n := range s.nodes {
								out = append(out, network.Seed{Node: n, T: s.t0 + float64(j)*7.5, Src: int32(k)})
							}
						}
						return out
					}
					base := g.Run(seeds(old), math.Inf(1))
					want := g.Run(seeds(newSrcs), math.Inf(1))
					got := g.Rerun(base, srcMap, seeds(newSrcs))
					for i := range want.T {
						if got.T[i] != want.T[i] || got.Src[i] != want.Src[i] {
							t.Fatalf("seed %d round %d node %d: got %v s from %d, want %v s from %d", seed, round, i, got.T[i], got.Src[i], want.T[i], want.Src[i])
						}
					}
				}
			})
		}
	}
}

func ExampleGraph_Rerun() {
	g := &network.Graph{Nodes: make([]orb.Point, 4)} // 0 - 1 - 2 - 3, 10 s a link
	for i := int32(0); i < 3; i++ {
		g.Edges = append(g.Edges, network.Edge{From: i, To: i + 1, Length: 100, Fwd: 10, Bwd: 10})
	}
	network.BuildCSR(g)
	old := g.Run([]network.Seed{{Node: 0, T: 0, Src: 0}}, math.Inf(1))
	// A second source at node 3: the old one keeps its number.
	t := g.Rerun(old, []int32{0}, []network.Seed{{Node: 0, T: 0, Src: 0}, {Node: 3, T: 0, Src: 1}})
	fmt.Println(t.T, t.Src)
	// Output: [0 10 10 0] [0 0 1 1]
}

package network

import "math"

// Rerun returns what g.Run(seeds, +Inf) returns, worked out from old, the
// result of an earlier full run (no limit) over g, for a what-if scenario
// that adds, moves or removes a few sources. srcMap maps each old source to
// its new number, or to -1 where the source is gone or changed (moved,
// slower): the core nodes such a source held are cleared and filled again
// from their neighbours that keep their source, and every seed is offered
// again, so a new or moved source spreads only as far as it improves on
// the old times. Chains are filled afresh, as Run fills them.
//
// The result equals a full run because a full run's times and sources are
// the one fixed point of "each node holds the best of its seeds and of its
// in-neighbours' labels carried over the arc" (costs are positive), and
// every label kept from old is still carried by a path from an unchanged
// seed. Ties go to the lower source, so srcMap must keep the order of the
// sources it keeps.
func (g *Graph) Rerun(old *Times, srcMap []int32, seeds []Seed) *Times {
	n := len(g.Nodes)
	t := &Times{T: make([]float64, n), Src: make([]int32, n)}
	inf := math.Inf(1)
	of := g.ch.of
	var cleared []int32
	for i, s := range old.Src {
		switch {
		case of[i] >= 0 || s < 0: // chain nodes are filled below; unreached stays so
			t.T[i], t.Src[i] = inf, -1
		case srcMap[s] < 0:
			t.T[i], t.Src[i] = inf, -1
			cleared = append(cleared, int32(i))
		default:
			t.T[i], t.Src[i] = old.T[i], srcMap[s]
		}
	}
	var h heap
	for _, v := range cleared {
		for _, a := range g.rarcs[g.roff[v]:g.roff[v+1]] {
			u := a.to
			if math.IsInf(t.T[u], 1) {
				continue // unreached, or cleared too: it comes back through the search
			}
			if nt := t.T[u] + a.cost; t.better(nt, t.Src[u], v) {
				t.T[v], t.Src[v] = nt, t.Src[u]
				h.push(item{nt, v})
			}
		}
	}
	for _, s := range seeds {
		g.seed(t, s, &h)
	}
	g.settle(t, &h, inf)
	t.h = h
	g.fillChains(t)
	return t
}

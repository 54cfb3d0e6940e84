package coverage

import "math"

// local is a workspace for many small searches over the full graph (every
// node, not only the core): distances are reset through the touched list, so
// a search costs what it visits, not the size of the graph.
type local struct {
	d       []float64
	touched []int32
	h       heap
}

func newLocal(g *Graph) *local {
	l := &local{d: make([]float64, len(g.Nodes))}
	for i := range l.d {
		l.d[i] = math.Inf(1)
	}
	return l
}

func (l *local) reset() {
	for _, n := range l.touched {
		l.d[n] = math.Inf(1)
	}
	l.touched = l.touched[:0]
	l.h = l.h[:0]
}

func (l *local) relax(n int32, t float64) {
	if t < l.d[n] {
		if math.IsInf(l.d[n], 1) {
			l.touched = append(l.touched, n)
		}
		l.d[n] = t
		l.h.push(item{t, n})
	}
}

// from searches outward from the point s along edge e, starting at cost d0,
// up to limit. Afterwards l.d holds the cost to every node within limit.
func (l *local) from(g *Graph, e int32, s, d0, limit float64) {
	l.reset()
	ed := &g.Edges[e]
	for _, sd := range edgeSeeds(ed, s, d0, 0) {
		if sd.T <= limit {
			l.relax(sd.Node, sd.T)
		}
	}
	l.run(g, limit)
}

// run settles the queued nodes over the full graph up to limit.
func (l *local) run(g *Graph, limit float64) {
	for len(l.h) > 0 {
		it := l.h.pop()
		if it.t > l.d[it.n] {
			continue
		}
		for _, ei := range g.inc[g.incOff[it.n]:g.incOff[it.n+1]] {
			x := &g.Edges[ei]
			to, c := x.To, x.Fwd
			if x.From != it.n {
				to, c = x.From, x.Bwd
			}
			if t := it.t + c; t <= limit {
				l.relax(to, t)
			}
		}
	}
}

// at returns the cost to the point s along edge e after from(e0, s0, d0):
// through either end, or straight along e0 itself.
func (l *local) at(g *Graph, e int32, s float64, e0 int32, s0, d0 float64) float64 {
	ed := &g.Edges[e]
	best := math.Min(l.d[ed.From]+s/ed.Length*ed.Fwd, l.d[ed.To]+(ed.Length-s)/ed.Length*ed.Bwd)
	switch {
	case e != e0:
	case s >= s0:
		best = math.Min(best, d0+(s-s0)/ed.Length*ed.Fwd)
	default:
		best = math.Min(best, d0+(s0-s)/ed.Length*ed.Bwd)
	}
	return best
}

// fromNode searches outward from node n, starting at cost t0, up to limit.
func (l *local) fromNode(g *Graph, n int32, t0, limit float64) {
	l.reset()
	l.relax(n, t0)
	l.run(g, limit)
}

package network

import "math"

// Local is a workspace for many small searches over the full graph (every
// node, not only the core): distances are reset through the touched list, so
// a search costs what it visits, not the size of the graph.
type Local struct {
	D       []float64
	touched []int32
	h       heap
}

// NewLocal returns a workspace sized for g.
func NewLocal(g *Graph) *Local {
	l := &Local{D: make([]float64, len(g.Nodes))}
	for i := range l.D {
		l.D[i] = math.Inf(1)
	}
	return l
}

func (l *Local) reset() {
	for _, n := range l.touched {
		l.D[n] = math.Inf(1)
	}
	l.touched = l.touched[:0]
	l.h = l.h[:0]
}

func (l *Local) relax(n int32, t float64) {
	if t < l.D[n] {
		if math.IsInf(l.D[n], 1) {
			l.touched = append(l.touched, n)
		}
		l.D[n] = t
		l.h.push(item{t, n})
	}
}

// From searches outward from the point s along edge e, starting at cost d0,
// up to limit. Afterwards l.D holds the cost to every node within limit.
func (l *Local) From(g *Graph, e int32, s, d0, limit float64) {
	l.reset()
	seeds, n := edgeSeeds(&g.Edges[e], s, d0, 0)
	for _, sd := range seeds[:n] {
		if sd.T <= limit {
			l.relax(sd.Node, sd.T)
		}
	}
	l.Run(g, limit)
}

// Run settles the queued nodes over the full graph up to limit.
func (l *Local) Run(g *Graph, limit float64) {
	for len(l.h) > 0 {
		it := l.h.pop()
		if it.t > l.D[it.n] {
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

// At returns the cost to the point s along edge e after From(e0, s0, d0):
// through either end, or straight along e0 itself.
func (l *Local) At(g *Graph, e int32, s float64, e0 int32, s0, d0 float64) float64 {
	ed := &g.Edges[e]
	best := min(l.D[ed.From]+s/ed.Length*ed.Fwd, l.D[ed.To]+(ed.Length-s)/ed.Length*ed.Bwd)
	switch {
	case e != e0:
	case s >= s0:
		best = min(best, d0+(s-s0)/ed.Length*ed.Fwd)
	default:
		best = min(best, d0+(s0-s)/ed.Length*ed.Bwd)
	}
	return best
}

// FromNode searches outward from node n, starting at cost t0, up to limit.
func (l *Local) FromNode(g *Graph, n int32, t0, limit float64) {
	l.reset()
	l.relax(n, t0)
	l.Run(g, limit)
}

// Touched returns the nodes the last search reached.
func (l *Local) Touched() []int32 { return l.touched }

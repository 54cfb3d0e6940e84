package network

import (
	"math"
)

// Seed starts a search at Node at time T (seconds) on behalf of source Src.
type Seed struct {
	Node int32
	T    float64
	Src  int32
}

// Times holds a search's result per node: earliest time (+Inf if never
// reached) and the source that got there first (-1 if none).
type Times struct {
	T   []float64
	Src []int32
	h   heap // kept for reuse by RunInto
}

// Run computes earliest arrival at every node from all seeds at once
// (multi-source Dijkstra with a binary heap), stopping at limit seconds
// (+Inf for none). Ties go to the lower source index, so results are stable.
func (g *Graph) Run(seeds []Seed, limit float64) *Times {
	t := &Times{}
	g.RunInto(t, seeds, limit)
	return t
}

// RunInto is Run reusing t's arrays, for repeated runs (what-if scenarios).
func (g *Graph) RunInto(t *Times, seeds []Seed, limit float64) {
	n := len(g.Nodes)
	if cap(t.T) < n {
		t.T, t.Src = make([]float64, n), make([]int32, n)
	}
	t.T, t.Src = t.T[:n], t.Src[:n]
	inf := math.Inf(1)
	for i := range t.T {
		t.T[i] = inf
		t.Src[i] = -1
	}
	h := t.h[:0]
	for _, s := range seeds {
		g.seed(t, s, &h)
	}
	g.settle(t, &h, limit)
	t.h = h
	g.fillChains(t)
	if !math.IsInf(limit, 1) {
		for i, v := range t.T {
			if v > limit {
				t.T[i], t.Src[i] = inf, -1
			}
		}
	}
}

// better reports whether (tt, src) beats node n's label: earlier, or as
// early from a lower source.
func (t *Times) better(tt float64, src, n int32) bool {
	return tt < t.T[n] || tt == t.T[n] && src < t.Src[n]
}

// seed applies s to t where it beats what t holds, queueing the core nodes
// it reaches on h. A seed inside a chain labels its own node (for
// fillChains) and queues the chain's two ends.
func (g *Graph) seed(t *Times, s Seed, h *heap) {
	if !t.better(s.T, s.Src, s.Node) {
		return
	}
	t.T[s.Node], t.Src[s.Node] = s.T, s.Src
	c := &g.ch
	k := c.of[s.Node]
	if k < 0 {
		h.push(item{s.T, s.Node})
		return
	}
	f, b := c.segs(k)
	p := c.pos[s.Node]
	toB, toA := s.T, s.T
	for _, x := range f[p:] {
		toB += x
	}
	for _, x := range b[:p] {
		toA += x
	}
	for _, end := range []struct {
		t float64
		n int32
	}{{toB, c.b[k]}, {toA, c.a[k]}} {
		if !math.IsInf(end.t, 1) && t.better(end.t, s.Src, end.n) {
			t.T[end.n], t.Src[end.n] = end.t, s.Src
			h.push(item{end.t, end.n})
		}
	}
}

// settle runs Dijkstra over the core from the queued nodes up to limit.
func (g *Graph) settle(t *Times, h *heap, limit float64) {
	for len(*h) > 0 {
		it := h.pop()
		if it.t > t.T[it.n] || it.t > limit {
			continue // stale entry, or beyond the limit
		}
		src := t.Src[it.n]
		for _, a := range g.arcs[g.off[it.n]:g.off[it.n+1]] {
			if nt := it.t + a.cost; t.better(nt, src, a.to) {
				t.T[a.to], t.Src[a.to] = nt, src
				h.push(item{nt, a.to})
			}
		}
	}
}

// fillChains gives every chain node the better of arriving along its chain
// from either end (or from a seed on the chain), in one sweep each way.
func (g *Graph) fillChains(t *Times) {
	c := &g.ch
	for k := range c.a {
		inner := c.inner[c.innerOff[k]:c.innerOff[k+1]]
		if len(inner) == 0 {
			continue
		}
		f, b := c.segs(int32(k))
		ct, cs := t.T[c.a[k]], t.Src[c.a[k]]
		for i, v := range inner {
			ct += f[i]
			if ct < t.T[v] || ct == t.T[v] && cs < t.Src[v] {
				t.T[v], t.Src[v] = ct, cs
			} else {
				ct, cs = t.T[v], t.Src[v]
			}
		}
		ct, cs = t.T[c.b[k]], t.Src[c.b[k]]
		for i := len(inner) - 1; i >= 0; i-- {
			v := inner[i]
			ct += b[i+1]
			if ct < t.T[v] || ct == t.T[v] && cs < t.Src[v] {
				t.T[v], t.Src[v] = ct, cs
			} else {
				ct, cs = t.T[v], t.Src[v]
			}
		}
	}
}

type item struct {
	t float64
	n int32
}

// heap is a binary min-heap of items by time; stale items are skipped on pop
// rather than decreased in place, which is faster for road graphs. (A 4-ary
// heap and a radix heap on the times' bits measured no faster here.)
type heap []item

func (h *heap) push(x item) {
	*h = append(*h, x)
	s := *h
	i := len(s) - 1
	for i > 0 {
		p := (i - 1) / 2
		if s[p].t <= x.t {
			break
		}
		s[i] = s[p]
		i = p
	}
	s[i] = x
}

func (h *heap) pop() item {
	s := *h
	top := s[0]
	last := s[len(s)-1]
	s = s[:len(s)-1]
	i, n := 0, len(s)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && s[c+1].t < s[c].t {
			c++
		}
		if last.t <= s[c].t {
			break
		}
		s[i] = s[c]
		i = c
	}
	if n > 0 {
		s[i] = last
	}
	*h = s
	return top
}

// EdgeSeeds starts a search from a point s metres along e at time t0.
func EdgeSeeds(e *Edge, s, t0 float64, src int32) []Seed {
	seeds, n := edgeSeeds(e, s, t0, src)
	return append([]Seed(nil), seeds[:n]...)
}

// edgeSeeds is EdgeSeeds in an array: the first n are the seeds. A local
// search starts from it without a slice, millions of times in a
// province's hydrant plan.
func edgeSeeds(e *Edge, s, t0 float64, src int32) (seeds [2]Seed, n int) {
	if f := (e.Length - s) / e.Length; !math.IsInf(e.Fwd, 1) {
		seeds[n], n = Seed{Node: e.To, T: t0 + f*e.Fwd, Src: src}, n+1
	}
	if f := s / e.Length; !math.IsInf(e.Bwd, 1) {
		seeds[n], n = Seed{Node: e.From, T: t0 + f*e.Bwd, Src: src}, n+1
	}
	return seeds, n
}

package coverage

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
}

// Run computes earliest arrival at every node from all seeds at once
// (multi-source Dijkstra with a binary heap), stopping at limit seconds
// (+Inf for none). Ties go to the lower source index, so results are stable.
func (g *Graph) Run(seeds []Seed, limit float64) *Times {
	n := len(g.Nodes)
	t := &Times{T: make([]float64, n), Src: make([]int32, n)}
	for i := range t.T {
		t.T[i] = math.Inf(1)
		t.Src[i] = -1
	}
	h := make(heap, 0, 1024)
	for _, s := range seeds {
		if s.T < t.T[s.Node] || s.T == t.T[s.Node] && s.Src < t.Src[s.Node] {
			t.T[s.Node], t.Src[s.Node] = s.T, s.Src
			h.push(item{s.T, s.Node})
		}
	}
	for len(h) > 0 {
		it := h.pop()
		if it.t > t.T[it.n] || it.t > limit {
			continue // stale entry, or beyond the limit
		}
		src := t.Src[it.n]
		for _, a := range g.arcs[g.off[it.n]:g.off[it.n+1]] {
			nt := it.t + a.cost
			if nt < t.T[a.to] || nt == t.T[a.to] && src < t.Src[a.to] {
				t.T[a.to], t.Src[a.to] = nt, src
				h.push(item{nt, a.to})
			}
		}
	}
	if !math.IsInf(limit, 1) {
		for i, v := range t.T {
			if v > limit {
				t.T[i], t.Src[i] = math.Inf(1), -1
			}
		}
	}
	return t
}

type item struct {
	t float64
	n int32
}

// heap is a binary min-heap of items by time; stale items are skipped on pop
// rather than decreased in place, which is faster for road graphs.
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

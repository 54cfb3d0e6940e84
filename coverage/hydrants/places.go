package hydrants

import (
	"math"

	"github.com/paulmach/orb"
)

// places partitions a plan's elements and candidates: an element whose box
// meets the box within reach of a candidate is in the candidate's place.
// Each place lists its elements and candidates in ascending order.
type places struct {
	n                int
	elOff, candOff   []int32 // per place, where its lists start; one more for the end
	elList, candList []int32
}

func (p *places) els(k int) []int32   { return p.elList[p.elOff[k]:p.elOff[k+1]] }
func (p *places) cands(k int) []int32 { return p.candList[p.candOff[k]:p.candOff[k+1]] }

// components finds the places of elements with boxes els and candidates at
// pts. On a grid of cells reach wide, a candidate and an element within
// reach of it lie in the same or neighbouring cells: each element joins
// the cells its box spans, and neighbouring cells holding anything join.
func components(els []orb.Bound, pts []orb.Point, reach float64) places {
	type cell [2]int32
	at := func(x, y float64) cell { return cell{int32(math.Floor(x / reach)), int32(math.Floor(y / reach))} }
	ids := make(map[cell]int32)
	var parent []int32
	id := func(c cell) int32 {
		k, ok := ids[c]
		if !ok {
			k = int32(len(parent))
			ids[c] = k
			parent = append(parent, k)
		}
		return k
	}
	find := func(k int32) int32 {
		for parent[k] != k {
			parent[k] = parent[parent[k]]
			k = parent[k]
		}
		return k
	}
	union := func(a, b int32) {
		if a, b = find(a), find(b); a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	elCell := make([]int32, len(els))
	for i, b := range els {
		lo, hi := at(b.Min[0], b.Min[1]), at(b.Max[0], b.Max[1])
		first := id(lo)
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				union(first, id(cell{x, y}))
			}
		}
		elCell[i] = first
	}
	candCell := make([]int32, len(pts))
	for i, p := range pts {
		candCell[i] = id(at(p[0], p[1]))
	}
	for c, k := range ids {
		for _, d := range [4][2]int32{{1, 0}, {0, 1}, {1, 1}, {1, -1}} {
			if n, ok := ids[cell{c[0] + d[0], c[1] + d[1]}]; ok {
				union(k, n)
			}
		}
	}
	// Places numbered by their smallest cell, lists by counting.
	place := make([]int32, len(parent))
	var p places
	for k := range parent {
		if r := find(int32(k)); r == int32(k) {
			place[k] = int32(p.n)
			p.n++
		} else {
			place[k] = place[r] // r < k: numbered already
		}
	}
	p.elOff, p.elList = group(p.n, elCell, place)
	p.candOff, p.candList = group(p.n, candCell, place)
	return p
}

// group lists items 0..len(cellOf)-1 by the place of their cell, ascending
// within each.
func group(n int, cellOf, place []int32) (off, list []int32) {
	off = make([]int32, n+1)
	for _, c := range cellOf {
		off[place[c]+1]++
	}
	for k := range n {
		off[k+1] += off[k]
	}
	next := append([]int32(nil), off[:n]...)
	list = make([]int32, len(cellOf))
	for i, c := range cellOf {
		k := place[c]
		list[next[k]] = int32(i)
		next[k]++
	}
	return off, list
}

package hydrants

import (
	"fireplan/coverage/network"
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
	span := func(b orb.Bound) (lo, hi cell) { return at(b.Min[0], b.Min[1]), at(b.Max[0], b.Max[1]) }
	ids := make(map[cell]int32)
	id := func(c cell) int32 {
		k, ok := ids[c]
		if !ok {
			k = int32(len(ids))
			ids[c] = k
		}
		return k
	}
	// Every cell numbered first, then joined.
	elCell := make([]int32, len(els))
	for i, b := range els {
		lo, hi := span(b)
		elCell[i] = id(lo)
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				id(cell{x, y})
			}
		}
	}
	candCell := make([]int32, len(pts))
	for i, p := range pts {
		candCell[i] = id(at(p[0], p[1]))
	}
	uf := network.NewUnionFind(len(ids))
	for i, b := range els {
		lo, hi := span(b)
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				uf.Union(elCell[i], ids[cell{x, y}])
			}
		}
	}
	for c, k := range ids {
		for _, d := range [4][2]int32{{1, 0}, {0, 1}, {1, 1}, {1, -1}} {
			if n, ok := ids[cell{c[0] + d[0], c[1] + d[1]}]; ok {
				uf.Union(k, n)
			}
		}
	}
	// Places numbered by their smallest cell, lists by counting.
	place := make([]int32, len(ids))
	var p places
	for k := range place {
		if r := uf.Find(int32(k)); r == int32(k) {
			place[k] = int32(p.n)
			p.n++
		} else {
			place[k] = place[r] // the smaller index is the root: numbered already
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

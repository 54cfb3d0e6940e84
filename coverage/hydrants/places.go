package hydrants

import (
	"fireplan/coverage/network"
	"math"
	"slices"

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
	at := func(x, y float64) cell { return cell{int32(math.Floor(x / reach)), int32(math.Floor(y / reach))} }
	span := func(b orb.Bound) (lo, hi cell) { return at(b.Min[0], b.Min[1]), at(b.Max[0], b.Max[1]) }
	lo, hi := cell{math.MaxInt32, math.MaxInt32}, cell{math.MinInt32, math.MinInt32}
	for _, b := range els {
		l, h := span(b)
		lo, hi = cell{min(lo[0], l[0]), min(lo[1], l[1])}, cell{max(hi[0], h[0]), max(hi[1], h[1])}
	}
	for _, p := range pts {
		c := at(p[0], p[1])
		lo, hi = cell{min(lo[0], c[0]), min(lo[1], c[1])}, cell{max(hi[0], c[0]), max(hi[1], c[1])}
	}
	ids := newCellIDs(lo, hi)
	// Every cell numbered first, then joined.
	elCell := make([]int32, len(els))
	for i, b := range els {
		lo, hi := span(b)
		elCell[i] = ids.id(lo)
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				ids.id(cell{x, y})
			}
		}
	}
	candCell := make([]int32, len(pts))
	for i, p := range pts {
		candCell[i] = ids.id(at(p[0], p[1]))
	}
	uf := network.NewUnionFind(len(ids.cells))
	for i, b := range els {
		lo, hi := span(b)
		for x := lo[0]; x <= hi[0]; x++ {
			for y := lo[1]; y <= hi[1]; y++ {
				k, _ := ids.get(cell{x, y})
				uf.Union(elCell[i], k)
			}
		}
	}
	for k, c := range ids.cells {
		for _, d := range [4]cell{{1, 0}, {0, 1}, {1, 1}, {1, -1}} {
			if n, ok := ids.get(cell{c[0] + d[0], c[1] + d[1]}); ok {
				uf.Union(int32(k), n)
			}
		}
	}
	// Places numbered by their smallest cell, lists by counting.
	place := make([]int32, len(ids.cells))
	var p places
	for k := range place {
		if r := uf.Find(int32(k)); r == int32(k) {
			place[k] = int32(p.n)
			p.n++
		} else {
			place[k] = place[r] // the smaller index is the root: numbered already
		}
	}
	p.elOff, p.elList = group(p.n, len(elCell), func(i int) int32 { return place[elCell[i]] })
	p.candOff, p.candList = group(p.n, len(candCell), func(i int) int32 { return place[candCell[i]] })
	return p
}

// A cell of the places' grid, by column and row.
type cell [2]int32

// cellIDs numbers cells in the order first asked for: in an array over
// the cells' extent when it has at most maxDenseCells (a province's plan at
// a 150 m reach: about 5 million), in a map otherwise, where a hash of each
// of millions of cells had taken most of a second.
type cellIDs struct {
	lo    cell
	w, h  int64
	dense []int32 // per cell, its number + 1; 0: none
	m     map[cell]int32
	cells []cell // by number
}

var maxDenseCells int64 = 1 << 25

func newCellIDs(lo, hi cell) *cellIDs {
	c := &cellIDs{lo: lo}
	if lo[0] <= hi[0] && lo[1] <= hi[1] {
		c.w, c.h = int64(hi[0])-int64(lo[0])+1, int64(hi[1])-int64(lo[1])+1
	}
	if c.w*c.h <= maxDenseCells {
		c.dense = make([]int32, c.w*c.h)
	} else {
		c.m = map[cell]int32{}
	}
	return c
}

// slot is cell k's place in the array; -1 outside the extent.
func (c *cellIDs) slot(k cell) int64 {
	x, y := int64(k[0])-int64(c.lo[0]), int64(k[1])-int64(c.lo[1])
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return -1
	}
	return y*c.w + x
}

// id returns cell k's number, numbering it when new. k lies in the extent.
func (c *cellIDs) id(k cell) int32 {
	if c.m == nil {
		s := c.slot(k)
		if c.dense[s] == 0 {
			c.cells = append(c.cells, k)
			c.dense[s] = int32(len(c.cells))
		}
		return c.dense[s] - 1
	}
	n, ok := c.m[k]
	if !ok {
		n = int32(len(c.cells))
		c.cells = append(c.cells, k)
		c.m[k] = n
	}
	return n
}

// get returns cell k's number, if it has one.
func (c *cellIDs) get(k cell) (int32, bool) {
	if c.m == nil {
		if s := c.slot(k); s >= 0 && c.dense[s] > 0 {
			return c.dense[s] - 1, true
		}
		return 0, false
	}
	n, ok := c.m[k]
	return n, ok
}

// group lists items 0..m-1 by their key, below n, ascending within each
// key: off[k] is where key k's start in list, off[n] the end.
func group(n, m int, key func(i int) int32) (off, list []int32) {
	off = make([]int32, n+1)
	for i := range m {
		off[key(i)+1]++
	}
	for k := range n {
		off[k+1] += off[k]
	}
	next := append([]int32(nil), off[:n]...)
	list = make([]int32, m)
	for i := range m {
		k := key(i)
		list[next[k]] = int32(i)
		next[k]++
	}
	return off, list
}

// grid finds a place's elements near a box: each element is filed, box and
// kind beside it, under the cell of its box's lower-left corner, so a query
// reads a few short runs of memory where a tree built for every place had
// cost more to build than to search.
type grid struct {
	x0, y0, size float64
	nx, ny       int
	padX, padY   float64 // the widest and tallest box: one meeting a query has its corner this far below-left of it at most
	off          []int32 // per cell, where its entries start; one more for the end
	ids          []int32 // the entries: local element numbers, cell by cell, ascending within one
	boxes        []orb.Bound
	kinds        []uint8
}

// reset files boxes (their kinds beside them), reusing g's memory.
func (g *grid) reset(boxes []orb.Bound, kinds func(i int) uint8) {
	n := len(boxes)
	var b orb.Bound
	g.padX, g.padY = 0, 0
	for i, x := range boxes {
		if i == 0 {
			b = x
		}
		b = b.Union(x)
		g.padX, g.padY = max(g.padX, x.Max[0]-x.Min[0]), max(g.padY, x.Max[1]-x.Min[1])
	}
	// Cells of at least 64 m, and not many more than elements: a place
	// strung out along a long road must not allocate a field of empty
	// cells.
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	g.size = max(64, math.Sqrt(w*h/float64(4*n+1)))
	g.x0, g.y0 = b.Min[0], b.Min[1]
	g.nx, g.ny = int(w/g.size)+1, int(h/g.size)+1
	cells := g.nx * g.ny
	g.off = slices.Grow(g.off[:0], cells+1)[:cells+1]
	clear(g.off)
	cellOf := func(x orb.Bound) int {
		return g.cell(x.Min[0], x.Min[1])
	}
	for _, x := range boxes {
		g.off[cellOf(x)+1]++
	}
	for c := range cells {
		g.off[c+1] += g.off[c]
	}
	g.ids = slices.Grow(g.ids[:0], n)[:n]
	g.boxes = slices.Grow(g.boxes[:0], n)[:n]
	g.kinds = slices.Grow(g.kinds[:0], n)[:n]
	for i, x := range boxes {
		c := cellOf(x)
		at := g.off[c]
		g.off[c]++
		g.ids[at], g.boxes[at], g.kinds[at] = int32(i), x, kinds(i)
	}
	// Each cell's start moved to its end while filing: shift back.
	copy(g.off[1:], g.off[:cells])
	g.off[0] = 0
}

func (g *grid) cell(x, y float64) int {
	cx := min(max(int((x-g.x0)/g.size), 0), g.nx-1)
	cy := min(max(int((y-g.y0)/g.size), 0), g.ny-1)
	return cy*g.nx + cx
}

// near appends to buf the entries (positions in g.ids) whose box meets b.
func (g *grid) near(buf []int32, b orb.Bound) []int32 {
	lo := orb.Point{b.Min[0] - g.padX, b.Min[1] - g.padY}
	c0, c1 := g.cell(lo[0], lo[1]), g.cell(b.Max[0], b.Max[1])
	x0, y0, x1, y1 := c0%g.nx, c0/g.nx, c1%g.nx, c1/g.nx
	for y := y0; y <= y1; y++ {
		row := y * g.nx
		for at := g.off[row+x0]; at < g.off[row+x1+1]; at++ {
			x := &g.boxes[at]
			if x.Min[0] <= b.Max[0] && x.Max[0] >= b.Min[0] && x.Min[1] <= b.Max[1] && x.Max[1] >= b.Min[1] {
				buf = append(buf, at)
			}
		}
	}
	return buf
}

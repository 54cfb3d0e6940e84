package data

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"fireplan/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// growSides is the number of sides of the polygon that stands for a circle
// when a hull is grown: 16 keeps it within 2% of the circle.
const growSides = 16

// deriveBuiltup draws built-up areas around the buildings (metric layer b)
// for a county that has none. The rule:
//
//   - buildings whose metric bounds lie within gapM of each other are
//     grouped, transitively (single linkage);
//   - a group's area is the convex hull of its buildings' vertices grown by
//     gapM/2 (each hull vertex replaced by a 16-gon circumscribing a circle
//     of that radius, so the margin is at least gapM/2 everywhere);
//   - areas of at least minAreaM2 are kept, ordered west to east (then south
//     to north) by their westmost point and named derived-1, derived-2...
//
// It returns the areas in lon/lat (proj inverted) and the buildings in them.
func deriveBuiltup(b *Layer[Building], proj *geo.Projection, gapM, minAreaM2 float64) ([]Builtup, int) {
	root := groupBoxes(b.MBound, gapM)
	members := map[int32][]int32{}
	for i, r := range root {
		members[r] = append(members[r], int32(i))
	}
	r := gapM / 2
	type area struct {
		ring      orb.Ring
		west      orb.Point
		buildings int
	}
	var areas []area
	var pts []orb.Point
	for _, ms := range members {
		box := b.MBound[ms[0]]
		for _, i := range ms[1:] {
			box = box.Union(b.MBound[i])
		}
		if grown := box.Pad(circumradius(r)); (grown.Max[0]-grown.Min[0])*(grown.Max[1]-grown.Min[1]) < minAreaM2 {
			continue // the grown hull lies inside the grown box: too small
		}
		pts = pts[:0]
		for _, i := range ms {
			eachPoint(b.Metric[i], func(p orb.Point) { pts = append(pts, p) })
		}
		if ring, ok := geo.ConvexHull(pts); ok {
			pts = append(pts[:0], ring[:len(ring)-1]...)
		}
		ring := grow(pts, r)
		if planar.Area(orb.Polygon{ring}) < minAreaM2 {
			continue
		}
		west := ring[0]
		for _, p := range ring {
			if p[0] < west[0] || p[0] == west[0] && p[1] < west[1] {
				west = p
			}
		}
		areas = append(areas, area{ring, west, len(ms)})
	}
	slices.SortFunc(areas, func(a, b area) int {
		return cmp.Or(cmp.Compare(a.west[0], b.west[0]), cmp.Compare(a.west[1], b.west[1]))
	})
	out := make([]Builtup, len(areas))
	n := 0
	for k, a := range areas {
		out[k] = Builtup{ID: fmt.Sprintf("derived-%d", k+1), Geom: proj.InverseGeometry(orb.Polygon{a.ring})}
		n += a.buildings
	}
	return out, n
}

// circumradius returns the radius of the growSides-gon around a circle of radius r.
func circumradius(r float64) float64 { return r / math.Cos(math.Pi/growSides) }

// grow returns the convex hull of circles of radius r (as circumscribed
// 16-gons) around ps: the hull of ps grown by at least r.
func grow(ps []orb.Point, r float64) orb.Ring {
	r = circumradius(r)
	out := make([]orb.Point, 0, len(ps)*growSides)
	for _, p := range ps {
		for k := 0; k < growSides; k++ {
			s, c := math.Sincos(2 * math.Pi * float64(k) / growSides)
			out = append(out, orb.Point{p[0] + r*c, p[1] + r*s})
		}
	}
	ring, _ := geo.ConvexHull(out) // r > 0: the circles span an area
	return ring
}

// groupBoxes returns, per box, the least index of its group: boxes within
// gap of each other (distance between the boxes) share a group,
// transitively. The plane is cut into rows; each box is listed in every row
// its box grown by gap/2 meets, so two boxes within gap share a row. Each
// row is swept west to east with the boxes that still reach the sweep line
// within gap, and union-find joins the pairs found. Rows hold copies of the
// boxes: the sweep reads memory in order, whatever the input order.
func groupBoxes(bs []orb.Bound, gap float64) []int32 {
	parent := make([]int32, len(bs))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	if len(bs) == 0 {
		return parent
	}
	// Rows about a grown box high: most boxes meet one or two.
	all, height := bs[0], 0.0
	for _, b := range bs {
		all = all.Union(b)
		height += b.Max[1] - b.Min[1]
	}
	height = max(height/float64(len(bs))+gap, (all.Max[1]-all.Min[1]+gap)/(1<<20), 1e-3)
	row := func(y float64) int { return int((y - all.Min[1] + gap/2) / height) }
	start := make([]int32, row(all.Max[1]+gap/2)+2)
	for _, b := range bs {
		for r := row(b.Min[1] - gap/2); r <= row(b.Max[1]+gap/2); r++ {
			start[r+1]++
		}
	}
	for r := 1; r < len(start); r++ {
		start[r] += start[r-1]
	}
	type entry struct {
		b orb.Bound
		i int32
	}
	rows := make([]entry, start[len(start)-1])
	fill := slices.Clone(start)
	for i, b := range bs {
		for r := row(b.Min[1] - gap/2); r <= row(b.Max[1]+gap/2); r++ {
			rows[fill[r]] = entry{b, int32(i)}
			fill[r]++
		}
	}
	var active []int32 // positions in the row
	for r := 0; r+1 < len(start); r++ {
		in := rows[start[r]:start[r+1]]
		slices.SortFunc(in, func(a, b entry) int { return cmp.Compare(a.b.Min[0], b.b.Min[0]) })
		active = active[:0]
		for k, e := range in {
			kept := active[:0]
			for _, x := range active {
				a := &in[x]
				if a.b.Max[0]+gap < e.b.Min[0] {
					continue // out of reach of this and every later box
				}
				kept = append(kept, x)
				if ra, re := find(a.i), find(e.i); ra != re && geo.BoxGap(a.b, e.b) <= gap {
					parent[max(ra, re)] = min(ra, re)
				}
			}
			active = append(kept, int32(k))
		}
	}
	for i := range parent {
		parent[i] = find(int32(i))
	}
	return parent
}

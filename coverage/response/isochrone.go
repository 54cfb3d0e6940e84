package response

import (
	"context"
	"math"
	"sort"

	"fireplan/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

// Isochrone parameters: reachable road is drawn DisplayWidthM wide on a
// raster of at most maxCells cells (cells no finer than minCellM), then
// traced into polygons and smoothed. Drawing the reachable road itself (not
// hulls of nodes) keeps unreachable valleys out and spikes away.
const (
	DisplayWidthM = 60.0
	minCellM      = 25.0
	maxCells      = 6e6
)

// Isochrone is the area one station reaches first within Minutes (or, with
// StationID "", the area any station reaches), in metres.
type Isochrone struct {
	Minutes   float64
	StationID string
	Station   int32 // index into the snapshot's stations; -1 for the union
	Geom      orb.MultiPolygon
	AreaKm2   float64
}

// timeRaster holds, per cell, the earliest arrival on any road drawn through
// it and the station that made it.
type timeRaster struct {
	x0, y0, cell float64
	w, h         int
	t            []float32
	src          []int32
}

func (r *Response) raster() *timeRaster {
	r.rasterOnce.Do(func() { r.rast = r.buildRaster() })
	return r.rast
}

func (r *Response) buildRaster() *timeRaster {
	g := r.Graph
	var b orb.Bound
	first := true
	for i, e := range g.Edges {
		if math.IsInf(r.Times.T[e.From], 1) && math.IsInf(r.Times.T[e.To], 1) && len(r.onEdge[int32(i)]) == 0 {
			continue
		}
		for _, p := range []orb.Point{g.Nodes[e.From], g.Nodes[e.To]} {
			if first {
				b, first = orb.Bound{Min: p, Max: p}, false
			}
			b = b.Extend(p)
		}
	}
	tr := &timeRaster{}
	if first {
		return tr
	}
	b = b.Pad(2 * DisplayWidthM)
	area := (b.Max[0] - b.Min[0]) * (b.Max[1] - b.Min[1])
	tr.cell = math.Max(minCellM, math.Sqrt(area/maxCells))
	tr.x0, tr.y0 = b.Min[0], b.Min[1]
	tr.w = int((b.Max[0]-b.Min[0])/tr.cell) + 1
	tr.h = int((b.Max[1]-b.Min[1])/tr.cell) + 1
	tr.t = make([]float32, tr.w*tr.h)
	tr.src = make([]int32, tr.w*tr.h)
	for i := range tr.t {
		tr.t[i] = float32(math.Inf(1))
		tr.src[i] = -1
	}
	// Disk of cells within half the display width.
	rad := DisplayWidthM / 2 / tr.cell
	var disk [][2]int
	for dy := -int(rad) - 1; dy <= int(rad)+1; dy++ {
		for dx := -int(rad) - 1; dx <= int(rad)+1; dx++ {
			if math.Hypot(float64(dx), float64(dy)) <= rad+0.5 {
				disk = append(disk, [2]int{dx, dy})
			}
		}
	}
	step := tr.cell / 2
	for i := range g.Edges {
		e := int32(i)
		ed := &g.Edges[i]
		if math.IsInf(r.Times.T[ed.From], 1) && math.IsInf(r.Times.T[ed.To], 1) && len(r.onEdge[e]) == 0 {
			continue
		}
		for s := 0.0; ; s += step {
			s = math.Min(s, ed.Length)
			t, src := r.AtEdge(e, s)
			if !math.IsInf(t, 1) {
				p := g.EdgePoint(e, s)
				cx, cy := int((p[0]-tr.x0)/tr.cell), int((p[1]-tr.y0)/tr.cell)
				for _, d := range disk {
					x, y := cx+d[0], cy+d[1]
					if x < 0 || y < 0 || x >= tr.w || y >= tr.h {
						continue
					}
					k := y*tr.w + x
					if float32(t) < tr.t[k] {
						tr.t[k], tr.src[k] = float32(t), src
					}
				}
			}
			if s >= ed.Length {
				break
			}
		}
	}
	return tr
}

// Isochrones returns, for each target in minutes, the area each station
// reaches first and the union of all, as smoothed polygons in metres.
func (r *Response) Isochrones(ctx context.Context, targets []float64) ([]Isochrone, error) {
	tr := r.raster()
	var out []Isochrone
	if tr.w == 0 {
		return out, nil
	}
	for _, m := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		limit := float32(m * 60)
		per := tr.trace(func(k int) int32 {
			if tr.t[k] <= limit {
				return tr.src[k]
			}
			return -1
		})
		union := tr.trace(func(k int) int32 {
			if tr.t[k] <= limit {
				return 0
			}
			return -1
		})
		out = append(out, r.isochrone(m, -1, union[0]))
		labels := make([]int32, 0, len(per))
		for l := range per {
			labels = append(labels, l)
		}
		sort.Slice(labels, func(a, b int) bool { return labels[a] < labels[b] })
		for _, l := range labels {
			out = append(out, r.isochrone(m, l, per[l]))
		}
	}
	return out, nil
}

func (r *Response) isochrone(m float64, station int32, mp orb.MultiPolygon) Isochrone {
	iso := Isochrone{Minutes: m, Station: station, AreaKm2: math.Round(planar.Area(mp)/1e4) / 100}
	if station >= 0 {
		iso.StationID = r.Snap.Stations.Items[station].ID
	}
	iso.Geom = mp
	return iso
}

type vtx [2]int32

// trace turns the cells of each label (-1 = none) into polygons with holes,
// in metres: boundary edges run with their label on the left, are joined
// into rings (turning left where two cells meet at a corner, so rings never
// cross), then split into outer rings (counter-clockwise) and holes.
func (tr *timeRaster) trace(label func(k int) int32) map[int32]orb.MultiPolygon {
	lab := make([]int32, len(tr.t))
	for k := range lab {
		lab[k] = label(k)
	}
	tr.fixSaddles(lab)
	at := func(x, y int) int32 {
		if x < 0 || y < 0 || x >= tr.w || y >= tr.h {
			return -1
		}
		return lab[y*tr.w+x]
	}
	edges := map[int32][]bEdge{}
	for y := 0; y < tr.h; y++ {
		for x := 0; x < tr.w; x++ {
			l := at(x, y)
			if l < 0 {
				continue
			}
			X, Y := int32(x), int32(y)
			if at(x, y-1) != l {
				edges[l] = append(edges[l], bEdge{a: vtx{X, Y}, b: vtx{X + 1, Y}})
			}
			if at(x+1, y) != l {
				edges[l] = append(edges[l], bEdge{a: vtx{X + 1, Y}, b: vtx{X + 1, Y + 1}})
			}
			if at(x, y+1) != l {
				edges[l] = append(edges[l], bEdge{a: vtx{X + 1, Y + 1}, b: vtx{X, Y + 1}})
			}
			if at(x-1, y) != l {
				edges[l] = append(edges[l], bEdge{a: vtx{X, Y + 1}, b: vtx{X, Y}})
			}
		}
	}
	out := map[int32]orb.MultiPolygon{}
	for l, es := range edges {
		from := make(map[vtx][]int, len(es))
		for i, e := range es {
			from[e.a] = append(from[e.a], i)
		}
		var rings []orb.Ring
		for i := range es {
			if es[i].used {
				continue
			}
			var ring orb.Ring
			cur := i
			for {
				es[cur].used = true
				e := es[cur]
				ring = append(ring, tr.point(e.a))
				next := -1
				for _, j := range from[e.b] {
					if es[j].used && j != i {
						continue
					}
					if next < 0 || turn(e, es[j]) > turn(e, es[next]) {
						next = j
					}
				}
				if next < 0 || next == i {
					break
				}
				cur = next
			}
			ring = append(ring, ring[0])
			rings = append(rings, ring)
		}
		out[l] = tr.assemble(rings)
	}
	return out
}

type bEdge struct {
	a, b vtx
	used bool
}

// fixSaddles fills one cell wherever two cells of a label meet only at a
// corner, so every traced ring is simple and no hole touches its shell.
// Filling only grows a label, so the passes end.
func (tr *timeRaster) fixSaddles(lab []int32) {
	for pass := 0; pass < 16; pass++ {
		changed := false
		for y := 0; y+1 < tr.h; y++ {
			for x := 0; x+1 < tr.w; x++ {
				k := y*tr.w + x
				a, b, c, d := lab[k], lab[k+1], lab[k+tr.w], lab[k+tr.w+1]
				switch {
				case a >= 0 && a == d && b != a && c != a:
					fill := k + 1
					if b >= 0 && c < 0 {
						fill = k + tr.w
					}
					lab[fill], changed = a, true
				case b >= 0 && b == c && a != b && d != b:
					fill := k
					if a >= 0 && d < 0 {
						fill = k + tr.w + 1
					}
					lab[fill], changed = b, true
				}
			}
		}
		if !changed {
			return
		}
	}
}

// turn scores the way from edge a into edge b: left 1, straight 0, right -1.
func turn(a, b bEdge) int {
	dx1, dy1 := a.b[0]-a.a[0], a.b[1]-a.a[1]
	dx2, dy2 := b.b[0]-b.a[0], b.b[1]-b.a[1]
	return int(dx1*dy2 - dy1*dx2)
}

func (tr *timeRaster) point(v vtx) orb.Point {
	return orb.Point{tr.x0 + float64(v[0])*tr.cell, tr.y0 + float64(v[1])*tr.cell}
}

// assemble smooths rings, drops specks and slivers smaller than four cells,
// and puts each hole in the smallest outer ring around it.
func (tr *timeRaster) assemble(rings []orb.Ring) orb.MultiPolygon {
	minArea := 4 * tr.cell * tr.cell
	// Under half a cell, so rings at least a cell apart cannot come to cross;
	// enough to turn the raster's staircases into straight diagonals.
	dp := simplify.DouglasPeucker(tr.cell * 0.45)
	var outers []orb.Polygon
	var outerArea []float64
	var holes []orb.Ring
	var holeAt []orb.Point
	for _, ring := range rings {
		sa := ringSignedArea(ring) // outer rings run counter-clockwise
		if math.Abs(sa) < minArea {
			continue
		}
		probe := leftOf(ring[0], ring[1], tr.cell/2)
		s := dp.Ring(ring.Clone())
		if len(s) < 4 {
			continue
		}
		if sa > 0 {
			outers = append(outers, orb.Polygon{s})
			outerArea = append(outerArea, sa)
		} else {
			holes = append(holes, s)
			holeAt = append(holeAt, probe)
		}
	}
	for i, h := range holes {
		best := -1
		for j, o := range outers {
			if (best < 0 || outerArea[j] < outerArea[best]) && planar.RingContains(o[0], holeAt[i]) {
				best = j
			}
		}
		if best >= 0 {
			outers[best] = append(outers[best], h)
		}
	}
	return orb.MultiPolygon(outers)
}

// leftOf returns the point d to the left of the middle of ab.
func leftOf(a, b orb.Point, d float64) orb.Point {
	m := geo.Lerp(a, b, 0.5)
	l := geo.Dist(a, b)
	return orb.Point{m[0] - (b[1]-a[1])/l*d, m[1] + (b[0]-a[0])/l*d}
}

func ringSignedArea(r orb.Ring) float64 {
	var s float64
	for i := 1; i < len(r); i++ {
		s += r[i-1][0]*r[i][1] - r[i][0]*r[i-1][1]
	}
	return s / 2
}

package sample

import (
	"fmt"
	"math"
	"sort"

	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// grid is a gridded street network: vertical streets at xs, horizontal at ys.
type grid struct {
	xs, ys []float64
}

func (gr *grid) node(i, j int) orb.Point { return orb.Point{gr.xs[i], gr.ys[j]} }

func (gr *grid) bound() orb.Bound {
	return orb.Bound{Min: orb.Point{gr.xs[0], gr.ys[0]}, Max: orb.Point{gr.xs[len(gr.xs)-1], gr.ys[len(gr.ys)-1]}}
}

// edgeNodes returns the nodes on the grid's outline.
func (gr *grid) edgeNodes() []orb.Point {
	var out []orb.Point
	for i := range gr.xs {
		for j := range gr.ys {
			if i == 0 || j == 0 || i == len(gr.xs)-1 || j == len(gr.ys)-1 {
				out = append(out, gr.node(i, j))
			}
		}
	}
	return out
}

func nearest(ps []orb.Point, to orb.Point) orb.Point {
	best, bd := ps[0], math.Inf(1)
	for _, p := range ps {
		if d := geo.Dist(p, to); d < bd {
			best, bd = p, d
		}
	}
	return best
}

func (g *county) lines(c, half, lo, hi float64) []float64 {
	var out []float64
	for v := c - half; v <= c+half; v += g.between(lo, hi) {
		out = append(out, v)
	}
	return out
}

func (g *county) makeTownships() {
	const size = 54000.0
	cols, rows := 3, 3+g.rng.Intn(2)
	cw, ch := size/float64(cols), size/float64(rows)
	corner := make([][]orb.Point, cols+1)
	for i := range corner {
		corner[i] = make([]orb.Point, rows+1)
		for j := range corner[i] {
			p := orb.Point{-size/2 + float64(i)*cw, -size/2 + float64(j)*ch}
			if i > 0 && i < cols && j > 0 && j < rows {
				p[0] += g.between(-0.12, 0.12) * cw
				p[1] += g.between(-0.12, 0.12) * ch
			}
			corner[i][j] = p
		}
	}
	// Edge midpoints bend sideways, shared by both neighbours.
	hmid := map[[2]int]orb.Point{}
	vmid := map[[2]int]orb.Point{}
	for i := 0; i <= cols; i++ {
		for j := 0; j <= rows; j++ {
			if i < cols {
				m := geo.Lerp(corner[i][j], corner[i+1][j], 0.5)
				if j > 0 && j < rows {
					m[1] += g.between(-0.08, 0.08) * ch
				}
				hmid[[2]int{i, j}] = m
			}
			if j < rows {
				m := geo.Lerp(corner[i][j], corner[i][j+1], 0.5)
				if i > 0 && i < cols {
					m[0] += g.between(-0.08, 0.08) * cw
				}
				vmid[[2]int{i, j}] = m
			}
		}
	}
	townCell := [2]int{cols / 2, rows / 2}
	k := 0
	perm := g.rng.Perm(len(townNames))
	for j := 0; j < rows; j++ {
		for i := 0; i < cols; i++ {
			ring := orb.Ring{corner[i][j], hmid[[2]int{i, j}], corner[i+1][j], vmid[[2]int{i + 1, j}],
				corner[i+1][j+1], hmid[[2]int{i, j + 1}], corner[i][j+1], vmid[[2]int{i, j}], corner[i][j]}
			base := orb.Bound{Min: orb.Point{-size/2 + float64(i)*cw, -size/2 + float64(j)*ch}}
			base.Max = orb.Point{base.Min[0] + cw, base.Min[1] + ch}
			inner := orb.Bound{Min: orb.Point{base.Min[0] + 0.22*cw, base.Min[1] + 0.22*ch}, Max: orb.Point{base.Max[0] - 0.22*cw, base.Max[1] - 0.22*ch}}
			isTown := [2]int{i, j} == townCell
			seat := inner.Center()
			if !isTown {
				seat[0] += g.between(-0.15, 0.15) * cw
				seat[1] += g.between(-0.15, 0.15) * ch
			}
			t := township{id: g.id("t"), poly: ring, inner: inner, seat: seat, isTown: isTown}
			name := townNames[perm[k%len(townNames)]]
			kind := g.pick("town", "township")
			suffix := map[string]string{"town": "镇", "township": "乡"}[kind]
			if isTown {
				kind, suffix = "subdistrict", "街道"
			}
			g.set.Townships = append(g.set.Townships, data.Township{ID: t.id, Geom: g.ring(ring), Name: name + suffix,
				County: "示例县", Kind: kind, FulltimeBrigade: isTown || g.rng.Float64() < 0.5})
			g.townships = append(g.townships, t)
			k++
		}
	}
}

// streetStyle says how a gridded area's streets and blocks look.
type streetStyle int

const (
	styleCountyTown streetStyle = iota
	styleSeat
	styleIndustrial
)

func (g *county) streetClass(style streetStyle, idx, n int, along string) (string, *float64, bool, string) {
	name := streetNames[(idx*7+len(along))%len(streetNames)] + along
	switch style {
	case styleCountyTown:
		switch {
		case idx == n/2 && along == "大道":
			return "primary", fp(64), false, "迎宾大道"
		case idx%6 == 0:
			return "primary", fp(g.between(20, 30)), false, name
		case idx%3 == 0:
			return "secondary", fp(g.between(12, 16)), idx%2 == 1, name
		}
	case styleSeat:
		if idx == n/2 {
			return "tertiary", fp(9), false, "正街"
		}
	case styleIndustrial:
		return "secondary", fp(15), false, "工业园路"
	}
	r := g.rng.Float64()
	switch {
	case r < 0.12:
		return "residential", fp(3.5), false, name + "巷"
	case r < 0.22:
		return "service", nil, false, ""
	}
	return "residential", fp(g.between(5, 9)), false, name
}

// makeStreets lays the grid's streets, one road feature per block side.
func (g *county) makeStreets(gr *grid, style streetStyle) {
	for i, x := range gr.xs {
		ps := make([]orb.Point, len(gr.ys))
		for j, y := range gr.ys {
			ps[j] = orb.Point{x, y}
		}
		along := "路"
		if style == styleCountyTown && i == len(gr.xs)/2 {
			along = "大道"
		}
		class, w, oneway, name := g.streetClass(style, i, len(gr.xs), along)
		if oneway && i%4 == 1 {
			reverse(ps)
		}
		for j := 1; j < len(ps); j++ { // per block: narrow lanes inside districts
			mid := geo.Lerp(ps[j-1], ps[j], 0.5)
			c, ww, ow, nm := class, w, oneway, name
			if class == "residential" || class == "service" {
				c, ww, ow, nm = g.blockStreet(style, class, w, name, mid)
			}
			g.addRoad(ps[j-1:j+1], c, ww, ow, nm, 1)
		}
	}
	for j, y := range gr.ys {
		ps := make([]orb.Point, len(gr.xs))
		for i, x := range gr.xs {
			ps[i] = orb.Point{x, y}
		}
		class, w, oneway, name := g.streetClass(style, j, len(gr.ys), "街")
		if oneway && j%4 == 1 {
			reverse(ps)
		}
		for i := 1; i < len(ps); i++ {
			mid := geo.Lerp(ps[i-1], ps[i], 0.5)
			c, ww, ow, nm := class, w, oneway, name
			if class == "residential" || class == "service" {
				c, ww, ow, nm = g.blockStreet(style, class, w, name, mid)
			}
			g.addRoad(ps[i-1:i+1], c, ww, ow, nm, 1)
		}
	}
}

// blockStreet narrows the minor streets running through old districts.
func (g *county) blockStreet(style streetStyle, class string, w *float64, name string, mid orb.Point) (string, *float64, bool, string) {
	if style == styleCountyTown {
		for _, d := range g.districts {
			if mid[0] > d.Min[0]+1 && mid[0] < d.Max[0]-1 && mid[1] > d.Min[1]+1 && mid[1] < d.Max[1]-1 {
				return "residential", fp(g.between(2.8, 4.6)), false, name + "巷"
			}
		}
	}
	return class, w, false, name
}

func reverse(ps []orb.Point) {
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
}

func (g *county) inDistrict(p orb.Point) int {
	for k, d := range g.districts {
		if d.Contains(p) {
			return k
		}
	}
	return -1
}

func (g *county) addBuilding(c orb.Point, w, h, angle float64, households int, structure string, floors int) {
	g.set.Buildings = append(g.set.Buildings, data.Building{ID: g.id("b"), Geom: g.ring(rotatedRect(c, w, h, angle)),
		Households: households, Structure: structure, Floors: ip(floors)})
}

// fillBlock places rows of buildings inside a block, set back from its streets.
func (g *county) fillBlock(b orb.Bound, style streetStyle, old bool, laneY float64, laneHalf float64) {
	var w, h, gap float64
	switch {
	case style == styleIndustrial:
		w, h, gap = g.between(40, 70), g.between(25, 40), 20
	case old:
		w, h, gap = g.between(12, 18), g.between(8, 11), g.between(4, 7)
	case style == styleCountyTown:
		w, h, gap = g.between(20, 34), g.between(12, 16), g.between(10, 16)
	default:
		w, h, gap = g.between(10, 14), g.between(8, 11), g.between(5, 10)
	}
	for y := b.Min[1] + h/2; y+h/2 <= b.Max[1]; y += h + gap {
		if laneHalf > 0 && math.Abs(y-laneY) < h/2+laneHalf+1.5 {
			continue
		}
		for x := b.Min[0] + w/2; x+w/2 <= b.Max[0]; x += w + gap {
			c := orb.Point{x + g.between(-0.5, 0.5), y + g.between(-0.5, 0.5)}
			switch {
			case style == styleIndustrial:
				g.addBuilding(c, w, h, 0, 0, "concrete", 1+g.rng.Intn(2))
			case old:
				floors := 3 + g.rng.Intn(4)
				g.addBuilding(c, w, h, 0, floors*(2+g.rng.Intn(3)), g.pick("brick", "brick", "mixed", "wood"), floors)
			case style == styleCountyTown:
				floors := 3 + g.rng.Intn(8)
				g.addBuilding(c, w, h, 0, floors*(1+g.rng.Intn(2)), g.pick("concrete", "concrete", "brick", "mixed"), floors)
			default:
				floors := 2 + g.rng.Intn(3)
				g.addBuilding(c, w, h, 0, 1+g.rng.Intn(3), g.pick("brick", "mixed", "concrete", "wood"), floors)
			}
		}
	}
}

func (g *county) fillBlocks(gr *grid, style streetStyle, setback float64) {
	for i := 1; i < len(gr.xs); i++ {
		for j := 1; j < len(gr.ys); j++ {
			b := orb.Bound{Min: orb.Point{gr.xs[i-1] + setback, gr.ys[j-1] + setback}, Max: orb.Point{gr.xs[i] - setback, gr.ys[j] - setback}}
			old := style == styleCountyTown && g.inDistrict(b.Center()) >= 0
			laneHalf, laneY := 0.0, b.Center()[1]
			if old {
				// A fire lane runs through the middle of every old block.
				widths := []float64{2.5, 3, 3.5, 4, 4.5, 6}
				width := widths[g.rng.Intn(len(widths))]
				laneHalf = width / 2
				d := g.inDistrict(b.Center())
				status := g.pick("marked", "marked", "unmarked", "obstructed")
				ch := g.between(3.2, 5)
				ls := []orb.Point{{gr.xs[i-1], laneY}, {gr.xs[i], laneY}}
				g.set.FireLanes = append(g.set.FireLanes, data.FireLane{ID: g.id("fl"), Geom: g.line(ls),
					DistrictID: g.set.Districts[len(g.set.Districts)-len(g.districts)+d].ID, WidthM: fp(width), ClearHeightM: fp(ch), Status: status})
			}
			g.fillBlock(b, style, old, laneY, laneHalf)
		}
	}
}

func (g *county) makeCountyTown(t *township) {
	c := t.seat
	gr := &grid{xs: g.lines(c[0], 2600, 120, 170), ys: g.lines(c[1], 2100, 120, 170)}
	g.town, t.grid = gr, gr
	g.hub = gr.node(len(gr.xs)/2, len(gr.ys)/2)
	g.hub = orb.Point{g.hub[0] + g.off[0], g.hub[1] + g.off[1]}
	// Old residential districts: 5 rectangles of 2-3 blocks a side, apart.
	for tries := 0; len(g.districts) < 5 && tries < 200; tries++ {
		i0, j0 := 2+g.rng.Intn(len(gr.xs)-6), 2+g.rng.Intn(len(gr.ys)-6)
		w, h := 2+g.rng.Intn(2), 2+g.rng.Intn(2)
		b := orb.Bound{Min: gr.node(i0, j0), Max: gr.node(i0+w, j0+h)}
		clash := i0 <= len(gr.xs)/2 && i0+w >= len(gr.xs)/2 // keep the boulevard out
		for _, d := range g.districts {
			if d.Pad(200).Intersects(b) {
				clash = true
			}
		}
		if clash {
			continue
		}
		g.districts = append(g.districts, b)
		g.set.Districts = append(g.set.Districts, data.District{ID: g.id("d"), Geom: g.ring(rect(b.Min[0], b.Min[1], b.Max[0], b.Max[1])),
			Name: fmt.Sprintf("%s老街区", streetNames[(i0+j0)%len(streetNames)]), BuiltYear: ip(1965 + g.rng.Intn(35))})
	}
	gx, gy := len(gr.xs)*3/4, len(gr.ys)*3/4
	g.gapZone = orb.Bound{Min: gr.node(gx-2, gy-2), Max: gr.node(gx+1, gy+1)}
	g.makeStreets(gr, styleCountyTown)
	g.fillBlocks(gr, styleCountyTown, 12)
	// Households of each district are those of its buildings.
	first := len(g.set.Districts) - len(g.districts)
	for _, b := range g.set.Buildings {
		if k := g.inDistrictLL(b.Geom); k >= 0 {
			d := &g.set.Districts[first+k]
			if d.Households == nil {
				d.Households = ip(0)
			}
			*d.Households += b.Households
		}
	}
	bb := gr.bound().Pad(40)
	g.set.Builtup = append(g.set.Builtup, data.Builtup{ID: g.id("bu"), Geom: g.ring(rect(bb.Min[0], bb.Min[1], bb.Max[0], bb.Max[1])), Name: "县城", Kind: "county_town"})
	g.townHydrants(gr)

	// An industrial park south-east of town, linked by a secondary road.
	ic := orb.Point{gr.xs[len(gr.xs)-1] + 900, gr.ys[0] - 700}
	ind := &grid{xs: g.lines(ic[0], 400, 180, 220), ys: g.lines(ic[1], 250, 180, 220)}
	g.makeStreets(ind, styleIndustrial)
	g.fillBlocks(ind, styleIndustrial, 15)
	ib := ind.bound().Pad(40)
	g.set.Builtup = append(g.set.Builtup, data.Builtup{ID: g.id("bu"), Geom: g.ring(rect(ib.Min[0], ib.Min[1], ib.Max[0], ib.Max[1])), Name: "工业园", Kind: "industrial"})
	from, to := nearest(gr.edgeNodes(), ic), nearest(ind.edgeNodes(), c)
	g.addRoad(g.winding(from, to, 60), "secondary", fp(12), false, "园区路", 200)
	t.nodes = append(append(t.nodes, gr.edgeNodes()...), ind.edgeNodes()...)
	for _, n := range ind.edgeNodes() {
		g.addHydrant(orb.Point{n[0] + 9, n[1] + 9}, "municipal")
	}
}

// inDistrictLL tells which of this county's districts holds a building (by its first vertex).
func (g *county) inDistrictLL(geom orb.Geometry) int {
	p := geom.(orb.Polygon)[0][0]
	m := g.proj.Forward(p)
	return g.inDistrict(orb.Point{m[0] - g.off[0], m[1] - g.off[1]})
}

func (g *county) addHydrant(p orb.Point, kind string) {
	status := "working"
	switch r := g.rng.Float64(); {
	case r < 0.03:
		status = "broken"
	case r < 0.04:
		status = "planned"
	}
	flow := map[string]float64{"municipal": 15, "fire_pool": 30, "natural": 20, "crane": 40}[kind]
	g.set.Hydrants = append(g.set.Hydrants, data.Hydrant{ID: g.id("hy"), Geom: g.ll(p), Kind: kind, Status: status,
		FlowLPS: fp(flow), InstalledYear: ip(1995 + g.rng.Intn(31))})
}

// townHydrants lays hydrants at street corners and mid-block, sparse in old
// districts (their hydrant debt) and in one neglected quarter.
func (g *county) townHydrants(gr *grid) {
	prob := func(p orb.Point, base float64) float64 {
		switch {
		case g.gapZone.Contains(p):
			return 0.04
		case g.inDistrict(p) >= 0:
			return 0.15
		}
		return base
	}
	for i, x := range gr.xs {
		for j, y := range gr.ys {
			p := orb.Point{x, y}
			if g.rng.Float64() < prob(p, 0.75) {
				g.addHydrant(orb.Point{x + g.between(5, 9), y + g.between(5, 9)}, "municipal")
			}
			if i+1 < len(gr.xs) && g.rng.Float64() < prob(p, 0.4) {
				g.addHydrant(orb.Point{(x + gr.xs[i+1]) / 2, y + g.between(4, 8)}, "municipal")
			}
			if j+1 < len(gr.ys) && g.rng.Float64() < prob(p, 0.4) {
				side := 1.0
				if i == len(gr.xs)/2 {
					side = 33 // the boulevard: this one on its far side
				}
				g.addHydrant(orb.Point{x - side - g.between(3, 6), (y + gr.ys[j+1]) / 2}, "municipal")
			}
		}
	}
	for k := 0; k < 3; k++ {
		p := gr.node(g.rng.Intn(len(gr.xs)), g.rng.Intn(len(gr.ys)))
		g.addHydrant(orb.Point{p[0] + 12, p[1] - 12}, "crane")
	}
}

func (g *county) makeSeat(t *township) {
	gr := &grid{xs: g.lines(t.seat[0], g.between(350, 500), 110, 150), ys: g.lines(t.seat[1], g.between(250, 400), 110, 150)}
	t.grid = gr
	g.makeStreets(gr, styleSeat)
	g.fillBlocks(gr, styleSeat, 9)
	bb := gr.bound().Pad(30)
	name := g.set.Townships[len(g.set.Townships)-len(g.townships)+g.townshipIndex(t)].Name
	g.set.Builtup = append(g.set.Builtup, data.Builtup{ID: g.id("bu"), Geom: g.ring(rect(bb.Min[0], bb.Min[1], bb.Max[0], bb.Max[1])), Name: name + "集镇", Kind: "township_seat"})
	for _, x := range gr.xs {
		for _, y := range gr.ys {
			if g.rng.Float64() < 0.75 {
				g.addHydrant(orb.Point{x + g.between(4, 7), y + g.between(4, 7)}, "municipal")
			}
			if g.rng.Float64() < 0.3 {
				g.addHydrant(orb.Point{x - g.between(4, 7), y + 60}, "municipal")
			}
		}
	}
	t.nodes = append(t.nodes, gr.edgeNodes()...)
}

func (g *county) townshipIndex(t *township) int {
	for i := range g.townships {
		if &g.townships[i] == t {
			return i
		}
	}
	return 0
}

// makeTrunks joins every seat to the county town and runs a motorway across.
func (g *county) makeTrunks() {
	order := make([]int, 0, len(g.townships))
	for i := range g.townships {
		if !g.townships[i].isTown {
			order = append(order, i)
		}
	}
	sort.Slice(order, func(a, b int) bool {
		return geo.Dist(g.townships[order[a]].seat, g.town.bound().Center()) < geo.Dist(g.townships[order[b]].seat, g.town.bound().Center())
	})
	for k, i := range order {
		t := &g.townships[i]
		from, to := nearest(g.town.edgeNodes(), t.seat), nearest(t.grid.edgeNodes(), g.town.bound().Center())
		ps := g.winding(from, to, g.between(300, 900))
		class, w := "trunk", 12.0
		if k >= 4 {
			class, w = "secondary", 9
		}
		g.addRoad(ps, class, fp(w), false, fmt.Sprintf("S%d省道", 200+k*11), 150)
		t.nodes = append(t.nodes, ps...)
	}
	// The motorway crosses the south; one interchange links it to town.
	y := g.town.bound().Min[1] - 3000
	ps := g.winding(orb.Point{-27000, y + 2000}, orb.Point{27000, y - 1500}, 1500)
	g.addRoad(ps, "motorway", fp(24), false, "G60高速", 1000)
	mid := ps[len(ps)/2]
	g.addRoad(g.winding(mid, nearest(g.town.edgeNodes(), mid), 200), "primary", fp(16), false, "高速连接线", 300)
}

// makeVillages places the township's villages, their house clusters, lanes,
// access roads and water sources.
func (g *county) makeVillages(t *township) {
	n := 15 + g.rng.Intn(26)
	var centres []orb.Point
	avoid := t.grid.bound().Pad(1200)
	for tries := 0; len(centres) < n && tries < 4000; tries++ {
		c := orb.Point{g.between(t.inner.Min[0], t.inner.Max[0]), g.between(t.inner.Min[1], t.inner.Max[1])}
		if avoid.Contains(c) {
			continue
		}
		ok := true
		for _, o := range centres {
			if geo.Dist(o, c) < 1200 {
				ok = false
				break
			}
		}
		if ok {
			centres = append(centres, c)
		}
	}
	for _, vc := range centres {
		g.makeVillage(t, vc)
	}
	// Each village also links to its nearest neighbour: hill roads form loops.
	for i, vc := range centres {
		best := g.nearestOf(centres, i)
		if best < 0 || best < i && g.nearestOf(centres, best) == i {
			continue // that pair is linked already
		}
		class, width := "tertiary", fp(g.between(4.5, 6.5))
		if g.rng.Float64() < 0.4 {
			class, width = "track", nil
		}
		g.addRoad(g.winding(vc, centres[best], g.between(60, 200)), class, width, false, "", 100)
	}
}

func (g *county) nearestOf(ps []orb.Point, i int) int {
	best, bd := -1, math.Inf(1)
	for j, o := range ps {
		if d := geo.Dist(ps[i], o); j != i && d < bd {
			best, bd = j, d
		}
	}
	return best
}

func (g *county) makeVillage(t *township, vc orb.Point) {
	households := 10 + int(290*math.Pow(g.rng.Float64(), 1.8))
	vid := g.id("v")
	// Access road from the nearest point of the network.
	from := nearest(t.nodes, vc)
	class, width := "tertiary", fp(g.between(5.5, 7))
	switch r := g.rng.Float64(); {
	case r < 0.12:
		class, width = "track", nil // 3.5 m: no fire truck
	case r < 0.25:
		class, width = "residential", fp(4.5)
	}
	access := g.winding(from, vc, g.between(80, 250))
	g.addRoad(access, class, width, false, "", 60)
	t.nodes = append(t.nodes, access...)

	// Clusters of houses, each along a lane through its middle.
	nc := 1 + households/140
	if nc > 4 {
		nc = 4
	}
	left, hh := households, 0
	for k := 0; k < nc; k++ {
		size := left / (nc - k)
		if k < nc-1 {
			size = int(float64(size) * g.between(0.7, 1.3))
		}
		left -= size
		cc := vc
		if k > 0 {
			a := g.between(0, 2*math.Pi)
			cc = orb.Point{vc[0] + 220*math.Cos(a), vc[1] + 220*math.Sin(a)}
			g.addRoad([]orb.Point{vc, cc}, "residential", fp(5), false, "", 120)
		}
		hh += g.makeCluster(cc, size)
	}
	g.set.Villages = append(g.set.Villages, data.Village{ID: vid, Geom: g.ring(polygonRing(vc, 560, 11, g.rng)),
		Name: g.pick(villageHead...) + g.pick(villageTail...) + "村", TownshipID: t.id, Households: ip(hh),
		Retrofitted: g.rng.Float64() < map[bool]float64{true: 0.35, false: 0.2}[hh >= 100], VolunteerBrigade: g.rng.Float64() < 0.45})
	switch r := g.rng.Float64(); {
	case r < 0.5:
		g.addHydrant(orb.Point{vc[0] + g.between(-60, 60), vc[1] + g.between(30, 80)}, "fire_pool")
	case r < 0.8:
		g.addHydrant(orb.Point{vc[0] + g.between(-150, 150), vc[1] - g.between(60, 150)}, "natural")
	}
	if hh >= 150 {
		for k := 0; k < 1+g.rng.Intn(3); k++ {
			g.addHydrant(orb.Point{vc[0] + g.between(-40, 40), vc[1] + 5}, "municipal")
		}
	}
}

// makeCluster builds about n households of houses around cc: wooden and tight
// (3-5 m apart), ordinary (4-6.5 m) or a scattered hamlet (8-15 m), with a lane
// along the middle. It returns the households placed.
func (g *county) makeCluster(cc orb.Point, n int) int {
	tight := g.rng.Float64() < 0.4
	gap := g.between(4, 6.5)
	if !tight && g.rng.Float64() < 0.35 {
		gap = g.between(8, 15) // scattered hamlet
	}
	laneW := fp(g.between(4.5, 6))
	if tight {
		gap = g.between(3, 5)
		if g.rng.Float64() < 0.6 {
			laneW = fp(3)
		}
	}
	w, h := g.between(9, 12), g.between(7, 10)
	cols := int(math.Ceil(math.Sqrt(float64(n) * 1.5)))
	half := float64(cols) * (w + gap) / 2
	// The lane passes through cc so a link to cc joins it.
	var lane []orb.Point
	for x := cc[0] - half - 10; x < cc[0]; x += 60 {
		lane = append(lane, orb.Point{x, cc[1]})
	}
	lane = append(lane, cc)
	for x := cc[0] + 60; x < cc[0]+half+10; x += 60 {
		lane = append(lane, orb.Point{x, cc[1]})
	}
	lane = append(lane, orb.Point{cc[0] + half + 10, cc[1]})
	g.addRoad(lane, "residential", laneW, false, "", 60)
	placed, households := 0, 0
	for row := 0; placed < n; row++ {
		// Houses line the lane a metre from its edge: a narrow lane does not
		// stop a fire, a wide one may.
		off := *laneW/2 + 1 + h/2 + float64(row/2)*(h+gap)
		y := cc[1] + off
		if row%2 == 1 {
			y = cc[1] - off
		}
		for c := 0; c < cols && placed < n; c++ {
			p := orb.Point{cc[0] - half + w/2 + float64(c)*(w+gap) + g.between(-gap/5, gap/5), y + g.between(-gap/5, gap/5)}
			hh := 1
			if g.rng.Float64() < 0.1 {
				hh = 2
			}
			st := g.pick("brick", "brick", "mixed", "concrete", "wood")
			if tight {
				st = g.pick("wood", "wood", "wood", "mixed", "brick")
			}
			g.addBuilding(p, w, h, 0, hh, st, 1+g.rng.Intn(3))
			placed += hh
			households += hh
		}
	}
	return households
}

// makeStations places the urban stations, micro stations in old districts,
// township full-time brigades and village volunteer brigades.
func (g *county) makeStations() {
	gr := g.town
	add := func(p orb.Point, name, class, status string) {
		g.set.Stations = append(g.set.Stations, data.Station{ID: g.id("st"), Geom: g.ll(p), Name: name, Class: class, Status: status})
	}
	a := gr.node(len(gr.xs)/3, len(gr.ys)/2)
	b := gr.node(len(gr.xs)*2/3, len(gr.ys)/3)
	add(orb.Point{a[0] + 25, a[1] + 20}, "城区一级消防站", "urban1", "active")
	add(orb.Point{b[0] + 20, b[1] + 25}, "城东二级消防站", "urban2", "active")
	c := gr.node(len(gr.xs)*3/4, len(gr.ys)*3/4)
	add(orb.Point{c[0] + 20, c[1] + 20}, "城北小型站(规划)", "small", "planned")
	for k, d := range g.districts {
		if k < 2 {
			m := d.Center()
			add(orb.Point{m[0] + 3, m[1] + 40}, fmt.Sprintf("%s微型消防站", g.set.Districts[len(g.set.Districts)-len(g.districts)+k].Name), "micro", "active")
		}
	}
	first := len(g.set.Townships) - len(g.townships)
	for i, t := range g.townships {
		if !t.isTown && g.set.Townships[first+i].FulltimeBrigade {
			s := t.grid.node(len(t.grid.xs)/2, len(t.grid.ys)/2)
			add(orb.Point{s[0] + 15, s[1] + 15}, g.set.Townships[first+i].Name+"专职消防队", "township_fulltime", "active")
		}
	}
	// A volunteer brigade station in about a third of villages that have one.
	for i := range g.set.Villages {
		v := g.set.Villages[i]
		if !v.VolunteerBrigade || g.rng.Float64() > 0.3 {
			continue
		}
		c := g.proj.Forward(v.Geom.(orb.Polygon).Bound().Center())
		g.set.Stations = append(g.set.Stations, data.Station{ID: g.id("st"), Geom: g.proj.Inverse(orb.Point{c[0] + 10, c[1] - 12}), Name: v.Name + "志愿消防队", Class: "volunteer", Status: "active"})
	}
}

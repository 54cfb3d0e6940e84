package network

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"unsafe"

	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Edge is a stretch of passable road between two nodes.
type Edge struct {
	From, To int32
	Length   float64 // metres, in the snapshot's projection
	Fwd, Bwd float64 // seconds From->To and To->From; +Inf where one-way forbids
	Road     int32   // index into the snapshot's roads
	Part     int32   // line of a MultiLineString
	V0, V1   int32   // vertex range [V0, V1] of that line
}

// Graph is the truck road network in compressed sparse rows: the arcs
// leaving node n are arcs[off[n]:off[n+1]].
type Graph struct {
	Nodes []orb.Point // metres
	Edges []Edge
	off   []int32 // CSR over core nodes; other nodes have no arcs
	arcs  []arc
	// the arcs entering node n, for searches that restart from a boundary
	// (Rerun): rarcs[roff[n]:roff[n+1]], each naming its tail in to
	roff  []int32
	rarcs []arc
	ch    chains
	// incidence: the edges at node n are inc[incOff[n]:incOff[n+1]]
	incOff, inc []int32
	// the edges of road r are Edges[roadOff[r]:roadOff[r+1]], in the order
	// of its lines and vertices
	roadOff []int32

	Report GraphReport
	roads  *data.Layer[data.Road]
}

type arc struct {
	to   int32
	cost float64 // seconds
}

// GraphReport says what went into the graph and what was left out.
type GraphReport struct {
	Roads      int            `json:"roads"`
	Passable   int            `json:"passable"`
	Excluded   map[string]int `json:"excluded"` // roads left out by reason
	Problems   []data.Problem `json:"problems,omitempty"`
	Nodes      int            `json:"nodes"`
	Edges      int            `json:"edges"`
	Components []Component    `json:"components"`  // largest first; at most maxComponents listed
	Pieces     int            `json:"pieces"`      // connected pieces in all
	JoinedEnds int            `json:"joined_ends"` // line ends joined to another road's vertex within the node tolerance
}

// Component is a connected piece of the graph (ignoring direction).
type Component struct {
	Nodes   int       `json:"nodes"`
	Edges   int       `json:"edges"`
	LengthM float64   `json:"length_m"`
	At      orb.Point `json:"at"` // lon/lat of one of its nodes
	RoadID  string    `json:"road_id"`
}

const maxComponents = 50

// Exclusion reasons.
const (
	ExcludedNarrow    = "narrower_than_truck"
	ExcludedZeroSpeed = "zero_speed"
	ExcludedTunnel    = "tunnel" // street graph only: trucks drive through tunnels
)

// Profile is what the truck graph depends on: speeds and default widths by
// road class, the truck's width (narrower roads are left out) and the node
// tolerance.
type Profile struct {
	SpeedKmh    map[string]float64 // truck speed by road class
	WidthM      map[string]float64 // road width by class when unknown, metres
	TruckWidthM float64
	// NodeToleranceM joins a road end this close (metres) to another road's
	// vertex: digitised junctions often miss by millimetres.
	NodeToleranceM float64
}

// DefaultProfile returns the speeds and widths of DESIGN.md for a truck 4 m
// wide (GB 50016-2014 7.1.8).
func DefaultProfile() Profile {
	return Profile{
		SpeedKmh: map[string]float64{"motorway": 60, "trunk": 50, "primary": 40, "secondary": 35,
			"tertiary": 30, "residential": 25, "service": 15, "track": 15},
		WidthM: map[string]float64{"motorway": 15, "trunk": 12, "primary": 12, "secondary": 9,
			"tertiary": 7, "residential": 6, "service": 4, "track": 3.5},
		TruckWidthM:    4,
		NodeToleranceM: 0.5,
	}
}

// Width returns a road's width: its own, or its class default.
func (p Profile) Width(r *data.Road) float64 {
	if r.WidthM != nil {
		return *r.WidthM
	}
	return p.WidthM[r.Class]
}

// Speed returns a road's truck speed in km/h: its own, or its class speed.
func (p Profile) Speed(r *data.Road) float64 {
	if r.SpeedKmh != nil {
		return *r.SpeedKmh
	}
	return p.SpeedKmh[r.Class]
}

type vkey [2]uint64

// Vertices numbers the distinct vertices of every road's metric lines, once
// per version of the roads: a graph of any truck width is then noded by
// array lookups instead of hashing every vertex's coordinates, which at a
// province was most of a new width's noding.
type Vertices struct {
	ID  []int32 // per vertex of every line: roads in order, each road's Lines in order
	Off []int32 // per road, its first vertex in ID; one more for the end
	N   int     // distinct vertices
}

// NewVertices numbers the roads' vertices; equal coordinates, one number.
func NewVertices(ctx context.Context, roads *data.Layer[data.Road]) (*Vertices, error) {
	total := 0
	for _, g := range roads.Metric {
		for _, l := range Lines(g) {
			total += len(l)
		}
	}
	vx := &Vertices{ID: make([]int32, 0, total), Off: make([]int32, roads.Len()+1)}
	ids := make(map[vkey]int32, total)
	for i, g := range roads.Metric {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, l := range Lines(g) {
			for _, q := range l {
				id, ok := ids[keyOf(q)]
				if !ok {
					id = int32(len(ids))
					ids[keyOf(q)] = id
				}
				vx.ID = append(vx.ID, id)
			}
		}
		vx.Off[i+1] = int32(len(vx.ID))
	}
	vx.N = len(ids)
	return vx, nil
}

// Bytes is the memory vx holds.
func (vx *Vertices) Bytes() int64 { return int64(len(vx.ID)+len(vx.Off)) * 4 }

func keyOf(p orb.Point) vkey { return vkey{math.Float64bits(p[0]), math.Float64bits(p[1])} }

// Lines returns the lines of a LineString or MultiLineString (nil for others).
func Lines(g orb.Geometry) []orb.LineString {
	switch g := g.(type) {
	case orb.LineString:
		return []orb.LineString{g}
	case orb.MultiLineString:
		return g
	}
	return nil
}

// Truck builds the truck graph from the snapshot's roads. Nodes stand at
// line ends, at vertices shared by two or more lines (or twice by one) and
// where a line end within p.NodeToleranceM of another line joins it;
// roads narrower than the truck, or with zero speed, are left out and counted.
// vx numbers the roads' vertices (see NewVertices); nil numbers them here.
func Truck(ctx context.Context, s *data.Snapshot, p Profile, vx *Vertices) (*Graph, error) {
	g := &Graph{roads: s.Roads, Report: GraphReport{Roads: s.Roads.Len(), Excluded: map[string]int{}}}
	passable := make([]bool, s.Roads.Len())
	for i := range s.Roads.Items {
		r := &s.Roads.Items[i]
		switch {
		case p.Width(r) < p.TruckWidthM:
			g.Report.Excluded[ExcludedNarrow]++
		case !(p.Speed(r) > 0):
			g.Report.Excluded[ExcludedZeroSpeed]++
			if len(g.Report.Problems) < 200 {
				g.Report.Problems = append(g.Report.Problems, data.Problem{Layer: data.LayerRoads, ID: r.ID,
					Reason: ExcludedZeroSpeed, Detail: "speed 0 km/h: left out of the truck graph"})
			}
		default:
			passable[i] = true
			g.Report.Passable++
		}
	}
	if err := g.build(ctx, s.Proj, vx, passable, func(r *data.Road) float64 { return p.Speed(r) / 3.6 }, false, p.NodeToleranceM); err != nil {
		return nil, err
	}
	return g, nil
}

// Street builds the graph hoses are laid along: every road but motorways
// and tunnels (no hydrant stands in one), both ways whatever one-way says,
// cost = length in metres, noded with tolerance tol metres as Truck is.
func Street(ctx context.Context, s *data.Snapshot, tol float64) (*Graph, error) {
	g := &Graph{roads: s.Roads, Report: GraphReport{Roads: s.Roads.Len(), Excluded: map[string]int{}}}
	keep := make([]bool, s.Roads.Len())
	for i := range s.Roads.Items {
		switch r := &s.Roads.Items[i]; {
		case r.Class == "motorway":
			g.Report.Excluded["motorway"]++
		case r.Tunnel:
			g.Report.Excluded[ExcludedTunnel]++
		default:
			keep[i] = true
			g.Report.Passable++
		}
	}
	if err := g.build(ctx, s.Proj, nil, keep, func(*data.Road) float64 { return 1 }, true, tol); err != nil {
		return nil, err
	}
	return g, nil
}

// build makes nodes and edges of the kept roads at mps metres per second.
func (g *Graph) build(ctx context.Context, proj *geo.Projection, vx *Vertices, passable []bool, mps func(*data.Road) float64, bothWays bool, tol float64) error {
	roads := g.roads
	if vx == nil || len(vx.Off) != roads.Len()+1 {
		var err error
		if vx, err = NewVertices(ctx, roads); err != nil {
			return err
		}
	}
	vs, err := noding(ctx, roads, vx, passable, tol)
	if err != nil {
		return err
	}
	g.Report.JoinedEnds = vs.joined
	nodeOf := make([]int32, len(vs.pos))
	nodes := 0
	for i := range nodeOf {
		nodeOf[i] = -1
		if vs.root[i] == int32(i) && vs.uses[i] >= 2 {
			nodes++
		}
	}
	// Presized: nodes exactly, edges as a road network has them (about 1.5
	// a node), so a province's are not copied as they grow.
	g.Nodes = make([]orb.Point, 0, nodes)
	g.Edges = make([]Edge, 0, nodes*3/2)
	node := func(v int32) int32 { // v: a vertex's number in vx
		r := vs.root[vs.local[v]]
		if nodeOf[r] < 0 {
			nodeOf[r] = int32(len(g.Nodes))
			g.Nodes = append(g.Nodes, vs.pos[r])
		}
		return nodeOf[r]
	}
	for i, ok := range passable {
		if !ok {
			continue
		}
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		r := &roads.Items[i]
		mps := mps(r)
		add := func(ids []int32, part, v0, v1 int, length float64) {
			e := Edge{From: node(ids[v0]), To: node(ids[v1]), Length: length,
				Fwd: length / mps, Bwd: length / mps, Road: int32(i), Part: int32(part), V0: int32(v0), V1: int32(v1)}
			if !bothWays {
				switch r.Oneway {
				case data.Forward:
					e.Bwd = math.Inf(1)
				case data.Backward:
					e.Fwd = math.Inf(1)
				}
			}
			g.Edges = append(g.Edges, e)
		}
		base := vx.Off[i]
		for part, l := range Lines(roads.Metric[i]) {
			ids := vx.ID[base : base+int32(len(l))]
			base += int32(len(l))
			start, length := 0, 0.0
			for v := 1; v < len(l); v++ {
				length += geo.Dist(l[v-1], l[v])
				if !vs.isNode(ids[v]) {
					continue
				}
				switch a, b := node(ids[start]), node(ids[v]); {
				case length == 0:
				case a != b:
					add(ids, part, start, v, length)
				case v-start > 1:
					// A loop back to its own node (a closed ring, a road
					// touching itself, ends joined by tolerance) would be an
					// edge from a node to itself, which no search uses: split
					// it at the inner vertex nearest its middle.
					m, at, best := start+1, 0.0, math.Inf(1)
					for k := start + 1; k < v; k++ {
						at += geo.Dist(l[k-1], l[k])
						if d := math.Abs(at - length/2); d < best {
							m, best = k, d
						}
					}
					head := lineLength(l[start : m+1])
					add(ids, part, start, m, head)
					add(ids, part, m, v, length-head)
				}
				start, length = v, 0
			}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	g.roadOff = make([]int32, roads.Len()+1)
	for _, e := range g.Edges { // appended road by road
		g.roadOff[e.Road+1]++
	}
	for r := range roads.Len() {
		g.roadOff[r+1] += g.roadOff[r]
	}
	g.renumber()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err := g.buildCSR(ctx); err != nil {
		return err
	}
	g.components(proj)
	return ctx.Err()
}

func lineLength(l orb.LineString) float64 {
	s := 0.0
	for v := 1; v < len(l); v++ {
		s += geo.Dist(l[v-1], l[v])
	}
	return s
}

// vertices is every distinct vertex of the kept lines, joined into sets
// where a line end lies within the node tolerance of another line's vertex.
type vertices struct {
	local  []int32     // per vertex of Vertices: its number here, -1 when on no kept line
	pos    []orb.Point // per vertex; per set root, the set's position
	uses   []int32     // per set root: line ends count twice
	root   []int32     // per vertex
	joined int         // line ends joined to another line's vertex by tolerance
}

// cand is a vertex within the tolerance of a line end, d metres away.
type cand struct {
	id int32
	d  float64
}

// isNode tells whether vertex v of Vertices is a node.
func (vs *vertices) isNode(v int32) bool { return vs.uses[vs.root[vs.local[v]]] >= 2 }

// noding finds the graph's nodes. A vertex is a node where lines end or
// meet (used twice or more, ends counting twice). A dangling line end (one
// no other line shares) within tol metres of a vertex of another line (a
// digitising near-miss) joins the
// nearest such vertex not yet joined to it: the set becomes one node, placed
// at the vertex most lines pass through (a through road's vertex rather than
// the end that missed it).
//
// The kept lines' vertices are numbered in the order they are first met,
// through vx's numbers: ties below go to the first met.
func noding(ctx context.Context, roads *data.Layer[data.Road], vx *Vertices, passable []bool, tol float64) (*vertices, error) {
	vs := &vertices{local: make([]int32, vx.N)}
	for i := range vs.local {
		vs.local[i] = -1
	}
	// The per-vertex slices are sized to the vertices counted first: grown
	// by appending, a province's copies them over and over.
	nv := 0
	for i, ok := range passable {
		if ok {
			for _, l := range Lines(roads.Metric[i]) {
				nv += len(l)
			}
		}
	}
	vs.pos = make([]orb.Point, 0, nv)
	uses, through, line := make([]int32, 0, nv), make([]int32, 0, nv), make([]int32, 0, nv) // per vertex: uses, lines passing through, the one line using it (-1: several)
	li := int32(0)
	eachLine := func(fn func(l orb.LineString, ids []int32)) error {
		li = 0
		for i, ok := range passable {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			if ok {
				base := vx.Off[i]
				for _, l := range Lines(roads.Metric[i]) {
					fn(l, vx.ID[base:base+int32(len(l))])
					base += int32(len(l))
					li++
				}
			}
		}
		return nil
	}
	if err := eachLine(func(l orb.LineString, ids []int32) {
		for v, q := range l {
			n, pass := int32(1), int32(2)
			if v == 0 || v == len(l)-1 {
				n, pass = 2, 1
			}
			id := vs.local[ids[v]]
			if id < 0 {
				id = int32(len(vs.pos))
				vs.local[ids[v]] = id
				vs.pos, uses, through, line = append(vs.pos, q), append(uses, 0), append(through, 0), append(line, li)
			} else if line[id] != li {
				line[id] = -1
			}
			uses[id] += n
			through[id] += pass
		}
	}); err != nil {
		return nil, err
	}
	uf := NewUnionFind(len(vs.pos))
	if tol > 0 {
		// Only dangling line ends join, and they are few beside all vertices:
		// grid them in cells 2*tol wide (the ends within tol of a point lie in the
		// 2 x 2 cells nearest it), then pass every vertex once past them.
		cell := 2 * tol
		type ckey [2]int64
		type end struct {
			id, line int32
			q        orb.Point
			cell     ckey
			cands    []cand
		}
		cellOf := func(x, y float64) ckey { return ckey{int64(math.Floor(x / cell)), int64(math.Floor(y / cell))} }
		var ends []end
		if err := eachLine(func(l orb.LineString, ids []int32) {
			for _, v := range []int{0, len(l) - 1} {
				// An end another line already shares is a junction: only
				// dangling ends can have missed.
				if id, q := vs.local[ids[v]], l[v]; line[id] == li {
					ends = append(ends, end{id: id, line: li, q: q, cell: cellOf(q[0], q[1])})
				}
			}
		}); err != nil {
			return nil, err
		}
		// Ends sorted by cell, so a cell is a range of them: no slice per cell.
		order := make([]int32, len(ends))
		for i := range order {
			order[i] = int32(i)
		}
		sort.Slice(order, func(a, b int) bool {
			ca, cb := ends[order[a]].cell, ends[order[b]].cell
			return ca[0] < cb[0] || ca[0] == cb[0] && (ca[1] < cb[1] || ca[1] == cb[1] && order[a] < order[b])
		})
		// Nearly every vertex is far from any end: a bit per hashed cell
		// answers most lookups without touching the map.
		bits := make([]uint64, max(1, 2*len(ends)/64+1)*8)
		bit := func(c ckey) (int, uint64) {
			h := uint64(c[0])*0x9e3779b97f4a7c15 ^ uint64(c[1])*0xc2b2ae3d27d4eb4f
			h = (h ^ h>>29) % uint64(len(bits)*64)
			return int(h >> 6), 1 << (h & 63)
		}
		grid := make(map[ckey][2]int32, len(ends))
		for i, k := range order {
			w, b := bit(ends[k].cell)
			bits[w] |= b
			r, ok := grid[ends[k].cell]
			if !ok {
				r[0] = int32(i)
			}
			r[1] = int32(i) + 1
			grid[ends[k].cell] = r
		}
		for j, q := range vs.pos {
			if j%(1<<16) == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			c0 := cellOf(q[0]-tol, q[1]-tol)
			for dx := int64(0); dx < 2; dx++ {
				for dy := int64(0); dy < 2; dy++ {
					c := ckey{c0[0] + dx, c0[1] + dy}
					if w, b := bit(c); bits[w]&b == 0 {
						continue
					}
					r, ok := grid[c]
					if !ok {
						continue
					}
					for _, k := range order[r[0]:r[1]] {
						e := &ends[k]
						if int32(j) == e.id || line[j] == e.line {
							continue
						}
						if d := geo.Dist(e.q, q); d <= tol {
							e.cands = append(e.cands, cand{int32(j), d})
						}
					}
				}
			}
		}
		for i := range ends {
			e := &ends[i]
			sort.Slice(e.cands, func(a, b int) bool {
				ca, cb := e.cands[a], e.cands[b]
				return ca.d < cb.d || ca.d == cb.d && ca.id < cb.id
			})
			for _, c := range e.cands {
				if uf.Find(c.id) != uf.Find(e.id) {
					uf.Union(e.id, c.id)
					vs.joined++
					break
				}
			}
		}
	}
	vs.root = make([]int32, len(vs.pos))
	vs.uses = make([]int32, len(vs.pos))
	most := make([]int32, len(vs.pos)) // per root: the member most lines pass through
	for id := range vs.pos {
		r := uf.Find(int32(id))
		vs.root[id] = r
		vs.uses[r] += uses[id]
		if int32(id) == r || through[id] > through[most[r]] {
			most[r] = int32(id)
		}
	}
	for id, r := range vs.root {
		if int32(id) == r {
			vs.pos[r] = vs.pos[most[r]]
		}
	}
	return vs, ctx.Err()
}

// renumber orders nodes along a Hilbert curve so that nodes near on the map
// are near in memory: a search then touches few cache lines per step.
func (g *Graph) renumber() {
	if len(g.Nodes) == 0 {
		return
	}
	b := orb.Bound{Min: g.Nodes[0], Max: g.Nodes[0]}
	for _, p := range g.Nodes {
		b = b.Extend(p)
	}
	span := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1
	keys := make([]uint64, len(g.Nodes))
	order := make([]int32, len(g.Nodes))
	for i, p := range g.Nodes {
		x := uint32((p[0] - b.Min[0]) / span * 65535)
		y := uint32((p[1] - b.Min[1]) / span * 65535)
		keys[i] = hilbert(x, y)<<32 | uint64(i)
	}
	slices.Sort(keys)
	nodes := make([]orb.Point, len(g.Nodes))
	for newID, k := range keys {
		old := int32(k & 0xffffffff)
		order[old] = int32(newID)
		nodes[newID] = g.Nodes[old]
	}
	g.Nodes = nodes
	for i := range g.Edges {
		g.Edges[i].From, g.Edges[i].To = order[g.Edges[i].From], order[g.Edges[i].To]
	}
}

// hilbert returns the position of (x, y) on a 2^16 x 2^16 Hilbert curve.
func hilbert(x, y uint32) uint64 {
	var d uint64
	for s := uint32(1 << 15); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = 65535-x, 65535-y
			}
			x, y = y, x
		}
	}
	return d
}

// chains are the paths of degree-2 nodes between core nodes (degree other
// than 2). Three in four nodes of a road network are such chain nodes (a
// road split into segments, a bend digitised as a node), so the search runs
// over the core only and fills chains afterwards in one sweep each way:
// the answer per node is the same, the heap work a quarter.
type chains struct {
	a, b     []int32   // per chain: end nodes (core); a == b for a loop
	innerOff []int32   // inner nodes of chain c: inner[innerOff[c]:innerOff[c+1]], from a to b
	inner    []int32   //
	segF     []float64 // per chain, inner+1 segment costs toward b (chain c starts at innerOff[c]+c)
	segB     []float64 // the same segments' costs toward a
	of, pos  []int32   // per node: chain and point index (1..k) of an inner node; -1 for core
}

func (c *chains) segs(k int32) (f, b []float64) {
	lo, hi := c.innerOff[k]+k, c.innerOff[k+1]+k+1
	return c.segF[lo:hi], c.segB[lo:hi]
}

// buildCSR finds the chains and lays the core graph out in CSR form.
func (g *Graph) buildCSR(ctx context.Context) error {
	n := len(g.Nodes)
	deg := make([]int32, n+1)
	for _, e := range g.Edges {
		deg[e.From+1]++
		deg[e.To+1]++
	}
	incOff := make([]int32, n+1)
	for i := 0; i < n; i++ {
		incOff[i+1] = incOff[i] + deg[i+1]
	}
	inc := make([]int32, incOff[n])
	fill := append([]int32(nil), incOff[:n]...)
	for i, e := range g.Edges {
		inc[fill[e.From]], fill[e.From] = int32(i), fill[e.From]+1
		inc[fill[e.To]], fill[e.To] = int32(i), fill[e.To]+1
	}
	g.incOff, g.inc = incOff, inc
	if ctx.Err() != nil {
		return ctx.Err()
	}
	c := &g.ch
	c.of, c.pos = make([]int32, n), make([]int32, n)
	core := make([]bool, n)
	for i := range core {
		core[i] = deg[i+1] != 2
		c.of[i] = -1
	}
	seen := make([]bool, len(g.Edges))
	// Every edge is walked once, every inner node passed once.
	c.segF, c.segB = make([]float64, 0, len(g.Edges)), make([]float64, 0, len(g.Edges))
	c.inner = make([]int32, 0, n)
	c.innerOff = []int32{0}
	walk := func(a, e int32) {
		k := int32(len(c.a))
		c.a = append(c.a, a)
		for cur := a; ; {
			seen[e] = true
			ed := &g.Edges[e]
			next, f, b := ed.To, ed.Fwd, ed.Bwd
			if ed.From != cur {
				next, f, b = ed.From, ed.Bwd, ed.Fwd
			}
			c.segF, c.segB = append(c.segF, f), append(c.segB, b)
			if core[next] {
				c.b = append(c.b, next)
				break
			}
			c.inner = append(c.inner, next)
			c.of[next], c.pos[next] = k, int32(len(c.inner))-c.innerOff[k]
			if e2 := inc[incOff[next]]; e2 != e {
				e = e2
			} else {
				e = inc[incOff[next]+1]
			}
			cur = next
		}
		c.innerOff = append(c.innerOff, int32(len(c.inner)))
	}
	for a := int32(0); a < int32(n); a++ {
		if a&0x7fff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if core[a] {
			for _, e := range inc[incOff[a]:incOff[a+1]] {
				if !seen[e] {
					walk(a, e)
				}
			}
		}
	}
	for v := int32(0); v < int32(n); v++ { // loops of degree-2 nodes only
		if !core[v] && c.of[v] < 0 {
			core[v] = true
			walk(v, inc[incOff[v]])
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	g.off = make([]int32, n+1)
	sums := make([][2]float64, len(c.a))
	for k := range c.a {
		f, b := c.segs(int32(k))
		for i := range f {
			sums[k][0] += f[i]
			sums[k][1] += b[i]
		}
		if !math.IsInf(sums[k][0], 1) {
			g.off[c.a[k]+1]++
		}
		if !math.IsInf(sums[k][1], 1) {
			g.off[c.b[k]+1]++
		}
	}
	for i := 0; i < n; i++ {
		g.off[i+1] += g.off[i]
	}
	g.arcs = make([]arc, g.off[n])
	fill = append(fill[:0], g.off[:n]...)
	for k := range c.a {
		a, b := c.a[k], c.b[k]
		if !math.IsInf(sums[k][0], 1) {
			g.arcs[fill[a]], fill[a] = arc{to: b, cost: sums[k][0]}, fill[a]+1
		}
		if !math.IsInf(sums[k][1], 1) {
			g.arcs[fill[b]], fill[b] = arc{to: a, cost: sums[k][1]}, fill[b]+1
		}
	}
	g.roff = make([]int32, n+1)
	for _, a := range g.arcs {
		g.roff[a.to+1]++
	}
	for i := 0; i < n; i++ {
		g.roff[i+1] += g.roff[i]
	}
	g.rarcs = make([]arc, len(g.arcs))
	fill = append(fill[:0], g.roff[:n]...)
	for u := int32(0); u < int32(n); u++ {
		for _, a := range g.arcs[g.off[u]:g.off[u+1]] {
			g.rarcs[fill[a.to]], fill[a.to] = arc{to: u, cost: a.cost}, fill[a.to]+1
		}
	}
	g.Report.Nodes, g.Report.Edges = n, len(g.Edges)
	return nil
}

// components finds connected pieces (ignoring direction) with union-find.
func (g *Graph) components(proj *geo.Projection) {
	uf := NewUnionFind(len(g.Nodes))
	for _, e := range g.Edges {
		uf.Union(e.From, e.To)
	}
	byRoot := map[int32]*Component{}
	for i, e := range g.Edges {
		r := uf.Find(e.From)
		c := byRoot[r]
		if c == nil {
			c = &Component{At: proj.Inverse(g.Nodes[e.From]), RoadID: g.roads.Items[g.Edges[i].Road].ID}
			byRoot[r] = c
		}
		c.Edges++
		c.LengthM += e.Length
	}
	for i := range g.Nodes {
		if c := byRoot[uf.Find(int32(i))]; c != nil {
			c.Nodes++
		}
	}
	all := make([]Component, 0, len(byRoot))
	for _, c := range byRoot {
		c.LengthM = math.Round(c.LengthM)
		all = append(all, *c)
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].Nodes != all[b].Nodes {
			return all[a].Nodes > all[b].Nodes
		}
		return all[a].RoadID < all[b].RoadID
	})
	g.Report.Pieces = len(all)
	if len(all) > maxComponents {
		all = all[:maxComponents]
	}
	g.Report.Components = all
}

// EdgePoint returns the point s metres along edge e from its From node.
func (g *Graph) EdgePoint(e int32, s float64) orb.Point {
	ed := &g.Edges[e]
	l := Lines(g.roads.Metric[ed.Road])[ed.Part]
	for v := ed.V0 + 1; v <= ed.V1; v++ {
		d := geo.Dist(l[v-1], l[v])
		if s <= d || v == ed.V1 {
			if d == 0 {
				return l[v]
			}
			return geo.Lerp(l[v-1], l[v], math.Min(1, s/d))
		}
		s -= d
	}
	return l[ed.V1]
}

// EdgeLine returns the polyline of edge e from From to To, in metres.
func (g *Graph) EdgeLine(e int32) orb.LineString {
	ed := &g.Edges[e]
	return Lines(g.roads.Metric[ed.Road])[ed.Part][ed.V0 : ed.V1+1]
}

// EdgeAt returns the edge holding segment v (vertices v and v+1) of line
// part of road r, if the graph has it.
func (g *Graph) EdgeAt(r, part, v int32) (int32, bool) {
	lo, hi := g.roadOff[r], g.roadOff[r+1]
	es := g.Edges[lo:hi]
	k := sort.Search(len(es), func(k int) bool { return es[k].Part > part || es[k].Part == part && es[k].V1 > v })
	if k == len(es) || es[k].Part != part || es[k].V0 > v {
		return -1, false
	}
	return lo + int32(k), true
}

// Road returns the road an edge belongs to.
func (g *Graph) Road(e int32) *data.Road { return &g.roads.Items[g.Edges[e].Road] }

func (r GraphReport) String() string {
	return fmt.Sprintf("%d of %d roads passable (%v), %d nodes, %d edges, %d pieces", r.Passable, r.Roads, r.Excluded, r.Nodes, r.Edges, r.Pieces)
}

// SubLine returns the part of edge e from a to b metres, in metres.
func (g *Graph) SubLine(e int32, a, b float64) orb.LineString {
	line := g.EdgeLine(e)
	out := orb.LineString{g.EdgePoint(e, a)}
	at := 0.0
	for v := 1; v < len(line); v++ {
		at += geo.Dist(line[v-1], line[v])
		if at > a && at < b {
			out = append(out, line[v])
		}
	}
	return append(out, g.EdgePoint(e, b))
}

// Incident returns the edges at node n.
func (g *Graph) Incident(n int32) []int32 { return g.inc[g.incOff[n]:g.incOff[n+1]] }

// Bytes estimates the memory the graph holds, for cache budgets.
func (g *Graph) Bytes() int64 {
	c := &g.ch
	n := int64(len(g.Nodes))*16 + int64(len(g.Edges))*int64(unsafe.Sizeof(Edge{})) + int64(len(g.arcs)+len(g.rarcs))*int64(unsafe.Sizeof(arc{}))
	n += int64(len(g.off)+len(g.roff)+len(g.inc)+len(g.incOff)+len(g.roadOff)) * 4
	n += int64(len(c.of)+len(c.pos)+len(c.a)+len(c.b)+len(c.inner)+len(c.innerOff))*4 + int64(len(c.segF)+len(c.segB))*8
	return n + 1024
}

package hydrants

import (
	"context"
	"fmt"
	"math"
	"sort"

	"fireplan/coverage/areas"
	"fireplan/coverage/network"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// Params are the numbers of the hydrant analysis (GB 50974-2014).
type Params struct {
	RadiusM        float64 // protection radius, along streets unless Straight
	SpacingM       float64 // most distance between consecutive municipal hydrants along a street
	WideStreetM    float64 // streets wider than this need hydrants on both sides
	SnapM          float64 // a hydrant farther than this from any street protects in straight-line mode only
	Straight       bool    // measure protection in straight lines
	IncludePlanned bool    // count planned hydrants as working (what-if)
}

// DefaultParams returns the standard's numbers.
func DefaultParams() Params {
	return Params{RadiusM: 150, SpacingM: 120, WideStreetM: 60, SnapM: 50}
}

// Check reports a parameter that cannot be used.
func (p Params) Check() error {
	switch {
	case !(p.RadiusM > 0 && p.RadiusM <= 1000):
		return fmt.Errorf("radius %g m outside (0, 1000]", p.RadiusM)
	case !(p.SpacingM > 0 && p.SpacingM <= 2000):
		return fmt.Errorf("spacing %g m outside (0, 2000]", p.SpacingM)
	case !(p.WideStreetM > 0 && p.WideStreetM <= 500):
		return fmt.Errorf("wide street %g m outside (0, 500]", p.WideStreetM)
	case !(p.SnapM >= 0 && p.SnapM <= 500):
		return fmt.Errorf("hydrant snap %g m outside 0..500", p.SnapM)
	}
	return nil
}

const (
	pieceM   = 5.0  // built-up test and straight-line cover test step along streets, metres
	elementM = 10.0 // longest street piece a site must cover whole
	// siteStepM is the step of candidate sites along a gap. At 5 m a
	// province had 3.4 million and its plan took half a minute; at 10 m
	// there are 42% fewer and the plans of the sample, the variant and
	// Helsinki, at 120 and 140 m, differ by -2 to +8 sites of 135-1,830.
	siteStepM  = elementM
	chainSnapM = 25.0 // a hydrant this close to a street counts on it for spacing
	minGapM    = 1.0  // shorter uncovered stretches are rounding, not gaps
	eps        = 1e-6 // metres of slack in distance tests
	chainEps   = 1e-3 // metres of slack along street chains (projections round)
	// siteSlack: a site must meet every test this much inside the line, so
	// that placed as a hydrant (stored in lon/lat and projected back, which
	// moves it by micrometres) it still does.
	siteSlack = 0.01
)

// Streets is the street network the hydrant analysis works on, shared by
// every hydrant parameter set of a snapshot.
type Streets struct {
	G       *network.Graph
	Sn      *network.Snapper
	builtup [][]bool // per edge, per piece of pieceM: inside a built-up area
	chains  []streetChain
	inChain []chainRef // per edge: its chain, or chain -1
}

type streetChain struct {
	name  string
	edges []int32   // in order
	rev   []bool    // edge runs against the chain
	off   []float64 // chain position of each edge's start (in chain direction)
	len   float64
	loop  bool // ends where it starts: positions are taken round the loop
}

// gap returns how far apart chain positions a and b are along the chain
// (round the shorter way on a loop).
func (c *streetChain) gap(a, b float64) float64 {
	d := math.Abs(a - b)
	if c.loop {
		d = math.Mod(d, c.len)
		d = math.Min(d, c.len-d)
	}
	return d
}

type chainRef struct {
	chain int32
	index int32
}

// NewStreets builds the street graph (road ends within tol metres of
// another road's vertex join it) and marks its built-up parts and its named
// streets.
func NewStreets(ctx context.Context, s *data.Snapshot, tol float64) (*Streets, error) {
	g, err := network.Street(ctx, s, tol)
	if err != nil {
		return nil, err
	}
	st := &Streets{G: g, Sn: network.NewSnapper(g), builtup: make([][]bool, len(g.Edges)), inChain: make([]chainRef, len(g.Edges))}
	for e := range g.Edges {
		n := int(math.Ceil(g.Edges[e].Length / pieceM))
		st.builtup[e] = make([]bool, n)
		for k := 0; k < n; k++ {
			mid := math.Min((float64(k)+0.5)*pieceM, g.Edges[e].Length)
			st.builtup[e][k] = areas.Containing(&s.Builtup.MIndex, s.Builtup.Metric, g.EdgePoint(int32(e), mid)) >= 0
		}
		st.inChain[e] = chainRef{-1, -1}
	}
	st.buildChains()
	return st, nil
}

// inBuiltup tells whether most of edge e lies in a built-up area.
func (st *Streets) inBuiltup(e int32) bool {
	n := 0
	for _, b := range st.builtup[e] {
		if b {
			n++
		}
	}
	return 2*n >= len(st.builtup[e]) && n > 0
}

// buildChains joins the built-up edges of each named street into lines,
// breaking where the street forks, so hydrants can be ordered along them.
func (st *Streets) buildChains() {
	g := st.G
	byName := map[string][]int32{}
	for e := range g.Edges {
		if name := g.Road(int32(e)).Name; name != "" && st.inBuiltup(int32(e)) {
			byName[name] = append(byName[name], int32(e))
		}
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		edges := byName[name]
		at := map[int32][]int32{}
		for _, e := range edges {
			at[g.Edges[e].From] = append(at[g.Edges[e].From], e)
			at[g.Edges[e].To] = append(at[g.Edges[e].To], e)
		}
		used := map[int32]bool{}
		walk := func(start int32, e int32) {
			c := streetChain{name: name}
			node := start
			for {
				used[e] = true
				ed := &g.Edges[e]
				rev := ed.From != node
				c.off = append(c.off, c.len)
				c.edges = append(c.edges, e)
				c.rev = append(c.rev, rev)
				c.len += ed.Length
				node = ed.To
				if rev {
					node = ed.From
				}
				next := at[node]
				if len(next) != 2 {
					break
				}
				e2 := next[0]
				if e2 == e {
					e2 = next[1]
				}
				if used[e2] {
					break
				}
				e = e2
			}
			c.loop = node == start && len(c.edges) > 1
			k := int32(len(st.chains))
			for i, e := range c.edges {
				st.inChain[e] = chainRef{k, int32(i)}
			}
			st.chains = append(st.chains, c)
		}
		// Start at ends and forks first, then whatever loops remain.
		for _, e := range edges {
			for _, n := range []int32{g.Edges[e].From, g.Edges[e].To} {
				if len(at[n]) != 2 && !used[e] {
					walk(n, e)
				}
			}
		}
		for _, e := range edges {
			if !used[e] {
				walk(g.Edges[e].From, e)
			}
		}
	}
}

// chainPos returns the chain position of the point s along edge e.
func (st *Streets) chainPos(e int32, s float64) (int32, float64) {
	r := st.inChain[e]
	if r.chain < 0 {
		return -1, 0
	}
	c := &st.chains[r.chain]
	if c.rev[r.index] {
		s = st.G.Edges[e].Length - s
	}
	return r.chain, c.off[r.index] + s
}

// chainPoint returns the edge and offset at chain position pos.
func (st *Streets) chainPoint(chain int32, pos float64) (int32, float64) {
	c := &st.chains[chain]
	if c.loop {
		pos = math.Mod(pos, c.len)
	}
	i := sort.Search(len(c.off), func(i int) bool { return c.off[i] > pos }) - 1
	i = max(0, min(i, len(c.edges)-1))
	e := c.edges[i]
	s := math.Max(0, math.Min(pos-c.off[i], st.G.Edges[e].Length))
	if c.rev[i] {
		s = st.G.Edges[e].Length - s
	}
	return e, s
}

// chainAt is a point's place on a named street's chain.
type chainAt struct {
	chain  int32
	pos, d float64 // chain position, metres from the point
}

// onChains returns, in buf, the chains within radius of p and p's position
// on each (at the chain's nearest point). A slice reused by the caller, not
// a map: it is asked once per siting candidate, millions of times at a
// province.
func (st *Streets) onChains(buf []chainAt, p orb.Point, radius float64) []chainAt {
	buf = buf[:0]
	st.Sn.Within(p, radius, func(e int32, s, d float64) bool {
		buf = st.onChain(buf, e, s, d)
		return true
	})
	return buf
}

// onChainsIn is onChains reading segs, what the street snapper's Near
// found for a box holding p's within radius: a run of sites along a street
// searches the tree once.
func (st *Streets) onChainsIn(buf []chainAt, segs []network.Segment, p orb.Point, radius float64) []chainAt {
	buf = buf[:0]
	network.SegmentsWithin(segs, p, radius, func(e int32, s, d float64) bool {
		buf = st.onChain(buf, e, s, d)
		return true
	})
	return buf
}

// onChain adds to buf the point s metres along edge e, d metres away, if e
// is in a chain: the chain's nearest so far.
func (st *Streets) onChain(buf []chainAt, e int32, s, d float64) []chainAt {
	if st.inChain[e].chain < 0 {
		return buf
	}
	c, pos := st.chainPos(e, s)
	for k := range buf {
		if b := &buf[k]; b.chain == c {
			// Ties (a point at a node two segments share) go to the lower
			// position, with slack, so a point moved by rounding keeps its place.
			if d < b.d-1e-6 || d <= b.d+1e-6 && pos < b.pos {
				b.d, b.pos = math.Min(d, b.d), pos
			}
			return buf
		}
	}
	return append(buf, chainAt{c, pos, d})
}

// posOn returns the position on chain c among cs, if c is there.
func posOn(cs []chainAt, c int32) (float64, bool) {
	for _, x := range cs {
		if x.chain == c {
			return x.pos, true
		}
	}
	return 0, false
}

// interval is [A, B] metres along an edge or chain.
type interval struct{ A, B float64 }

// subtract returns [0, l] minus the union of cover.
func subtract(l float64, cover []interval) []interval {
	sort.Slice(cover, func(i, j int) bool { return cover[i].A < cover[j].A })
	var out []interval
	at := 0.0
	for _, c := range cover {
		if c.A > at {
			out = append(out, interval{at, math.Min(c.A, l)})
		}
		at = math.Max(at, c.B)
		if at >= l {
			break
		}
	}
	if at < l {
		out = append(out, interval{at, l})
	}
	return out
}

package hydrants

import (
	"context"
	"fmt"
	"math"
	"sort"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/workers"
	"fireplan/coverage/network"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Hydrants is the hydrant analysis of one snapshot and parameter set.
type Hydrants struct {
	Snap     *data.Snapshot
	P        Params
	St       *Streets
	Front    *Frontage
	Member   *areas.Membership
	Problems []data.Problem // hydrants far from any street; no built-up areas

	Active    []int32        // hydrants that protect (working; planned too in what-if)
	D         *network.Times // street distance from the nearest active hydrant, per node (street mode)
	Seeds     []network.Seed // the snapped hydrants' edge ends the street search starts from
	onEdge    map[int32][]seedAt
	activeIdx geo.Index // active hydrants' points

	Stretches    []Stretch    // unprotected built-up street stretches
	Spacing      []SpacingGap // street stretches too far from a municipal hydrant along the street
	OneSide      []OneSide    // wide streets with hydrants on one side only
	BuildingGaps []int32      // built-up buildings beyond the radius
	Protected    []bool       // per building: within the radius

}

type seedAt struct{ s, d float64 }

// Stretch is a part of a street edge no hydrant protects.
type Stretch struct {
	Edge   int32
	A, B   float64 // metres along the edge
	Street string
	RoadID string
}

// Length returns the stretch's length in metres.
func (s Stretch) Length() float64 { return s.B - s.A }

// SpacingGap breaks the spacing rule on a named built-up street: two
// consecutive municipal hydrants more than the spacing apart ("between"),
// the street's end farther than half the spacing from the last one ("end"),
// or a street with none at all ("none"). A and B bound the span (hydrant
// positions or street ends); every point of the span farther than half the
// spacing from a hydrant needs one, so a plan that closes these leaves no
// two consecutive hydrants too far apart.
type SpacingGap struct {
	Chain  int32
	Street string
	Kind   string  // between, end, none
	A, B   float64 // chain positions, metres
	Lo, Hi float64 // the part farther than half the spacing from a hydrant
}

// OneSide is a wide street edge with hydrants on one side only.
type OneSide struct {
	Edge        int32
	RoadID      string
	Street      string
	WidthM      float64
	Left, Right int
}

func (h *Hydrants) active(i int) bool {
	st := h.Snap.Hydrants.Items[i].Status
	return st == "working" || h.P.IncludePlanned && st == "planned"
}

// New computes protection, gaps, spacing and one-sided wide streets. f is
// the buildings' frontage on st, found here when nil.
func New(ctx context.Context, s *data.Snapshot, p Params, st *Streets, m *areas.Membership, f *Frontage) (*Hydrants, error) {
	if f == nil {
		var err error
		if f, err = NewFrontage(ctx, s, st, m); err != nil {
			return nil, err
		}
	}
	h := &Hydrants{Snap: s, P: p, St: st, Front: f, Member: m, onEdge: map[int32][]seedAt{}}
	if s.Builtup.Len() == 0 {
		// Gaps are sought in built-up areas only: none loaded and none
		// derived (no buildings, or groups too small) leaves nothing to
		// check, not everything.
		h.Problems = append(h.Problems, data.Problem{Layer: data.LayerBuiltup, Reason: "no_builtup",
			Detail: "no built-up areas, loaded or derived: no street, spacing or building gaps are sought"})
	}
	g := st.G
	for i := range s.Hydrants.Items {
		if !h.active(i) {
			continue
		}
		k := int32(len(h.Active))
		h.Active = append(h.Active, int32(i))
		pt := s.Hydrants.Metric[i].(orb.Point)
		h.activeIdx.Insert(k, pt.Bound())
		sp, ok := st.Sn.Nearest(pt, p.SnapM)
		if !ok {
			h.Problems = append(h.Problems, data.Problem{Layer: data.LayerHydrants, ID: s.Hydrants.Items[i].ID, Reason: "far_from_street",
				Detail: fmt.Sprintf("no street within %g m: protects in straight-line mode only", p.SnapM)})
			continue
		}
		h.Seeds = append(h.Seeds, network.EdgeSeeds(&g.Edges[sp.Edge], sp.S, sp.Dist, k)...)
		h.onEdge[sp.Edge] = append(h.onEdge[sp.Edge], seedAt{sp.S, sp.Dist})
	}
	if !p.Straight {
		h.D = g.Run(h.Seeds, p.RadiusM)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h.findStretches(ctx)
	h.protectBuildings(ctx)
	h.findSpacing()
	h.findOneSide()
	return h, ctx.Err()
}

// along returns the street distance from the nearest active hydrant to the
// point s along edge e.
func (h *Hydrants) along(e int32, s float64) float64 {
	ed := &h.St.G.Edges[e]
	d := math.Min(h.D.T[ed.From]+s, h.D.T[ed.To]+ed.Length-s)
	for _, sd := range h.onEdge[e] {
		d = math.Min(d, sd.d+math.Abs(s-sd.s))
	}
	return d
}

// straightWithin tells whether an active hydrant stands within r of g,
// stopping at the first.
func (h *Hydrants) straightWithin(g orb.Geometry, r float64) bool {
	b := g.Bound()
	found := false
	h.activeIdx.Search(b.Pad(r), func(k int32) bool {
		found = geo.PointDistance(h.Snap.Hydrants.Metric[h.Active[k]].(orb.Point), g) <= r
		return !found
	})
	return found
}

// protectedIntervals returns the parts of edge e within the radius.
func (h *Hydrants) protectedIntervals(e int32) []interval {
	ed := &h.St.G.Edges[e]
	R := h.P.RadiusM + eps
	var cov []interval
	if h.P.Straight {
		for k := range h.St.builtup[e] {
			a, b := float64(k)*pieceM, math.Min(float64(k+1)*pieceM, ed.Length)
			if h.straightWithin(h.St.G.EdgePoint(e, a), R) && h.straightWithin(h.St.G.EdgePoint(e, b), R) {
				cov = append(cov, interval{a, b})
			}
		}
		return cov
	}
	if d := h.D.T[ed.From]; d <= R {
		cov = append(cov, interval{0, R - d})
	}
	if d := h.D.T[ed.To]; d <= R {
		cov = append(cov, interval{ed.Length - (R - d), ed.Length})
	}
	for _, sd := range h.onEdge[e] {
		if sd.d <= R {
			cov = append(cov, interval{sd.s - (R - sd.d), sd.s + (R - sd.d)})
		}
	}
	return cov
}

// findStretches finds the unprotected built-up stretches, edge by edge on
// every core, in edge order.
func (h *Hydrants) findStretches(ctx context.Context) {
	g := h.St.G
	const block = 4096
	found := make([][]Stretch, (len(g.Edges)+block-1)/block)
	workers.Blocks(ctx, len(g.Edges), block, func(_, lo, hi int) {
		var out []Stretch
		for e := int32(lo); e < int32(hi); e++ {
			bu := h.St.builtup[e]
			anyIn := false
			for _, b := range bu {
				anyIn = anyIn || b
			}
			if !anyIn {
				continue
			}
			road := g.Road(e)
			for _, gap := range subtract(g.Edges[e].Length, h.protectedIntervals(e)) {
				// Keep the built-up parts of the gap.
				var cur *Stretch
				for k := range bu {
					a := math.Max(gap.A, float64(k)*pieceM)
					b := math.Min(gap.B, float64(k+1)*pieceM)
					if b <= a || !bu[k] {
						cur = nil
						continue
					}
					if cur != nil && cur.B >= a {
						cur.B = b
						continue
					}
					out = append(out, Stretch{Edge: e, A: a, B: b, Street: road.Name, RoadID: road.ID})
					cur = &out[len(out)-1]
				}
			}
		}
		found[lo/block] = out
	})
	for _, f := range found {
		h.Stretches = append(h.Stretches, f...)
	}
	kept := h.Stretches[:0]
	for _, s := range h.Stretches {
		if s.Length() >= minGapM {
			kept = append(kept, s)
		}
	}
	h.Stretches = kept
}

// buildingStreetDist is a building's street distance: along streets to the
// street point nearest its wall, then straight to the wall (+Inf with no
// street within the radius).
func (h *Hydrants) buildingStreetDist(i int) float64 {
	f := h.Front
	if f.Edge[i] < 0 || f.Dist[i] > h.P.RadiusM {
		return math.Inf(1)
	}
	return h.along(f.Edge[i], f.S[i]) + f.Dist[i]
}

// protectBuildings tells each building whether it is protected, on every
// core, and lists the built-up ones that are not.
func (h *Hydrants) protectBuildings(ctx context.Context) {
	s := h.Snap
	h.Protected = make([]bool, s.Buildings.Len())
	workers.Each(ctx, s.Buildings.Len(), func(i int) {
		if h.P.Straight {
			h.Protected[i] = h.straightWithin(s.Buildings.Metric[i], h.P.RadiusM+eps)
		} else {
			h.Protected[i] = h.buildingStreetDist(i) <= h.P.RadiusM+eps
		}
	})
	for i, ok := range h.Protected {
		if !ok && h.Front.Builtup[i] {
			h.BuildingGaps = append(h.BuildingGaps, int32(i))
		}
	}
}

func (h *Hydrants) findSpacing() {
	pos := make([][]float64, len(h.St.chains))
	var on []chainAt
	for _, i := range h.Active {
		if h.Snap.Hydrants.Items[i].Kind != "municipal" {
			continue
		}
		on = h.St.onChains(on, h.Snap.Hydrants.Metric[i].(orb.Point), chainSnapM)
		for _, c := range on {
			pos[c.chain] = append(pos[c.chain], c.pos)
		}
	}
	half := h.P.SpacingM / 2
	for c, ps := range pos {
		sort.Float64s(ps)
		ch := &h.St.chains[c]
		add := func(kind string, a, b, lo, hi float64) {
			if hi-lo > chainEps {
				h.Spacing = append(h.Spacing, SpacingGap{Chain: int32(c), Street: ch.name, Kind: kind, A: a, B: b, Lo: lo, Hi: hi})
			}
		}
		if len(ps) == 0 {
			add("none", 0, ch.len, 0, ch.len)
			continue
		}
		for k := 1; k < len(ps); k++ {
			add("between", ps[k-1], ps[k], ps[k-1]+half, ps[k]-half)
		}
		last := ps[len(ps)-1]
		if ch.loop { // round the loop, from the last hydrant to the first
			add("between", last, ps[0]+ch.len, last+half, ps[0]+ch.len-half)
			continue
		}
		add("end", 0, ps[0], 0, ps[0]-half)
		add("end", last, ch.len, last+half, ch.len)
	}
	sort.Slice(h.Spacing, func(a, b int) bool {
		if h.Spacing[a].Chain != h.Spacing[b].Chain {
			return h.Spacing[a].Chain < h.Spacing[b].Chain
		}
		return h.Spacing[a].A < h.Spacing[b].A
	})
}

func (h *Hydrants) findOneSide() {
	g := h.St.G
	prof := network.DefaultProfile() // once: it makes maps
	for e := range g.Edges {
		e := int32(e)
		road := g.Road(e)
		w := prof.Width(road)
		if w <= h.P.WideStreetM || !h.St.inBuiltup(e) {
			continue
		}
		line := g.EdgeLine(e)
		reach := w/2 + 20
		os := OneSide{Edge: e, RoadID: road.ID, Street: road.Name, WidthM: w}
		h.activeIdx.Search(line.Bound().Pad(reach), func(k int32) bool {
			p := h.Snap.Hydrants.Metric[h.Active[k]].(orb.Point)
			best, side := math.Inf(1), 0.0
			for v := 1; v < len(line); v++ {
				d, t := geo.SegmentPoint(p, line[v-1], line[v])
				if d < best && t > 0 && t < 1 {
					a, b := line[v-1], line[v]
					best, side = d, (b[0]-a[0])*(p[1]-a[1])-(b[1]-a[1])*(p[0]-a[0])
				}
			}
			if best <= reach {
				if side > 0 {
					os.Left++
				} else {
					os.Right++
				}
			}
			return true
		})
		if os.Left == 0 || os.Right == 0 {
			h.OneSide = append(h.OneSide, os)
		}
	}
}

// ChainLine returns the part of a street chain between positions a and b
// (on a loop, b may pass its length and wrap round).
func (st *Streets) ChainLine(chain int32, a, b float64) orb.LineString {
	c := &st.chains[chain]
	if c.loop && b > c.len {
		return append(st.ChainLine(chain, a, c.len), st.ChainLine(chain, 0, b-c.len)...)
	}
	var out orb.LineString
	for i, e := range c.edges {
		lo, hi := c.off[i], c.off[i]+st.G.Edges[e].Length
		if hi < a || lo > b {
			continue
		}
		s0, s1 := math.Max(a, lo)-lo, math.Min(b, hi)-lo
		if c.rev[i] {
			l := st.G.Edges[e].Length
			part := st.G.SubLine(e, l-s1, l-s0)
			for j := len(part) - 1; j >= 0; j-- {
				out = append(out, part[j])
			}
		} else {
			out = append(out, st.G.SubLine(e, s0, s1)...)
		}
	}
	return out
}

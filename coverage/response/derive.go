package response

import (
	"context"
	"errors"
	"math"

	"fireplan/coverage/areas"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Layers are the layers a response reads besides stations: a snapshot
// that keeps them (by content) can be derived from another's response.
var Layers = []string{data.LayerRoads, data.LayerBuildings, data.LayerVillages, data.LayerDistricts}

// ErrNotDerivable is Derive's answer for a snapshot that differs in more
// than its stations.
var ErrNotDerivable = errors.New("response: the snapshot differs in more than its stations")

// Edge states while deriving.
const (
	edgeDirty   uint8 = 1 << iota // an end's time or source changed, or a new station stands on it
	edgeFlipped                   // reached in one response and not the other
)

// Derive returns the response of s, a snapshot whose roads, buildings,
// villages and districts have the content of r.Snap's (a what-if scenario
// that adds, moves, removes or changes stations), with m its area
// membership. It redoes only what the changed stations can change: the
// search runs again only where a removed or changed station held the
// nodes and where a new one arrives earlier (network.Rerun); a demand point
// is reached again (its nearest reached road sought anew) only within the
// access limit of a road whose reachability changed, and its time is
// worked out again only where its road's ends or stations changed. The
// result equals New(ctx, s, r.Params, r.Graph, r.Snapper, m).
//
// Stations are matched by id: one placed on the road at the same point with
// the same turnout and drive keeps what it reached.
func (r *Response) Derive(ctx context.Context, s *data.Snapshot, m *areas.Membership) (*Response, error) {
	if s.Key(Layers...) != r.Snap.Key(Layers...) {
		return nil, ErrNotDerivable
	}
	d := &Response{Snap: s, Params: r.Params, Graph: r.Graph, Snapper: r.Snapper, Member: m}
	d.place()
	srcMap, kept, ordered := r.match(d)
	if ordered {
		d.Times = r.Graph.Rerun(r.Times, srcMap, d.Seeds)
	} else { // ties would go another way: search afresh, compare below
		d.Times = r.Graph.Run(d.Seeds, math.Inf(1))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.unreachedRoads()
	state, flipped := r.changes(d, srcMap, kept)
	var err error
	if d.Buildings, err = d.rearrive(ctx, r.Buildings, s.Buildings.Metric, &s.Buildings.MIndex, srcMap, state, flipped); err != nil {
		return nil, err
	}
	if d.Villages, err = d.rearrive(ctx, r.Villages, s.Villages.Metric, nil, srcMap, state, flipped); err != nil {
		return nil, err
	}
	if d.Districts, err = d.rearrive(ctx, r.Districts, s.Districts.Metric, nil, srcMap, state, flipped); err != nil {
		return nil, err
	}
	return d, nil
}

// match maps r's stations to d's by id: srcMap[i] is the index in d of
// r's station i when both stand at the same start (or neither has one),
// else -1; kept[j] says d's station j is such an image. ordered says the
// kept stations keep their order, so ties between them go as before.
func (r *Response) match(d *Response) (srcMap []int32, kept []bool, ordered bool) {
	olds, news := r.Snap.Stations, d.Snap.Stations
	startOf := func(rr *Response, n int) []int32 {
		at := make([]int32, n)
		for i := range at {
			at[i] = -1
		}
		for k, st := range rr.Starts {
			at[st.Station] = int32(k)
		}
		return at
	}
	oldStart, newStart := startOf(r, olds.Len()), startOf(d, news.Len())
	byID := make(map[string]int32, news.Len())
	for j := range news.Items {
		byID[news.Items[j].ID] = int32(j)
	}
	srcMap, kept, ordered = make([]int32, olds.Len()), make([]bool, news.Len()), true
	last := int32(-1)
	for i := range olds.Items {
		srcMap[i] = -1
		j, ok := byID[olds.Items[i].ID]
		if !ok {
			continue
		}
		a, b := oldStart[i], newStart[j]
		if (a < 0) != (b < 0) || a >= 0 && r.Starts[a].Snap != d.Starts[b].Snap || a >= 0 && r.Starts[a].T0 != d.Starts[b].T0 {
			continue
		}
		srcMap[i], kept[j] = j, true
		ordered = ordered && j > last
		last = j
	}
	return srcMap, kept, ordered
}

// changes compares d's node times with r's (sources mapped by srcMap) and
// marks the edges whose arrivals may differ: dirty where an end's label
// changed or a new station stands, flipped where the edge's reachability
// changed (those are listed too). A station gone from an edge needs no
// mark: only the points it reached first can change, and rearrive times
// those anew.
func (r *Response) changes(d *Response, srcMap []int32, kept []bool) (state []uint8, flipped []int32) {
	g := r.Graph
	state = make([]uint8, len(g.Edges))
	ot, os, nt, ns := r.Times.T, r.Times.Src, d.Times.T, d.Times.Src
	for n := range ot {
		src := os[n]
		if src >= 0 {
			src = srcMap[src]
		}
		if ot[n] == nt[n] && src == ns[n] {
			continue
		}
		reachChanged := math.IsInf(ot[n], 1) != math.IsInf(nt[n], 1)
		for _, e := range g.Incident(int32(n)) {
			state[e] |= edgeDirty
			if reachChanged && state[e]&edgeFlipped == 0 && r.reached(e) != d.reached(e) {
				state[e] |= edgeFlipped
				flipped = append(flipped, e)
			}
		}
	}
	for _, st := range d.Starts {
		if !kept[st.Station] {
			state[st.Snap.Edge] |= edgeDirty
		}
	}
	return state, flipped
}

// rearrive returns the arrivals of d's demand points given old, r's: at
// geoms, or at their centres where idx (the buildings' index, to find those
// near a flipped edge) is nil. A point within the
// access limit of a flipped edge is reached anew; one reached over a dirty
// edge, or from a station no longer kept, gets its time anew on the same
// road point; the rest keep theirs, the station renumbered.
func (d *Response) rearrive(ctx context.Context, old []Arrival, geoms []orb.Geometry, idx *geo.Index,
	srcMap []int32, state []uint8, flipped []int32) ([]Arrival, error) {
	anew := d.nearFlipped(geoms, idx, flipped)
	out := make([]Arrival, len(old))
	for i, a := range old {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		switch {
		case anew != nil && anew[i]:
			g := geoms[i]
			if idx == nil {
				g = areas.Centroid(g)
			}
			a = d.Arrive(g)
		case a.Reach != Reached:
		case state[a.Edge]&edgeDirty != 0 || srcMap[a.Station] < 0:
			t, src := d.AtEdge(a.Edge, a.S)
			a.T, a.Station = t+a.AccessM/d.Params.AccessSpeedMps, src
		default:
			a.Station = srcMap[a.Station]
		}
		out[i] = a
	}
	return out, nil
}

// nearFlipped marks the items that may lie within the access limit of a
// flipped edge: those whose bounds meet the edge's box grown by the limit
// (buildings, found through their index), or whose centre does (villages,
// districts: few, so tested one by one). Nil when nothing flipped; every
// item when much of the graph did.
func (d *Response) nearFlipped(geoms []orb.Geometry, idx *geo.Index, flipped []int32) []bool {
	if len(flipped) == 0 {
		return nil
	}
	near := make([]bool, len(geoms))
	if len(flipped) > len(d.Graph.Edges)/8 {
		for i := range near {
			near[i] = true
		}
		return near
	}
	pad := d.Params.AccessMaxM + 1e-6 // metres; a margin for rounding
	if idx != nil {
		for _, e := range flipped {
			idx.Search(d.Graph.EdgeLine(e).Bound().Pad(pad), func(i int32) bool {
				near[i] = true
				return true
			})
		}
		return near
	}
	var boxes geo.Index
	for k, e := range flipped {
		boxes.Insert(int32(k), d.Graph.EdgeLine(e).Bound().Pad(pad))
	}
	for i, g := range geoms {
		c := areas.Centroid(g)
		boxes.Search(orb.Bound{Min: c, Max: c}, func(int32) bool {
			near[i] = true
			return false
		})
	}
	return near
}

package response

import (
	"context"
	"fmt"
	"math"
	"sync"

	"fireplan/coverage/areas"
	"fireplan/coverage/internal/workers"
	"fireplan/coverage/network"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// Reach says how a demand point relates to the network.
type Reach uint8

// Reach values.
const (
	Reached      Reach = iota // a crew arrives at Arrival.T
	NoRoad                    // no passable road within the access limit
	NotConnected              // roads within reach, but no station reaches any of them
)

var reachNames = [...]string{"reached", "no_passable_road", "not_connected"}

// ProblemNotReachable is the reason given for a road of the truck graph
// that no active station reaches.
const ProblemNotReachable = "not_reachable"

// maxRoadProblems caps the unreached roads listed in Problems.
const maxRoadProblems = 200

func (r Reach) String() string { return reachNames[r] }

// MarshalText writes the reach as its name.
func (r Reach) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Arrival is when the first crew reaches one demand point.
type Arrival struct {
	T       float64 // seconds after dispatch; +Inf when not reached
	Station int32   // index into the snapshot's stations; -1 when not reached
	AccessM float64 // metres on foot from the road
	Reach   Reach
	Edge    int32   // the road edge it is reached from; -1 for NoRoad
	S       float64 // metres along that edge
}

// Start is an active station placed on the graph.
type Start struct {
	Station int32        // index into the snapshot's stations
	Snap    network.Snap // where it joins the road
	T0      float64      // turnout plus the snap leg driven, seconds
}

// Response is the response-time analysis of one snapshot and parameter set.
type Response struct {
	Snap     *data.Snapshot
	Params   Params
	Graph    *network.Graph
	Snapper  *network.Snapper
	Times    *network.Times // per node
	Seeds    []network.Seed // what the search started from: each start's edge ends
	Starts   []Start
	Problems []data.Problem // stations left out, then roads no station reaches (at most maxRoadProblems)
	// UnreachedRoads counts the truck graph's roads no station reaches,
	// listed in Problems or not.
	UnreachedRoads int

	Buildings []Arrival // per building, at its centroid
	Villages  []Arrival // per village, at its centroid
	Districts []Arrival // per district, at its centroid
	Member    *areas.Membership
	onEdge    map[int32][]int // starts by the edge they stand on

	rasterOnce sync.Once
	rast       *timeRaster
}

// New computes arrival times from every active station to every
// node, building, village and district. g, m and f may be shared between
// parameter sets with the same graph key and snapshot; f, the buildings'
// frontage, spares most of them a nearest-road search (nil: every building
// is searched for).
func New(ctx context.Context, s *data.Snapshot, p Params, g *network.Graph, sn *network.Snapper, m *areas.Membership, f *network.Frontage) (*Response, error) {
	r := &Response{Snap: s, Params: p, Graph: g, Snapper: sn, Member: m}
	r.place()
	r.Times = g.Run(r.Seeds, math.Inf(1))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.unreachedRoads()
	r.Buildings = make([]Arrival, s.Buildings.Len())
	// Arrive only reads: the buildings are shared out among the workers
	// the request is allowed.
	workers.Each(ctx, len(r.Buildings), func(i int) { r.Buildings[i] = r.arriveBuilding(f, i) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Villages = r.arriveAll(s.Villages.Metric)
	r.Districts = r.arriveAll(s.Districts.Metric)
	return r, nil
}

// place puts s's active stations on the graph: Starts, Seeds, onEdge, and
// a problem for each station too far from every road.
func (r *Response) place() {
	s, p, g, sn := r.Snap, r.Params, r.Graph, r.Snapper
	r.onEdge = map[int32][]int{}
	for i := range s.Stations.Items {
		st := &s.Stations.Items[i]
		if st.Status != "active" {
			continue
		}
		pt := s.Stations.Metric[i].(orb.Point)
		sp, ok := sn.Nearest(pt, p.StationSnapM)
		if !ok {
			r.Problems = append(r.Problems, data.Problem{Layer: data.LayerStations, ID: st.ID, Reason: "no_passable_road",
				Detail: fmt.Sprintf("no road a truck can use within %g m: left out of the response analysis", p.StationSnapM)})
			continue
		}
		turnout := p.TurnoutS[st.Class]
		if st.TurnoutS != nil {
			turnout = *st.TurnoutS
		}
		e := &g.Edges[sp.Edge]
		// The snap leg at the road's speed (Fwd is +Inf on a road one-way against its digitising).
		t0 := turnout + sp.Dist/(e.Length/math.Min(e.Fwd, e.Bwd))
		k := len(r.Starts)
		r.Starts = append(r.Starts, Start{Station: int32(i), Snap: sp, T0: t0})
		r.onEdge[sp.Edge] = append(r.onEdge[sp.Edge], k)
		r.Seeds = append(r.Seeds, network.EdgeSeeds(e, sp.S, t0, int32(i))...)
	}
}

func (r *Response) arriveAll(gs []orb.Geometry) []Arrival {
	out := make([]Arrival, len(gs))
	for i, g := range gs {
		out[i] = r.Arrive(areas.Centroid(g)) // a village is reached at its centre
	}
	return out
}

// Arrive returns when the first crew reaches g (metres; a point, or a
// building reached at its wall): on foot from the nearest point of a road
// some truck reaches. A nearer road no truck reaches is passed over: the
// crew comes from where it can.
func (r *Response) Arrive(g orb.Geometry) Arrival {
	sp, ok := r.Snapper.NearestToWhere(g, r.Params.AccessMaxM, r.reached)
	if !ok {
		if sp, ok := r.Snapper.NearestTo(g, r.Params.AccessMaxM); ok {
			return Arrival{T: math.Inf(1), Station: -1, AccessM: sp.Dist, Reach: NotConnected, Edge: sp.Edge, S: sp.S}
		}
		return noRoad
	}
	return r.reachedAt(sp)
}

// reachedAt is the arrival at a point snapped to a road a truck reaches.
func (r *Response) reachedAt(sp network.Snap) Arrival {
	t, src := r.AtEdge(sp.Edge, sp.S)
	return Arrival{T: t + sp.Dist/r.Params.AccessSpeedMps, Station: src, AccessM: sp.Dist, Reach: Reached, Edge: sp.Edge, S: sp.S}
}

// noRoad is the arrival at a point no road a truck uses comes near.
var noRoad = Arrival{T: math.Inf(1), Station: -1, Reach: NoRoad, Edge: -1}

// arriveBuilding is Arrive for building i, from its frontage f when the
// graph holds it and a truck reaches it.
func (r *Response) arriveBuilding(f *network.Frontage, i int) Arrival {
	g := r.Snap.Buildings.Metric[i]
	if f == nil || r.Params.AccessMaxM > f.MaxM {
		return r.Arrive(g)
	}
	sp, ok := r.Snapper.On(f, i)
	if ok && sp.Dist > r.Params.AccessMaxM {
		// No road within reach in the whole network: none in the graph.
		return noRoad
	}
	if !ok || !r.reached(sp.Edge) {
		return r.Arrive(g)
	}
	return r.reachedAt(sp)
}

// reached reports whether a truck reaches either end of edge e: then the
// whole edge is reached, by truck or on foot. (A station on the edge
// reaches one of its ends too, so it needs no test of its own.)
func (r *Response) reached(e int32) bool {
	ed := &r.Graph.Edges[e]
	return !math.IsInf(r.Times.T[ed.From], 1) || !math.IsInf(r.Times.T[ed.To], 1)
}

// AtEdge returns the earliest arrival s metres along edge e and who gets
// there: a truck driving in from an end it may enter by, a truck from a
// station on the edge, or the crew walking along the edge (one-way or not)
// from a truck at either end.
func (r *Response) AtEdge(e int32, s float64) (float64, int32) {
	ed := &r.Graph.Edges[e]
	best, src := math.Inf(1), int32(-1)
	try := func(t float64, from int32) {
		if t < best || t == best && from < src {
			best, src = t, from
		}
	}
	ta, tb := r.Times.T[ed.From], r.Times.T[ed.To]
	if !math.IsInf(ed.Fwd, 1) {
		try(ta+s/ed.Length*ed.Fwd, r.Times.Src[ed.From])
	}
	if !math.IsInf(ed.Bwd, 1) {
		try(tb+(ed.Length-s)/ed.Length*ed.Bwd, r.Times.Src[ed.To])
	}
	if walk := r.Params.AccessSpeedMps; !math.IsInf(ta, 1) || !math.IsInf(tb, 1) {
		try(ta+s/walk, r.Times.Src[ed.From])
		try(tb+(ed.Length-s)/walk, r.Times.Src[ed.To])
	}
	for _, k := range r.onEdge[e] { // a station on this very edge
		st := r.Starts[k]
		switch {
		case s >= st.Snap.S && !math.IsInf(ed.Fwd, 1):
			try(st.T0+(s-st.Snap.S)/ed.Length*ed.Fwd, st.Station)
		case s <= st.Snap.S && !math.IsInf(ed.Bwd, 1):
			try(st.T0+(st.Snap.S-s)/ed.Length*ed.Bwd, st.Station)
		}
	}
	if math.IsInf(best, 1) {
		src = -1
	}
	return best, src
}

// unreachedRoads counts the roads of the truck graph no station reaches (no
// edge of theirs has an end reached) and lists the first maxRoadProblems in
// the layer's order.
func (r *Response) unreachedRoads() {
	roads := r.Snap.Roads
	state := make([]uint8, roads.Len()) // 0 not in the graph, 1 unreached, 2 reached
	for e := range r.Graph.Edges {
		ri := r.Graph.Edges[e].Road
		if r.reached(int32(e)) {
			state[ri] = 2
		} else if state[ri] == 0 {
			state[ri] = 1
		}
	}
	for i, st := range state {
		if st != 1 {
			continue
		}
		if r.UnreachedRoads++; r.UnreachedRoads <= maxRoadProblems {
			r.Problems = append(r.Problems, data.Problem{Layer: data.LayerRoads, ID: roads.Items[i].ID, Reason: ProblemNotReachable,
				Detail: "no active station reaches this road"})
		}
	}
}

package siting

import (
	cheap "container/heap"
	"context"
	"fireplan/coverage/areas"
	"fireplan/coverage/internal/gainq"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fmt"

	"github.com/paulmach/orb"
)

// StationSite is a proposed new station.
type StationSite struct {
	Rank          int       `json:"rank"`
	Node          int32     `json:"-"`
	Point         orb.Point `json:"-"` // metres
	TownshipID    string    `json:"township_id"`
	NewHouseholds int       `json:"new_households"` // reached within the target only thanks to it, in rank order
	CoveredAfter  int       `json:"covered_after"`  // households reached within the target once it stands
}

// StationSiting is a maximal covering plan: k new stations, chosen one by
// one for the households they add within the target.
type StationSiting struct {
	Minutes    float64       `json:"minutes"`
	Class      string        `json:"class"`
	Households int           `json:"households"`
	Covered    int           `json:"covered_before"`
	Candidates int           `json:"candidates"`
	Sites      []StationSite `json:"sites"`
}

// maxStationCandidates bounds the road nodes tried as sites.
const maxStationCandidates = 4000

// Stations proposes k new stations of the given class (its turnout)
// at road nodes, greedily adding the one that brings most
// uncovered households within minutes, given the stations that stand. Each
// candidate's reach comes from a search cut at the target.
func Stations(ctx context.Context, r *response.Response, k int, minutes float64, class string) (*StationSiting, error) {
	turnout, ok := r.Params.TurnoutS[class]
	if !ok {
		return nil, fmt.Errorf("unknown station class %q", class)
	}
	limit := minutes * 60
	g, s := r.Graph, r.Snap
	out := &StationSiting{Minutes: minutes, Class: class}
	// Households still waiting, grouped by the edge they are reached from.
	edgeStart := make([]int32, len(g.Edges)+1)
	for i, a := range r.Buildings {
		out.Households += s.Buildings.Items[i].Households
		if a.T <= limit {
			out.Covered += s.Buildings.Items[i].Households
		} else if a.Edge >= 0 && s.Buildings.Items[i].Households > 0 {
			edgeStart[a.Edge+1]++
		}
	}
	for e := range g.Edges {
		edgeStart[e+1] += edgeStart[e]
	}
	waiting := make([]int32, edgeStart[len(g.Edges)])
	fill := append([]int32(nil), edgeStart[:len(g.Edges)]...)
	for i, a := range r.Buildings {
		if a.T > limit && a.Edge >= 0 && s.Buildings.Items[i].Households > 0 {
			waiting[fill[a.Edge]] = int32(i)
			fill[a.Edge]++
		}
	}
	// Candidates: road nodes, evenly thinned (nodes run along a Hilbert
	// curve, so every k-th spreads over the map).
	cands := make([]int32, len(g.Nodes))
	for n := range cands {
		cands[n] = int32(n)
	}
	if step := (len(cands) + maxStationCandidates - 1) / maxStationCandidates; step > 1 {
		thin := cands[:0]
		for i := 0; i < len(cands); i += step {
			thin = append(thin, cands[i])
		}
		cands = thin
	}
	out.Candidates = len(cands)
	ls := network.NewLocal(g)
	seen := make([]int32, s.Buildings.Len())
	for i := range seen {
		seen[i] = -1
	}
	covers := make([][]int32, len(cands))
	for ci, n := range cands {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ls.FromNode(g, n, turnout, limit)
		for _, v := range ls.Touched() {
			for _, e := range g.Incident(v) {
				for _, b := range waiting[edgeStart[e]:edgeStart[e+1]] {
					if seen[b] == int32(ci) {
						continue
					}
					a := r.Buildings[b]
					if ls.At(g, e, a.S, -1, 0, 0)+a.AccessM/r.Params.AccessSpeedMps <= limit {
						seen[b] = int32(ci)
						covers[ci] = append(covers[ci], b)
					}
				}
			}
		}
	}
	// Greedy maximal covering with lazy gains (they only shrink).
	done := make([]bool, s.Buildings.Len())
	gain := func(ci int) int {
		sum := 0
		for _, b := range covers[ci] {
			if !done[b] {
				sum += s.Buildings.Items[b].Households
			}
		}
		return sum
	}
	q := &gainq.Queue{}
	for ci := range covers {
		if gn := gain(ci); gn > 0 {
			q.Items = append(q.Items, gainq.Item{I: ci, Gain: float64(gn)})
		}
	}
	cheap.Init(q)
	covered := out.Covered
	for len(out.Sites) < k && q.Len() > 0 {
		top := cheap.Pop(q).(gainq.Item)
		gn := gain(top.I)
		if gn <= 0 {
			continue
		}
		if q.Len() > 0 && float64(gn) < q.Items[0].Gain {
			cheap.Push(q, gainq.Item{I: top.I, Gain: float64(gn)})
			continue
		}
		for _, b := range covers[top.I] {
			done[b] = true
		}
		covered += gn
		n := cands[top.I]
		site := StationSite{Rank: len(out.Sites) + 1, Node: n, Point: g.Nodes[n], NewHouseholds: gn, CoveredAfter: covered}
		if t := areas.Containing(&s.Townships.MIndex, s.Townships.Metric, g.Nodes[n]); t >= 0 {
			site.TownshipID = s.Townships.Items[t].ID
		}
		out.Sites = append(out.Sites, site)
	}
	return out, nil
}

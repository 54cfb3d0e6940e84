package coverage

import (
	cheap "container/heap"
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

// SiteStations proposes k new stations of the given class (its turnout)
// at road nodes, greedily adding the one that brings most
// uncovered households within minutes, given the stations that stand. Each
// candidate's reach comes from a search cut at the target.
func (r *Response) SiteStations(k int, minutes float64, class string) (*StationSiting, error) {
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
	ls := newLocal(g)
	seen := make([]int32, s.Buildings.Len())
	for i := range seen {
		seen[i] = -1
	}
	covers := make([][]int32, len(cands))
	for ci, n := range cands {
		ls.fromNode(g, n, turnout, limit)
		for _, v := range ls.touched {
			for _, e := range g.inc[g.incOff[v]:g.incOff[v+1]] {
				for _, b := range waiting[edgeStart[e]:edgeStart[e+1]] {
					if seen[b] == int32(ci) {
						continue
					}
					a := r.Buildings[b]
					if ls.at(g, e, a.S, -1, 0, 0)+a.AccessM/r.Params.AccessSpeedMps <= limit {
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
	q := &candQueue{}
	for ci := range covers {
		if gn := gain(ci); gn > 0 {
			q.items = append(q.items, candGain{ci, float64(gn)})
		}
	}
	cheap.Init(q)
	covered := out.Covered
	for len(out.Sites) < k && q.Len() > 0 {
		top := cheap.Pop(q).(candGain)
		gn := gain(top.ci)
		if gn <= 0 {
			continue
		}
		if q.Len() > 0 && float64(gn) < q.items[0].gain {
			cheap.Push(q, candGain{top.ci, float64(gn)})
			continue
		}
		for _, b := range covers[top.ci] {
			done[b] = true
		}
		covered += gn
		n := cands[top.ci]
		site := StationSite{Rank: len(out.Sites) + 1, Node: n, Point: g.Nodes[n], NewHouseholds: gn, CoveredAfter: covered}
		if t := containing(&s.Townships.MIndex, s.Townships.Metric, g.Nodes[n]); t >= 0 {
			site.TownshipID = s.Townships.Items[t].ID
		}
		out.Sites = append(out.Sites, site)
	}
	return out, nil
}

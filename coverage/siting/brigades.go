package siting

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"fireplan/coverage/areas"
	"fireplan/coverage/response"

	"github.com/paulmach/orb"
)

// BrigadeTarget is the county plans' target: full-time brigades in 70% of
// townships, volunteer brigades in 70% of villages.
const BrigadeTarget = 0.7

// BrigadeClass is the station class a township's full-time brigade runs.
const BrigadeClass = "township_fulltime"

// TownshipOption is what a full-time brigade would bring to one township
// without one: a township_fulltime station at the best road node inside it.
type TownshipOption struct {
	Rank          int
	Township      int32 // index into the snapshot's townships
	Site          *Site // nil when no truck road lies inside
	NewHouseholds int   // newly within the target, county-wide, given the brigades ranked before
	InTownship    int   // of them, households in the township itself
	CoveredAfter  int
	BrigadesAfter int  // townships with a full-time brigade once it stands
	ToTarget      bool // among the first ones needed to reach the target
}

// BrigadePlan ranks the townships without a full-time brigade by the
// households one would newly bring within the target, each given those
// before it (greedy), against the share of townships the target asks.
type BrigadePlan struct {
	Minutes, Target         float64
	Townships, WithBrigade  int
	Needed                  int // brigades to add to reach the target
	Households, Covered     int // all households; those within the target today
	Options                 []TownshipOption
	CandidatesPerTownship   int
	Candidates, LeftOutRoad int
}

// fulltime are the station classes staffed full time (not volunteer or micro).
var fulltime = map[string]bool{"special": true, "urban1": true, "urban2": true, "small": true, "township_fulltime": true}

// TownshipBrigades ranks the townships without a full-time brigade (the
// townships layer's fulltime_brigade, or an active full-time station inside)
// by what a township_fulltime station at the best of at most perTownship
// road nodes inside each would add.
func TownshipBrigades(ctx context.Context, r *response.Response, minutes, target float64, perTownship int) (*BrigadePlan, error) {
	s, g := r.Snap, r.Graph
	in, households, covered, err := newInstance(ctx, r, minutes)
	if err != nil {
		return nil, err
	}
	pl := &BrigadePlan{Minutes: minutes, Target: target, Townships: s.Townships.Len(), Households: households, Covered: covered,
		CandidatesPerTownship: perTownship}
	// A township has a full-time brigade by its attribute, or by an active
	// full-time station inside it (one a scenario adds, too).
	has := make([]bool, s.Townships.Len())
	for i, t := range s.Townships.Items {
		has[i] = t.FulltimeBrigade
	}
	for i, st := range s.Stations.Items {
		if st.Status == "active" && fulltime[st.Class] {
			if t := areas.Containing(&s.Townships.MIndex, s.Townships.Metric, s.Stations.Metric[i].(orb.Point)); t >= 0 {
				has[t] = true
			}
		}
	}
	without := map[int32]bool{}
	for i := range s.Townships.Items {
		if has[i] {
			pl.WithBrigade++
		} else {
			without[int32(i)] = true
		}
	}
	pl.Needed = max(0, int(math.Ceil(target*float64(pl.Townships)-1e-9))-pl.WithBrigade)
	// Nodes by township, each township's thinned on its own.
	byTownship := map[int32][]int32{}
	for n, pt := range g.Nodes {
		if t := areas.Containing(&s.Townships.MIndex, s.Townships.Metric, pt); without[t] {
			byTownship[t] = append(byTownship[t], int32(n))
		}
	}
	var sites []Site
	var sets [][]int32
	var group []int32
	for t := range s.Townships.Items {
		nodes := byTownship[int32(t)]
		step := max(1, (len(nodes)+perTownship-1)/perTownship)
		for i := 0; i < len(nodes); i += step {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			site := Site{Point: g.Nodes[nodes[i]], Node: nodes[i], Class: BrigadeClass}
			set, _ := in.covers(site)
			sites, sets, group = append(sites, site), append(sets, set), append(group, int32(t))
		}
	}
	pl.Candidates = len(sites)
	p := newProblem(ctx, in.w, sets, time.Hour)
	p.group = group
	picks, _ := p.greedy(len(without), 0, 0)
	p.set(picks, nil)
	after, ranked := covered, map[int32]bool{}
	next := func(t int32, site *Site, gain, local int) {
		after += gain
		ranked[t] = true
		rank := len(pl.Options) + 1
		pl.Options = append(pl.Options, TownshipOption{Rank: rank, Township: t, Site: site, NewHouseholds: gain, InTownship: local,
			CoveredAfter: after, BrigadesAfter: pl.WithBrigade + rank, ToTarget: rank <= pl.Needed})
	}
	for _, i := range picks {
		gain, local := 0, 0
		for _, e := range sets[i] {
			if p.cnt[e] == 0 {
				gain += in.w[e]
				if r.Member.Township[in.build[e]] == group[i] {
					local += in.w[e]
				}
			}
		}
		p.add(i)
		next(group[i], &sites[i], gain, local)
	}
	// Townships where a brigade adds nothing within the target, or that no
	// truck road crosses, come last, in the layer's order.
	for t := range s.Townships.Items {
		if !without[int32(t)] || ranked[int32(t)] {
			continue
		}
		var site *Site
		if nodes := byTownship[int32(t)]; len(nodes) > 0 {
			site = &Site{Point: g.Nodes[nodes[0]], Node: nodes[0], Class: BrigadeClass}
		} else {
			pl.LeftOutRoad++
		}
		next(int32(t), site, 0, 0)
	}
	return pl, ctx.Err()
}

// VillageLedger is one township's villages against the volunteer-brigade
// target.
type VillageLedger struct {
	Township              int32 // index into the snapshot's townships; -1 for villages in none
	Villages, WithBrigade int
	Share                 float64
	Gap                   int     // villages to add a brigade to for the target
	First                 []int32 // the villages to add first (indexes into the snapshot's villages), Gap of them
	FirstHouseholds       int
}

// Village orders for the villages to add first.
const (
	ByHouseholds = "households" // the most households first
	ByArrival    = "arrival"    // the latest first crew first (never reached before all)
)

// VillageBrigades returns per township (in the layer's order, then the
// villages in no known township) the villages with a volunteer brigade,
// their share, the gap to target and the villages without one to add
// first, ordered by the village's households (census, else its
// buildings') or by the first crew's arrival at its centre. total sums
// the county.
func VillageBrigades(r *response.Response, target float64, order string) (rows []VillageLedger, total VillageLedger) {
	s := r.Snap
	tIndex := make(map[string]int32, s.Townships.Len())
	for i, t := range s.Townships.Items {
		tIndex[t.ID] = int32(i)
	}
	built := make([]int, s.Villages.Len())
	for b, v := range r.Member.Village {
		if v >= 0 {
			built[v] += s.Buildings.Items[b].Households
		}
	}
	hh := func(v int32) int {
		if h := s.Villages.Items[v].Households; h != nil {
			return *h
		}
		return built[v]
	}
	byT := make([][]int32, s.Townships.Len()+1) // the last: no known township
	for i, v := range s.Villages.Items {
		t, ok := tIndex[v.TownshipID]
		if !ok {
			t = areas.Containing(&s.Townships.MIndex, s.Townships.Metric, areas.Centroid(s.Villages.Metric[i]))
		}
		if t < 0 {
			t = int32(s.Townships.Len())
		}
		byT[t] = append(byT[t], int32(i))
	}
	first := func(a, b int32) int {
		if order == ByArrival {
			if c := cmp.Compare(r.Villages[b].T, r.Villages[a].T); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(hh(b), hh(a)); c != 0 {
			return c
		}
		return cmp.Compare(s.Villages.Items[a].ID, s.Villages.Items[b].ID)
	}
	ledger := func(t int32, vs []int32) VillageLedger {
		l := VillageLedger{Township: t, Villages: len(vs)}
		var lacking []int32
		for _, v := range vs {
			if s.Villages.Items[v].VolunteerBrigade {
				l.WithBrigade++
			} else {
				lacking = append(lacking, v)
			}
		}
		l.Share = areas.Share(float64(l.WithBrigade), float64(l.Villages))
		l.Gap = max(0, int(math.Ceil(target*float64(l.Villages)-1e-9))-l.WithBrigade)
		slices.SortFunc(lacking, first)
		l.First = lacking[:l.Gap]
		for _, v := range l.First {
			l.FirstHouseholds += hh(v)
		}
		return l
	}
	var all []int32
	for t, vs := range byT {
		all = append(all, vs...)
		if t == s.Townships.Len() {
			if len(vs) == 0 {
				break
			}
			t = -1
		}
		rows = append(rows, ledger(int32(t), vs))
	}
	return rows, ledger(-1, all)
}

package siting

import (
	"context"
	"fmt"
	"math"
	"time"

	"fireplan/coverage/areas"
	"fireplan/coverage/network"
	"fireplan/coverage/response"

	"github.com/paulmach/orb"
)

// Site is a place a station may stand: a road node, or a point joined to
// the nearest truck road as the response analysis joins a station.
type Site struct {
	Point     orb.Point // metres
	Node      int32     // a road node; -1: join Point to the road
	Class     string
	TurnoutS  *float64 // overrides the class's turnout
	StationID string   // a planned station's id; "" for a new site
}

// NodeSites returns road nodes as sites of class, evenly thinned to at
// most `most` (nodes run along a Hilbert curve, so every k-th spreads over
// the map); keep, when not nil, says which nodes may serve.
func NodeSites(g *network.Graph, class string, most int, keep func(n int32) bool) []Site {
	var nodes []int32
	for n := range g.Nodes {
		if keep == nil || keep(int32(n)) {
			nodes = append(nodes, int32(n))
		}
	}
	step := max(1, (len(nodes)+most-1)/most)
	out := make([]Site, 0, len(nodes)/step+1)
	for i := 0; i < len(nodes); i += step {
		out = append(out, Site{Point: g.Nodes[nodes[i]], Node: nodes[i], Class: class})
	}
	return out
}

// Options say what a siting plan may add and what it aims at.
type Options struct {
	K       int     // new sites (maximal covering)
	Minutes float64 // the target
	Class   string  // of the new sites at road nodes
	// Share, when > 0, asks for the fewest new sites that bring the
	// households within the target to this share (set covering), at most KMax.
	Share      float64
	KMax       int
	Required   []Site // always in the answer (planned stations)
	Candidates []Site // nil: road nodes, at most MaxCandidates
	// Budget bounds the improvement by swaps and the search for fewer
	// sites; the context bounds everything.
	Budget time.Duration
	// Greedy keeps greedy's answer without exchanges (a baseline).
	Greedy bool
}

// MaxCandidates bounds the road nodes tried as sites by default.
const MaxCandidates = 4000

// DefaultBudget is the time improvements may take when Options give none.
const DefaultBudget = 2 * time.Second

// StationSite is one site of a plan.
type StationSite struct {
	Rank          int       `json:"rank"` // 0 for a required site
	Site          Site      `json:"-"`
	TownshipID    string    `json:"township_id"`
	Required      bool      `json:"required"`
	NewHouseholds int       `json:"new_households"` // reached within the target only thanks to it, in the plan's order
	CoveredAfter  int       `json:"covered_after"`  // households reached within the target once it stands
	Point         orb.Point `json:"-"`              // metres
}

// StationSiting is a siting plan: the required sites, then the new ones in
// the order greedy would add them, with their marginal gains.
type StationSiting struct {
	Minutes    float64       `json:"minutes"`
	Class      string        `json:"class"`
	Households int           `json:"households"`
	Covered    int           `json:"covered_before"` // by the active stations
	Candidates int           `json:"candidates"`
	Sites      []StationSite `json:"sites"`
	// Gain is what every site adds (sum of NewHouseholds); RequiredGain the
	// part the required sites add.
	Gain, RequiredGain int
	GreedyGain         int // what greedy alone found for the new sites
	Swaps              int // exchanges that improved on greedy
	Stopped            bool
	// Set covering: the share asked, whether the plan reaches it, and
	// whether no fewer sites could (proved by a complete search).
	Share           float64
	Reached, Proved bool
	LeftOut         []string // required sites no truck road joins
}

// instance is the covering problem of one response analysis and target.
type instance struct {
	r       *response.Response
	limit   float64
	ls      *network.Local
	waiting []int32 // buildings by edge: waiting[edgeStart[e]:edgeStart[e+1]]
	start   []int32
	elem    []int32 // building -> element, -1 for none yet
	w       []int   // element -> households
	build   []int32 // element -> building
	seen    []int32
	serial  int32
}

func newInstance(ctx context.Context, r *response.Response, minutes float64) (*instance, int, int, error) {
	in := &instance{r: r, limit: minutes * 60, ls: network.NewLocal(r.Graph)}
	g, s := r.Graph, r.Snap
	households, covered := 0, 0
	in.start = make([]int32, len(g.Edges)+1)
	wait := func(i int) bool {
		a := r.Buildings[i]
		return a.T > in.limit && a.Edge >= 0 && s.Buildings.Items[i].Households > 0
	}
	for i, a := range r.Buildings {
		// A county of a million buildings takes a while: a request that
		// went away must not wait for it.
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, 0, 0, ctx.Err()
		}
		households += s.Buildings.Items[i].Households
		if a.T <= in.limit {
			covered += s.Buildings.Items[i].Households
		} else if wait(i) {
			in.start[a.Edge+1]++
		}
	}
	for e := range g.Edges {
		in.start[e+1] += in.start[e]
	}
	in.waiting = make([]int32, in.start[len(g.Edges)])
	fill := append([]int32(nil), in.start[:len(g.Edges)]...)
	for i, a := range r.Buildings {
		if wait(i) {
			in.waiting[fill[a.Edge]] = int32(i)
			fill[a.Edge]++
		}
	}
	in.elem = make([]int32, len(r.Buildings))
	in.seen = make([]int32, len(r.Buildings))
	for i := range in.elem {
		in.elem[i], in.seen[i] = -1, -1
	}
	return in, households, covered, ctx.Err()
}

// covers returns the waiting buildings (as elements) a station at site
// reaches within the target, timed as the response analysis times them: a
// truck in from either end of the building's edge, or along it from the
// site itself, or the crew walking along the edge from a reached end; then
// the walk to the building. ok is false when no truck road joins the site.
func (in *instance) covers(site Site) (set []int32, ok bool) {
	r, g := in.r, in.r.Graph
	turnout, known := r.Params.TurnoutS[site.Class]
	if !known {
		return nil, false
	}
	if site.TurnoutS != nil {
		turnout = *site.TurnoutS
	}
	e0, s0, t0 := int32(-1), 0.0, turnout
	if site.Node >= 0 {
		in.ls.FromNode(g, site.Node, turnout, in.limit)
	} else {
		sp, found := r.Snapper.Nearest(site.Point, r.Params.StationSnapM)
		if !found {
			return nil, false
		}
		ed := &g.Edges[sp.Edge]
		e0, s0, t0 = sp.Edge, sp.S, turnout+sp.Dist/(ed.Length/math.Min(ed.Fwd, ed.Bwd))
		in.ls.From(g, e0, s0, t0, in.limit)
	}
	in.serial++
	walk := r.Params.AccessSpeedMps
	D := in.ls.D
	scan := func(e int32) {
		ed := &g.Edges[e]
		for _, b := range in.waiting[in.start[e]:in.start[e+1]] {
			if in.seen[b] == in.serial {
				continue
			}
			a := r.Buildings[b]
			t := in.ls.At(g, e, a.S, e0, s0, t0)
			t = math.Min(t, math.Min(D[ed.From]+a.S/walk, D[ed.To]+(ed.Length-a.S)/walk))
			if t+a.AccessM/walk <= in.limit {
				in.seen[b] = in.serial
				set = append(set, in.element(b))
			}
		}
	}
	if e0 >= 0 {
		scan(e0) // a long edge whose ends lie beyond the target
	}
	for _, v := range in.ls.Touched() {
		for _, e := range g.Incident(v) {
			scan(e)
		}
	}
	return set, true
}

func (in *instance) element(b int32) int32 {
	if in.elem[b] < 0 {
		in.elem[b] = int32(len(in.w))
		in.w = append(in.w, in.r.Snap.Buildings.Items[b].Households)
		in.build = append(in.build, b)
	}
	return in.elem[b]
}

// Stations plans new stations given the active ones: the required sites,
// then o.K new sites of o.Class chosen from the candidates greedily (lazy
// gains) for the households they bring within o.Minutes and improved by
// exchanges; or, with o.Share, the fewest new sites reaching that share.
func Stations(ctx context.Context, r *response.Response, o Options) (*StationSiting, error) {
	if _, ok := r.Params.TurnoutS[o.Class]; !ok {
		return nil, fmt.Errorf("unknown station class %q", o.Class)
	}
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	in, households, covered, err := newInstance(ctx, r, o.Minutes)
	if err != nil {
		return nil, err
	}
	out := &StationSiting{Minutes: o.Minutes, Class: o.Class, Households: households, Covered: covered, Share: o.Share}
	cands := o.Candidates
	if cands == nil {
		cands = NodeSites(r.Graph, o.Class, MaxCandidates, nil)
	}
	out.Candidates = len(cands)
	var req []Site
	var sets [][]int32
	for _, site := range o.Required {
		set, ok := in.covers(site)
		if !ok {
			out.LeftOut = append(out.LeftOut, site.StationID)
			continue
		}
		req, sets = append(req, site), append(sets, set)
	}
	nreq := len(sets)
	for _, site := range cands {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		set, _ := in.covers(site) // a site no road joins covers nothing
		sets = append(sets, set)
	}
	p := newProblem(ctx, in.w, sets, o.Budget)
	reqSel := make([]int, nreq)
	for i := range reqSel {
		reqSel[i] = i
		p.add(i) // taken: never a candidate
	}
	reqGains := p.rank(reqSel)
	for _, g := range reqGains {
		out.RequiredGain += g
	}
	base := covered + out.RequiredGain
	var sel []int
	if o.Share > 0 {
		need := int(math.Ceil(o.Share*float64(households))) - base
		sel, out.Reached, out.Proved = p.fewest(need, o.KMax)
	} else {
		var gains []int
		sel, gains = p.greedy(o.K, base, 0)
		for _, g := range gains {
			out.GreedyGain += g
		}
		if !o.Greedy {
			out.Swaps, _ = p.swap(sel)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gains := p.rank(sel)
	after := covered
	add := func(site Site, g, rank int, required bool) {
		after += g
		st := StationSite{Rank: rank, Site: site, Point: site.Point, Required: required, NewHouseholds: g, CoveredAfter: after}
		if t := areas.Containing(&r.Snap.Townships.MIndex, r.Snap.Townships.Metric, site.Point); t >= 0 {
			st.TownshipID = r.Snap.Townships.Items[t].ID
		}
		out.Sites = append(out.Sites, st)
		out.Gain += g
	}
	for k, i := range reqSel {
		add(req[i], reqGains[k], 0, true)
	}
	for k, i := range sel {
		add(cands[i-nreq], gains[k], k+1, false)
	}
	out.Stopped = p.stopped
	return out, nil
}

// fewest returns the fewest sets (at most kMax) newly covering need: greedy
// gives an upper bound, then each smaller count is tried by greedy with
// exchanges and, failing that, by a complete search within the budget.
// reached tells whether need is met (else sel is the best of kMax sets);
// proved whether no fewer sets could meet it. The sets returned are taken.
func (p *problem) fewest(need, kMax int) (sel []int, reached, proved bool) {
	if need <= 0 {
		return nil, true, true
	}
	sel, gains := p.greedy(kMax, 0, need)
	if sum(gains) < need {
		p.swap(sel)
		return sel, false, false
	}
	p.set(sel, nil) // trials start from the required sets alone
	defer func() { p.set(nil, sel) }()
	for k := len(sel) - 1; k >= 1; k-- {
		trial := p.clone()
		try, g := trial.greedy(k, 0, 0)
		_, added := trial.swap(try)
		if sum(g)+added < need {
			search := p.clone()
			found, complete := search.reach(k, need)
			p.stopped = p.stopped || trial.stopped || search.stopped
			if found == nil {
				return sel, true, complete
			}
			try = found
		}
		p.stopped = p.stopped || trial.stopped
		sel = try
	}
	return sel, true, true
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// clone returns a copy of p's counts and choices over the same instance.
func (p *problem) clone() *problem {
	c := *p
	c.cnt = append([]int32(nil), p.cnt...)
	c.taken = append([]bool(nil), p.taken...)
	return &c
}

// set replaces the chosen sets old by sel.
func (p *problem) set(old, sel []int) {
	for _, i := range old {
		p.remove(i)
	}
	for _, i := range sel {
		p.add(i)
	}
}

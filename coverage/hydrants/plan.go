package hydrants

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sort"

	"fireplan/coverage/internal/gainq"
	"fireplan/coverage/internal/workers"
	"fireplan/coverage/network"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Site is a proposed new hydrant.
type Site struct {
	Rank          int
	Edge          int32
	S             float64   // metres along the edge
	Point         orb.Point // metres, on the street's centre line
	Street        string
	RoadID        string
	NewStreetM    float64 // gap street it protects first (in rank order)
	NewSpacingM   float64 // spacing gap it closes first
	NewBuildings  int
	NewHouseholds int
}

// Plan is a set of sites that together close every gap they can.
type Plan struct {
	Sites       []Site // after local improvement, ranked: the year's N are its first N
	Candidates  int
	Elements    int
	Uncoverable int // gap pieces or buildings no street site can close
}

// element is one thing a site must cover whole: a street piece, a building
// or a piece of a spacing gap.
type element struct {
	kind     uint8 // elemStreet, elemBuilding, elemSpacing
	edge     int32 // street piece: edge; building: its snap edge
	chain    int32 // spacing piece
	building int32
	a, b     float64 // street piece or spacing piece bounds; building: snap offset and snap distance
	weight   float64 // metres, or households (at least 1)
}

// cand is a candidate site: metres s along edge.
type cand struct {
	edge int32
	s    float64
}

// A run of candidates shares one search of the elements: at most runMax
// of them, none more than runM from the first in either axis.
const (
	runMax = 32
	runM   = 40.0
)

const (
	elemStreet uint8 = iota
	elemBuilding
	elemSpacing
)

// Plan returns the sites that together close every gap they can, best
// first: candidates every few metres along the streets, greedy by what
// each adds, then a local improvement.
func (h *Hydrants) Plan(ctx context.Context) (*Plan, error) {
	g := h.St.G
	// The gaps' elements and candidates, in order: the spacing gaps', the
	// stretches', the buildings'. Each gap's are counted, then laid out at
	// their offsets, on every core (one core took a second at a province).
	nSp, nSt := len(h.Spacing), len(h.Stretches)
	items := nSp + nSt + len(h.BuildingGaps)
	f := h.Front
	coverable := func(b int32) bool { return f.Edge[b] >= 0 && f.Dist[b] <= h.P.RadiusM }
	elOff, candOff := make([]int32, items+1), make([]int32, items+1)
	workers.Each(ctx, items, func(k int) {
		ne, nc := 0, 0
		switch {
		case k < nSp:
			sg := &h.Spacing[k]
			pieces(sg.Lo, sg.Hi, func(_, _ float64) { ne++ })
			sites(sg.Lo, sg.Hi, func(float64) { nc++ })
		case k < nSp+nSt:
			st := &h.Stretches[k-nSp]
			pieces(st.A, st.B, func(_, _ float64) { ne++ })
			sites(st.A, st.B, func(float64) { nc++ })
		case coverable(h.BuildingGaps[k-nSp-nSt]):
			ne, nc = 1, 1
		}
		elOff[k+1], candOff[k+1] = int32(ne), int32(nc)
	})
	for k := range items {
		elOff[k+1] += elOff[k]
		candOff[k+1] += candOff[k]
	}
	els, elB := make([]element, elOff[items]), make([]orb.Bound, elOff[items])
	cands := make([]cand, candOff[items])
	// Spacing candidates in order along each gap: among sites that add as
	// much, the greedy then takes the one nearest the gap's start, which on
	// a line is the optimal sweep.
	half := h.P.SpacingM / 2
	workers.Each(ctx, items, func(k int) {
		ne, nc := elOff[k], candOff[k]
		add := func(e element, b orb.Bound) {
			els[ne], elB[ne] = e, b
			ne++
		}
		addCand := func(e int32, s float64) {
			cands[nc] = cand{e, s}
			nc++
		}
		switch {
		case k < nSp:
			sg := &h.Spacing[k]
			pieces(sg.Lo, sg.Hi, func(a, b float64) {
				ea, sa := h.St.chainPoint(sg.Chain, a)
				eb, sb := h.St.chainPoint(sg.Chain, b)
				add(element{kind: elemSpacing, chain: sg.Chain, a: a, b: b, weight: b - a},
					orb.Bound{Min: g.EdgePoint(ea, sa), Max: g.EdgePoint(ea, sa)}.Extend(g.EdgePoint(eb, sb)))
			})
			sites(sg.Lo, sg.Hi, func(p float64) { addCand(h.St.chainPoint(sg.Chain, p)) })
		case k < nSp+nSt:
			st := &h.Stretches[k-nSp]
			pieces(st.A, st.B, func(a, b float64) {
				add(element{kind: elemStreet, edge: st.Edge, a: a, b: b, weight: b - a},
					orb.Bound{Min: g.EdgePoint(st.Edge, a), Max: g.EdgePoint(st.Edge, a)}.Extend(g.EdgePoint(st.Edge, b)))
			})
			sites(st.A, st.B, func(s float64) { addCand(st.Edge, s) })
		default:
			i := h.BuildingGaps[k-nSp-nSt]
			if !coverable(i) {
				return
			}
			hh := math.Max(1, float64(h.Snap.Buildings.Items[i].Households))
			add(element{kind: elemBuilding, building: i, edge: f.Edge[i], a: f.S[i], b: f.Dist[i], weight: hh}, h.Snap.Buildings.Metric[i].Bound())
			addCand(f.Edge[i], f.S[i])
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	uncoverable := 0
	for _, i := range h.BuildingGaps {
		if !coverable(i) {
			uncoverable++
		}
	}
	cands = dedupe(cands, len(g.Edges))

	// What each candidate covers whole.
	// Street pieces may be covered to the line: what rounding leaves of them
	// is far below a gap's minimum length. Buildings and chain membership
	// keep siteSlack inside it.
	R := h.P.RadiusM + eps
	Rb := h.P.RadiusM - siteSlack
	reach := math.Max(h.P.RadiusM, half) + 1
	// Sites interact only through elements within reach of both, and a
	// province's gaps fall into thousands of places far apart. Each such
	// place (see components) is planned on its own, on every core, with
	// memory for its own covers only: the greedy, which takes the largest
	// gain anywhere, takes the same sites within each place.
	pts := make([]orb.Point, len(cands))
	workers.Each(ctx, len(cands), func(ci int) { pts[ci] = g.EdgePoint(cands[ci].edge, cands[ci].s) })
	comps := components(elB, pts, reach)
	// A worker's buffers outlive its places: a province's had been
	// allocated afresh for each and kept its collector busy.
	type worker struct {
		ls     *network.Local
		chains []chainAt
		segs   []network.Segment
		near   []int32
		grid   grid
		local  []element
		box    []orb.Bound
		cov    []int32
		covOff []int32
		covers [][]int32
		seen   []bool
	}
	ws := make([]worker, workers.Of(ctx))
	// The largest places first, so that no worker is left with one at the
	// end while the others wait.
	byWork := make([]int32, comps.n)
	for k := range byWork {
		byWork[k] = int32(k)
	}
	sort.SliceStable(byWork, func(a, b int) bool { return len(comps.cands(int(byWork[a]))) > len(comps.cands(int(byWork[b]))) })
	type result struct {
		sites       []ranked
		uncoverable int
	}
	results := make([]result, comps.n)
	// Squared, with slack: a street piece within R of the site, a building
	// within Rb, a spacing piece within half a spacing of where the site
	// meets its street.
	far2 := [...]float64{
		elemStreet:   (R + 1) * (R + 1),
		elemBuilding: (Rb + 1) * (Rb + 1),
		elemSpacing:  (half + chainSnapM + 1) * (half + chainSnapM + 1),
	}
	workers.Blocks(ctx, comps.n, 1, func(w, i, _ int) {
		k := int(byWork[i])
		wk := &ws[w]
		if wk.ls == nil && !h.P.Straight {
			wk.ls = network.NewLocal(g)
		}
		ls := wk.ls
		cels, ccands := comps.els(k), comps.cands(k)
		// The place's elements by local number, in their global order.
		local, box := wk.local[:0], wk.box[:0]
		for _, e := range cels {
			local, box = append(local, els[e]), append(box, elB[e])
		}
		wk.local, wk.box = local, box
		wk.grid.reset(box, func(i int) uint8 { return local[i].kind })
		gr := &wk.grid
		cov, covOff := wk.cov[:0], append(wk.covOff[:0], 0)
		// Candidates come in runs along a street: the grid is searched once
		// for a run, each candidate then filters what it found.
		for lo := 0; lo < len(ccands); {
			first := pts[ccands[lo]]
			run := orb.Bound{Min: first, Max: first}
			hi := lo + 1
			for ; hi < len(ccands) && hi-lo < runMax; hi++ {
				q := pts[ccands[hi]]
				if math.Abs(q[0]-first[0]) > runM || math.Abs(q[1]-first[1]) > runM {
					break
				}
				run = run.Extend(q)
			}
			wk.near = gr.near(wk.near[:0], run.Pad(reach))
			segs := false // the street segments near the run: when a spacing piece first asks
			for j := lo; j < hi; j++ {
				c, p := cands[ccands[j]], pts[ccands[j]]
				if !h.P.Straight {
					ls.From(g, c.edge, c.s, 0, h.P.RadiusM)
				}
				chains := false // found when a spacing piece first asks
				for _, at := range wk.near {
					kind := gr.kinds[at]
					// Along the streets is never shorter than straight: an
					// element farther than its kind's reach is not covered.
					if boxDist2(p, gr.boxes[at]) > far2[kind] {
						continue
					}
					k := gr.ids[at]
					el := &local[k]
					ok := false
					switch kind {
					case elemStreet:
						ok = h.coversPiece(ls, c.edge, c.s, p, el.edge, el.a, el.b, R)
					case elemBuilding:
						if h.P.Straight {
							ok = geo.PointDistance(p, h.Snap.Buildings.Metric[el.building]) <= Rb
						} else {
							ok = ls.At(g, el.edge, el.a, c.edge, c.s, 0)+el.b <= Rb
						}
					case elemSpacing:
						if !chains {
							if !segs {
								wk.segs, segs = h.St.Sn.Near(wk.segs[:0], run.Pad(chainSnapM)), true
							}
							wk.chains, chains = h.St.onChainsIn(wk.chains, wk.segs, p, chainSnapM-siteSlack), true
						}
						if q, on := posOn(wk.chains, el.chain); on {
							ch := &h.St.chains[el.chain]
							ok = ch.gap(q, el.a) <= half+chainEps && ch.gap(q, el.b) <= half+chainEps
						}
					}
					if ok {
						cov = append(cov, k)
					}
				}
				covOff = append(covOff, int32(len(cov)))
			}
			lo = hi
		}
		covers := wk.covers[:0]
		for j := range ccands {
			covers = append(covers, cov[covOff[j]:covOff[j+1]:covOff[j+1]])
		}
		coverable := slices.Grow(wk.seen[:0], len(local))[:len(local)]
		clear(coverable)
		wk.cov, wk.covOff, wk.covers, wk.seen = cov, covOff, covers, coverable
		r := &results[k]
		for _, cv := range covers {
			for _, e := range cv {
				coverable[e] = true
			}
		}
		for _, ok := range coverable {
			if !ok {
				r.uncoverable++
			}
		}
		// The full plan: spacing first (stricter along named streets, where
		// greedy in one dimension is optimal), then what protection still
		// lacks, then drop sites others make redundant.
		spacingFirst := indexes(greedy(covers, local, nil, func(e int32) bool { return local[e].kind == elemSpacing }))
		rest := indexes(greedy(covers, local, spacingFirst, nil))
		chosen := improve(append(spacingFirst, rest...), covers, len(local))
		// Ranked here, with what each adds: places share no element, so the
		// province's ranking is the places' merged by gain (see merge).
		sub := make([][]int32, len(chosen))
		for i, j := range chosen {
			sub[i] = covers[j]
		}
		order, tiers := rank(sub, local)
		covered := coverable
		clear(covered)
		for n, it := range order {
			ci := ccands[chosen[it.I]]
			c := cands[ci]
			road := g.Road(c.edge)
			st := Site{Edge: c.edge, S: c.s, Point: pts[ci], Street: road.Name, RoadID: road.ID}
			for _, k := range sub[it.I] {
				if covered[k] {
					continue
				}
				covered[k] = true
				el := &local[k]
				switch el.kind {
				case elemStreet:
					st.NewStreetM += el.b - el.a
				case elemSpacing:
					st.NewSpacingM += el.b - el.a
				case elemBuilding:
					st.NewBuildings++
					st.NewHouseholds += h.Snap.Buildings.Items[el.building].Households
				}
			}
			r.sites = append(r.sites, ranked{site: st, cand: ci, tier: tiers[n], gain: it.Gain})
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	plan := &Plan{Candidates: len(cands), Elements: len(els)}
	lists := make([][]ranked, len(results))
	for k, r := range results {
		plan.Uncoverable += r.uncoverable
		lists[k] = r.sites
	}
	plan.Sites = merge(lists)
	plan.Uncoverable += uncoverable
	return plan, ctx.Err()
}

// pieces calls fn(a, b) for the pieces of [lo, hi) elementM long, the last
// shorter.
func pieces(lo, hi float64, fn func(a, b float64)) {
	for a := lo; a < hi-1e-9; a += elementM {
		fn(a, math.Min(a+elementM, hi))
	}
}

// sites calls fn(s) every siteStepM along [lo, hi], and at hi.
func sites(lo, hi float64, fn func(s float64)) {
	for s := lo; s <= hi+1e-9; s += siteStepM {
		fn(math.Min(s, hi))
	}
}

// ranked is a place's site in its ranking: its tier (households, street,
// spacing), the gain it had when taken, and its candidate's number.
type ranked struct {
	site Site
	cand int32
	tier uint8
	gain float64
}

// merge ranks the sites of every place as one greedy over them all would:
// tier by tier, the greatest gain first, ties to the lower candidate. A
// place's own list is its greedy's order, gains not rising within a tier,
// so a merge of the lists' heads is that greedy.
func merge(lists [][]ranked) []Site {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]Site, 0, n)
	at := make([]int, len(lists))
	placeOf := map[int32]int{}
	var q gainq.Queue
	for tier := range uint8(3) {
		q.Items = q.Items[:0]
		for k, l := range lists {
			if at[k] < len(l) && l[at[k]].tier == tier {
				q.Items = append(q.Items, gainq.Item{I: int(l[at[k]].cand), Gain: l[at[k]].gain})
				placeOf[l[at[k]].cand] = k
			}
		}
		q.Init()
		for q.Len() > 0 {
			k := placeOf[int32(q.Pop().I)]
			st := lists[k][at[k]].site
			st.Rank = len(out) + 1
			out = append(out, st)
			if at[k]++; at[k] < len(lists[k]) && lists[k][at[k]].tier == tier {
				next := lists[k][at[k]]
				placeOf[next.cand] = k
				q.Push(gainq.Item{I: int(next.cand), Gain: next.gain})
			}
		}
	}
	return out
}

// boxDist2 returns the squared distance from p to b.
func boxDist2(p orb.Point, b orb.Bound) float64 {
	dx := max(b.Min[0]-p[0], 0, p[0]-b.Max[0])
	dy := max(b.Min[1]-p[1], 0, p[1]-b.Max[1])
	return dx*dx + dy*dy
}

// dedupe drops each candidate within the same tenth of a metre of an edge
// as an earlier one, keeping their order. Bucketed by edge, not hashed: a
// province has millions, and a map of them took seconds.
func dedupe(cands []cand, edges int) []cand {
	key := func(c cand) int64 { return int64(math.Round(c.s * 10)) }
	off, byEdge := group(edges, len(cands), func(i int) int32 { return cands[i].edge })
	drop := make([]bool, len(cands))
	for e := range edges {
		on := byEdge[off[e]:off[e+1]]
		if len(on) < 2 {
			continue
		}
		// Stable by position: the earliest of equal keys comes first.
		slices.SortStableFunc(on, func(a, b int32) int { return cmp.Compare(key(cands[a]), key(cands[b])) })
		for j := 1; j < len(on); j++ {
			if key(cands[on[j]]) == key(cands[on[j-1]]) {
				drop[on[j]] = true
			}
		}
	}
	out := cands[:0]
	for i, c := range cands {
		if !drop[i] {
			out = append(out, c)
		}
	}
	return out
}

// coversPiece tells whether a site at (e0, s0), point p, keeps the whole
// piece [a, b] of edge e within R.
func (h *Hydrants) coversPiece(ls *network.Local, e0 int32, s0 float64, p orb.Point, e int32, a, b, R float64) bool {
	g := h.St.G
	if h.P.Straight {
		for s := a; ; s += pieceM {
			s = math.Min(s, b)
			if geo.Dist(p, g.EdgePoint(e, s)) > R {
				return false
			}
			if s >= b {
				return true
			}
		}
	}
	if ls.At(g, e, a, e0, s0, 0) > R || ls.At(g, e, b, e0, s0, 0) > R {
		return false
	}
	// Street distance along an edge is the lesser of a rise from each end:
	// its highest point lies where the two meet.
	ed := &g.Edges[e]
	m := (ls.D[ed.To] + ed.Length - ls.D[ed.From]) / 2
	if m > a && m < b {
		return ls.At(g, e, m, e0, s0, 0) <= R
	}
	return true
}

// greedy picks candidates by the weight of what they newly cover, most
// first, until nothing more can be covered. With given, those count as
// chosen already (and, when they are the only candidates, only they are
// ordered); with want, only elements it accepts count. Gains only shrink,
// so a candidate whose fresh gain still tops the queue is the best (lazy
// evaluation). It returns the candidates taken, each with its gain then.
func greedy(covers [][]int32, els []element, given []int, want func(int32) bool) []gainq.Item {
	covered := make([]bool, len(els))
	for k := range els {
		covered[k] = want != nil && !want(int32(k))
	}
	for _, ci := range given {
		for _, k := range covers[ci] {
			covered[k] = true
		}
	}
	gain := func(ci int) float64 {
		var s float64
		for _, k := range covers[ci] {
			if !covered[k] {
				s += els[k].weight
			}
		}
		return s
	}
	q := &gainq.Queue{Items: make([]gainq.Item, 0, len(covers))}
	for ci := range covers {
		if g := gain(ci); g > 0 {
			q.Items = append(q.Items, gainq.Item{I: ci, Gain: g})
		}
	}
	q.Init()
	var order []gainq.Item
	for q.Len() > 0 {
		top := q.Top()
		g := gain(top.I)
		if g <= 0 {
			q.Pop()
			continue
		}
		// Taken only while it tops the queue at its fresh gain: ties then
		// go to the lower index whatever else the queue holds, so a place
		// planned alone takes what a province's one queue would.
		if g < top.Gain {
			if q.Lower(g); q.Top().I != top.I {
				continue
			}
		}
		q.Pop()
		order = append(order, gainq.Item{I: top.I, Gain: g})
		for _, k := range covers[top.I] {
			covered[k] = true
		}
	}
	return order
}

// rank orders the chosen sites so that the first N of the plan are the
// year's N: households protected first, then unprotected street, then the
// spacing the standard asks for, each by greedy gain. A plan mixing metres
// and households in one weight put sites that protect no one among the
// first 20. Sites that add nothing once the others stand are left out:
// improve keeps none, and a proposal must protect something. covers are the
// chosen sites' covers; it returns positions in them with the gain each
// was taken for, and each one's tier (0 households, 1 street, 2 spacing).
func rank(covers [][]int32, els []element) ([]gainq.Item, []uint8) {
	var order []gainq.Item
	var tiers []uint8
	for tier, kind := range []uint8{elemBuilding, elemStreet, elemSpacing} {
		taken := greedy(covers, els, indexes(order), func(k int32) bool { return els[k].kind == kind })
		order = append(order, taken...)
		for range taken {
			tiers = append(tiers, uint8(tier))
		}
	}
	return order, tiers
}

// indexes returns the candidates of items.
func indexes(items []gainq.Item) []int {
	out := make([]int, len(items))
	for i, it := range items {
		out[i] = it.I
	}
	return out
}

// improve drops sites whose every element another chosen site also covers,
// least valuable (latest picked) first.
func improve(order []int, covers [][]int32, n int) []int {
	count := make([]int, n)
	for _, ci := range order {
		for _, k := range covers[ci] {
			count[k]++
		}
	}
	keep := make([]bool, len(order))
	for i := range keep {
		keep[i] = true
	}
	for i := len(order) - 1; i >= 0; i-- {
		redundant := true
		for _, k := range covers[order[i]] {
			if count[k] < 2 {
				redundant = false
				break
			}
		}
		if redundant {
			keep[i] = false
			for _, k := range covers[order[i]] {
				count[k]--
			}
		}
	}
	var out []int
	for i, ci := range order {
		if keep[i] {
			out = append(out, ci)
		}
	}
	sort.Ints(out)
	return out
}

package siting

import (
	"context"
	"slices"
	"time"

	"fireplan/coverage/internal/gainq"
)

// problem is a weighted covering instance: elements (waiting buildings) of
// given weights (households), the elements each candidate site covers, and
// how many chosen sites (required ones included) cover each element now.
type problem struct {
	w     []int
	sets  [][]int32
	total []int // weight of each whole set: a bound on its gain
	group []int32
	cnt   []int32
	taken []bool

	deadline time.Time
	ctx      context.Context
	// stopped tells that the budget or the context ended an improvement
	// (swaps, the search for fewer sites) before it was complete.
	stopped bool
}

func newProblem(ctx context.Context, w []int, sets [][]int32, budget time.Duration) *problem {
	p := &problem{w: w, sets: sets, total: make([]int, len(sets)), cnt: make([]int32, len(w)), taken: make([]bool, len(sets)),
		ctx: ctx, deadline: time.Now().Add(budget)}
	for i, s := range sets {
		for _, e := range s {
			p.total[i] += w[e]
		}
	}
	return p
}

// out tells whether the budget or the context is spent.
func (p *problem) out() bool {
	if p.ctx.Err() != nil || time.Now().After(p.deadline) {
		p.stopped = true
	}
	return p.stopped
}

func (p *problem) add(i int) {
	p.taken[i] = true
	for _, e := range p.sets[i] {
		p.cnt[e]++
	}
}

func (p *problem) remove(i int) {
	p.taken[i] = false
	for _, e := range p.sets[i] {
		p.cnt[e]--
	}
}

// gain is the weight set i would newly cover.
func (p *problem) gain(i int) int {
	g := 0
	for _, e := range p.sets[i] {
		if p.cnt[e] == 0 {
			g += p.w[e]
		}
	}
	return g
}

// greedy adds up to k sets, each the one with the largest gain (lazily:
// gains only shrink as sets are added), at most one per group when groups
// are given; it stops early when nothing gains or when covered reaches
// stopAt (0: no such stop). It returns the sets added and their gains.
func (p *problem) greedy(k, covered, stopAt int) (picks, gains []int) {
	q := &gainq.Queue{}
	for i := range p.sets {
		if !p.taken[i] && p.total[i] > 0 {
			q.Items = append(q.Items, gainq.Item{I: i, Gain: float64(p.total[i])})
		}
	}
	q.Init()
	var used map[int32]bool
	if p.group != nil {
		used = map[int32]bool{}
	}
	for len(picks) < k && q.Len() > 0 && (stopAt <= 0 || covered < stopAt) {
		top := q.Top()
		if used != nil && used[p.group[top.I]] {
			q.Pop()
			continue
		}
		g := p.gain(top.I)
		if g <= 0 {
			q.Pop()
			continue
		}
		if next, ok := q.Next(); ok && float64(g) < next {
			q.Lower(float64(g))
			continue
		}
		q.Pop()
		p.add(top.I)
		if used != nil {
			used[p.group[top.I]] = true
		}
		picks, gains = append(picks, top.I), append(gains, g)
		covered += g
	}
	return picks, gains
}

// swap improves sel in place by exchanges (1-opt): a chosen set is replaced
// by the unchosen one that covers most once it is gone, while that covers
// strictly more, until no exchange helps or the budget ends. It returns the
// number of exchanges made and the weight they added.
func (p *problem) swap(sel []int) (swaps, added int) {
	// Candidates by their whole weight, so a scan stops where no set can
	// beat the best exchange found.
	order := make([]int, 0, len(p.sets))
	for i := range p.sets {
		if p.total[i] > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return p.total[b] - p.total[a] })
	for improved := true; improved; {
		improved = false
		for pos, i := range sel {
			if p.out() {
				return swaps, added
			}
			p.remove(i)
			best, bestGain := i, p.gain(i)
			base := bestGain
			for _, j := range order {
				if p.total[j] <= bestGain {
					break
				}
				if p.taken[j] || j == i {
					continue
				}
				if g := p.gain(j); g > bestGain {
					best, bestGain = j, g
				}
			}
			p.add(best)
			if best != i {
				sel[pos] = best
				swaps++
				added += bestGain - base
				improved = true
			}
		}
	}
	return swaps, added
}

// rank orders sel as greedy would add it (each next the one that gains
// most given those before, the required sets already counted) and returns
// the marginal gains in that order; they sum to what sel covers.
func (p *problem) rank(sel []int) []int {
	for _, i := range sel {
		p.remove(i)
	}
	gains := make([]int, len(sel))
	for k := range sel {
		best, bestGain := k, -1
		for j := k; j < len(sel); j++ {
			if g := p.gain(sel[j]); g > bestGain || g == bestGain && sel[j] < sel[best] {
				best, bestGain = j, g
			}
		}
		sel[k], sel[best] = sel[best], sel[k]
		gains[k] = bestGain
		p.add(sel[k])
	}
	return gains
}

// reach searches for k sets (beside those taken) that together newly cover
// at least need, by branch and bound: take the best remaining set or rule
// it out, pruning where even the k best gains fall short. It returns the
// sets found (nil if none) and whether the search was complete.
func (p *problem) reach(k, need int) (found []int, complete bool) {
	banned := make([]bool, len(p.sets))
	var sel []int
	var rec func(k, need int) bool
	rec = func(k, need int) bool {
		if need <= 0 {
			found = slices.Clone(sel)
			return true
		}
		if k == 0 || p.out() {
			return false
		}
		type cg struct{ i, g int }
		var gs []cg
		for i := range p.sets {
			if !p.taken[i] && !banned[i] && p.total[i] > 0 {
				if g := p.gain(i); g > 0 {
					gs = append(gs, cg{i, g})
				}
			}
		}
		slices.SortFunc(gs, func(a, b cg) int { return b.g - a.g })
		bound := 0
		for _, x := range gs[:min(k, len(gs))] {
			bound += x.g
		}
		if bound < need {
			return false
		}
		var out []int
		defer func() {
			for _, i := range out {
				banned[i] = false
			}
		}()
		for _, x := range gs {
			p.add(x.i)
			sel = append(sel, x.i)
			ok := rec(k-1, need-x.g)
			sel = sel[:len(sel)-1]
			p.remove(x.i)
			if ok || p.stopped {
				return ok
			}
			banned[x.i] = true
			out = append(out, x.i)
			// The rest without x: the bound shrinks as sets are ruled out.
			rest := 0
			n := 0
			for _, y := range gs {
				if !banned[y.i] && n < k {
					rest += y.g
					n++
				}
			}
			if rest < need {
				return false
			}
		}
		return false
	}
	rec(k, need)
	return found, !p.stopped
}

package siting

import (
	"context"
	"math"
	"math/rand"
	"testing"
	"time"

	"fireplan/coverage/internal/fixture"
)

// randomProblem draws n candidate sets over m weighted elements.
func randomProblem(rng *rand.Rand, n, m int) ([]int, [][]int32) {
	w := make([]int, m)
	for e := range w {
		w[e] = 1 + rng.Intn(10)
	}
	sets := make([][]int32, n)
	for i := range sets {
		for e := 0; e < m; e++ {
			if rng.Float64() < 0.25 {
				sets[i] = append(sets[i], int32(e))
			}
		}
	}
	return w, sets
}

// subsets calls f with every k-subset of 0..n-1.
func subsets(n, k int, f func([]int)) {
	sel := make([]int, k)
	var rec func(from, d int)
	rec = func(from, d int) {
		if d == k {
			f(sel)
			return
		}
		for i := from; i < n; i++ {
			sel[d] = i
			rec(i+1, d+1)
		}
	}
	rec(0, 0)
}

// value is what the sets sel cover together: the brute force.
func value(w []int, sets [][]int32, sel []int) int {
	seen := map[int32]bool{}
	v := 0
	for _, i := range sel {
		for _, e := range sets[i] {
			if !seen[e] {
				seen[e] = true
				v += w[e]
			}
		}
	}
	return v
}

// localOptimum tells whether no single exchange with one of the n
// candidates improves sel.
func localOptimum(n int, sel []int, val func([]int) int) bool {
	v := val(sel)
	in := map[int]bool{}
	for _, i := range sel {
		in[i] = true
	}
	for pos := range sel {
		for j := 0; j < n; j++ {
			if in[j] {
				continue
			}
			try := append([]int(nil), sel...)
			try[pos] = j
			if val(try) > v {
				return false
			}
		}
	}
	return true
}

func TestSwapsAgainstTheExhaustiveOptimum(t *testing.T) {
	rng := rand.New(rand.NewSource(fixture.Seed(t)))
	equal := 0
	for trial := 0; trial < 300; trial++ {
		n, k := 6+rng.Intn(7), 2+rng.Intn(3)
		w, sets := randomProblem(rng, n, 30)
		val := func(sel []int) int { return value(w, sets, sel) }
		opt, allGlobal := 0, true
		subsets(n, k, func(sel []int) { opt = max(opt, val(sel)) })
		subsets(n, k, func(sel []int) {
			if val(sel) < opt && localOptimum(n, sel, val) {
				allGlobal = false
			}
		})
		p := newProblem(context.Background(), w, sets, time.Minute)
		sel, gains := p.greedy(k, 0, 0)
		greedy := sum(gains)
		p.swap(sel)
		got := val(sel)
		switch {
		case got < greedy:
			t.Fatalf("trial %d: swaps lost households: %d after, %d by greedy", trial, got, greedy)
		case float64(got) < (1-1/math.E)*float64(opt):
			t.Fatalf("trial %d: %d below (1-1/e) of the optimum %d", trial, got, opt)
		case len(sel) == k && !localOptimum(n, sel, val):
			t.Fatalf("trial %d: %v is no 1-opt local optimum", trial, sel)
		case allGlobal && got != opt:
			t.Fatalf("trial %d: every local optimum is global, yet %d != %d", trial, got, opt)
		}
		if allGlobal {
			equal++
		}
		if got := sum(p.rank(sel)); got != val(sel) {
			t.Fatalf("trial %d: marginal gains sum to %d, the sites cover %d", trial, got, val(sel))
		}
	}
	if equal < 100 {
		t.Fatalf("only %d of 300 instances checked for equality", equal)
	}
}

func TestFewestSitesEqualsTheExhaustiveMinimum(t *testing.T) {
	rng := rand.New(rand.NewSource(fixture.Seed(t)))
	for trial := 0; trial < 200; trial++ {
		n := 6 + rng.Intn(7)
		w, sets := randomProblem(rng, n, 30)
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		best := value(w, sets, all)
		need := 1 + rng.Intn(best)
		min := n + 1
		for k := 1; k <= n && min > n; k++ {
			subsets(n, k, func(sel []int) {
				if value(w, sets, sel) >= need {
					min = k
				}
			})
		}
		p := newProblem(context.Background(), w, sets, time.Minute)
		sel, reached, proved := p.fewest(need, n)
		if !reached || !proved || len(sel) != min || value(w, sets, sel) < need {
			t.Fatalf("trial %d: need %d: %v (reached %v, proved %v), exhaustive minimum %d sites", trial, need, sel, reached, proved, min)
		}
		// At most min-1 sites: the best share reachable, said so.
		if min > 1 {
			p := newProblem(context.Background(), w, sets, time.Minute)
			if _, reached, _ := p.fewest(need, min-1); reached {
				t.Fatalf("trial %d: %d sites claimed to reach %d", trial, min-1, need)
			}
		}
	}
}

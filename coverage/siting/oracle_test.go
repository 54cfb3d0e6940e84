package siting

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"

	"github.com/paulmach/orb"
)

// randomCounty lays a 7 x 7 grid of roads 400 m apart with random classes,
// houses of 1-20 households beside them, one active station in a corner
// and a planned one, and returns it with n candidate points.
func randomCounty(rng *rand.Rand, n int) (*fixture.Tiny, []orb.Point) {
	tn := fixture.NewTiny()
	classes := []string{"primary", "secondary", "tertiary", "residential", "service"}
	const side, gap = 7, 400.0
	for i := 0; i < side; i++ {
		for j := 0; j < side; j++ {
			p := orb.Point{float64(i) * gap, float64(j) * gap}
			if i+1 < side {
				tn.Road(fmt.Sprintf("h%d-%d", i, j), classes[rng.Intn(len(classes))], 8, false, p, orb.Point{p[0] + gap, p[1]})
			}
			if j+1 < side {
				tn.Road(fmt.Sprintf("v%d-%d", i, j), classes[rng.Intn(len(classes))], 8, false, p, orb.Point{p[0], p[1] + gap})
			}
		}
	}
	for b := 0; b < 120; b++ {
		x, y := rng.Float64()*gap*(side-1), float64(rng.Intn(side))*gap+20+rng.Float64()*60
		tn.Set.Buildings = append(tn.Set.Buildings, data.Building{ID: fmt.Sprintf("b%d", b), Geom: tn.LL(orb.Point{x, y}), Households: 1 + rng.Intn(20)})
	}
	tn.Station("S", "urban1", orb.Point{0, 0}, nil)
	tn.Set.Stations = append(tn.Set.Stations, data.Station{ID: "P", Geom: tn.LL(orb.Point{gap * 3, gap * 5}), Class: "small", Status: "planned"})
	cands := make([]orb.Point, n)
	for i := range cands {
		cands[i] = orb.Point{rng.Float64() * gap * (side - 1), float64(rng.Intn(side))*gap + rng.Float64()*30}
	}
	return tn, cands
}

// oracle counts the households within minutes once stations of class stand
// at pts (metres) and the planned ones listed are active: a fresh response
// analysis of the snapshot with them added.
func oracle(t *testing.T, base *data.Snapshot, pts []orb.Point, class string, activate []string, minutes float64) int {
	items := slices.Clone(base.Stations.Items)
	for i := range items {
		if slices.Contains(activate, items[i].ID) {
			items[i].Status = "active"
		}
	}
	for i, p := range pts {
		items = append(items, data.Station{ID: fmt.Sprintf("new-%d", i), Geom: base.Proj.Inverse(p), Class: class, Status: "active"})
	}
	s, _ := base.Derive("oracle", data.Edit{Stations: &items})
	r := fixture.Respond(t, s, response.DefaultParams())
	n := 0
	for i, a := range r.Buildings {
		if a.T <= minutes*60 {
			n += s.Buildings.Items[i].Households
		}
	}
	return n
}

// TestSitingReproducedByAFreshAnalysis compares siting on random road grids
// with 6-12 candidates against fresh response analyses of every choice of
// k=2..4 of them: the plan's gain is what its stations bring, never below
// (1-1/e) of the best, equal to it where every 1-opt local optimum is
// global; the fewest sites reaching a share equal the exhaustive minimum;
// a required planned station is always in, and counted.
func TestSitingReproducedByAFreshAnalysis(t *testing.T) {
	rng := rand.New(rand.NewSource(fixture.Seed(t)))
	const minutes, class = 3.0, "township_fulltime"
	for trial := 0; trial < 6; trial++ {
		n, k := 6+rng.Intn(7), 2+trial%3
		tn, pts := randomCounty(rng, n)
		base := tn.Snapshot()
		r := fixture.Respond(t, base, response.DefaultParams())
		cands := make([]Site, n)
		for i, p := range pts {
			cands[i] = Site{Point: base.Proj.Forward(base.Proj.Inverse(p)), Node: -1, Class: class}
		}
		name := fmt.Sprintf("trial %d (n=%d k=%d)", trial, n, k)
		covered := map[string]int{}
		val := func(sel []int) int {
			key := fmt.Sprint(sel)
			if v, ok := covered[key]; ok {
				return v
			}
			var at []orb.Point
			for _, i := range sel {
				at = append(at, cands[i].Point)
			}
			covered[key] = oracle(t, base, at, class, nil, minutes)
			return covered[key]
		}
		plan, err := Stations(context.Background(), r, Options{K: k, Minutes: minutes, Class: class, Candidates: cands})
		if err != nil {
			t.Fatal(err)
		}
		var chosen []int
		for _, st := range plan.Sites {
			chosen = append(chosen, slices.IndexFunc(cands, func(c Site) bool { return c.Point == st.Point }))
		}
		slices.Sort(chosen)
		if got := val(chosen); got != plan.Covered+plan.Gain || plan.Covered != val(nil) {
			t.Fatalf("%s: plan says %d+%d, a fresh analysis %d (none: %d)", name, plan.Covered, plan.Gain, got, val(nil))
		}
		opt, allGlobal := 0, true
		subsets(n, k, func(sel []int) { opt = max(opt, val(slices.Clone(sel))) })
		subsets(n, k, func(sel []int) {
			sel = slices.Clone(sel)
			if v := val(sel); v < opt && localOptimum(n, sel, func(s []int) int { s = slices.Clone(s); slices.Sort(s); return val(s) }) {
				allGlobal = false
			}
		})
		got := plan.Covered + plan.Gain
		t.Logf("%s: plan %d, optimum %d, every local optimum global %v, swaps %d", name, got, opt, allGlobal, plan.Swaps)
		if float64(got-plan.Covered) < (1-1/math.E)*float64(opt-plan.Covered) || allGlobal && got != opt {
			t.Fatalf("%s: plan covers %d, the optimum %d (every local optimum global: %v)", name, got, opt, allGlobal)
		}

		// Set covering: the fewest of the candidates reaching a share
		// between what the station covers alone and what all reach.
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		hh := 0
		for _, b := range base.Buildings.Items {
			hh += b.Households
		}
		top := val(all)
		share := (float64(plan.Covered) + 0.8*float64(top-plan.Covered)) / float64(hh)
		fewest := n + 1
		for m := 1; m <= n && fewest > n; m++ {
			subsets(n, m, func(sel []int) {
				if float64(val(slices.Clone(sel))) >= math.Ceil(share*float64(hh)) {
					fewest = m
				}
			})
		}
		cover, err := Stations(context.Background(), r, Options{Minutes: minutes, Class: class, Candidates: cands, Share: share, KMax: n})
		if err != nil {
			t.Fatal(err)
		}
		if !cover.Reached || !cover.Proved || len(cover.Sites) != fewest {
			t.Fatalf("%s: share %.3f: %d sites (reached %v, proved %v), exhaustive minimum %d", name, share, len(cover.Sites), cover.Reached, cover.Proved, fewest)
		}

		// The planned station required: in the answer, its gain counted.
		pi := slices.IndexFunc(base.Stations.Items, func(s data.Station) bool { return s.ID == "P" })
		withP, err := Stations(context.Background(), r, Options{K: k, Minutes: minutes, Class: class, Candidates: cands,
			Required: []Site{{Point: base.Stations.Metric[pi].(orb.Point), Node: -1, Class: "small", StationID: "P"}}})
		if err != nil {
			t.Fatal(err)
		}
		if !withP.Sites[0].Required || withP.Sites[0].Site.StationID != "P" || len(withP.Sites) > k+1 {
			t.Fatalf("%s: required station missing: %+v", name, withP.Sites)
		}
		var at []orb.Point
		for _, st := range withP.Sites[1:] {
			at = append(at, st.Point)
		}
		if got := oracle(t, base, at, class, []string{"P"}, minutes); got != withP.Covered+withP.Gain {
			t.Fatalf("%s: with P required the plan says %d, a fresh analysis %d", name, withP.Covered+withP.Gain, got)
		}
	}
}

package hydrants

import (
	"math"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// Against brute force on random boxes and points: every element within
// reach of a candidate shares its place, every item is in exactly one place,
// and the lists ascend.
func TestPlacesHoldEveryPairWithinReach(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	joined := 0
	for trial := range 300 {
		reach := 20 + rng.Float64()*150
		span := 200 + rng.Float64()*3000
		els := make([]orb.Bound, rng.Intn(60))
		for i := range els {
			p := orb.Point{rng.Float64()*span - span/2, rng.Float64()*span - span/2}
			els[i] = orb.Bound{Min: p, Max: orb.Point{p[0] + rng.Float64()*2*reach, p[1] + rng.Float64()*reach}}
		}
		pts := make([]orb.Point, rng.Intn(60))
		for i := range pts {
			pts[i] = orb.Point{rng.Float64()*span - span/2, rng.Float64()*span - span/2}
		}
		p := components(els, pts, reach)
		// Cells numbered in a map, as beyond maxDenseCells, give the same
		// places as in an array.
		limit := maxDenseCells
		maxDenseCells = 0
		if pm := components(els, pts, reach); !reflect.DeepEqual(p, pm) {
			t.Fatalf("trial %d: places numbered in a map differ: %+v, in an array %+v", trial, pm, p)
		}
		maxDenseCells = limit
		elPlace, candPlace := make([]int, len(els)), make([]int, len(pts))
		for i := range elPlace {
			elPlace[i] = -1
		}
		for i := range candPlace {
			candPlace[i] = -1
		}
		for k := range p.n {
			for _, list := range [][]int32{p.els(k), p.cands(k)} {
				if !slices.IsSorted(list) {
					t.Fatalf("trial %d: place %d lists %v out of order", trial, k, list)
				}
			}
			for _, e := range p.els(k) {
				if elPlace[e] >= 0 {
					t.Fatalf("trial %d: element %d in places %d and %d", trial, e, elPlace[e], k)
				}
				elPlace[e] = k
			}
			for _, c := range p.cands(k) {
				if candPlace[c] >= 0 {
					t.Fatalf("trial %d: candidate %d in places %d and %d", trial, c, candPlace[c], k)
				}
				candPlace[c] = k
			}
		}
		for e, k := range elPlace {
			if k < 0 {
				t.Fatalf("trial %d: element %d in no place", trial, e)
			}
		}
		for c, q := range pts {
			if candPlace[c] < 0 {
				t.Fatalf("trial %d: candidate %d in no place", trial, c)
			}
			box := orb.Bound{Min: orb.Point{q[0] - reach, q[1] - reach}, Max: orb.Point{q[0] + reach, q[1] + reach}}
			for e, b := range els {
				if b.Intersects(box) {
					joined++
					if elPlace[e] != candPlace[c] {
						t.Fatalf("trial %d: element %d within reach of candidate %d, in place %d, not %d", trial, e, c, elPlace[e], candPlace[c])
					}
				}
			}
		}
	}
	if joined < 1000 {
		t.Fatalf("%d pairs within reach: too few checked", joined)
	}
}

// TestDedupeKeepsTheFirstOfEachTenth: against a map of what was seen, on
// random candidates crowded onto few edges.
func TestDedupeKeepsTheFirstOfEachTenth(t *testing.T) {
	rng := rand.New(rand.NewSource(39))
	for _, tc := range []struct{ n, edges int }{{0, 1}, {1, 1}, {50, 1}, {500, 7}, {5000, 300}} {
		cands := make([]cand, tc.n)
		for i := range cands {
			cands[i] = cand{int32(rng.Intn(tc.edges)), float64(rng.Intn(400)) / 8}
		}
		var want []cand
		seen := map[[2]int64]bool{}
		for _, c := range cands {
			k := [2]int64{int64(c.edge), int64(math.Round(c.s * 10))}
			if !seen[k] {
				seen[k] = true
				want = append(want, c)
			}
		}
		if got := dedupe(slices.Clone(cands), tc.edges); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Errorf("%+v: kept %d candidates, want %d (first %v)", tc, len(got), len(want), got[:min(3, len(got))])
		}
	}
}

// TestGridFindsWhatBruteForceFinds: every box meeting a query, once, on
// random places, reused from one to the next as the plan reuses it.
func TestGridFindsWhatBruteForceFinds(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	var g grid
	for trial := range 200 {
		span := 50 + rng.Float64()*5000
		boxes := make([]orb.Bound, rng.Intn(300))
		for i := range boxes {
			p := orb.Point{rng.Float64() * span, rng.Float64() * span / 3}
			w, h := rng.ExpFloat64()*10, rng.ExpFloat64()*10
			boxes[i] = orb.Bound{Min: p, Max: orb.Point{p[0] + w, p[1] + h}}
		}
		g.reset(boxes, func(i int) uint8 { return uint8(i % 3) })
		for range 20 {
			p := orb.Point{rng.Float64()*span*1.2 - span*0.1, rng.Float64()*span/3*1.2 - span*0.03}
			q := orb.Bound{Min: p, Max: orb.Point{p[0] + rng.Float64()*300, p[1] + rng.Float64()*300}}
			var want, got []int32
			for i, b := range boxes {
				if b.Intersects(q) {
					want = append(want, int32(i))
				}
			}
			for _, at := range g.near(nil, q) {
				if g.boxes[at] != boxes[g.ids[at]] || g.kinds[at] != uint8(g.ids[at]%3) {
					t.Fatalf("trial %d: entry %d holds another element's box or kind", trial, at)
				}
				got = append(got, g.ids[at])
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("trial %d: query %v found %v, want %v", trial, q, got, want)
			}
		}
	}
}

// TestMergeEqualsOneGreedy: ranking each place on its own and merging the
// lists by gain orders the sites as one ranking of them all, on random
// places with no two gains alike.
func TestMergeEqualsOneGreedy(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for trial := range 100 {
		var els []element
		var covers [][]int32
		var lists [][]ranked
		for range 1 + rng.Intn(6) {
			first := len(els)
			local := make([]element, 1+rng.Intn(30))
			for i := range local {
				local[i] = element{kind: uint8(rng.Intn(3)), weight: rng.Float64() * 100}
			}
			els = append(els, local...)
			sub := make([][]int32, rng.Intn(12))
			for j := range sub {
				for k := range local {
					if rng.Intn(4) == 0 {
						sub[j] = append(sub[j], int32(k))
					}
				}
				var global []int32
				for _, k := range sub[j] {
					global = append(global, int32(first)+k)
				}
				covers = append(covers, global)
			}
			order, tiers := rank(sub, local)
			var l []ranked
			for n, it := range order {
				cand := int32(len(covers) - len(sub) + it.I)
				l = append(l, ranked{site: Site{Edge: cand}, cand: cand, tier: tiers[n], gain: it.Gain})
			}
			lists = append(lists, l)
		}
		order, _ := rank(covers, els)
		var want, got []int32
		for _, it := range order {
			want = append(want, int32(it.I))
		}
		for _, st := range merge(lists) {
			got = append(got, st.Edge)
			if st.Rank != len(got) {
				t.Fatalf("trial %d: rank %d at position %d", trial, st.Rank, len(got))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: merged %v, one ranking %v", trial, got, want)
		}
	}
}

package hydrants

import (
	"math"
	"math/rand"
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

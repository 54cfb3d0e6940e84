package hydrants

import (
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

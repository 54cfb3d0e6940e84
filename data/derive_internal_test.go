package data

import (
	"math"
	"math/rand"
	"os"
	"strconv"
	"testing"

	"fireplan/geo"

	"github.com/paulmach/orb"
)

func testSeed(t *testing.T) int64 {
	seed := int64(1)
	if s := os.Getenv("SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("SEED=%d", seed)
	return seed
}

// TestGroupBoxesMatchesBruteForce compares the grid sweep with every pair
// tested: boxes within the gap of each other must share a group, and each
// group must be connected by such pairs.
func TestGroupBoxesMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(testSeed(t)))
	for _, tc := range []struct {
		name     string
		n        int
		size     float64 // side of the square the boxes lie in, metres
		maxW     float64 // largest box side
		gap      float64
		wantJoin bool // the case must join some boxes and leave others apart
	}{
		{"houses", 400, 2000, 30, 50, true},
		{"points", 300, 1000, 0, 40, true},
		{"mixed sizes, small gap", 300, 1500, 200, 5, true},
		{"no gap: touching only", 200, 300, 25, 0.001, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := make([]orb.Bound, tc.n)
			for i := range bs {
				x, y := rng.Float64()*tc.size, rng.Float64()*tc.size
				w, h := rng.Float64()*tc.maxW, rng.Float64()*tc.maxW
				if i%10 == 0 {
					w *= 3 // a few large ones
				}
				bs[i] = orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + w, y + h}}
			}
			got := groupBoxes(bs, tc.gap)
			// Brute force: union every pair within the gap, labelled by least index.
			want := make([]int, len(bs))
			for i := range want {
				want[i] = i
			}
			var find func(int) int
			find = func(i int) int {
				if want[i] != i {
					want[i] = find(want[i])
				}
				return want[i]
			}
			joined := 0
			for i := range bs {
				for j := i + 1; j < len(bs); j++ {
					if geo.BoxGap(bs[i], bs[j]) <= tc.gap {
						joined++
						ri, rj := find(i), find(j)
						want[max(ri, rj)] = min(ri, rj)
					}
				}
			}
			groups := map[int]bool{}
			for i := range bs {
				if int(got[i]) != find(i) {
					t.Fatalf("box %d in group %d, brute force %d", i, got[i], find(i))
				}
				groups[find(i)] = true
			}
			if tc.wantJoin && (joined == 0 || len(groups) < 2) {
				t.Fatalf("degenerate case: %d pairs within the gap, %d groups", joined, len(groups))
			}
		})
	}
}

func TestGrowContainsTheBuffer(t *testing.T) {
	square := []orb.Point{{0, 0}, {100, 0}, {100, 100}, {0, 100}}
	ring := grow(square, 25)
	// Every point 25 m from the square (its buffer's edge) lies inside.
	for k := 0; k < 360; k++ {
		s, c := math.Sincos(float64(k) * math.Pi / 180)
		for _, p := range square {
			q := orb.Point{p[0] + 25*c, p[1] + 25*s}
			if geo.PointDistance(q, orb.Polygon{ring}) > 1e-9 {
				t.Fatalf("%v, 25 m from the square, is outside the grown hull", q)
			}
		}
	}
	// And the margin is at most 2% wider than asked.
	if b := ring.Bound(); b.Max[0] > 125.6 || b.Min[0] < -25.6 {
		t.Fatalf("grown hull bound %v", b)
	}
}

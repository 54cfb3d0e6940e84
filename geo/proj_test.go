package geo

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

// ellipsoidStep returns the true length of a small lon/lat step on the
// ellipsoid from the radii of curvature, the oracle for the projection's scale.
func ellipsoidStep(a, b orb.Point) float64 {
	phi := (a[1] + b[1]) / 2 * math.Pi / 180
	w := 1 - e2*math.Sin(phi)*math.Sin(phi)
	m := semiMajor * (1 - e2) / (w * math.Sqrt(w)) // meridian radius
	n := semiMajor / math.Sqrt(w)                  // prime vertical radius
	dy := (b[1] - a[1]) * math.Pi / 180 * m
	dx := (b[0] - a[0]) * math.Pi / 180 * n * math.Cos(phi)
	return math.Hypot(dx, dy)
}

func TestProjectionScale(t *testing.T) {
	origin := orb.Point{111.5, 27.3}
	p := NewProjection(origin)
	// Sample a 200 km square around the origin (about +-1.01 deg lon, +-0.9 deg lat).
	for _, tc := range []struct {
		name   string
		dx, dy float64 // degrees from origin
	}{
		{"centre", 0, 0}, {"east edge", 1.01, 0}, {"west edge", -1.01, 0},
		{"north-east corner", 1.01, 0.9}, {"south-west corner", -1.01, -0.9}, {"south edge", 0, -0.9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := orb.Point{origin[0] + tc.dx, origin[1] + tc.dy}
			for _, step := range []orb.Point{{0.001, 0}, {0, 0.001}, {0.0007, 0.0007}} {
				b := orb.Point{a[0] + step[0], a[1] + step[1]}
				got := Dist(p.Forward(a), p.Forward(b))
				want := ellipsoidStep(a, b)
				if rel := math.Abs(got-want) / want; rel > 0.001 {
					t.Errorf("step %v at %v: projected %.4f m, ellipsoid %.4f m, error %.4f%%", step, a, got, want, rel*100)
				}
			}
			back := p.Inverse(p.Forward(a))
			if math.Abs(back[0]-a[0]) > 1e-9 || math.Abs(back[1]-a[1]) > 1e-9 {
				t.Errorf("round trip %v -> %v", a, back)
			}
		})
	}
}

func TestProjectionOrigin(t *testing.T) {
	p := NewProjection(orb.Point{120, 30})
	if xy := p.Forward(orb.Point{120, 30}); math.Abs(xy[0]) > 1e-9 || math.Abs(xy[1]) > 1e-9 {
		t.Fatalf("origin maps to %v, want 0,0", xy)
	}
	// One degree of latitude at 30N is about 110.85 km.
	if y := p.Forward(orb.Point{120, 30.5})[1] - p.Forward(orb.Point{120, 29.5})[1]; math.Abs(y-110852) > 50 {
		t.Fatalf("one degree of latitude = %.1f m", y)
	}
}

// TestForwardCoverHoldsTheImage: every point of a lon/lat box, projected,
// lies in its cover, for boxes from a street to a province and beyond,
// near the origin and far from it.
func TestForwardCoverHoldsTheImage(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for _, origin := range []orb.Point{{111.47, 27.23}, {24.94, 60.17}, {-70, -45}, {170, 65}} {
		p := NewProjection(origin)
		for _, size := range []float64{0.002, 0.02, 0.5, 3, 12} {
			for range 20 {
				min := orb.Point{origin[0] + (rng.Float64()-0.5)*4, origin[1] + (rng.Float64()-0.5)*4}
				b := orb.Bound{Min: min, Max: orb.Point{min[0] + size*(0.5+rng.Float64()), min[1] + size*(0.5+rng.Float64())}}
				cover := p.ForwardCover(b)
				for range 400 {
					q := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
					if rng.Intn(4) == 0 { // on an edge, where the image bends most
						q[1] = b.Max[1]
					}
					if m := p.Forward(q); !cover.Contains(m) {
						t.Fatalf("origin %v box %v: %v projects to %v, outside the cover %v", origin, b, q, m, cover)
					}
				}
			}
		}
	}
}

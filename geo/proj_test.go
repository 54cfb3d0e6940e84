package geo

import (
	"math"
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

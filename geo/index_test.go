package geo

import (
	"math"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

func seed(t testing.TB) int64 {
	if s, err := strconv.ParseInt(os.Getenv("SEED"), 10, 64); err == nil {
		return s
	}
	s := int64(20261127)
	t.Logf("SEED=%d", s)
	return s
}

func randomPoints(rng *rand.Rand, n int, size float64) []orb.Point {
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = orb.Point{rng.Float64() * size, rng.Float64() * size}
	}
	return ps
}

func pointIndex(ps []orb.Point) *Index {
	var x Index
	for i, p := range ps {
		x.Insert(int32(i), p.Bound())
	}
	return &x
}

func TestIndexWithinAndNearestMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(seed(t)))
	ps := randomPoints(rng, 5000, 10000)
	x := pointIndex(ps)
	for q := 0; q < 50; q++ {
		p := orb.Point{rng.Float64() * 10000, rng.Float64() * 10000}
		dist := func(i int32) float64 { return Dist(p, ps[i]) }
		r := 50 + rng.Float64()*400
		want := map[int32]bool{}
		for i := range ps {
			if dist(int32(i)) <= r {
				want[int32(i)] = true
			}
		}
		got := 0
		x.Within(p, r, dist, func(i int32, d float64) bool {
			if !want[i] {
				t.Fatalf("Within returned %d at %.2f > %.2f", i, d, r)
			}
			got++
			return true
		})
		if got != len(want) {
			t.Fatalf("Within found %d, brute force %d", got, len(want))
		}
		all := make([]float64, len(ps))
		for i := range ps {
			all[i] = dist(int32(i))
		}
		sort.Float64s(all)
		hits := x.Nearest(p, 7, math.Inf(1), dist)
		if len(hits) != 7 {
			t.Fatalf("Nearest gave %d hits", len(hits))
		}
		for k, h := range hits {
			if h.Dist != all[k] {
				t.Fatalf("nearest #%d at %.3f, brute force %.3f", k, h.Dist, all[k])
			}
		}
	}
}

func TestDistance(t *testing.T) {
	sq := func(x, y, s float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}}
	}
	for _, tc := range []struct {
		name string
		a, b orb.Geometry
		want float64
	}{
		{"points", orb.Point{0, 0}, orb.Point{3, 4}, 5},
		{"point in polygon", orb.Point{1, 1}, sq(0, 0, 2), 0},
		{"point to polygon edge", orb.Point{5, 1}, sq(0, 0, 2), 3},
		{"polygons side by side", sq(0, 0, 2), sq(7, 0, 2), 5},
		{"polygons diagonal", sq(0, 0, 2), sq(5, 6, 2), 5},
		{"polygon inside polygon", sq(1, 1, 1), sq(0, 0, 10), 0},
		{"crossing lines", orb.LineString{{0, 0}, {2, 2}}, orb.LineString{{0, 2}, {2, 0}}, 0},
		{"line to polygon", orb.LineString{{0, 5}, {10, 5}}, sq(4, 0, 2), 3},
		{"multipolygon", orb.MultiPolygon{sq(0, 0, 1), sq(100, 0, 1)}, sq(103, 0, 1), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Distance(tc.a, tc.b); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("Distance = %v, want %v", got, tc.want)
			}
			if got := Distance(tc.b, tc.a); math.Abs(got-tc.want) > 1e-12 {
				t.Fatalf("Distance reversed = %v, want %v", got, tc.want)
			}
		})
	}
}

func BenchmarkIndexWithin150m(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	ps := randomPoints(rng, 100000, 30000) // 100k points over 30x30 km
	x := pointIndex(ps)
	qs := randomPoints(rng, 1024, 30000)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		p := qs[i%len(qs)]
		x.Within(p, 150, func(j int32) float64 { return Dist(p, ps[j]) }, func(int32, float64) bool { n++; return true })
	}
}

func BenchmarkIndexNearest8(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	ps := randomPoints(rng, 100000, 30000)
	x := pointIndex(ps)
	qs := randomPoints(rng, 1024, 30000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := qs[i%len(qs)]
		x.Nearest(p, 8, math.Inf(1), func(j int32) float64 { return Dist(p, ps[j]) })
	}
}

func TestWithinAgreesWithDistance(t *testing.T) {
	rng := rand.New(rand.NewSource(seed(t)))
	poly := func() orb.Polygon {
		c := orb.Point{rng.Float64() * 60, rng.Float64() * 60}
		n := 3 + rng.Intn(4)
		r := orb.Ring{}
		for k := 0; k < n; k++ {
			a := 2 * math.Pi * float64(k) / float64(n)
			rr := 3 + rng.Float64()*8
			r = append(r, orb.Point{c[0] + rr*math.Cos(a), c[1] + rr*math.Sin(a)})
		}
		return orb.Polygon{append(r, r[0])}
	}
	for i := 0; i < 20000; i++ {
		a, b := poly(), poly()
		d := rng.Float64() * 15
		if got, want := Within(a, b, d), Distance(a, b) <= d; got != want {
			t.Fatalf("Within(%v, %v, %g) = %v, Distance = %g", a, b, d, got, Distance(a, b))
		}
	}
}

func TestSegmentGeometryAgreesWithSampling(t *testing.T) {
	rng := rand.New(rand.NewSource(seed(t)))
	for i := 0; i < 3000; i++ {
		c := orb.Point{rng.Float64() * 50, rng.Float64() * 50}
		w, h := 3+rng.Float64()*15, 3+rng.Float64()*15
		poly := orb.Polygon{{c, {c[0] + w, c[1]}, {c[0] + w, c[1] + h}, {c[0], c[1] + h}, c}}
		a := orb.Point{rng.Float64() * 80, rng.Float64() * 80}
		b := orb.Point{rng.Float64() * 80, rng.Float64() * 80}
		d, tt := SegmentGeometry(a, b, poly)
		// The reported point is at the reported distance, and no sampled
		// point of the segment is nearer (but for the millimetre of a
		// parallel wall's tie).
		if got := PointDistance(Lerp(a, b, tt), poly); math.Abs(got-d) > 1e-9 {
			t.Fatalf("point at t=%g is %g from the polygon, reported %g", tt, got, d)
		}
		for k := 0; k <= 200; k++ {
			if s := PointDistance(Lerp(a, b, float64(k)/200), poly); s < d-1e-3 {
				t.Fatalf("sample %d at %g beats the reported least distance %g", k, s, d)
			}
		}
	}
}

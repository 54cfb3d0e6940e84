package geo

import (
	"math"
	"math/rand"
	"os"
	"runtime"
	"slices"
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

// boxDist is the distance from p to box b, the exact distance the index
// tests use: it is the tightest case for the index's lower bounds.
func boxDist(p orb.Point, b orb.Bound) float64 {
	dx := math.Max(0, math.Max(b.Min[0]-p[0], p[0]-b.Max[0]))
	dy := math.Max(0, math.Max(b.Min[1]-p[1], p[1]-b.Max[1]))
	return math.Hypot(dx, dy)
}

// f32Step is the float32 spacing at offset v from o, the index's resolution.
func f32Step(v, o float64) float64 {
	f := float32(math.Abs(v - o))
	return float64(math.Nextafter32(f, float32(math.Inf(1))) - f)
}

// gap is how far apart boxes a and b are along either axis (0 if they meet).
func gap(a, b orb.Bound) float64 {
	return math.Max(
		math.Max(0, math.Max(a.Min[0]-b.Max[0], b.Min[0]-a.Max[0])),
		math.Max(0, math.Max(a.Min[1]-b.Max[1], b.Min[1]-a.Max[1])))
}

func TestIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(seed(t)))
	// Each case draws item boxes around a centre c with spread s; the
	// first item is placed far away when far is set, so the origin (the
	// first box) is far from the rest.
	box := func(c orb.Point, s, size float64) orb.Bound {
		x, y := c[0]+(rng.Float64()-0.5)*s, c[1]+(rng.Float64()-0.5)*s
		switch rng.Intn(5) {
		case 0: // point
			return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x, y}}
		case 1: // horizontal line
			return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*size, y}}
		case 2: // vertical line
			return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x, y + rng.Float64()*size}}
		case 3: // large box
			return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*size*50, y + rng.Float64()*size*50}}
		}
		return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + rng.Float64()*size, y + rng.Float64()*size}}
	}
	for _, tc := range []struct {
		name       string
		c          orb.Point
		spread     float64 // of the items around c
		size       float64 // of an item box
		far        bool
		duplicates bool
	}{
		{"lon/lat", orb.Point{11.5, 48.2}, 2, 1e-4, false, false},
		{"lon/lat, origin far", orb.Point{-170, -80}, 2, 1e-4, true, false},
		{"metric", orb.Point{0, 0}, 30000, 30, false, false},
		{"metric at 2e6", orb.Point{2e6, -2e6}, 30000, 30, false, false},
		{"metric, origin 4e6 away", orb.Point{-2e6, 2e6}, 20000, 30, true, false},
		{"metric, ties", orb.Point{5e5, 5e5}, 3000, 30, false, true},
		// Items closer than a float32 step: only boxes rounded outward
		// keep Nearest's node distances below the items'.
		{"metric, below a float32 step", orb.Point{5e5, 5e5}, 0.05, 0.001, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 1500 + rng.Intn(1000)
			bs := make([]orb.Bound, 0, n)
			if tc.far {
				bs = append(bs, box(orb.Point{-tc.c[0], -tc.c[1]}, tc.spread, tc.size))
			}
			for len(bs) < n {
				if tc.duplicates && len(bs) > 0 && rng.Intn(3) == 0 {
					bs = append(bs, bs[rng.Intn(len(bs))])
					continue
				}
				bs = append(bs, box(tc.c, tc.spread, tc.size))
			}
			var x Index
			for i, b := range bs {
				x.Insert(int32(i), b)
			}
			if x.Len() != n {
				t.Fatalf("Len = %d, want %d", x.Len(), n)
			}
			for q := 0; q < 200; q++ {
				qb := box(tc.c, tc.spread*1.2, tc.size*20)
				if q%4 == 0 { // a query whose edge is an item's edge
					e := bs[rng.Intn(n)]
					qb = orb.Bound{Min: orb.Point{e.Max[0], e.Max[1]}, Max: orb.Point{e.Max[0] + tc.size, e.Max[1] + tc.size}}
				}
				got := map[int32]bool{}
				x.Search(qb, func(i int32) bool {
					if got[i] {
						t.Fatalf("Search reported %d twice", i)
					}
					got[i] = true
					return true
				})
				for i, b := range bs {
					if b.Intersects(qb) && !got[int32(i)] {
						t.Fatalf("Search(%v) missed %d at %v", qb, i, b)
					}
				}
				for i := range got {
					b := bs[i]
					slack := 2 * max(f32Step(b.Min[0], x.origin[0]), f32Step(b.Max[0], x.origin[0]),
						f32Step(b.Min[1], x.origin[1]), f32Step(b.Max[1], x.origin[1]),
						f32Step(qb.Min[0], x.origin[0]), f32Step(qb.Max[0], x.origin[0]),
						f32Step(qb.Min[1], x.origin[1]), f32Step(qb.Max[1], x.origin[1]))
					if g := gap(b, qb); g > slack {
						t.Fatalf("Search(%v) reported %d at %v, %g away (slack %g)", qb, i, b, g, slack)
					}
				}

				var exact []int32
				x.SearchExact(qb, func(i int32) orb.Bound { return bs[i] }, func(i int32) bool {
					exact = append(exact, i)
					return true
				})
				slices.Sort(exact)
				var meets []int32
				for i, b := range bs {
					if b.Intersects(qb) {
						meets = append(meets, int32(i))
					}
				}
				if !slices.Equal(exact, meets) {
					t.Fatalf("SearchExact(%v) = %v, brute force %v", qb, exact, meets)
				}

				p := qb.Center()
				dist := func(i int32) float64 { return boxDist(p, bs[i]) }
				all := make([]float64, n)
				for i := range bs {
					all[i] = dist(int32(i))
				}
				sorted := slices.Clone(all)
				slices.Sort(sorted)
				r := sorted[rng.Intn(60)]
				if q%5 == 0 {
					r = 0 // only items touching p
				}
				want := 0
				for _, d := range all {
					if d <= r {
						want++
					}
				}
				seen := map[int32]bool{}
				x.Within(p, r, dist, func(i int32, d float64) bool {
					if d != all[i] || d > r || seen[i] {
						t.Fatalf("Within(%v, %g) reported %d at %g (exact %g, seen %v)", p, r, i, d, all[i], seen[i])
					}
					seen[i] = true
					return true
				})
				if len(seen) != want {
					t.Fatalf("Within(%v, %g) found %d, brute force %d", p, r, len(seen), want)
				}

				k := 1 + rng.Intn(20)
				maxDist := math.Inf(1)
				if q%2 == 0 {
					maxDist = sorted[rng.Intn(2*k)]
				}
				var wantD []float64
				for _, d := range sorted {
					if d > maxDist || len(wantD) == k {
						break
					}
					wantD = append(wantD, d)
				}
				hits := x.Nearest(p, k, maxDist, dist)
				gotD := make([]float64, len(hits))
				seen = map[int32]bool{}
				for j, h := range hits {
					if h.Dist != all[h.Item] || seen[h.Item] {
						t.Fatalf("Nearest reported %d at %g (exact %g, seen %v)", h.Item, h.Dist, all[h.Item], seen[h.Item])
					}
					seen[h.Item] = true
					gotD[j] = h.Dist
				}
				if !slices.Equal(gotD, wantD) {
					t.Fatalf("Nearest(%v, %d, %g) = %v, brute force %v", p, k, maxDist, gotD, wantD)
				}
			}

			// NearestFunc without a limit walks every item in order.
			p := box(tc.c, tc.spread, 0).Min
			var walked []float64
			x.NearestFunc(p, math.Inf(1), func(i int32) float64 { return boxDist(p, bs[i]) }, func(i int32, d float64) bool {
				walked = append(walked, d)
				return true
			})
			want := make([]float64, n)
			for i, b := range bs {
				want[i] = boxDist(p, b)
			}
			slices.Sort(want)
			if !slices.Equal(walked, want) {
				t.Fatalf("NearestFunc walked %d items, not the %d in order", len(walked), n)
			}
		})
	}
}

func TestIndexSmall(t *testing.T) {
	one := orb.Bound{Min: orb.Point{3, 4}, Max: orb.Point{5, 6}}
	for _, tc := range []struct {
		name    string
		items   []orb.Bound
		q       orb.Bound
		search  []int32
		nearest []Hit // from the query's Min, unlimited, k = 3
	}{
		{"empty", nil, orb.Bound{Max: orb.Point{10, 10}}, nil, nil},
		{"one, met", []orb.Bound{one}, orb.Bound{Min: orb.Point{5, 6}, Max: orb.Point{9, 9}}, []int32{0}, []Hit{{0, 0}}},
		{"one, missed", []orb.Bound{one}, orb.Bound{Min: orb.Point{5.001, 6}, Max: orb.Point{9, 9}}, nil, []Hit{{0, 0.001}}},
		{"one point", []orb.Bound{{Min: orb.Point{1, 1}, Max: orb.Point{1, 1}}}, orb.Bound{Min: orb.Point{4, 5}, Max: orb.Point{4, 5}}, nil, []Hit{{0, 5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var x Index
			for i, b := range tc.items {
				x.Insert(int32(i), b)
			}
			if x.Len() != len(tc.items) {
				t.Fatalf("Len = %d, want %d", x.Len(), len(tc.items))
			}
			var got []int32
			x.Search(tc.q, func(i int32) bool { got = append(got, i); return true })
			if !slices.Equal(got, tc.search) {
				t.Fatalf("Search = %v, want %v", got, tc.search)
			}
			p := tc.q.Min
			dist := func(i int32) float64 { return boxDist(p, tc.items[i]) }
			hits := x.Nearest(p, 3, math.Inf(1), dist)
			if len(hits) != len(tc.nearest) {
				t.Fatalf("Nearest = %v, want %v", hits, tc.nearest)
			}
			for j, h := range hits {
				if h.Item != tc.nearest[j].Item || math.Abs(h.Dist-tc.nearest[j].Dist) > 1e-12 {
					t.Fatalf("Nearest = %v, want %v", hits, tc.nearest)
				}
			}
			if hits := x.Nearest(p, 3, 0.0001, dist); len(tc.nearest) > 0 && tc.nearest[0].Dist > 0.0001 && len(hits) != 0 {
				t.Fatalf("Nearest within 0.0001 = %v, want none", hits)
			}
		})
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

// BenchmarkIndexBuild inserts a million boxes of 5-35 m over 200x200 km and
// reports the heap the index holds per item.
func BenchmarkIndexBuild(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	bs := make([]orb.Bound, 1_000_000)
	for i := range bs {
		x, y := rng.Float64()*200000-100000, rng.Float64()*200000-100000
		bs[i] = orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + 5 + rng.Float64()*30, y + 5 + rng.Float64()*30}}
	}
	var held float64
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		x := new(Index)
		for j, bb := range bs {
			x.Insert(int32(j), bb)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		held = float64(after.HeapAlloc-before.HeapAlloc) / float64(len(bs))
		runtime.KeepAlive(x)
	}
	b.ReportMetric(held, "B/item")
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

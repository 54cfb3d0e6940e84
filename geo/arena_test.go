package geo

import (
	"math/rand"
	"reflect"
	"runtime"
	"testing"

	"github.com/paulmach/orb"
)

func TestArenaCopiesAreEqualAndApart(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	pts := func(n int) []orb.Point {
		out := make([]orb.Point, n)
		for i := range out {
			out[i] = orb.Point{rng.Float64(), rng.Float64()}
		}
		return out
	}
	ring := func(n int) orb.Ring { r := orb.Ring(pts(n)); return append(r, r[0]) }
	p := NewProjection(orb.Point{116.4, 39.9})
	var gs []orb.Geometry
	for i := 0; i < 3000; i++ { // several chunks of each kind
		switch i % 7 {
		case 0:
			gs = append(gs, orb.Point{rng.Float64(), rng.Float64()})
		case 1:
			gs = append(gs, orb.MultiPoint(pts(1+rng.Intn(4))))
		case 2:
			gs = append(gs, orb.LineString(pts(2+rng.Intn(40))))
		case 3:
			gs = append(gs, orb.MultiLineString{orb.LineString(pts(2)), orb.LineString(pts(3))})
		case 4:
			gs = append(gs, orb.Polygon{ring(4), ring(3)})
		case 5:
			gs = append(gs, orb.MultiPolygon{{ring(5)}, {ring(3), ring(3)}})
		case 6:
			gs = append(gs, orb.Collection{orb.Point{1, 2}, orb.LineString(pts(3)), orb.Ring(ring(4))})
		}
	}
	// A geometry longer than a whole chunk gets a chunk of its own.
	gs = append(gs, orb.LineString(pts(pointChunk+5)))

	var a, m Arena
	copies := make([]orb.Geometry, len(gs))
	projected := make([]orb.Geometry, len(gs))
	for i, g := range gs {
		copies[i] = a.Copy(g)
		projected[i] = m.Forward(p, g)
	}
	for i, g := range gs {
		if !reflect.DeepEqual(copies[i], g) {
			t.Fatalf("copy %d differs: %v, want %v", i, copies[i], g)
		}
		if want := p.ForwardGeometry(g); !reflect.DeepEqual(projected[i], want) {
			t.Fatalf("projection %d differs: %v, want %v", i, projected[i], want)
		}
	}
	// Appending to one copy must not write into the next copy's points.
	for i := range copies {
		if ls, ok := copies[i].(orb.LineString); ok {
			_ = append(ls, orb.Point{-1, -1})
		}
		if poly, ok := copies[i].(orb.Polygon); ok {
			_ = append(poly[0], orb.Point{-1, -1})
			_ = append(poly, orb.Ring{})
		}
	}
	for i, g := range gs {
		if !reflect.DeepEqual(copies[i], g) {
			t.Fatalf("copy %d changed by an append to another", i)
		}
	}
	var none *Arena
	if g := none.Copy(gs[4]); !reflect.DeepEqual(g, gs[4]) {
		t.Fatalf("nil arena copy %v, want %v", g, gs[4])
	}
	// The geometries alone keep their chunks alive: the arenas go, a
	// collection runs, and every copy reads as it was written.
	a, m = Arena{}, Arena{}
	runtime.GC()
	for i, g := range gs {
		if !reflect.DeepEqual(copies[i], g) || !reflect.DeepEqual(projected[i], p.ForwardGeometry(g)) {
			t.Fatalf("copy %d changed after a collection", i)
		}
	}
}

// A geometry copied into an arena is no allocation of its own, its
// interface value included: a province's millions of polygons were as many
// 24-byte objects for the collector to mark.
func TestArenaCopiesAllocateInChunks(t *testing.T) {
	poly := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	for _, g := range []orb.Geometry{orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}, poly, orb.MultiPolygon{poly, poly}} {
		var a Arena
		a.Copy(g) // the first chunks
		if n := testing.AllocsPerRun(1000, func() { a.Copy(g) }); n > 0.05 {
			t.Errorf("%T: %.3f allocations a copy, want one a chunk", g, n)
		}
	}
}

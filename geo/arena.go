package geo

import (
	"unsafe"

	"github.com/paulmach/orb"
)

// Arena holds copies of many small geometries in a few large arrays. A
// province's millions of rings, each its own allocation, are millions of
// objects the garbage collector marks on every cycle; in an arena they are a
// few hundred. That goes for the geometry's interface value too: an
// orb.Polygon held as an orb.Geometry is a pointer to its own 24-byte copy
// of the slice header, unless the arena keeps that copy (see boxed). Copies
// are sliced to their length, so an append to one reallocates instead of
// writing over its neighbour. The zero Arena is ready; a nil *Arena
// allocates each copy on its own.
type Arena struct {
	points  []orb.Point
	rings   []orb.Ring
	lines   []orb.LineString
	polys   []orb.Polygon
	mpoints []orb.MultiPoint
	mlines  []orb.MultiLineString
	mpolys  []orb.MultiPolygon
}

// Chunk lengths: large enough that a chunk is one object among thousands of
// geometries, small enough that a layer's unused tail is negligible.
const (
	pointChunk = 1 << 15
	ringChunk  = 1 << 12
)

// take returns n elements for a copy: at the end of the chunk field gives,
// starting a new chunk of at least min when it is full; made on their own
// when a is nil.
func take[T any](a *Arena, field func(*Arena) *[]T, n, min int) []T {
	if a == nil {
		return make([]T, n)
	}
	chunk := field(a)
	c := *chunk
	if cap(c)-len(c) < n {
		c = make([]T, 0, max(min, n))
	}
	out := c[len(c) : len(c)+n : len(c)+n]
	*chunk = c[:len(c)+n]
	return out
}

func points(a *Arena) *[]orb.Point     { return &a.points }
func rings(a *Arena) *[]orb.Ring       { return &a.rings }
func lines(a *Arena) *[]orb.LineString { return &a.lines }
func polys(a *Arena) *[]orb.Polygon    { return &a.polys }

func mpoints(a *Arena) *[]orb.MultiPoint     { return &a.mpoints }
func mlines(a *Arena) *[]orb.MultiLineString { return &a.mlines }
func mpolys(a *Arena) *[]orb.MultiPolygon    { return &a.mpolys }

// An interface value is two words: its type's table and a pointer to the
// value. tab reads the first from a value of each geometry type once.
func tab(g orb.Geometry) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&g))[0] }

var (
	pointTab  = tab(orb.Point{})
	mpointTab = tab(orb.MultiPoint{})
	lineTab   = tab(orb.LineString{})
	mlineTab  = tab(orb.MultiLineString{})
	ringTab   = tab(orb.Ring{})
	polyTab   = tab(orb.Polygon{})
	mpolyTab  = tab(orb.MultiPolygon{})
)

// boxed returns v as an orb.Geometry whose value is a copy kept in the
// arena's field, where the compiler's conversion would allocate one on its
// own; t is the table of v's type. The copy is never written again, as a
// converted value never is: a type assertion copies it out. A nil arena
// converts as the compiler does.
func boxed[T orb.Geometry](a *Arena, field func(*Arena) *[]T, t unsafe.Pointer, v T) orb.Geometry {
	if a == nil {
		return v
	}
	slot := take(a, field, 1, ringChunk)
	slot[0] = v
	var g orb.Geometry
	w := (*[2]unsafe.Pointer)(unsafe.Pointer(&g))
	w[0], w[1] = t, unsafe.Pointer(&slot[0])
	return g
}

// Copy returns a copy of g whose coordinates and parts live in a.
func (a *Arena) Copy(g orb.Geometry) orb.Geometry { return a.mapGeometry(g, nil) }

// Forward returns g projected by p, its coordinates and parts in a.
func (a *Arena) Forward(p *Projection, g orb.Geometry) orb.Geometry {
	return a.mapGeometry(g, p.Forward)
}

// Inverse returns g taken back to lon/lat by p, its coordinates and parts
// in a.
func (a *Arena) Inverse(p *Projection, g orb.Geometry) orb.Geometry {
	return a.mapGeometry(g, p.Inverse)
}

// Box returns g with its interface value kept in a, its coordinates where
// they are: for a geometry made for one holder, whose own box would be one
// more object for the collector.
func (a *Arena) Box(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return boxed(a, points, pointTab, g)
	case orb.MultiPoint:
		return boxed(a, mpoints, mpointTab, g)
	case orb.LineString:
		return boxed(a, lines, lineTab, g)
	case orb.MultiLineString:
		return boxed(a, mlines, mlineTab, g)
	case orb.Ring:
		return boxed(a, rings, ringTab, g)
	case orb.Polygon:
		return boxed(a, polys, polyTab, g)
	case orb.MultiPolygon:
		return boxed(a, mpolys, mpolyTab, g)
	}
	return g
}

// mapPoints copies ps through f (nil: as they are).
func (a *Arena) mapPoints(ps []orb.Point, f func(orb.Point) orb.Point) []orb.Point {
	out := take(a, points, len(ps), pointChunk)
	if f == nil {
		copy(out, ps)
		return out
	}
	for i, q := range ps {
		out[i] = f(q)
	}
	return out
}

func (a *Arena) mapGeometry(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		if f != nil {
			g = f(g)
		}
		return boxed(a, points, pointTab, g)
	case orb.MultiPoint:
		return boxed(a, mpoints, mpointTab, orb.MultiPoint(a.mapPoints(g, f)))
	case orb.LineString:
		return boxed(a, lines, lineTab, orb.LineString(a.mapPoints(g, f)))
	case orb.MultiLineString:
		out := orb.MultiLineString(take(a, lines, len(g), ringChunk))
		for i, l := range g {
			out[i] = a.mapPoints(l, f)
		}
		return boxed(a, mlines, mlineTab, out)
	case orb.Ring:
		return boxed(a, rings, ringTab, orb.Ring(a.mapPoints(g, f)))
	case orb.Polygon:
		return boxed(a, polys, polyTab, a.mapPolygon(g, f))
	case orb.MultiPolygon:
		out := orb.MultiPolygon(take(a, polys, len(g), ringChunk))
		for i, poly := range g {
			out[i] = a.mapPolygon(poly, f)
		}
		return boxed(a, mpolys, mpolyTab, out)
	case orb.Collection:
		out := make(orb.Collection, len(g))
		for i, c := range g {
			out[i] = a.mapGeometry(c, f)
		}
		return out
	}
	return g
}

func (a *Arena) mapPolygon(poly orb.Polygon, f func(orb.Point) orb.Point) orb.Polygon {
	out := orb.Polygon(take(a, rings, len(poly), ringChunk))
	for i, r := range poly {
		out[i] = a.mapPoints(r, f)
	}
	return out
}

package geo

import "github.com/paulmach/orb"

// Arena holds copies of many small geometries in a few large arrays. A
// province's millions of rings, each its own allocation, are millions of
// objects the garbage collector marks on every cycle; in an arena they are a
// few hundred. Copies are sliced to their length, so an append to one
// reallocates instead of writing over its neighbour. The zero Arena is
// ready; a nil *Arena allocates each copy on its own.
type Arena struct {
	points []orb.Point
	rings  []orb.Ring
	lines  []orb.LineString
	polys  []orb.Polygon
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

// Copy returns a copy of g whose coordinates and parts live in a.
func (a *Arena) Copy(g orb.Geometry) orb.Geometry { return a.mapGeometry(g, nil) }

// Forward returns g projected by p, its coordinates and parts in a.
func (a *Arena) Forward(p *Projection, g orb.Geometry) orb.Geometry {
	return a.mapGeometry(g, p.Forward)
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
		if f == nil {
			return g
		}
		return f(g)
	case orb.MultiPoint:
		return orb.MultiPoint(a.mapPoints(g, f))
	case orb.LineString:
		return orb.LineString(a.mapPoints(g, f))
	case orb.MultiLineString:
		out := orb.MultiLineString(take(a, lines, len(g), ringChunk))
		for i, l := range g {
			out[i] = a.mapPoints(l, f)
		}
		return out
	case orb.Ring:
		return orb.Ring(a.mapPoints(g, f))
	case orb.Polygon:
		return a.mapPolygon(g, f)
	case orb.MultiPolygon:
		out := orb.MultiPolygon(take(a, polys, len(g), ringChunk))
		for i, poly := range g {
			out[i] = a.mapPolygon(poly, f)
		}
		return out
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

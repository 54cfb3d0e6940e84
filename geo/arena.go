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

// grab returns n elements at the end of *chunk, starting a new chunk of at
// least min when it is full.
func grab[T any](chunk *[]T, n, min int) []T {
	c := *chunk
	if cap(c)-len(c) < n {
		c = make([]T, 0, max(min, n))
	}
	out := c[len(c) : len(c)+n : len(c)+n]
	*chunk = c[:len(c)+n]
	return out
}

func (a *Arena) pointSlice(n int) []orb.Point {
	if a == nil {
		return make([]orb.Point, n)
	}
	return grab(&a.points, n, pointChunk)
}

func (a *Arena) ringSlice(n int) []orb.Ring {
	if a == nil {
		return make([]orb.Ring, n)
	}
	return grab(&a.rings, n, ringChunk)
}

func (a *Arena) lineSlice(n int) []orb.LineString {
	if a == nil {
		return make([]orb.LineString, n)
	}
	return grab(&a.lines, n, ringChunk)
}

func (a *Arena) polySlice(n int) []orb.Polygon {
	if a == nil {
		return make([]orb.Polygon, n)
	}
	return grab(&a.polys, n, ringChunk)
}

// Copy returns a copy of g whose coordinates and parts live in a.
func (a *Arena) Copy(g orb.Geometry) orb.Geometry { return a.mapGeometry(g, nil) }

// Forward returns g projected by p, its coordinates and parts in a.
func (a *Arena) Forward(p *Projection, g orb.Geometry) orb.Geometry {
	return a.mapGeometry(g, p.Forward)
}

// mapPoints copies ps through f (nil: as they are).
func (a *Arena) mapPoints(ps []orb.Point, f func(orb.Point) orb.Point) []orb.Point {
	out := a.pointSlice(len(ps))
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
		out := orb.MultiLineString(a.lineSlice(len(g)))
		for i, l := range g {
			out[i] = a.mapPoints(l, f)
		}
		return out
	case orb.Ring:
		return orb.Ring(a.mapPoints(g, f))
	case orb.Polygon:
		return a.mapPolygon(g, f)
	case orb.MultiPolygon:
		out := orb.MultiPolygon(a.polySlice(len(g)))
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
	out := orb.Polygon(a.ringSlice(len(poly)))
	for i, r := range poly {
		out[i] = a.mapPoints(r, f)
	}
	return out
}

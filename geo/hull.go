package geo

import (
	"github.com/paulmach/orb"
	geom "github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/xy"
)

// ConvexHull returns the convex hull of ps as a closed counter-clockwise
// ring, or false when the points span no area (one point or a line).
// go-geom's hull (a port of JTS's) handles collinear and repeated points.
//
// Points strictly inside the octagon of the extreme points in eight
// directions (Akl and Toussaint) are dropped first: go-geom sorts its input
// into an unbalanced tree, quadratic on points in order (a town's buildings
// row by row), and the filter leaves it the outskirts only.
func ConvexHull(ps []orb.Point) (orb.Ring, bool) {
	oct := octagon(ps)
	flat := make([]float64, 0, 2*len(ps))
	for _, p := range ps {
		if !strictlyInside(oct, p) {
			flat = append(flat, p[0], p[1])
		}
	}
	poly, ok := xy.ConvexHullFlat(geom.XY, flat).(*geom.Polygon)
	if !ok {
		return nil, false
	}
	c := poly.LinearRing(0).FlatCoords()
	ring := make(orb.Ring, 0, len(c)/2)
	for i := 0; i+1 < len(c); i += 2 {
		ring = append(ring, orb.Point{c[i], c[i+1]})
	}
	if !xy.IsRingCounterClockwise(geom.XY, c) {
		ring.Reverse()
	}
	return ring, true
}

// octagon returns the extreme points of ps in eight directions, counter-
// clockwise, repeats dropped: a convex polygon inside the hull.
func octagon(ps []orb.Point) []orb.Point {
	if len(ps) == 0 {
		return nil
	}
	dirs := [8][2]float64{{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}}
	var ext [8]orb.Point
	var best [8]float64
	for k, d := range dirs {
		ext[k], best[k] = ps[0], d[0]*ps[0][0]+d[1]*ps[0][1]
	}
	for _, p := range ps[1:] {
		for k, d := range dirs {
			if v := d[0]*p[0] + d[1]*p[1]; v > best[k] {
				ext[k], best[k] = p, v
			}
		}
	}
	out := make([]orb.Point, 0, 8)
	for _, p := range ext {
		if len(out) == 0 || p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	for len(out) > 1 && out[len(out)-1] == out[0] {
		out = out[:len(out)-1]
	}
	return out
}

// strictlyInside tells whether p lies inside the convex counter-clockwise
// polygon poly and on none of its edges (false for fewer than 3 vertices).
func strictlyInside(poly []orb.Point, p orb.Point) bool {
	if len(poly) < 3 {
		return false
	}
	for i, a := range poly {
		b := poly[(i+1)%len(poly)]
		if orient(a, b, p) <= 0 {
			return false
		}
	}
	return true
}

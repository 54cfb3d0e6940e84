package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// WGS84 / CGCS2000 ellipsoid. CGCS2000 (EPSG:4490) differs from WGS84 in the
// inverse flattening only in the 10th digit and its frame by centimetres, so
// both SRIDs are read as lon/lat on the same ellipsoid.
const (
	semiMajor  = 6378137.0         // metres
	flattening = 1 / 298.257223563 // WGS84
)

// Projection is a transverse Mercator projection with scale 1 on the central
// meridian through its origin. Within 100 km of that meridian the scale error
// stays under 0.013%, so distances in the plane are good to well under 0.1%
// over a 200 km extent. Coordinates are metres east (X) and north (Y) of the
// origin.
type Projection struct {
	lon0, lat0 float64 // degrees
	m0         float64 // meridian arc to lat0, metres
}

// ellipsoid constants, derived once.
var (
	e2  = flattening * (2 - flattening)
	ep2 = e2 / (1 - e2)
	e4  = e2 * e2
	e6  = e4 * e2
	mc0 = 1 - e2/4 - 3*e4/64 - 5*e6/256
	mc2 = 3*e2/8 + 3*e4/32 + 45*e6/1024
	mc4 = 15*e4/256 + 45*e6/1024
	mc6 = 35 * e6 / 3072
	e1  = (1 - math.Sqrt(1-e2)) / (1 + math.Sqrt(1-e2))
)

// NewProjection returns a transverse Mercator projection centred on origin
// (lon, lat in degrees).
func NewProjection(origin orb.Point) *Projection {
	return &Projection{lon0: origin[0], lat0: origin[1], m0: meridianArc(origin[1] * math.Pi / 180)}
}

// Origin returns the projection's centre in lon/lat degrees.
func (p *Projection) Origin() orb.Point { return orb.Point{p.lon0, p.lat0} }

func meridianArc(phi float64) float64 {
	return semiMajor * (mc0*phi - mc2*math.Sin(2*phi) + mc4*math.Sin(4*phi) - mc6*math.Sin(6*phi))
}

// Forward maps lon/lat degrees to metres in the plane (Snyder, USGS PP 1395, 8-9 to 8-10).
func (p *Projection) Forward(ll orb.Point) orb.Point {
	phi := ll[1] * math.Pi / 180
	sin, cos := math.Sincos(phi)
	tan := sin / cos
	n := semiMajor / math.Sqrt(1-e2*sin*sin)
	t := tan * tan
	c := ep2 * cos * cos
	a := (ll[0] - p.lon0) * math.Pi / 180 * cos
	a2 := a * a
	x := n * (a + (1-t+c)*a2*a/6 + (5-18*t+t*t+72*c-58*ep2)*a2*a2*a/120)
	y := meridianArc(phi) - p.m0 + n*tan*(a2/2+(5-t+9*c+4*c*c)*a2*a2/24+(61-58*t+t*t+600*c-330*ep2)*a2*a2*a2/720)
	return orb.Point{x, y}
}

// Inverse maps metres in the plane back to lon/lat degrees (Snyder 8-18 to 8-25).
func (p *Projection) Inverse(xy orb.Point) orb.Point {
	mu := (p.m0 + xy[1]) / (semiMajor * mc0)
	phi1 := mu + (3*e1/2-27*e1*e1*e1/32)*math.Sin(2*mu) +
		(21*e1*e1/16-55*e1*e1*e1*e1/32)*math.Sin(4*mu) +
		(151*e1*e1*e1/96)*math.Sin(6*mu) +
		(1097*e1*e1*e1*e1/512)*math.Sin(8*mu)
	sin, cos := math.Sincos(phi1)
	tan := sin / cos
	c1 := ep2 * cos * cos
	t1 := tan * tan
	w := 1 - e2*sin*sin
	n1 := semiMajor / math.Sqrt(w)
	r1 := semiMajor * (1 - e2) / (w * math.Sqrt(w))
	d := xy[0] / n1
	d2 := d * d
	phi := phi1 - (n1*tan/r1)*(d2/2-(5+3*t1+10*c1-4*c1*c1-9*ep2)*d2*d2/24+
		(61+90*t1+298*c1+45*t1*t1-252*ep2-3*c1*c1)*d2*d2*d2/720)
	lam := (d - (1+2*t1+c1)*d2*d/6 + (5-2*c1+28*t1-3*c1*c1+8*ep2+24*t1*t1)*d2*d2*d/120) / cos
	return orb.Point{p.lon0 + lam*180/math.Pi, phi * 180 / math.Pi}
}

// ForwardGeometry returns a projected copy of g.
func (p *Projection) ForwardGeometry(g orb.Geometry) orb.Geometry {
	return (*Arena)(nil).mapGeometry(g, p.Forward)
}

// InverseGeometry returns a lon/lat copy of a projected g.
func (p *Projection) InverseGeometry(g orb.Geometry) orb.Geometry {
	return (*Arena)(nil).mapGeometry(g, p.Inverse)
}

// ForwardBound projects a lon/lat bound to the smallest metric bound holding
// its corners and edge midpoints (meridians converge, so the image is not a box).
func (p *Projection) ForwardBound(b orb.Bound) orb.Bound {
	mid := b.Center()
	out := orb.Bound{Min: p.Forward(b.Min), Max: p.Forward(b.Min)}
	for _, c := range []orb.Point{b.Max, {b.Min[0], b.Max[1]}, {b.Max[0], b.Min[1]},
		{mid[0], b.Min[1]}, {mid[0], b.Max[1]}, {b.Min[0], mid[1]}, {b.Max[0], mid[1]}} {
		out = out.Extend(p.Forward(c))
	}
	return out
}

// ForwardCover returns a metric bound holding the image of every point of
// the lon/lat bound b, for filtering metric geometry by a lon/lat box
// without projecting each back: the image's edges are curves, so its
// sampled outline is padded by far more than they bend between samples
// (a hundredth of its span; a parallel at 70 degrees bends 0.2 km between
// samples 60 km apart).
func (p *Projection) ForwardCover(b orb.Bound) orb.Bound {
	const n = 16 // samples per edge
	var out orb.Bound
	for k := 0; k <= n; k++ {
		f := float64(k) / n
		x := b.Min[0] + f*(b.Max[0]-b.Min[0])
		y := b.Min[1] + f*(b.Max[1]-b.Min[1])
		for i, q := range []orb.Point{{x, b.Min[1]}, {x, b.Max[1]}, {b.Min[0], y}, {b.Max[0], y}} {
			m := p.Forward(q)
			if k == 0 && i == 0 {
				out = orb.Bound{Min: m, Max: m}
			}
			out = out.Extend(m)
		}
	}
	span := math.Max(out.Max[0]-out.Min[0], out.Max[1]-out.Min[1])
	return out.Pad(span/100 + 10)
}

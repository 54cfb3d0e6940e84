// Package datum converts points between WGS84 and the two offset datums of
// Chinese web maps: GCJ-02 (the national "Mars" datum of Amap, Tencent and
// Google China) and BD-09 (Baidu, a further offset of GCJ-02).
//
// Both are obfuscations, not geodetic datums: the forward conversion from
// WGS84 is a published closed form (the algorithm leaked from the national
// standard, in every open-source port); the inverse has no closed form and is
// found here by fixed-point iteration to below 1e-9 degrees (0.1 mm), so a
// round trip is exact in practice. Points outside the usual box around China
// are not offset by the web maps and are returned unchanged.
//
// It is a package of its own, not a file of geo, because it is about where
// input coordinates come from (a config key, a CSV flag), while geo measures
// geometry already in WGS84.
package datum

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Datum is the coordinate system of input lon/lat points.
type Datum int

// Datums fireplan reads.
const (
	WGS84 Datum = iota // also CGCS2000 lon/lat: they differ by centimetres
	GCJ02
	BD09
)

var names = [...]string{"wgs84", "gcj02", "bd09"}

func (d Datum) String() string { return names[d] }

// Parse reads a datum name as written in config files and flags: "wgs84"
// (or empty), "gcj02" or "bd09".
func Parse(s string) (Datum, error) {
	if s == "" {
		return WGS84, nil
	}
	for i, n := range names {
		if s == n {
			return Datum(i), nil
		}
	}
	return 0, fmt.Errorf("datum %q: want wgs84, gcj02 or bd09", s)
}

// ToWGS84 converts p (lon, lat degrees in d) to WGS84.
func (d Datum) ToWGS84(p orb.Point) orb.Point {
	if d == WGS84 || OutOfChina(p) {
		return p
	}
	// Fixed point of w = p - (f(w) - w): the offset varies by under 1e-5 of
	// itself per metre, so each step gains about five digits.
	w := p
	for range 10 {
		q := d.FromWGS84(w)
		dx, dy := q[0]-p[0], q[1]-p[1]
		w = orb.Point{w[0] - dx, w[1] - dy}
		if math.Abs(dx) < tolerance && math.Abs(dy) < tolerance {
			break
		}
	}
	return w
}

// tolerance is when the inverse stops, in degrees (about 0.1 mm).
const tolerance = 1e-9

// FromWGS84 converts p (lon, lat degrees, WGS84) to d.
func (d Datum) FromWGS84(p orb.Point) orb.Point {
	if d == WGS84 || OutOfChina(p) {
		return p
	}
	g := gcj02(p)
	if d == GCJ02 {
		return g
	}
	return bd09(g)
}

// OutOfChina reports whether p lies outside the box in which the web maps
// offset coordinates (the test every open-source implementation uses).
func OutOfChina(p orb.Point) bool {
	return p[0] < 72.004 || p[0] > 137.8347 || p[1] < 0.8293 || p[1] > 55.8271
}

// Constants of the GCJ-02 algorithm: the Krasovsky 1940 ellipsoid.
const (
	krasovskyA  = 6378245.0 // metres
	krasovskyE2 = 0.00669342162296594323
)

// gcj02 is the published forward transform from WGS84.
func gcj02(p orb.Point) orb.Point {
	x, y := p[0]-105, p[1]-35
	dLat := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x)) +
		(20*math.Sin(6*x*math.Pi)+20*math.Sin(2*x*math.Pi))*2/3 +
		(20*math.Sin(y*math.Pi)+40*math.Sin(y/3*math.Pi))*2/3 +
		(160*math.Sin(y/12*math.Pi)+320*math.Sin(y*math.Pi/30))*2/3
	dLon := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x)) +
		(20*math.Sin(6*x*math.Pi)+20*math.Sin(2*x*math.Pi))*2/3 +
		(20*math.Sin(x*math.Pi)+40*math.Sin(x/3*math.Pi))*2/3 +
		(150*math.Sin(x/12*math.Pi)+300*math.Sin(x/30*math.Pi))*2/3
	lat := p[1] * math.Pi / 180
	magic := 1 - krasovskyE2*math.Sin(lat)*math.Sin(lat)
	sqrtMagic := math.Sqrt(magic)
	dLat = dLat * 180 / (krasovskyA * (1 - krasovskyE2) / (magic * sqrtMagic) * math.Pi)
	dLon = dLon * 180 / (krasovskyA / sqrtMagic * math.Cos(lat) * math.Pi)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// bd09 is Baidu's published forward transform from GCJ-02.
func bd09(g orb.Point) orb.Point {
	const xPi = math.Pi * 3000 / 180
	x, y := g[0], g[1]
	z := math.Hypot(x, y) + 0.00002*math.Sin(y*xPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*xPi)
	return orb.Point{z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006}
}

package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// MeanRadius is the mean radius of the WGS84 ellipsoid (IUGG), metres.
const MeanRadius = 6371008.8

// GreatCircle returns the distance between lon/lat points a and b on the
// sphere of MeanRadius (haversine), metres: within 0.5% of the ellipsoid's,
// and meaningful at any distance, where a local projection is not.
func GreatCircle(a, b orb.Point) float64 {
	const rad = math.Pi / 180
	sdLat := math.Sin((b[1] - a[1]) * rad / 2)
	sdLon := math.Sin((b[0] - a[0]) * rad / 2)
	h := sdLat*sdLat + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*sdLon*sdLon
	return 2 * MeanRadius * math.Asin(math.Sqrt(math.Min(1, h)))
}

// Reach tells which lon/lat points lie within a great-circle distance of a
// centre. Most points near the centre pass a test without trigonometry.
type Reach struct {
	centre orb.Point
	maxM   float64 // metres
	cosLat float64
}

// NewReach returns the test for points within maxM metres of centre.
func NewReach(centre orb.Point, maxM float64) Reach {
	return Reach{centre: centre, maxM: maxM, cosLat: math.Cos(centre[1] * math.Pi / 180)}
}

// Beyond reports whether p lies farther than the limit from the centre,
// and then how far (metres).
func (r Reach) Beyond(p orb.Point) (float64, bool) {
	const rad = math.Pi / 180
	dLon := math.Abs(p[0] - r.centre[0])
	if dLon > 180 {
		dLon = 360 - dLon
	}
	// Along the centre's parallel, then along p's meridian: a path at least
	// as long as the great circle, so within the limit means within.
	if MeanRadius*(dLon*r.cosLat+math.Abs(p[1]-r.centre[1]))*rad <= r.maxM {
		return 0, false
	}
	d := GreatCircle(r.centre, p)
	return d, d > r.maxM
}

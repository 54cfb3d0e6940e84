package osm

import (
	"math"
	"slices"

	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
	"github.com/twpayne/go-geom"
	"github.com/twpayne/go-geom/xy"
)

// villages turns place nodes without a mapped area into village polygons,
// then gives every village the township holding its centroid.
func (m *mapper) villages() {
	var places []*osm.Node
	for _, n := range m.places {
		p := orb.Point{n.Lon, n.Lat}
		if slices.ContainsFunc(m.villageAreas, func(a orb.MultiPolygon) bool { return planar.MultiPolygonContains(a, p) }) {
			m.st.skip(villages, "place node inside a mapped village area (the same village)")
			continue
		}
		places = append(places, n)
	}
	if len(places) > 0 {
		m.placeVillages(places)
	}
	for i := range m.set.Villages {
		v := &m.set.Villages[i]
		c := centroid(v.Geom)
		for _, t := range m.set.Townships {
			if planar.MultiPolygonContains(multi(t.Geom), c) {
				v.TownshipID = t.ID
				break
			}
		}
	}
}

// placeVillages gives each place node the convex hull of the buildings
// nearer it than any other place node and within VillageRadiusM, or a
// circle of VillageCircleM.
func (m *mapper) placeVillages(places []*osm.Node) {
	// The median place, not the box's centre: one stray node must not
	// stretch every distance.
	lons, lats := make([]float64, len(places)), make([]float64, len(places))
	for i, n := range places {
		lons[i], lats[i] = n.Lon, n.Lat
	}
	slices.Sort(lons)
	slices.Sort(lats)
	proj := geo.NewProjection(orb.Point{lons[len(lons)/2], lats[len(lats)/2]})
	at := make([]orb.Point, len(places)) // metres
	var idx geo.Index
	for i, n := range places {
		at[i] = proj.Forward(orb.Point{n.Lon, n.Lat})
		idx.Insert(int32(i), at[i].Bound())
	}
	members := make([][]orb.Point, len(places)) // lon/lat vertices
	for _, bd := range m.set.Buildings {
		c := proj.Forward(centroid(bd.Geom))
		hits := idx.Nearest(c, 1, m.opts.VillageRadiusM, func(i int32) float64 { return geo.Dist(c, at[i]) })
		if len(hits) == 1 {
			members[hits[0].Item] = append(members[hits[0].Item], points(bd.Geom)...)
		}
	}
	for i, n := range places {
		poly, ok := hull(members[i])
		if ok {
			m.st.assume(villages, "place=%s node: the hull of its buildings within %g m", n.Tags.Find("place"), m.opts.VillageRadiusM)
		} else {
			poly = circle(proj, at[i], m.opts.VillageCircleM)
			m.st.assume(villages, "place=%s node without buildings around: a circle of %g m", n.Tags.Find("place"), m.opts.VillageCircleM)
		}
		id := nodeID(n.ID)
		m.set.Villages = append(m.set.Villages, data.Village{ID: id, Geom: poly, Name: n.Tags.Find("name")})
		m.tags(villages, id, n.Tags)
	}
}

// hull returns the convex hull of ps, counter-clockwise; false when fewer
// than three points span an area. go-geom's hull (a port of JTS's) is robust
// on collinear and repeated points.
func hull(ps []orb.Point) (orb.Polygon, bool) {
	flat := make([]float64, 0, 2*len(ps))
	for _, p := range ps {
		flat = append(flat, p[0], p[1])
	}
	poly, ok := xy.ConvexHullFlat(geom.XY, flat).(*geom.Polygon)
	if !ok {
		return nil, false
	}
	c := poly.LinearRing(0).FlatCoords()
	r := make(orb.Ring, 0, len(c)/2)
	for i := 0; i+1 < len(c); i += 2 {
		r = append(r, orb.Point{c[i], c[i+1]})
	}
	if r.Orientation() == orb.CW {
		r.Reverse()
	}
	return orb.Polygon{r}, true
}

// circle is a 32-gon of radius r metres around c (metres in proj), in
// lon/lat.
func circle(proj *geo.Projection, c orb.Point, r float64) orb.Polygon {
	const n = 32
	ring := make(orb.Ring, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		ring[i] = proj.Inverse(orb.Point{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)})
	}
	ring[n] = ring[0]
	return orb.Polygon{ring}
}

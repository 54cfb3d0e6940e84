package coverage

import (
	"math"
	"slices"
	"sort"

	"fireplan/coverage/areas"
	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// LabelPoint returns the one point a list gives for a place: a point
// itself; the point at half a line's length; for a polygon its centroid
// when that lies inside, else the middle of the widest run of the
// horizontal line through it (an L-shaped district's centroid may lie
// outside it); of several parts, the largest's. Any planar coordinates.
func LabelPoint(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.MultiPoint:
		return nearestTo(g, g.Bound().Center())
	case orb.LineString:
		return alongHalf(orb.MultiLineString{g})
	case orb.MultiLineString:
		return alongHalf(g)
	case orb.Polygon:
		return interior(g)
	case orb.MultiPolygon:
		best, area := -1, -1.0
		for i, p := range g {
			if a := math.Abs(planar.Area(p)); a > area {
				best, area = i, a
			}
		}
		if best >= 0 {
			return interior(g[best])
		}
	case orb.Collection:
		if len(g) > 0 {
			return LabelPoint(g[0])
		}
	}
	if g == nil {
		return orb.Point{}
	}
	return g.Bound().Center()
}

func nearestTo(ps orb.MultiPoint, c orb.Point) orb.Point {
	best, d := orb.Point{}, math.Inf(1)
	for _, p := range ps {
		if dd := planar.DistanceSquared(p, c); dd < d {
			best, d = p, dd
		}
	}
	return best
}

// alongHalf returns the point at half the lines' total length.
func alongHalf(ls orb.MultiLineString) orb.Point {
	total := 0.0
	for _, l := range ls {
		total += planar.Length(l)
	}
	rest := total / 2
	for _, l := range ls {
		for i := 1; i < len(l); i++ {
			d := planar.Distance(l[i-1], l[i])
			if d >= rest && d > 0 {
				f := rest / d
				return orb.Point{l[i-1][0] + f*(l[i][0]-l[i-1][0]), l[i-1][1] + f*(l[i][1]-l[i-1][1])}
			}
			rest -= d
		}
	}
	for _, l := range ls {
		if len(l) > 0 {
			return l[len(l)-1]
		}
	}
	return orb.Point{}
}

func interior(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	c, _ := planar.CentroidArea(p)
	if planar.PolygonContains(p, c) {
		return c
	}
	y := c[1]
	var xs []float64
	for _, r := range p {
		for i := 1; i < len(r); i++ {
			a, b := r[i-1], r[i]
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])/(b[1]-a[1])*(b[0]-a[0]))
			}
		}
	}
	sort.Float64s(xs)
	best, width := orb.Point{}, -1.0
	for i := 1; i < len(xs); i += 2 {
		if w := xs[i] - xs[i-1]; w > width {
			best, width = orb.Point{(xs[i] + xs[i-1]) / 2, y}, w
		}
	}
	if width < 0 {
		return p[0][0]
	}
	return best
}

// townshipAt returns the township holding metric point p, or -1.
func townshipAt(s *data.Snapshot, p orb.Point) int32 {
	return areas.Containing(&s.Townships.MIndex, s.Townships.Metric, p)
}

// township returns the id and name of township i, empty for none.
func township(s *data.Snapshot, i int32) (string, string) {
	if i < 0 {
		return "", ""
	}
	tw := &s.Townships.Items[i]
	return tw.ID, tw.Name
}

// County is the county the townships layer names, "" when none does.
func County(s *data.Snapshot) string {
	for _, t := range s.Townships.Items {
		if t.County != "" {
			return t.County
		}
	}
	return ""
}

// countyRow returns the name a list gives a row: the county's own name
// for the whole county's row (id "county"), which otherwise reads
// "county" in a Chinese list.
func countyRow(s *data.Snapshot) func(id, name string) string {
	county := County(s)
	return func(id, name string) string {
		if id == "county" && county != "" {
			return county
		}
		return name
	}
}

// townshipNames maps township ids to names, for rows that carry an id.
func townshipNames(s *data.Snapshot) map[string]string {
	m := make(map[string]string, s.Townships.Len())
	for _, tw := range s.Townships.Items {
		m[tw.ID] = tw.Name
	}
	return m
}

// districtPlace is where an old district lies and the name a list gives it.
type districtPlace struct {
	TownshipID, Township, Name string
}

// districtPlaces places every old district in its township and names it
// so that no two districts share a name in one list: a name used twice
// gets its township ("太平老街区(白沙街道)"), or its id where both lie in
// one township, because two "Railway Quarters" are common and a planner
// must tell them apart.
func districtPlaces(s *data.Snapshot) []districtPlace {
	out := make([]districtPlace, s.Districts.Len())
	count := map[string]int{}
	for i, d := range s.Districts.Items {
		out[i].TownshipID, out[i].Township = township(s, townshipAt(s, LabelPoint(s.Districts.Metric[i])))
		out[i].Name = d.Name
		if d.Name == "" {
			out[i].Name = d.ID
		}
		count[out[i].Name]++
	}
	withTownship := make([]string, len(out))
	countWith := map[string]int{}
	for i := range out {
		if count[out[i].Name] > 1 && out[i].Township != "" {
			withTownship[i] = out[i].Name + "(" + out[i].Township + ")"
			countWith[withTownship[i]]++
		}
	}
	for i, d := range s.Districts.Items {
		switch {
		case count[out[i].Name] == 1:
		case withTownship[i] != "" && countWith[withTownship[i]] == 1:
			out[i].Name = withTownship[i]
		default:
			out[i].Name += "(" + d.ID + ")"
		}
	}
	return out
}

// stationName returns station i's name (its id when it has none), empty for none.
func stationName(s *data.Snapshot, i int32) string {
	if i < 0 {
		return ""
	}
	st := &s.Stations.Items[i]
	if st.Name == "" {
		return st.ID
	}
	return st.Name
}

// stationNames maps station ids to names, for rows that carry an id.
func stationNames(s *data.Snapshot) map[string]string {
	m := make(map[string]string, s.Stations.Len())
	for i, st := range s.Stations.Items {
		m[st.ID] = stationName(s, int32(i))
	}
	return m
}

// LayerTable returns items of a base layer's entry as a table, for the
// spreadsheets: the attributes under the entry's columns, then the
// township each lies in (by its label point), which a list per township
// needs and a layer's own attributes mostly lack.
func LayerTable(e *Entry, s *data.Snapshot, items []int32) *Table {
	v, _ := s.Layer(e.Layer)
	metric := v.Metres()
	t := &Table{Columns: e.Columns, Proj: s.Proj}
	own := slices.ContainsFunc(e.Columns, func(c Column) bool { return c.Name == "township_id" })
	named := e.Layer != data.LayerTownships
	if named {
		t.Columns = slices.Clone(e.Columns)
		if !own {
			t.Columns = append(t.Columns, col("township_id", "string", "township id"))
		}
		t.Columns = append(t.Columns, col("township", "string", "township"))
	}
	names := townshipNames(s)
	for _, i := range items {
		f := v.Feature(int(i))
		props := f.Properties()
		row := make([]any, 0, len(t.Columns))
		for _, c := range e.Columns {
			if c.Name == "id" {
				row = append(row, f.FeatureID())
			} else {
				row = append(row, props[c.Name])
			}
		}
		if named {
			tid, _ := props["township_id"].(string)
			if !own {
				tid, _ = township(s, townshipAt(s, LabelPoint(metric[i])))
				row = append(row, tid)
			}
			row = append(row, names[tid])
		}
		t.Add(f.FeatureID(), metric[i], row...)
	}
	return t
}

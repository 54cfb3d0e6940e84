package lanes

import (
	"fmt"
	"math"

	"fireplan/coverage/areas"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// Params are the fire-lane clearances of GB 50016-2014 7.1.8 and how far
// from a way in a truck still serves a building.
type Params struct {
	MinWidthM  float64 // lanes narrower than this cannot take a truck
	MinHeightM float64 // nor lanes lower than this
	ReachM     float64 // a building farther than this from every way in is beyond a truck's reach
}

// DefaultReachM is the default of Params.ReachM, metres. GB 50016-2014
// 7.1.1 wants the roads a truck uses inside a block no more than 160 m
// apart between centre lines: a district laid out to it has no building
// farther than 80 m from a lane or street, and one farther than that is
// where the district falls short of it.
const DefaultReachM = 80

// DefaultParams returns the standard's numbers.
func DefaultParams() Params { return Params{MinWidthM: 4, MinHeightM: 4, ReachM: DefaultReachM} }

// Check reports a parameter that cannot be used.
func (p Params) Check() error {
	if !(p.MinWidthM > 0 && p.MinWidthM <= 50) || !(p.MinHeightM > 0 && p.MinHeightM <= 50) {
		return fmt.Errorf("lane clearances %g x %g m outside (0, 50]", p.MinWidthM, p.MinHeightM)
	}
	if !(p.ReachM > 0 && p.ReachM <= 5000) {
		return fmt.Errorf("lane reach %g m outside (0, 5000]", p.ReachM)
	}
	return nil
}

// BoundaryTolM is how far inside an old district's outline a road still
// runs along its boundary, metres: outlines follow walls or kerbs, so the
// centre line of a bounding street up to 20 m wide lies up to 10 m inside.
const BoundaryTolM = 10

// pieceM is the length of the pieces a minor road near a district is
// judged in: a piece's middle decides, so a way in is placed to within
// half of it.
const pieceM = 2

// entrySearchM bounds the search for where a new lane would start: ways
// farther than this from every old district are not indexed.
const entrySearchM = 2000

// Lane is one fire lane as its district's plan reads it.
type Lane struct {
	Index      int      `json:"-"` // into the snapshot's fire lanes
	ID         string   `json:"id"`
	District   int32    `json:"-"`      // index into the snapshot's districts; -1 for none
	Status     string   `json:"status"` // marked, unmarked, obstructed, unknown
	WidthM     *float64 `json:"width_m"`
	HeightM    *float64 `json:"clear_height_m"`
	LengthM    float64  `json:"length_m"`
	Narrow     bool     `json:"too_narrow"`
	Low        bool     `json:"too_low"`
	Obstructed bool     `json:"obstructed"`
	Usable     bool     `json:"usable"` // wide and high enough (where known) and not obstructed
}

// DistrictLanes is one old district's fire lanes and what a truck cannot reach.
type DistrictLanes struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	Lanes                int                `json:"lanes"`
	LengthM              float64            `json:"length_m"`
	ByStatusM            map[string]float64 `json:"by_status_m"` // marked, unmarked, obstructed, unknown
	NarrowM              float64            `json:"too_narrow_m"`
	LowM                 float64            `json:"too_low_m"`
	UsableM              float64            `json:"usable_m"` // wide and high enough and not obstructed
	Buildings            int                `json:"buildings"`
	Households           int                `json:"households"`
	BeyondReach          int                `json:"buildings_beyond_reach"` // no way in within Params.ReachM
	BeyondReachHousehold int                `json:"households_beyond_reach"`
}

// Access is what a truck reaches in the old districts: a building there is
// served only from a way in within Params.ReachM of its walls, a way in
// being a usable fire lane, or a road of the truck graph that is not inside
// an old district (one along its outline, within BoundaryTolM, counts) or
// is a public through street (tertiary or above). The residential,
// service and track roads inside a district are its own passages: the
// fire-lane survey, not the road layer, says whether a truck gets along
// them.
type Access struct {
	P         Params
	Snap      *data.Snapshot
	Member    *areas.Membership
	Lanes     []Lane
	Districts []DistrictLanes
	// WayM is, per building in an old district, the metres from its walls
	// to the nearest way in, +Inf with none within Params.ReachM; NaN for
	// buildings outside old districts.
	WayM []float64

	ways []orb.LineString // the ways in, each a segment (two points)
	idx  geo.Index
}

// Beyond reports whether building i, in an old district, is beyond a truck's reach.
func (a *Access) Beyond(i int) bool { return a.WayM[i] > a.P.ReachM }

// Districts reports every old district's lanes by status, the lengths too
// narrow or too low for a truck, and the buildings beyond a truck's reach,
// over the truck graph of the response analysis r. A lane belongs to the
// district its district_id names, or else to the one holding its middle.
func Districts(r *response.Response, p Params) *Access {
	s := r.Snap
	a := &Access{P: p, Snap: s, Member: r.Member, Districts: make([]DistrictLanes, s.Districts.Len()), WayM: make([]float64, s.Buildings.Len())}
	byID := map[string]int32{}
	for i, d := range s.Districts.Items {
		a.Districts[i] = DistrictLanes{ID: d.ID, Name: d.Name, ByStatusM: map[string]float64{"marked": 0, "unmarked": 0, "obstructed": 0, "unknown": 0}}
		byID[d.ID] = int32(i)
	}
	for i, l := range s.FireLanes.Items {
		k, ok := byID[l.DistrictID]
		if !ok {
			k = areas.Containing(&s.Districts.MIndex, s.Districts.Metric, midpoint(s.FireLanes.Metric[i]))
		}
		ln := p.lane(i, &l, k, geo.Length(s.FireLanes.Metric[i]))
		a.Lanes = append(a.Lanes, ln)
		if ln.Usable {
			a.addWays(network.Lines(s.FireLanes.Metric[i]))
		}
		if k < 0 {
			continue
		}
		d := &a.Districts[k]
		d.Lanes++
		d.LengthM += ln.LengthM
		d.ByStatusM[ln.Status] += ln.LengthM
		if ln.Narrow {
			d.NarrowM += ln.LengthM
		}
		if ln.Low {
			d.LowM += ln.LengthM
		}
		if ln.Usable {
			d.UsableM += ln.LengthM
		}
	}
	a.roadWays(r.Graph)
	for i, b := range s.Buildings.Items {
		k := r.Member.District[i]
		if k < 0 {
			a.WayM[i] = math.NaN()
			continue
		}
		a.WayM[i] = a.wayWithin(s.Buildings.Metric[i], p.ReachM)
		d := &a.Districts[k]
		d.Buildings++
		d.Households += b.Households
		if a.Beyond(i) {
			d.BeyondReach++
			d.BeyondReachHousehold += b.Households
		}
	}
	for i := range a.Districts {
		d := &a.Districts[i]
		d.LengthM, d.NarrowM, d.LowM, d.UsableM = math.Round(d.LengthM), math.Round(d.NarrowM), math.Round(d.LowM), math.Round(d.UsableM)
		for k, v := range d.ByStatusM {
			d.ByStatusM[k] = math.Round(v)
		}
	}
	return a
}

// lane judges fire lane i (l) of district k, m metres long. A clearance
// nobody measured does not count against it: the survey's status says
// more than a guess would.
func (p Params) lane(i int, l *data.FireLane, k int32, m float64) Lane {
	status := l.Status
	if status == "" {
		status = "unknown"
	}
	ln := Lane{Index: i, ID: l.ID, District: k, Status: status, WidthM: l.WidthM, HeightM: l.ClearHeightM, LengthM: math.Round(m*10) / 10,
		Narrow: l.WidthM != nil && *l.WidthM < p.MinWidthM, Low: l.ClearHeightM != nil && *l.ClearHeightM < p.MinHeightM,
		Obstructed: status == "obstructed"}
	ln.Usable = !ln.Narrow && !ln.Low && !ln.Obstructed
	return ln
}

func (a *Access) addWays(ls []orb.LineString) {
	for _, l := range ls {
		for v := 1; v < len(l); v++ {
			if l[v-1] != l[v] {
				a.addWay(l[v-1], l[v])
			}
		}
	}
}

func (a *Access) addWay(p, q orb.Point) {
	a.idx.Insert(int32(len(a.ways)), orb.Bound{Min: p, Max: p}.Extend(q))
	a.ways = append(a.ways, orb.LineString{p, q})
}

// majorRoad tells the public through streets, which serve a building
// wherever they run.
var majorRoad = map[string]bool{"motorway": true, "trunk": true, "primary": true, "secondary": true, "tertiary": true}

// roadWays adds the truck graph's ways in near an old district: major
// roads whole, minor ones but for their pieces deep inside a district.
func (a *Access) roadWays(g *network.Graph) {
	s := a.Snap
	near := func(b orb.Bound, pad float64) bool {
		hit := false
		// Exact: a segment near a district is cut into pieces.
		s.Districts.MIndex.SearchExact(b.Pad(pad), func(k int32) orb.Bound { return s.Districts.MBound[k] }, func(int32) bool { hit = true; return false })
		return hit
	}
	for e := range g.Edges {
		l := g.EdgeLine(int32(e))
		if !near(l.Bound(), entrySearchM) {
			continue
		}
		major := majorRoad[g.Road(int32(e)).Class]
		for v := 1; v < len(l); v++ {
			p, q := l[v-1], l[v]
			sb := orb.Bound{Min: p, Max: p}.Extend(q)
			if major || !near(sb, 0) {
				if p != q {
					a.addWay(p, q)
				}
				continue
			}
			n := int(math.Ceil(geo.Dist(p, q) / pieceM))
			start := -1 // first piece of the current run of ways in
			for j := 0; j <= n; j++ {
				open := j < n && !a.deepInside(geo.Lerp(p, q, (float64(j)+0.5)/float64(n)))
				switch {
				case open && start < 0:
					start = j
				case !open && start >= 0:
					a.addWay(geo.Lerp(p, q, float64(start)/float64(n)), geo.Lerp(p, q, float64(j)/float64(n)))
					start = -1
				}
			}
		}
	}
}

// deepInside tells whether p lies inside an old district farther than
// BoundaryTolM from its outline.
func (a *Access) deepInside(p orb.Point) bool {
	s := a.Snap
	deep := false
	s.Districts.MIndex.Search(orb.Bound{Min: p, Max: p}, func(k int32) bool {
		g := s.Districts.Metric[k]
		if geo.PointDistance(p, g) == 0 && outlineDist(p, g) > BoundaryTolM {
			deep = true
			return false
		}
		return true
	})
	return deep
}

// outlineDist returns the distance from p to the rings of a polygon.
func outlineDist(p orb.Point, g orb.Geometry) float64 {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	d := math.Inf(1)
	for _, poly := range polys {
		for _, r := range poly {
			d = math.Min(d, geo.PointDistance(p, orb.LineString(r)))
		}
	}
	return d
}

// wayWithin returns the metres from g's walls to the nearest way in
// within max, +Inf with none.
func (a *Access) wayWithin(g orb.Geometry, max float64) float64 {
	best := math.Inf(1)
	a.idx.Search(g.Bound().Pad(max), func(i int32) bool {
		if d, _ := geo.SegmentGeometry(a.ways[i][0], a.ways[i][1], g); d < best {
			best = d
		}
		return true
	})
	if best > max {
		return math.Inf(1)
	}
	return best
}

// lineDist returns the least distance between lines and a geometry.
func lineDist(ls orb.MultiLineString, g orb.Geometry) float64 {
	best := math.Inf(1)
	for _, l := range ls {
		for v := 1; v < len(l); v++ {
			if d, _ := geo.SegmentGeometry(l[v-1], l[v], g); d < best {
				best = d
			}
		}
	}
	return best
}

// midpoint returns the point halfway along a linear geometry.
func midpoint(g orb.Geometry) orb.Point {
	half := geo.Length(g) / 2
	var out orb.Point
	found := false
	for _, l := range network.Lines(g) {
		for v := 1; v < len(l) && !found; v++ {
			d := geo.Dist(l[v-1], l[v])
			if half <= d && d > 0 {
				out, found = geo.Lerp(l[v-1], l[v], half/d), true
			}
			half -= d
		}
	}
	if !found {
		return g.Bound().Center()
	}
	return out
}

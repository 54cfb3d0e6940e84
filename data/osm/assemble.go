package osm

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
)

// wayRing returns a closed way's ring, or why it has none.
func (m *mapper) wayRing(w *osm.Way) (orb.Ring, string) {
	ids := make([]osm.NodeID, len(w.Nodes))
	for i, n := range w.Nodes {
		ids[i] = n.ID
	}
	if len(ids) < 4 || ids[0] != ids[len(ids)-1] {
		return nil, "open way"
	}
	return m.ring(ids)
}

// ring turns closed node ids into a ring, or says which node is missing.
func (m *mapper) ring(ids []osm.NodeID) (orb.Ring, string) {
	r := make(orb.Ring, len(ids))
	for i, id := range ids {
		p, ok := m.nodes[id]
		if !ok {
			return nil, "node outside the extract"
		}
		r[i] = p
	}
	return r, ""
}

// wayArea returns a closed way as a polygon, or why not.
func (m *mapper) wayArea(w *osm.Way) (orb.Polygon, string) {
	r, why := m.wayRing(w)
	if why != "" {
		return nil, why
	}
	if r.Orientation() == orb.CW {
		r.Reverse()
	}
	return orb.Polygon{r}, ""
}

// relArea assembles a multipolygon or boundary relation: a Polygon, a
// MultiPolygon, or why not.
func (m *mapper) relArea(rel *osm.Relation) (orb.Geometry, string) {
	var outer, inner [][]osm.NodeID
	for _, mb := range rel.Members {
		if mb.Type != osm.TypeWay {
			continue // admin_centre and label nodes
		}
		w, ok := m.ways[osm.WayID(mb.Ref)]
		if !ok {
			return nil, "member way outside the extract"
		}
		ids := make([]osm.NodeID, len(w.Nodes))
		for i, n := range w.Nodes {
			ids[i] = n.ID
		}
		switch mb.Role {
		case "outer", "":
			outer = append(outer, ids)
		case "inner":
			inner = append(inner, ids)
		}
	}
	outers, why := m.rings(outer)
	if why != "" {
		return nil, why
	}
	if len(outers) == 0 {
		return nil, "no outer ring"
	}
	inners, why := m.rings(inner)
	if why != "" {
		return nil, why
	}
	polys := make(orb.MultiPolygon, len(outers))
	areas := make([]float64, len(outers))
	for i, r := range outers {
		if r.Orientation() == orb.CW {
			r.Reverse()
		}
		polys[i], areas[i] = orb.Polygon{r}, planar.Area(r)
	}
	for _, r := range inners {
		k := -1 // the smallest outer holding r: an island in a hole's lake is its own outer
		for i, o := range outers {
			if (k < 0 || areas[i] < areas[k]) && holds(o, r) {
				k = i
			}
		}
		if k < 0 {
			return nil, "inner ring outside every outer"
		}
		if r.Orientation() == orb.CCW {
			r.Reverse()
		}
		polys[k] = append(polys[k], r)
	}
	if len(polys) == 1 {
		return polys[0], ""
	}
	return polys, ""
}

// holds reports whether ring o holds ring r: some vertex of r lies inside o
// (r may touch o's boundary at others).
func holds(o, r orb.Ring) bool {
	for _, p := range r {
		if planar.RingContains(o, p) {
			return true
		}
	}
	return false
}

// rings joins ways end to end into closed rings (OSM splits long rings
// over many ways, in any order and direction) and resolves their nodes.
func (m *mapper) rings(parts [][]osm.NodeID) ([]orb.Ring, string) {
	used := make([]bool, len(parts))
	var out []orb.Ring
	for i := range parts {
		if used[i] || len(parts[i]) == 0 { // a member way without nodes adds nothing
			continue
		}
		used[i] = true
		cur := slices.Clone(parts[i])
		for len(cur) < 2 || cur[0] != cur[len(cur)-1] {
			// A closed ring can always be grown at its tail.
			j, reversed := next(parts, used, cur[len(cur)-1])
			if j < 0 {
				return nil, "ring not closed (a member cut by the extract's edge?)"
			}
			used[j] = true
			p := parts[j]
			if reversed {
				for k := len(p) - 2; k >= 0; k-- {
					cur = append(cur, p[k])
				}
			} else {
				cur = append(cur, p[1:]...)
			}
		}
		if len(cur) < 4 {
			return nil, "ring of fewer than three nodes"
		}
		r, why := m.ring(cur)
		if why != "" {
			return nil, why
		}
		out = append(out, r)
	}
	return out, ""
}

// next finds an unused part starting (or, reversed, ending) at node end;
// -1 when none does.
func next(parts [][]osm.NodeID, used []bool, end osm.NodeID) (int, bool) {
	for j, p := range parts {
		switch {
		case used[j] || len(p) == 0:
		case p[0] == end:
			return j, false
		case p[len(p)-1] == end:
			return j, true
		}
	}
	return -1, false
}

// centroid is an area's centroid, or a line's mean vertex, or the point.
func centroid(g orb.Geometry) orb.Point {
	if p, ok := g.(orb.Point); ok {
		return p
	}
	if c, a := planar.CentroidArea(g); a > 0 {
		return c
	}
	var sx, sy float64
	var n int
	for _, p := range points(g) {
		sx, sy, n = sx+p[0], sy+p[1], n+1
	}
	return orb.Point{sx / float64(n), sy / float64(n)}
}

// points returns the vertices of a line or area.
func points(g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.LineString:
		return g
	case orb.Ring:
		return g
	case orb.Polygon:
		return g[0]
	case orb.MultiPolygon:
		var ps []orb.Point
		for _, p := range g {
			ps = append(ps, p[0]...)
		}
		return ps
	}
	return nil
}

// wayGeometry returns a closed way as an area and an open way as the line
// of its nodes inside the extract; or why neither.
func (m *mapper) wayGeometry(w *osm.Way) (orb.Geometry, string) {
	if p, why := m.wayArea(w); why == "" {
		return p, ""
	} else if why != "open way" {
		return nil, why
	}
	l := make(orb.LineString, 0, len(w.Nodes))
	for _, n := range w.Nodes {
		if p, ok := m.nodes[n.ID]; ok {
			l = append(l, p)
		}
	}
	if len(l) == 0 {
		return nil, "way outside the extract"
	}
	return l, ""
}

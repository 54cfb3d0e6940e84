package osm

import (
	"math"
	"slices"
	"strings"

	"fireplan/data"

	"github.com/paulmach/orb"
	sphere "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
)

const (
	buildings = data.LayerBuildings
	villages  = data.LayerVillages
	townships = data.LayerTownships
	builtup   = data.LayerBuiltup
)

// areaLayers says which area layers an object's tags ask for.
func (m *mapper) areaLayers(t osm.Tags) []string {
	var ls []string
	if b := t.Find("building"); b != "" && b != "no" {
		ls = append(ls, buildings)
	}
	if isVillage(t) {
		ls = append(ls, villages)
	}
	if t.Find("boundary") == "administrative" && t.Find("admin_level") == m.opts.TownshipAdminLevel {
		ls = append(ls, townships)
	}
	if _, ok := m.opts.BuiltupLanduse[t.Find("landuse")]; ok {
		ls = append(ls, builtup)
	}
	return ls
}

func isVillage(t osm.Tags) bool {
	p := t.Find("place")
	return p == "village" || p == "hamlet" || p == "isolated_dwelling"
}

// areas maps closed ways and multipolygon or boundary relations to
// buildings, village areas, townships and built-up areas.
func (m *mapper) areas() {
	for _, n := range m.tagged {
		if isVillage(n.Tags) {
			m.places = append(m.places, n)
		}
	}
	for _, id := range m.wayIDs {
		w := m.ways[id]
		ls := m.areaLayers(w.Tags)
		if len(ls) == 0 {
			continue
		}
		p, why := m.wayArea(w)
		for _, l := range ls {
			if why != "" {
				m.st.skip(l, "way: %s", why)
				continue
			}
			m.area(l, wayID(id), p, w.Tags)
		}
	}
	for _, r := range m.rels {
		ls := m.areaLayers(r.Tags)
		if len(ls) == 0 {
			continue
		}
		if ty := r.Tags.Find("type"); ty != "multipolygon" && ty != "boundary" {
			for _, l := range ls {
				m.st.skip(l, "relation type=%s: not an area", ty)
			}
			continue
		}
		g, why := m.relArea(r)
		for _, l := range ls {
			if why != "" {
				m.st.skip(l, "relation: %s", why)
				continue
			}
			m.area(l, relID(r.ID), g, r.Tags)
		}
	}
}

// area adds one item of an area layer.
func (m *mapper) area(layer, id string, g orb.Geometry, t osm.Tags) {
	switch layer {
	case buildings:
		m.set.Buildings = append(m.set.Buildings, m.building(id, g, t))
	case villages:
		m.villageAreas = append(m.villageAreas, multi(g))
		m.set.Villages = append(m.set.Villages, data.Village{ID: id, Geom: g, Name: t.Find("name")})
	case townships:
		tw := data.Township{ID: id, Geom: g, Name: t.Find("name"), Kind: townshipKind(t.Find("name"))}
		if tw.Kind == "" {
			m.st.assume(townships, "kind unknown: the name ends in none of 镇, 乡, 街道")
		}
		m.st.assume(townships, "fulltime_brigade false: OSM does not say")
		m.set.Townships = append(m.set.Townships, tw)
	case builtup:
		lu := t.Find("landuse")
		if lu == "residential" && m.holdsPlace(multi(g)) {
			m.st.skip(builtup, "landuse=residential around a village place node: rural")
			return
		}
		m.set.Builtup = append(m.set.Builtup, data.Builtup{ID: id, Geom: g, Name: t.Find("name"), Kind: m.opts.BuiltupLanduse[lu]})
	}
	m.tags(layer, id, t)
}

// townshipKind reads a Chinese township's kind from its name's suffix.
func townshipKind(name string) string {
	switch {
	case strings.HasSuffix(name, "街道"), strings.HasSuffix(name, "街道办事处"):
		return "subdistrict"
	case strings.HasSuffix(name, "镇"):
		return "town"
	case strings.HasSuffix(name, "乡"):
		return "township"
	}
	return ""
}

// holdsPlace reports whether a village place node lies in a.
func (m *mapper) holdsPlace(a orb.MultiPolygon) bool {
	b := a.Bound()
	for _, n := range m.places {
		if p := (orb.Point{n.Lon, n.Lat}); b.Contains(p) && planar.MultiPolygonContains(a, p) {
			return true
		}
	}
	return false
}

// structures maps building:material to structure.
var structures = map[string]string{
	"wood": "wood", "timber": "wood", "brick": "brick",
	"concrete": "concrete", "reinforced_concrete": "concrete", "cement_block": "concrete",
	"mixed": "mixed",
}

func (m *mapper) building(id string, g orb.Geometry, t osm.Tags) data.Building {
	b := data.Building{ID: id, Geom: g}
	if s := t.Find("building:levels"); s != "" {
		if n, ok := parseCount(s); ok && n > 0 {
			b.Floors = &n
		} else {
			m.st.assume(buildings, "building:levels unreadable: floors unknown")
		}
	}
	if mat := t.Find("building:material"); mat != "" {
		var ok bool
		if b.Structure, ok = structures[mat]; !ok {
			b.Structure = "mixed"
			m.st.assume(buildings, "building:material=%s: mixed", mat)
		}
	}
	b.Households = m.households(g, t, b.Floors)
	return b
}

// households follows the package comment's rule; every choice but
// building:flats is counted as an assumption.
func (m *mapper) households(g orb.Geometry, t osm.Tags, floors *int) int {
	if s := t.Find("building:flats"); s != "" {
		if n, ok := parseCount(s); ok {
			return n
		}
		m.st.assume(buildings, "building:flats unreadable: households by type")
	}
	ty := t.Find("building")
	if slices.Contains(m.opts.FloorAreaTypes, ty) {
		levels := m.opts.DefaultLevels
		if floors != nil {
			levels = *floors
		} else {
			m.st.assume(buildings, "building=%s without building:levels: %d levels", ty, levels)
		}
		m.st.assume(buildings, "building=%s: households from floor area at %g m2 each", ty, m.opts.FloorAreaPerHouseholdM2)
		return max(1, int(math.Round(sphere.Area(g)*float64(levels)/m.opts.FloorAreaPerHouseholdM2)))
	}
	n, ok := m.opts.Households[ty]
	if !ok {
		n = m.opts.DefaultHouseholds
	}
	m.st.assume(buildings, "building=%s: %d households", ty, n)
	return n
}

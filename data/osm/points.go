package osm

import (
	"maps"
	"slices"
	"strings"

	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
)

const (
	hydrants = data.LayerHydrants
	stations = data.LayerStations
)

// hydrantKinds maps emergency values to hydrant kinds (fire_hydrant's
// own kind comes from fire_hydrant:type).
var hydrantKinds = map[string]string{
	"fire_hydrant": "municipal", "water_tank": "fire_pool", "suction_point": "fire_pool", "fire_water_pond": "fire_pool",
}

// points maps hydrants and stations from nodes, ways and relations. Areas
// go first so that a station's node inside its own area is dropped.
func (m *mapper) points() {
	for _, id := range m.wayIDs {
		w := m.ways[id]
		if isHydrant(w.Tags) || w.Tags.Find("amenity") == "fire_station" {
			g, why := m.wayGeometry(w)
			m.point(wayID(id), g, why, w.Tags)
		}
	}
	for _, r := range m.rels {
		if isHydrant(r.Tags) || r.Tags.Find("amenity") == "fire_station" {
			g, why := m.relArea(r)
			m.point(relID(r.ID), g, why, r.Tags)
		}
	}
	for _, n := range m.tagged {
		m.point(nodeID(n.ID), orb.Point{n.Lon, n.Lat}, "", n.Tags)
	}
}

func isHydrant(t osm.Tags) bool {
	_, ok := hydrantKinds[t.Find("emergency")]
	return ok || t.Find("disused:emergency") == "fire_hydrant"
}

// point adds the hydrant or station an object is, if it is one.
func (m *mapper) point(id string, g orb.Geometry, why string, t osm.Tags) {
	if isHydrant(t) {
		if why != "" {
			m.st.skip(hydrants, "%s", why)
		} else {
			m.hydrant(id, centroid(g), t)
		}
	}
	if t.Find("amenity") != "fire_station" {
		return
	}
	if why != "" {
		m.st.skip(stations, "%s", why)
		return
	}
	if p, ok := g.(orb.Point); ok {
		for _, a := range m.stationAreas {
			if planar.MultiPolygonContains(a, p) {
				m.st.skip(stations, "node inside a mapped station area (the same station)")
				return
			}
		}
	} else if a := multi(g); a != nil {
		m.stationAreas = append(m.stationAreas, a)
	}
	m.station(id, centroid(g), t)
}

// multi returns an area as a MultiPolygon, nil for other geometry.
func multi(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

func (m *mapper) hydrant(id string, p orb.Point, t osm.Tags) {
	h := data.Hydrant{ID: id, Geom: p, Kind: hydrantKinds[t.Find("emergency")], Status: "working"}
	if t.Find("emergency") == "fire_hydrant" || h.Kind == "" { // disused:emergency=fire_hydrant has no emergency tag
		switch ty := t.Find("fire_hydrant:type"); ty {
		case "pillar", "underground", "wall", "pipe":
			h.Kind = "municipal"
		case "pond":
			h.Kind = "natural"
		case "":
			h.Kind = "municipal"
			m.st.assume(hydrants, "fire_hydrant:type missing: municipal")
		default:
			h.Kind = "municipal"
			m.st.assume(hydrants, "fire_hydrant:type=%s unknown: municipal", ty)
		}
	}
	switch op := t.Find("operational_status"); {
	case t.Find("disused:emergency") == "fire_hydrant", t.Find("disused") == "yes", t.Find("out_of_service") == "yes",
		op == "out_of_service", op == "broken", op == "defective":
		h.Status = "broken"
	default:
		m.st.assume(hydrants, "status working: no disused or out_of_service tag")
	}
	m.set.Hydrants = append(m.set.Hydrants, h)
	m.tags(hydrants, id, t)
}

func (m *mapper) station(id string, p orb.Point, t osm.Tags) {
	s := data.Station{ID: id, Geom: p, Name: t.Find("name"), Class: m.opts.StationClass, Status: "active"}
	rule := ""
	for _, kv := range slices.Sorted(maps.Keys(m.opts.StationClassByTag)) {
		k, v, _ := strings.Cut(kv, "=")
		if t.Find(k) == v {
			s.Class, rule = m.opts.StationClassByTag[kv], kv
			break
		}
	}
	if rule == "" {
		m.st.assume(stations, "class %s: the default, no station_class_by_tag rule matched", s.Class)
	} else {
		m.st.assume(stations, "class %s: from %s", s.Class, rule)
	}
	m.set.Stations = append(m.set.Stations, s)
	m.tags(stations, id, t)
}

package osm

import (
	"fmt"

	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
)

const roads = data.LayerRoads

// roadWay is a kept highway way and the attributes its pieces share.
type roadWay struct {
	w    *osm.Way
	road data.Road // without ID and geometry
}

// roads maps highway ways and splits them at shared nodes.
func (m *mapper) roads() {
	var kept []roadWay
	for _, id := range m.wayIDs {
		w := m.ways[id]
		hw := w.Tags.Find("highway")
		if hw == "" {
			continue
		}
		if r, ok := m.road(w, hw); ok {
			kept = append(kept, roadWay{w, r})
		}
	}
	// A node two kept roads share, or one road twice, is a junction.
	uses := map[osm.NodeID]int{}
	for _, k := range kept {
		ns := k.w.Nodes
		if len(ns) > 1 && ns[0].ID == ns[len(ns)-1].ID {
			ns = ns[:len(ns)-1] // a closed way's last node is its first
		}
		for _, n := range ns {
			uses[n.ID]++
		}
	}
	for _, k := range kept {
		m.split(k, uses)
	}
}

// road decides whether a highway way is a road for trucks and maps its
// tags; skipped ways are counted.
func (m *mapper) road(w *osm.Way, hw string) (data.Road, bool) {
	t := w.Tags
	class, ok := m.opts.Classes[hw]
	switch {
	case !ok:
		m.st.skip(roads, "highway=%s: not a road for trucks", hw)
		return data.Road{}, false
	case t.Find("area") == "yes":
		m.st.skip(roads, "area=yes")
		return data.Road{}, false
	}
	if a := t.Find("access"); a == "no" || a == "private" {
		if e := t.Find("emergency"); e != "yes" && e != "designated" {
			m.st.skip(roads, "access=%s", a)
			return data.Road{}, false
		}
	}
	r := data.Road{Class: class, Name: t.Find("name"), Tunnel: flag(t.Find("tunnel")), Bridge: flag(t.Find("bridge"))}
	switch ow := t.Find("oneway"); ow {
	case "yes", "1", "true":
		r.Oneway = data.Forward
	case "-1", "reverse":
		r.Oneway = data.Backward
	case "no", "false", "0":
	case "":
		if j := t.Find("junction"); j == "roundabout" || j == "circular" || hw == "motorway" {
			r.Oneway = data.Forward
		}
	case "reversible", "alternating":
		m.st.assume(roads, "oneway=%s read as two-way", ow)
	default:
		m.st.assume(roads, "oneway=%s unknown, read as two-way", ow)
	}
	for _, k := range []string{"width", "est_width"} {
		if s := t.Find(k); s != "" {
			if v, ok := parseLength(s); ok {
				r.WidthM = &v
				break
			}
			m.st.assume(roads, "%s unreadable: the class width", k)
		}
	}
	if s := t.Find("maxspeed"); s != "" {
		if v, ok := parseSpeed(s); !ok {
			m.st.assume(roads, "maxspeed not a number (a zone like RU:urban, none, walk): the class speed")
		} else if v < m.opts.TruckSpeedKmh[class] {
			r.SpeedKmh = &v
		}
	}
	if s := t.Find("maxheight"); s != "" {
		if v, ok := parseLength(s); ok && v < m.opts.MinClearanceM {
			m.st.assume(roads, "maxheight under %g m: kept (no height field; the tag stays with the source tags)", m.opts.MinClearanceM)
		}
	}
	return r, true
}

// flag reads tunnel and bridge: any value but "no" (yes, culvert,
// building_passage, viaduct ...).
func flag(v string) bool { return v != "" && v != "no" }

// split emits a kept way as roads between junctions; a way cut by the
// extract's edge keeps its runs of nodes inside.
func (m *mapper) split(k roadWay, uses map[osm.NodeID]int) {
	var out []orb.LineString
	var cur orb.LineString
	var prev osm.NodeID
	flush := func() {
		if len(cur) >= 2 {
			out = append(out, cur)
		}
		cur = nil
	}
	missing := false
	for i, n := range k.w.Nodes {
		p, ok := m.nodes[n.ID]
		if !ok {
			missing = true
			flush()
			continue
		}
		if len(cur) > 0 && n.ID == prev {
			continue // a repeated node
		}
		cur, prev = append(cur, p), n.ID
		if i > 0 && i < len(k.w.Nodes)-1 && uses[n.ID] > 1 {
			flush()
			cur = orb.LineString{p}
		}
	}
	flush()
	switch {
	case len(out) == 0:
		m.st.skip(roads, "outside the extract")
		return
	case missing:
		m.st.assume(roads, "cut by the extract's edge: the inside kept")
	}
	for i, l := range out {
		r := k.road
		r.ID, r.Geom = fmt.Sprintf("w%d-%d", k.w.ID, i+1), l
		m.set.Roads = append(m.set.Roads, r)
		m.tags(roads, r.ID, k.w.Tags)
	}
}

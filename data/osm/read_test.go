package osm

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"fireplan/data"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// read maps a file under testdata with opts, collecting the source tags.
func read(t *testing.T, name string, opts Options) (*data.Set, *Stats, map[string]json.RawMessage) {
	t.Helper()
	tags := map[string]json.RawMessage{}
	opts.Tags = func(layer, id string, b json.RawMessage) { tags[layer+"/"+id] = b }
	set, st, err := ReadFile(context.Background(), filepath.Join("testdata", name), opts)
	if err != nil {
		t.Fatal(err)
	}
	return set, st, tags
}

func index[T data.Feature](items []T) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		m[it.FeatureID()] = it
	}
	return m
}

func fp(v float64) *float64 { return &v }
func ip(v int) *int         { return &v }

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	d := *a - *b
	return d < 1e-9 && d > -1e-9
}

func TestRoads(t *testing.T) {
	set, st, tags := read(t, "roads.osm", DefaultOptions())
	roads := index(set.Roads)
	for _, c := range []struct {
		name   string
		id     string
		class  string
		oneway int8
		width  *float64
		speed  *float64
		tunnel bool
		bridge bool
		points int
	}{
		{"one-way pair, before the link", "w10-1", "primary", data.Forward, nil, nil, false, false, 2},
		{"one-way pair, after the link", "w10-2", "primary", data.Forward, nil, nil, false, false, 2},
		{"one-way pair, other carriageway", "w11-1", "primary", data.Forward, nil, nil, false, false, 3},
		{"link takes its base class", "w12-1", "primary", data.TwoWay, nil, nil, false, false, 2},
		{"roundabout to the second approach", "w20-1", "tertiary", data.Forward, nil, nil, false, false, 2},
		{"roundabout back to the first", "w20-2", "tertiary", data.Forward, nil, nil, false, false, 3},
		{"tunnel", "w30-1", "secondary", data.TwoWay, nil, nil, true, false, 2},
		{"bridge=viaduct", "w31-1", "secondary", data.TwoWay, nil, nil, false, true, 2},
		{"oneway=-1", "w40-1", "residential", data.Backward, nil, nil, false, false, 2},
		{"oneway=reversible", "w41-1", "trunk", data.TwoWay, nil, nil, false, false, 2},
		{"unclassified", "w42-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"living_street", "w43-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"service", "w44-1", "service", data.TwoWay, nil, nil, false, false, 2},
		{"track", "w45-1", "track", data.TwoWay, nil, nil, false, false, 2},
		{"motorway implies one-way", "w46-1", "motorway", data.Forward, nil, nil, false, false, 2},
		{"motorway oneway=no", "w47-1", "motorway", data.TwoWay, nil, nil, false, false, 2},
		{"tertiary_link oneway=1", "w48-1", "tertiary", data.Forward, nil, nil, false, false, 2},
		{"access=no, emergency=yes", "w56-1", "service", data.TwoWay, nil, nil, false, false, 2},
		{"width 5 m", "w60-1", "residential", data.TwoWay, fp(5), nil, false, false, 2},
		{"width 16'", "w61-1", "residential", data.TwoWay, fp(16 * 0.3048), nil, false, false, 2},
		{"est_width 12 ft", "w62-1", "residential", data.TwoWay, fp(12 * 0.3048), nil, false, false, 2},
		{"width 3'6\"", "w63-1", "residential", data.TwoWay, fp(3*0.3048 + 6*0.0254), nil, false, false, 2},
		{"width wide", "w64-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"width 4,5", "w65-1", "residential", data.TwoWay, fp(4.5), nil, false, false, 2},
		{"width 7", "w66-1", "residential", data.TwoWay, fp(7), nil, false, false, 2},
		{"maxspeed 20 under residential's 25", "w70-1", "residential", data.TwoWay, nil, fp(20), false, false, 2},
		{"maxspeed 30 mph over primary's 40", "w71-1", "primary", data.TwoWay, nil, nil, false, false, 2},
		{"maxspeed 10 mph", "w72-1", "residential", data.TwoWay, nil, fp(16.09344), false, false, 2},
		{"maxspeed RU:urban", "w73-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"maxspeed 80 over primary's 40", "w74-1", "primary", data.TwoWay, nil, nil, false, false, 2},
		{"maxheight 3.2 kept", "w75-1", "service", data.TwoWay, nil, nil, false, false, 2},
		{"cut by the edge: the run before", "w80-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"cut by the edge: the run after", "w80-2", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"crossing, first half", "w90-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"crossing, second half", "w90-2", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"crossing way, first half", "w91-1", "residential", data.TwoWay, nil, nil, false, false, 2},
		{"crossing way, second half", "w91-2", "residential", data.TwoWay, nil, nil, false, false, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, ok := roads[c.id]
			if !ok {
				t.Fatalf("no road %s", c.id)
			}
			l, _ := r.Geom.(orb.LineString)
			if r.Class != c.class || r.Oneway != c.oneway || !sameFloat(r.WidthM, c.width) || !sameFloat(r.SpeedKmh, c.speed) ||
				r.Tunnel != c.tunnel || r.Bridge != c.bridge || len(l) != c.points {
				t.Errorf("got %+v (%d points)", r, len(l))
			}
			if tags[data.LayerRoads+"/"+c.id] == nil {
				t.Errorf("no source tags")
			}
		})
	}
	for _, id := range []string{"w10-3", "w20-3", "w50-1", "w51-1", "w52-1", "w53-1", "w54-1", "w55-1", "w57-1", "w80-3", "w81-1"} {
		if _, ok := roads[id]; ok {
			t.Errorf("road %s should not be there", id)
		}
	}
	if len(set.Roads) != 39 {
		t.Errorf("%d roads, want 39", len(set.Roads))
	}
	if got := roads["w10-1"].Geom.(orb.LineString)[1]; got != (orb.Point{113.001, 28.001}) {
		t.Errorf("w10 split at %v, not at the link's node", got)
	}
	if got := string(tags["roads/w11-1"]); got != `{"highway":"primary","name":"Dual Road","oneway":"yes"}` {
		t.Errorf("w11 tags %s", got)
	}
	counts(t, st.Skipped, map[Key]int{
		{"roads", "highway=footway: not a road for trucks"}:    1,
		{"roads", "highway=path: not a road for trucks"}:       1,
		{"roads", "highway=cycleway: not a road for trucks"}:   1,
		{"roads", "highway=steps: not a road for trucks"}:      1,
		{"roads", "highway=pedestrian: not a road for trucks"}: 1,
		{"roads", "access=private"}:                            1,
		{"roads", "area=yes"}:                                  1,
		{"roads", "outside the extract"}:                       1,
	})
	counts(t, st.Assumed, map[Key]int{
		{"roads", "oneway=reversible read as two-way"}:                                               1,
		{"roads", "width unreadable: the class width"}:                                               1,
		{"roads", "maxspeed not a number (a zone like RU:urban, none, walk): the class speed"}:       1,
		{"roads", "maxheight under 4 m: kept (no height field; the tag stays with the source tags)"}: 1,
		{"roads", "cut by the extract's edge: the inside kept"}:                                      1,
	})
}

// counts checks that m holds exactly want.
func counts(t *testing.T, m, want map[Key]int) {
	t.Helper()
	for k, n := range want {
		if m[k] != n {
			t.Errorf("%s: %q counted %d, want %d", k.Layer, k.Rule, m[k], n)
		}
	}
	for k, n := range m {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %q counted %d, not expected", k.Layer, k.Rule, n)
		}
	}
}

func TestHydrantsAndStations(t *testing.T) {
	opts := DefaultOptions()
	opts.StationClassByTag = map[string]string{"fire_station:type=professional": "township_fulltime"}
	set, st, tags := read(t, "points.osm", opts)
	hs := index(set.Hydrants)
	for _, c := range []struct{ id, kind, status string }{
		{"n201", "municipal", "working"}, {"n202", "municipal", "working"}, {"n203", "municipal", "working"},
		{"n204", "municipal", "working"}, {"n205", "natural", "working"}, {"n206", "municipal", "working"},
		{"n207", "municipal", "broken"}, {"n208", "municipal", "broken"}, {"n209", "municipal", "broken"},
		{"n210", "municipal", "broken"}, {"n211", "fire_pool", "working"}, {"n212", "fire_pool", "working"},
		{"n213", "fire_pool", "working"}, {"n214", "municipal", "working"}, {"w320", "fire_pool", "working"},
	} {
		t.Run("hydrant "+c.id, func(t *testing.T) {
			h, ok := hs[c.id]
			if !ok || h.Kind != c.kind || h.Status != c.status || tags["hydrants/"+c.id] == nil {
				t.Errorf("got %+v (found %v), want %s %s", h, ok, c.kind, c.status)
			}
		})
	}
	if at := hs["n205"].Geom; at != (orb.Point{113.0015, 28.01}) {
		t.Errorf("hydrant n205 at %v", at)
	}
	if at := hs["w320"].Geom; planar.Distance(at, orb.Point{113.0501, 28.0501}) > 1e-9 {
		t.Errorf("water tank w320 at %v, not its centroid", at)
	}
	if len(set.Hydrants) != 15 {
		t.Errorf("%d hydrants, want 15 (not the emergency=phone)", len(set.Hydrants))
	}
	ss := index(set.Stations)
	for _, c := range []struct {
		id, name, class string
		at              orb.Point
	}{
		{"w300", "East Station", "volunteer", orb.Point{113.0205, 28.0205}},
		{"n302", "Town Brigade", "township_fulltime", orb.Point{113.03, 28.03}},
		{"r311", "North Station", "volunteer", orb.Point{113.041, 28.041}},
	} {
		t.Run("station "+c.id, func(t *testing.T) {
			s, ok := ss[c.id]
			if !ok || s.Name != c.name || s.Class != c.class || s.Status != "active" || planar.Distance(s.Geom, c.at) > 1e-9 {
				t.Errorf("got %+v (found %v)", s, ok)
			}
		})
	}
	if len(set.Stations) != 3 {
		t.Errorf("%d stations, want 3 (the node inside East Station's area is the same)", len(set.Stations))
	}
	counts(t, st.Skipped, map[Key]int{{"stations", "node inside a mapped station area (the same station)"}: 1})
	counts(t, st.Assumed, map[Key]int{
		{"hydrants", "fire_hydrant:type missing: municipal"}:                               1,
		{"hydrants", "fire_hydrant:type=column unknown: municipal"}:                        1,
		{"hydrants", "status working: no disused or out_of_service tag"}:                   11,
		{"stations", "class volunteer: the default, no station_class_by_tag rule matched"}: 2,
		{"stations", "class township_fulltime: from fire_station:type=professional"}:       1,
		{"buildings", "building=fire_station: 0 households"}:                               1,
	})
	if len(set.Buildings) != 1 {
		t.Errorf("the station's area is also a building: %d buildings", len(set.Buildings))
	}
}

func TestBuildings(t *testing.T) {
	set, st, tags := read(t, "buildings.osm", DefaultOptions())
	bs := index(set.Buildings)
	for _, c := range []struct {
		name       string
		id         string
		households int
		structure  string
		floors     *int
		rings      []int // rings per polygon
	}{
		{"house", "w400", 1, "wood", nil, []int{1}},
		// 0.0002 x 0.0002 degrees at 28 N: 22.2 x 19.6 m = 435 m2, x 6 / 100.
		{"apartments by floor area", "w401", 26, "concrete", ip(6), []int{1}},
		{"building:flats", "w402", 8, "brick", nil, []int{1}},
		{"garage", "w403", 0, "concrete", nil, []int{1}},
		{"building=yes", "w404", 1, "wood", ip(2), []int{1}},
		{"stone is mixed", "w405", 1, "mixed", nil, []int{1}},
		// 0.0006 square less the 0.0002 hole: 3,915 - 435 m2, x 4 / 100.
		{"multipolygon with a hole", "r412", 140, "", ip(4), []int{2}},
		{"two outers", "r422", 0, "", nil, []int{1, 1}},
		{"ring joined from two ways", "r432", 1, "", nil, []int{1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, ok := bs[c.id]
			if !ok {
				t.Fatalf("no building %s", c.id)
			}
			if b.Households != c.households || b.Structure != c.structure || (b.Floors == nil) != (c.floors == nil) ||
				(b.Floors != nil && *b.Floors != *c.floors) {
				t.Errorf("got %+v", b)
			}
			var polys orb.MultiPolygon
			switch g := b.Geom.(type) {
			case orb.Polygon:
				polys = orb.MultiPolygon{g}
			case orb.MultiPolygon:
				polys = g
			}
			if len(polys) != len(c.rings) {
				t.Fatalf("%d polygons, want %d", len(polys), len(c.rings))
			}
			for i, p := range polys {
				if len(p) != c.rings[i] {
					t.Errorf("polygon %d has %d rings, want %d", i, len(p), c.rings[i])
				}
				for j, r := range p {
					if want := map[bool]orb.Orientation{true: orb.CCW, false: orb.CW}[j == 0]; r.Orientation() != want || !r.Closed() {
						t.Errorf("ring %d: orientation %v, closed %v", j, r.Orientation(), r.Closed())
					}
				}
			}
			if tags["buildings/"+c.id] == nil {
				t.Errorf("no source tags")
			}
		})
	}
	if len(set.Buildings) != 9 {
		t.Errorf("%d buildings, want 9", len(set.Buildings))
	}
	counts(t, st.Skipped, map[Key]int{
		{"buildings", "way: open way"}: 1,
		{"buildings", "relation: ring not closed (a member cut by the extract's edge?)"}: 1,
	})
	if n := st.Assumed[Key{"buildings", "building:material=stone: mixed"}]; n != 1 {
		t.Errorf("stone counted %d times", n)
	}
}

func TestPlaces(t *testing.T) {
	set, st, _ := read(t, "places.osm", DefaultOptions())
	vs := index(set.Villages)
	if len(set.Villages) != 3 {
		t.Fatalf("villages %+v", set.Villages)
	}
	hull := vs["n501"].Geom.(orb.Polygon)
	for _, id := range []string{"w510", "w511", "w512"} {
		b := index(set.Buildings)[id]
		if !planar.PolygonContains(hull, b.Geom.(orb.Polygon)[0][0]) {
			t.Errorf("village Lijia's hull %v misses %s", hull, id)
		}
	}
	if far := index(set.Buildings)["w513"].Geom.(orb.Polygon)[0][0]; planar.PolygonContains(hull, far) {
		t.Errorf("the far house is in the village")
	}
	circle := vs["n502"].Geom.(orb.Polygon)
	if a := planar.Area(circle); a < 0.0000095 || a > 0.000013 { // pi x 200 m squared in square degrees at 28 N
		t.Errorf("the hamlet's circle has area %g square degrees", a)
	}
	for id, name := range map[string]string{"n501": "Lijia", "n502": "Wangwu", "w520": "Zhou farm"} {
		if v := vs[id]; v.Name != name || v.TownshipID != "r532" {
			t.Errorf("village %s: %+v", id, v)
		}
	}
	if len(set.Townships) != 1 || set.Townships[0].ID != "r532" || set.Townships[0].Kind != "town" || set.Townships[0].Name != "石门镇" {
		t.Errorf("townships %+v", set.Townships)
	}
	bu := index(set.Builtup)
	if len(bu) != 2 || bu["w540"].Kind != "" || bu["w540"].Name != "Town centre" || bu["w541"].Kind != "industrial" {
		t.Errorf("built-up %+v", set.Builtup)
	}
	counts(t, st.Skipped, map[Key]int{
		{"villages", "place node inside a mapped village area (the same village)"}: 1,
		{"builtup", "landuse=residential around a village place node: rural"}:      1,
	})
	for _, k := range []Key{
		{"villages", "place=village node: the hull of its buildings within 500 m"},
		{"villages", "place=hamlet node without buildings around: a circle of 200 m"},
		{"townships", "fulltime_brigade false: OSM does not say"},
	} {
		if st.Assumed[k] != 1 {
			t.Errorf("%v counted %d", k, st.Assumed[k])
		}
	}
}

// TestGzipXMLReadsLikeXML reads a file gzipped and plain.
func TestGzipXMLReadsLikeXML(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "roads.osm"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(raw)
	w.Close()
	a, _, err := Read(context.Background(), bytes.NewReader(raw), XML, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Read(context.Background(), &gz, GzipXML, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Roads) == 0 || data.NewSnapshot(a, "", nil).Version != data.NewSnapshot(b, "", nil).Version {
		t.Errorf("gzipped XML read differently")
	}
}

func TestFormatOf(t *testing.T) {
	for _, c := range []struct {
		name string
		want Format
		err  bool
	}{{"a.osm.pbf", PBF, false}, {"A.OSM", XML, false}, {"a.osm.gz", GzipXML, false}, {"a.geojson", 0, true}} {
		if got, err := FormatOf(c.name); got != c.want || (err != nil) != c.err {
			t.Errorf("FormatOf(%q) = %v, %v", c.name, got, err)
		}
	}
}

func TestBadOptions(t *testing.T) {
	opts := DefaultOptions()
	opts.StationClass = "fulltime"
	opts.Classes["road"] = "unknown"
	if _, _, err := Read(context.Background(), bytes.NewReader(nil), XML, opts); err == nil {
		t.Fatal("bad options accepted")
	}
}

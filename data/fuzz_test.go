package data

import (
	"encoding/binary"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"

	"fireplan/geo/datum"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/project"
)

// configProblem is how every problem a config check reports begins: with
// the path of the key at fault.
var configProblem = regexp.MustCompile(`^config: (unknown layer "|unknown key ("|[^\s:.])|layers\.|params\.|("|[^\s:.]).* is given twice)`)

// FuzzConfig reads fuzzed config files as LoadConfig does, then asks for
// everything serving and loading ask of a config: nothing panics, and every
// problem reported names the path of its key.
func FuzzConfig(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"schema": "gis"}`,
		`{"layers": {"hydrants": {"table": "xhs", "id": "gid", "geom": "the_geom", "srid": 4490, "datum": "gcj02",
			"columns": {"status": "zt", "flow_lps": "ll::numeric / 60", "kind": null},
			"const": {"kind": "municipal"}, "defaults": {"status": "working"},
			"values": {"status": {"完好": "working", "损坏": "broken", "*": "unknown"}}, "where": "deleted = false"}}}`,
		`{"layers": {"villages": null, "roads": {"colums": {}}, "castles": {}}}`,
		`{"layers": {"buildings": {"defaults": {"households": "two"}, "const": {"floors": [1]}}}}`,
		`{"layers": {"stations": {"srid": -1, "datum": "tokyo", "values": {"class": {"*": null}}}}}`,
		`{"layers": {"roads": {"const": {"class": null}, "columns": {"class": "c"}, "values": {"class": {"a": "trunk"}}}}}`,
		`{"layers": {"roads": {"values": {"oneway": {"yes": true, "-1": "backward", "x": 3}}}}}`,
		`{"params": {"households_per_building": 2.5, "max_distance_km": "far", "builtup_gap_m": -1, "builtup_min_area_m2": 1e400}}`,
		`{"params": {"max_distance_km": 0, "builtup_gap_m": 0}}`,
		`{"schema": "a", "schema": "b", "layers": {"roads": {"table": "r", "table": "s"}}}`,
		`{"layers": {"roads": {"columns": {"name": ""}}}, "layers": {}}`,
		`{"layers": [1, 2]}`, `{"params": []}`, `{"layers": {"roads": []}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var c Config
		keys, err := decodeConfig(strings.NewReader(raw), &c)
		if err != nil {
			return // LoadConfig names the file with the syntax or type error
		}
		errs := []error{keys, c.Check()}
		_, oerr := c.Options()
		errs = append(errs, oerr)
		for _, name := range LayerNames() {
			if tc := c.Layer(name); tc != nil {
				s, _ := SchemaOf(name)
				_, cerrs := tc.compile(s, c.Params)
				errs = append(errs, cerrs...)
			}
		}
		if err := errors.Join(errs...); err != nil {
			for _, l := range strings.Split(err.Error(), "\n") {
				if !configProblem.MatchString(l) {
					t.Fatalf("%s: problem %q names no key", raw, l)
				}
			}
		}
	})
}

// FuzzGeometry decodes fuzzed WKB as a layer's rows from PostGIS are
// decoded (an optional datum conversion, a lone point of a MultiPoint
// unwrapped) and checks it for every kind of layer. Nothing panics, and a
// geometry CheckGeometry accepts keeps its promises: of a type the layer
// takes, not empty, finite lon/lat in range, lines of two or more points
// and some length, rings closed with four or more points.
func FuzzGeometry(f *testing.F) {
	ring := orb.Ring{{111, 27}, {111.01, 27}, {111.01, 27.01}, {111, 27.01}, {111, 27}}
	for _, g := range []orb.Geometry{
		orb.Point{111.5, 27.2}, orb.Point{math.NaN(), 27}, orb.Point{math.Inf(1), 0}, orb.Point{181, 0},
		orb.MultiPoint{{111.5, 27.2}}, orb.MultiPoint{{111.5, 27.2}, {111.6, 27.2}}, orb.MultiPoint{},
		orb.LineString{{111, 27}, {111.1, 27.1}}, orb.LineString{{111, 27}}, orb.LineString{{111, 27}, {111, 27}},
		orb.MultiLineString{{{111, 27}, {111.1, 27.1}}, {}},
		orb.Polygon{ring}, orb.Polygon{ring[:4]}, orb.Polygon{ring, orb.Ring{}}, orb.Polygon{},
		orb.MultiPolygon{{ring}, {ring[:3]}}, orb.Collection{orb.Point{111, 27}}, orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{2, 2}},
	} {
		b, err := wkb.Marshal(g)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
		be, _ := wkb.Marshal(g, binary.BigEndian)
		f.Add(be, uint8(1))
	}
	// An EWKB point with an SRID, as ST_AsEWKB writes it.
	f.Add([]byte{0x01, 0x01, 0x00, 0x00, 0x20, 0xe6, 0x10, 0x00, 0x00, 0, 0, 0, 0, 0, 0xe0, 0x5b, 0x40, 0, 0, 0, 0, 0, 0x33, 0x3b, 0x40}, uint8(2))
	// A line claiming 2^32-1 points.
	f.Add([]byte{0x01, 0x02, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff}, uint8(0))
	kinds := []GeomKind{PointGeom, LineGeom, PolygonGeom, PointOrPolygonGeom}
	f.Fuzz(func(t *testing.T, raw []byte, dat uint8) {
		if len(raw) > 1<<16 {
			return // bigger inputs only slow the search
		}
		g, rerr := decodeGeometry(raw, false)
		if rerr != nil || g == nil {
			return
		}
		if d := datum.Datum(dat % 3); d != datum.WGS84 {
			g = project.Geometry(g, d.ToWGS84)
		}
		if mp, ok := g.(orb.MultiPoint); ok && len(mp) == 1 {
			g = mp[0]
		}
		for _, k := range kinds {
			if err := CheckGeometry(k, g); err != nil {
				if err.Reason == "" || err.Detail == "" {
					t.Fatalf("%x as %s: a refusal without a reason: %+v", raw, k, err)
				}
				continue
			}
			if msg := brokenPromise(k, g); msg != "" {
				t.Fatalf("%x as %s: CheckGeometry accepts %v: %s", raw, k, g, msg)
			}
		}
	})
}

// brokenPromise says which of CheckGeometry's promises g breaks as kind k.
func brokenPromise(k GeomKind, g orb.Geometry) string {
	var lines []orb.LineString
	var rings []orb.Ring
	var pts []orb.Point
	switch g := g.(type) {
	case orb.Point:
		if k == LineGeom || k == PolygonGeom {
			return "a point"
		}
		pts = []orb.Point{g}
	case orb.LineString:
		if k != LineGeom {
			return "a line"
		}
		lines = []orb.LineString{g}
	case orb.MultiLineString:
		if k != LineGeom {
			return "lines"
		}
		lines = g
	case orb.Polygon:
		if k == PointGeom || k == LineGeom {
			return "a polygon"
		}
		rings = g
	case orb.MultiPolygon:
		if k == PointGeom || k == LineGeom {
			return "polygons"
		}
		for _, p := range g {
			rings = append(rings, p...)
		}
	default:
		return "a " + g.GeoJSONType()
	}
	for _, l := range lines {
		if len(l) < 2 {
			return "a line of fewer than 2 points"
		}
		if !(geoLength(l) > 0) {
			return "a line of no length"
		}
		pts = append(pts, l...)
	}
	for _, r := range rings {
		if len(r) < 4 || r[0] != r[len(r)-1] {
			return "a ring not closed or of fewer than 4 points"
		}
		pts = append(pts, r...)
	}
	if len(pts) == 0 {
		return "no coordinates"
	}
	for _, p := range pts {
		if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
			return "a coordinate outside lon/lat or not finite"
		}
	}
	return ""
}

package export

import (
	"encoding/json"
	"math"
	"strconv"

	"fireplan/coverage"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// appendFeature appends row i of t as the GeoJSON feature Feature(t, i).
func appendFeature(b []byte, t *coverage.Table, i int) ([]byte, error) {
	return AppendFeature(b, Feature(t, i))
}

// AppendFeature appends f as json.Marshal writes it, byte for byte, writing
// the coordinates itself: the reflection and re-compaction of nested
// marshalers spent 80% of a list of large polygons (5.8 MB for the
// coverage gaps' first page at 20 counties). What it does not write itself
// (a bbox, extra members) goes through json.Marshal.
func AppendFeature(b []byte, f *geojson.Feature) ([]byte, error) {
	if f.BBox != nil || len(f.ExtraMembers) > 0 {
		j, err := json.Marshal(f)
		return append(b, j...), err
	}
	props, err := json.Marshal(f.Properties)
	if err != nil {
		return nil, err
	}
	if len(props) <= 2 { // {} is null, as orb writes it
		props = []byte("null")
	}
	b = append(b, '{')
	if f.ID != nil {
		id, err := json.Marshal(f.ID)
		if err != nil {
			return nil, err
		}
		b = append(b, `"id":`...)
		b = append(b, id...)
		b = append(b, ',')
	}
	b = append(b, `"type":"Feature","geometry":`...)
	if b, err = appendGeometry(b, f.Geometry); err != nil {
		return nil, err
	}
	b = append(b, `,"properties":`...)
	b = append(b, props...)
	return append(b, '}'), nil
}

// appendGeometry appends g as orb's geojson writes it; types and empty
// geometries this does not write itself go through orb.
func appendGeometry(b []byte, g orb.Geometry) ([]byte, error) {
	var typ string
	var coords func([]byte) []byte
	switch g := g.(type) {
	case nil:
		return append(b, "null"...), nil
	case orb.Point:
		typ, coords = "Point", func(b []byte) []byte { return appendPoint(b, g) }
	case orb.LineString:
		typ, coords = "LineString", func(b []byte) []byte { return appendEach(b, g, appendPoint) }
	case orb.Polygon:
		typ, coords = "Polygon", func(b []byte) []byte { return appendEach(b, g, appendRing) }
	case orb.MultiPoint:
		typ, coords = "MultiPoint", func(b []byte) []byte { return appendEach(b, g, appendPoint) }
	case orb.MultiLineString:
		typ, coords = "MultiLineString", func(b []byte) []byte { return appendEach(b, g, appendLine) }
	case orb.MultiPolygon:
		typ, coords = "MultiPolygon", func(b []byte) []byte { return appendEach(b, g, appendPolygon) }
	}
	if coords == nil || !fullDepth(g) {
		j, err := json.Marshal(geojson.NewGeometry(g))
		return append(b, j...), err
	}
	b = append(b, `{"type":"`...)
	b = append(b, typ...)
	b = append(b, `","coordinates":`...)
	b = coords(b)
	return append(b, '}'), nil
}

// fullDepth tells whether g has no nil slice at any level, which
// encoding/json writes as null: those go through orb.
func fullDepth(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return finite(g)
	case orb.LineString:
		return g != nil && allFinite(g)
	case orb.MultiPoint:
		return g != nil && allFinite(g)
	case orb.Polygon:
		for _, r := range g {
			if r == nil || !allFinite(r) {
				return false
			}
		}
		return g != nil
	case orb.MultiLineString:
		for _, l := range g {
			if l == nil || !allFinite(l) {
				return false
			}
		}
		return g != nil
	case orb.MultiPolygon:
		for _, p := range g {
			if !fullDepth(p) {
				return false
			}
		}
		return g != nil
	}
	return false
}

// finite: encoding/json refuses NaN and infinities; orb then reports it.
func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

func allFinite(ps []orb.Point) bool {
	for _, p := range ps {
		if !finite(p) {
			return false
		}
	}
	return true
}

// appendEach appends xs as a JSON array, each written by f.
func appendEach[T any](b []byte, xs []T, f func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for k, x := range xs {
		if k > 0 {
			b = append(b, ',')
		}
		b = f(b, x)
	}
	return append(b, ']')
}

func appendLine(b []byte, l orb.LineString) []byte { return appendEach(b, l, appendPoint) }
func appendRing(b []byte, r orb.Ring) []byte       { return appendEach(b, r, appendPoint) }
func appendPolygon(b []byte, p orb.Polygon) []byte { return appendEach(b, p, appendRing) }

func appendPoint(b []byte, p orb.Point) []byte {
	b = append(b, '[')
	b = appendFloat(b, p[0])
	b = append(b, ',')
	b = appendFloat(b, p[1])
	return append(b, ']')
}

// appendFloat writes f as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	abs, fmt := math.Abs(f), byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmt = 'e'
	}
	b = strconv.AppendFloat(b, f, fmt, -1, 64)
	if fmt == 'e' { // e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

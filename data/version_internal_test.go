package data

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// refHash writes f as hashTo should, from its Properties map in schema
// order: the slow, obviously complete way.
func refHash(t *testing.T, h *contentHasher, s Schema, f Feature) {
	t.Helper()
	props := f.Properties()
	if len(props) != len(s.Fields) {
		t.Fatalf("%s: Properties has %d values, the schema %d fields", s.Name, len(props), len(s.Fields))
	}
	h.str(f.FeatureID())
	for _, fl := range s.Fields {
		v, ok := props[fl.Name]
		if !ok {
			t.Fatalf("%s: Properties lacks %s", s.Name, fl.Name)
		}
		switch v := v.(type) {
		case nil:
			h.buf = append(h.buf, tagNil)
		case string:
			h.str(v)
		case int:
			h.int(v)
		case float64:
			h.float(v)
		case bool:
			h.boolean(v)
		default:
			t.Fatalf("%s.%s: a %T; teach contentHasher and this test about it", s.Name, fl.Name, v)
		}
	}
	h.geometry(f.Geometry())
}

// fill sets every field of the struct v points to from variant k, so two
// variants differ in every field.
func fill(t *testing.T, f reflect.Value, k int) {
	t.Helper()
	x := float64(k)
	switch f.Interface().(type) {
	case string:
		f.SetString(fmt.Sprint("v", k))
	case int:
		f.SetInt(int64(k + 1))
	case int8: // one-way: -1, 0, 1
		f.SetInt(int64(k%3 - 1))
	case bool:
		f.SetBool(k%2 == 1)
	case *float64:
		f.Set(reflect.ValueOf(&x))
	case *int:
		n := k + 10
		f.Set(reflect.ValueOf(&n))
	case orb.Point:
		f.Set(reflect.ValueOf(orb.Point{111 + x/100, 27}))
	case orb.Geometry, nil:
		f.Set(reflect.ValueOf(orb.Polygon{{{111, 27}, {111 + x/100, 27}, {111, 27.01}, {111, 27}}}))
	default:
		t.Fatalf("field of type %s: teach hashTo and this test about it", f.Type())
	}
}

func variant[T hashedFeature](t *testing.T, k int) T {
	var x T
	v := reflect.ValueOf(&x).Elem()
	for i := range v.NumField() {
		fill(t, v.Field(i), k)
	}
	return x
}

func checkFeatureHash[T hashedFeature](t *testing.T, layer string) {
	s, _ := SchemaOf(layer)
	encode := func(f T) []byte {
		h := newContentHasher(64)
		f.hashTo(h)
		return h.buf
	}
	var zero T
	for _, f := range []T{zero, variant[T](t, 1), variant[T](t, 2)} {
		ref := newContentHasher(64)
		refHash(t, ref, s, f)
		if got := encode(f); !bytes.Equal(got, ref.buf) {
			t.Errorf("%+v:\nhashTo     %x\nProperties %x", f, got, ref.buf)
		}
	}
	// Every field counts: change one at a time.
	base := variant[T](t, 1)
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		x := base
		fill(t, reflect.ValueOf(&x).Elem().Field(i), 2)
		if bytes.Equal(encode(x), encode(base)) {
			t.Errorf("changing %s.%s leaves the hash as it was", typ.Name(), typ.Field(i).Name)
		}
	}
}

func TestFeatureHashMatchesProperties(t *testing.T) {
	for _, tc := range []struct {
		layer string
		check func(*testing.T, string)
	}{
		{LayerHydrants, checkFeatureHash[Hydrant]},
		{LayerStations, checkFeatureHash[Station]},
		{LayerRoads, checkFeatureHash[Road]},
		{LayerBuildings, checkFeatureHash[Building]},
		{LayerVillages, checkFeatureHash[Village]},
		{LayerDistricts, checkFeatureHash[District]},
		{LayerFireLanes, checkFeatureHash[FireLane]},
		{LayerTownships, checkFeatureHash[Township]},
		{LayerBuiltup, checkFeatureHash[Builtup]},
	} {
		t.Run(tc.layer, func(t *testing.T) { tc.check(t, tc.layer) })
	}
	if len(Schemas) != 9 {
		t.Errorf("%d layers: add the new one to contentVersion and here", len(Schemas))
	}
}

// TestGeometryHashTellsShapesApart: the same coordinates in another shape
// or split another way hash differently.
func TestGeometryHashTellsShapesApart(t *testing.T) {
	a, b, c := orb.Point{1, 2}, orb.Point{3, 4}, orb.Point{5, 6}
	geoms := []struct {
		name string
		g    orb.Geometry
	}{
		{"nil", nil},
		{"point", a},
		{"multipoint", orb.MultiPoint{a}},
		{"line", orb.LineString{a, b, c}},
		{"line reversed", orb.LineString{c, b, a}},
		{"multiline 1", orb.MultiLineString{{a, b, c}}},
		{"multiline 2+1", orb.MultiLineString{{a, b}, {c}}},
		{"multiline 1+2", orb.MultiLineString{{a}, {b, c}}},
		{"ring", orb.Ring{a, b, c, a}},
		{"polygon", orb.Polygon{{a, b, c, a}}},
		{"multipolygon", orb.MultiPolygon{{{a, b, c, a}}}},
		{"negative zero", orb.Point{math.Copysign(0, -1), 2}},
		{"zero", orb.Point{0, 2}},
	}
	seen := map[string]string{}
	for _, g := range geoms {
		h := newContentHasher(64)
		h.geometry(g.g)
		if other, dup := seen[string(h.buf)]; dup {
			t.Errorf("%s and %s encode alike", g.name, other)
		}
		seen[string(h.buf)] = g.name
	}
}

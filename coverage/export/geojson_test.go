package export

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand"
	"testing"

	"fireplan/coverage"
	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// TestFeatureBytesAsOrbWritesThem: every feature written is, byte for byte,
// what json.Marshal of orb's geojson feature gives: for every row of every
// map table of the sample county at its defaults, and for random geometries
// of every type, coordinates that encoding/json writes with an exponent,
// empty and nil parts.
func TestFeatureBytesAsOrbWritesThem(t *testing.T) {
	check := func(name string, tb *coverage.Table) {
		t.Helper()
		for i := range tb.Len() {
			want, werr := json.Marshal(Feature(tb, i))
			got, gerr := appendFeature(nil, tb, i)
			if (werr != nil) != (gerr != nil) || werr == nil && !bytes.Equal(got, want) {
				t.Fatalf("%s row %d:\n got %s (%v)\nwant %s (%v)", name, i, got, gerr, want, werr)
			}
		}
	}

	snap := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "test", nil)
	cat, err := coverage.New(response.DefaultParams(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for _, e := range cat.Entries {
		if e.Geometry == "" || !e.Analysis() {
			continue
		}
		tb, err := cat.Table(context.Background(), e, snap, e.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		check(e.Name, tb)
		tables++
	}
	if tables < 5 {
		t.Fatalf("%d map tables compared", tables)
	}

	// Near the origin of a projection centred on (0, 0), a few millimetres
	// are 1e-8 degrees: encoding/json writes those with an exponent.
	rng := rand.New(rand.NewSource(3))
	pt := func() orb.Point {
		s := []float64{1e-3, 1, 1e3, 1e5}[rng.Intn(4)]
		return orb.Point{(rng.Float64() - 0.5) * s, (rng.Float64() - 0.5) * s}
	}
	line := func(n int) orb.LineString {
		l := make(orb.LineString, n)
		for k := range l {
			l[k] = pt()
		}
		return l
	}
	ring := func() orb.Ring { r := orb.Ring(line(3 + rng.Intn(5))); return append(r, r[0]) }
	tb := &coverage.Table{Columns: []coverage.Column{{Name: "n", Type: "integer"}}, Proj: geo.NewProjection(orb.Point{0, 0})}
	geoms := []orb.Geometry{orb.Point{0, 0}, orb.LineString{}, orb.Polygon{}, orb.Polygon{nil}, orb.MultiPolygon{{}},
		orb.Ring{{0, 0}, {1, 0}, {0, 1}, {0, 0}}, orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{5, 5}},
		orb.Collection{orb.Point{1, 1}, orb.LineString{{0, 0}, {2, 2}}}}
	for range 300 {
		switch rng.Intn(6) {
		case 0:
			geoms = append(geoms, pt())
		case 1:
			geoms = append(geoms, line(2+rng.Intn(6)))
		case 2:
			geoms = append(geoms, orb.Polygon{ring(), ring()})
		case 3:
			geoms = append(geoms, orb.MultiPoint(line(1+rng.Intn(4))))
		case 4:
			geoms = append(geoms, orb.MultiLineString{line(2), line(3)})
		case 5:
			geoms = append(geoms, orb.MultiPolygon{{ring()}, {ring(), ring()}})
		}
	}
	for i, g := range geoms {
		tb.Add(string(rune('a'+i%26))+"<&>", g, i)
	}
	check("random", tb)
	exp := 0
	for i := range tb.Len() {
		if b, _ := appendFeature(nil, tb, i); bytes.Contains(b, []byte("e-")) {
			exp++
		}
	}
	if exp == 0 {
		t.Fatal("no coordinate written with an exponent: that case went untested")
	}
}

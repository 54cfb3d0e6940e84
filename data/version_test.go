package data_test

import (
	"math"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
)

func fp(f float64) *float64 { return &f }
func ip(i int) *int         { return &i }

// smallSet is a tiny county with an item in most layers; each call returns
// fresh values, so a case may change them.
func smallSet() *data.Set {
	sq := func(x, y, d float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	return &data.Set{
		Hydrants: []data.Hydrant{
			{ID: "h1", Geom: orb.Point{111.470, 27.230}, Kind: "municipal", Status: "working", FlowLPS: fp(15)},
			{ID: "h2", Geom: orb.Point{111.471, 27.231}, Kind: "fire_pool", Status: "broken", InstalledYear: ip(2009)},
		},
		Stations: []data.Station{{ID: "s1", Geom: orb.Point{111.472, 27.229}, Name: "城关", Class: "urban1", Status: "active"}},
		Roads: []data.Road{
			{ID: "r1", Geom: orb.LineString{{111.469, 27.230}, {111.473, 27.230}}, Class: "primary", WidthM: fp(12), Name: "人民路"},
			{ID: "r2", Geom: orb.MultiLineString{{{111.470, 27.229}, {111.470, 27.232}}}, Class: "service", Oneway: data.Forward},
		},
		Buildings: []data.Building{
			{ID: "b1", Geom: sq(111.4702, 27.2302, 0.0001), Households: 2, Structure: "brick", Floors: ip(3)},
			{ID: "b2", Geom: orb.Point{111.4712, 27.2305}, Households: 1},
		},
		Villages:  []data.Village{{ID: "v1", Geom: sq(111.46, 27.22, 0.02), Name: "上湾", TownshipID: "t1", Households: ip(120)}},
		Districts: []data.District{{ID: "d1", Geom: sq(111.469, 27.229, 0.002), Name: "老街", BuiltYear: ip(1988)}},
		FireLanes: []data.FireLane{{ID: "f1", Geom: orb.LineString{{111.4695, 27.2295}, {111.4705, 27.2295}}, DistrictID: "d1",
			WidthM: fp(3.5), Status: "marked"}},
		Townships: []data.Township{{ID: "t1", Geom: sq(111.45, 27.21, 0.05), Name: "白沙", County: "示例县", Kind: "town",
			FulltimeBrigade: true}},
	}
}

func TestVersionIsAHashOfTheContent(t *testing.T) {
	base := data.NewSnapshot(smallSet(), "test", nil).Version
	nudge := func(f float64) float64 { return math.Nextafter(f, math.Inf(1)) } // one ulp
	for _, tc := range []struct {
		name   string
		source string
		change func(s *data.Set)
		same   bool
	}{
		{name: "same content", same: true},
		{name: "another source", source: "postgis public.x", same: true},
		{name: "a skipped duplicate row", change: func(s *data.Set) {
			s.Roads = append(s.Roads, data.Road{ID: "r1", Geom: orb.LineString{{1, 1}, {2, 2}}, Class: "track"})
		}, same: true},
		{name: "a row skipped for bad geometry", change: func(s *data.Set) {
			s.Hydrants = append(s.Hydrants, data.Hydrant{ID: "h9", Geom: orb.Point{math.NaN(), 0}, Kind: "natural", Status: "working"})
		}, same: true},

		{name: "text attribute", change: func(s *data.Set) { s.Hydrants[1].Status = "working" }},
		{name: "optional text from empty", change: func(s *data.Set) { s.Roads[1].Name = "x" }},
		{name: "float attribute by one ulp", change: func(s *data.Set) { *s.Roads[0].WidthM = nudge(12) }},
		{name: "null float attribute set", change: func(s *data.Set) { s.Hydrants[1].FlowLPS = fp(0) }},
		{name: "float attribute to null", change: func(s *data.Set) { s.Hydrants[0].FlowLPS = nil }},
		{name: "int attribute", change: func(s *data.Set) { s.Buildings[0].Households = 3 }},
		{name: "optional int attribute", change: func(s *data.Set) { *s.Districts[0].BuiltYear = 1989 }},
		{name: "bool attribute", change: func(s *data.Set) { s.Townships[0].FulltimeBrigade = false }},
		{name: "id", change: func(s *data.Set) { s.Stations[0].ID = "s2" }},
		{name: "point coordinate by one ulp", change: func(s *data.Set) { s.Hydrants[0].Geom[1] = nudge(27.230) }},
		{name: "polygon vertex by one ulp", change: func(s *data.Set) {
			p := s.Buildings[0].Geom.(orb.Polygon)
			p[0][2][0] = nudge(p[0][2][0])
		}},
		{name: "line vertex", change: func(s *data.Set) { s.FireLanes[0].Geom.(orb.LineString)[1][0] = 111.4706 }},
		{name: "line as a multiline", change: func(s *data.Set) {
			s.Roads[0].Geom = orb.MultiLineString{s.Roads[0].Geom.(orb.LineString)}
		}},
		{name: "one row more", change: func(s *data.Set) {
			s.Hydrants = append(s.Hydrants, data.Hydrant{ID: "h3", Geom: orb.Point{111.4705, 27.2305}, Kind: "natural", Status: "working"})
		}},
		{name: "one row less", change: func(s *data.Set) { s.Roads = s.Roads[:1] }},
		{name: "rows in another order", change: func(s *data.Set) { s.Hydrants[0], s.Hydrants[1] = s.Hydrants[1], s.Hydrants[0] }},
		{name: "a polygon in another layer", change: func(s *data.Set) {
			d := s.Districts[0]
			s.Districts = nil
			s.Builtup = []data.Builtup{{ID: d.ID, Geom: d.Geom, Name: d.Name}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := smallSet()
			if tc.change != nil {
				tc.change(set)
			}
			source := tc.source
			if source == "" {
				source = "test"
			}
			got := data.NewSnapshot(set, source, nil).Version
			if tc.same && got != base {
				t.Errorf("version %x, want %x as before", got, base)
			}
			if !tc.same && got == base {
				t.Errorf("version %x unchanged", got)
			}
		})
	}
}

// TestVersionIsStableAcrossProcesses pins the small county's version: a
// hash seeded per process, or one over map order or addresses, would not
// give this value twice. Change it only with the encoding in version.go.
func TestVersionIsStableAcrossProcesses(t *testing.T) {
	const want uint64 = 0x7974a33e14c33791
	if got := data.NewSnapshot(smallSet(), "test", nil).Version; got != want {
		t.Errorf("version %#x, want %#x", got, want)
	}
}

func TestSampleCountyVersion(t *testing.T) {
	version := func(o sample.Options) uint64 { return data.NewSnapshot(sample.Generate(o), "sample", nil).Version }
	a := version(sample.Options{Seed: sample.DefaultSeed})
	if b := version(sample.Options{Seed: sample.DefaultSeed}); a != b {
		t.Errorf("the same seed built twice: versions %x and %x", a, b)
	}
	if c := version(sample.Options{Seed: sample.DefaultSeed + 1}); c == a {
		t.Errorf("another seed: version %x unchanged", c)
	}
	if m := version(sample.Options{Seed: sample.DefaultSeed, Mixed: true}); m == a {
		t.Errorf("mixed geometry: version %x unchanged", m)
	}
}

// BenchmarkContentVersion hashes the sample county's snapshot; compare with
// BenchmarkSnapshotBuild, which includes it.
func BenchmarkContentVersion(b *testing.B) {
	s := sampleSnapshot(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data.ContentVersion(s)
	}
}

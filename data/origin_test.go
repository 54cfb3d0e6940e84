package data_test

import (
	"strings"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

func TestOptionsCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*data.Options)
		err  string // the option the error names; "" when valid
	}{
		{"defaults", func(*data.Options) {}, ""},
		{"no derivation", func(o *data.Options) { o.BuiltupGapM = 0 }, ""},
		{"distance zero", func(o *data.Options) { o.MaxDistanceM = 0 }, "max_distance_km"},
		{"distance too far", func(o *data.Options) { o.MaxDistanceM = 5e6 }, "max_distance_km"},
		{"negative gap", func(o *data.Options) { o.BuiltupGapM = -1 }, "builtup_gap_m"},
		{"gap NaN", func(o *data.Options) { o.BuiltupGapM = nan() }, "builtup_gap_m"},
		{"negative area", func(o *data.Options) { o.BuiltupMinAreaM2 = -5 }, "builtup_min_area_m2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := data.DefaultOptions()
			tc.edit(&o)
			err := o.Check()
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("Check: %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("Check: %v, want an error naming %s", err, tc.err)
			}
			if _, err2 := data.NewSnapshotWith(&data.Set{}, "empty", nil, o); (err2 == nil) != (err == nil) {
				t.Fatalf("NewSnapshotWith: %v, Check: %v", err2, err)
			}
		})
	}
}

func nan() float64 { z := 0.0; return z / z }

// TestStrayPointsAreSkipped adds features far from the county: each is
// skipped as bad_coordinate with its distance, the origin stays put, and
// the version, a hash of the items kept, does not change.
func TestStrayPointsAreSkipped(t *testing.T) {
	base := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil)
	for _, tc := range []struct {
		name  string
		layer string
		add   func(*data.Set)
		km    string // the distance the detail must give
		moveM float64
	}{
		{"hydrant at 0,0", data.LayerHydrants, func(s *data.Set) {
			s.Hydrants = append(s.Hydrants, data.Hydrant{ID: "stray", Geom: orb.Point{0, 0}, Kind: "municipal", Status: "working"})
		}, "12", 1},
		{"building at 0,0", data.LayerBuildings, func(s *data.Set) {
			s.Buildings = append(s.Buildings, data.Building{ID: "stray", Geom: orb.Point{0, 0}, Households: 1})
		}, "12", 1},
		{"road with one vertex 300 km off", data.LayerRoads, func(s *data.Set) {
			o := base.Proj.Origin()
			s.Roads = append(s.Roads, data.Road{ID: "stray", Geom: orb.LineString{o, {o[0], o[1] + 2.7}}, Class: "track"})
		}, "30", 1},
		{"station 150 km off is kept", data.LayerStations, func(s *data.Set) {
			o := base.Proj.Origin()
			s.Stations = append(s.Stations, data.Station{ID: "stray", Geom: orb.Point{o[0] + 1.5, o[1]}, Class: "volunteer", Status: "active"})
		}, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
			tc.add(set)
			s := data.NewSnapshot(set, "sample", nil)
			if d := geo.GreatCircle(s.Proj.Origin(), base.Proj.Origin()); d > tc.moveM {
				t.Errorf("origin moved %.3f m", d)
			}
			lr := s.Report.Layer(tc.layer)
			if tc.km == "" {
				if lr.SkippedTotal() != 0 || s.Version == base.Version {
					t.Fatalf("a feature within the limit was skipped (%v) or not hashed", lr.Problems)
				}
				return
			}
			if lr.Skipped[data.ReasonBadCoordinate] != 1 || len(lr.Problems) != 1 {
				t.Fatalf("skipped %v, want one bad_coordinate", lr.Skipped)
			}
			p := lr.Problems[0]
			if p.Layer != tc.layer || p.ID != "stray" || !strings.Contains(p.Detail, " km from the data's centre") || !strings.Contains(p.Detail, " is "+tc.km) {
				t.Errorf("problem %s: want layer %s, id stray and about %s.. km", p, tc.layer, tc.km)
			}
			if s.Version != base.Version {
				t.Errorf("version %x, want the county's %x: only kept items count", s.Version, base.Version)
			}
			if want := base.Report.Layer(tc.layer).Loaded; lr.Loaded != want {
				t.Errorf("loaded %d, want %d", lr.Loaded, want)
			}
		})
	}
}

func TestOriginFallsBack(t *testing.T) {
	o := orb.Point{111.5, 27.2}
	near := func(dx, dy float64) orb.Point { return orb.Point{o[0] + dx, o[1] + dy} }
	for _, tc := range []struct {
		name string
		set  data.Set
		want orb.Point
	}{
		{"roads over buildings", data.Set{
			Roads: []data.Road{
				{ID: "a", Geom: orb.LineString{near(0, 0), near(0.01, 0)}, Class: "track"},
				{ID: "b", Geom: orb.LineString{near(0.01, 0), near(0.02, 0.01)}, Class: "track"},
			},
			Buildings: []data.Building{{ID: "x", Geom: near(0.5, 0.5)}},
		}, near(0.01, 0)},
		{"buildings without roads", data.Set{
			Buildings: []data.Building{{ID: "x", Geom: near(0.1, 0.1)}, {ID: "y", Geom: near(0.2, 0.3)}, {ID: "z", Geom: near(0.3, 0.2)}},
			Hydrants:  []data.Hydrant{{ID: "h", Geom: near(0.9, 0.9), Kind: "natural", Status: "working"}},
		}, near(0.2, 0.2)},
		{"points of any layer", data.Set{
			Hydrants: []data.Hydrant{{ID: "h", Geom: near(0.1, 0.1), Kind: "natural", Status: "working"}},
			Stations: []data.Station{{ID: "s", Geom: near(0.3, 0.3), Class: "micro", Status: "active"},
				{ID: "t", Geom: near(0.2, 0.4), Class: "micro", Status: "active"}},
		}, near(0.2, 0.3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := data.NewSnapshot(&tc.set, tc.name, nil)
			if d := geo.GreatCircle(s.Proj.Origin(), tc.want); d > 1e-6 {
				t.Fatalf("origin %v, want %v", s.Proj.Origin(), tc.want)
			}
		})
	}
}

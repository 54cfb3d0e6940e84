package data_test

import (
	"encoding/json"
	"slices"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
)

// TestRebuildEqualsAFullBuild: a snapshot rebuilt after one layer's edit,
// keeping the other layers of the one before, is the snapshot a full build
// of the edited county gives: the same version, origin and report, bad
// rows included. Only the edited layers (and built-up areas derived from
// edited buildings) are built again.
func TestRebuildEqualsAFullBuild(t *testing.T) {
	cases := []struct {
		name    string
		derived bool // no built-up layer: derived from the buildings
		read    []string
		edit    func(*data.Set)
		rebuilt []string // layers not taken from the snapshot before
	}{
		{"a hydrant's status", false, []string{data.LayerHydrants}, func(s *data.Set) { s.Hydrants[0].Status = "broken" },
			[]string{data.LayerHydrants}},
		{"a hydrant added twice and one far away", false, []string{data.LayerHydrants}, func(s *data.Set) {
			h := s.Hydrants[3]
			far := h
			far.ID, far.Geom = "far", orb.Point{0, 0}
			s.Hydrants = append(s.Hydrants, h, far)
		}, []string{data.LayerHydrants}},
		{"a building removed", false, []string{data.LayerBuildings}, func(s *data.Set) { s.Buildings = s.Buildings[1:] },
			[]string{data.LayerBuildings}},
		{"a building removed, areas derived", true, []string{data.LayerBuildings}, func(s *data.Set) { s.Buildings = s.Buildings[1:] },
			[]string{data.LayerBuildings, data.LayerBuiltup}},
		{"a township renamed, areas derived", true, []string{data.LayerTownships}, func(s *data.Set) { s.Townships[0].Name = "新名" },
			[]string{data.LayerTownships}},
		{"stations and villages", false, []string{data.LayerStations, data.LayerVillages}, func(s *data.Set) {
			s.Stations = s.Stations[1:]
			s.Villages[0].Name = ""
		}, []string{data.LayerStations, data.LayerVillages}},
		{"a road removed: the origin may move", false, []string{data.LayerRoads}, func(s *data.Set) { s.Roads = s.Roads[1:] },
			data.LayerNames()},
	}
	gen := func(derived bool) *data.Set {
		s := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
		if derived {
			s.Builtup = nil
		}
		return s
	}
	opt := data.DefaultOptions()
	for _, c := range cases {
		prev, err := data.NewSnapshotWith(gen(c.derived), "t", nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		edited := gen(c.derived)
		c.edit(edited)
		got, err := data.Rebuild(prev, c.read, edited, "t", nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		fresh := gen(c.derived)
		c.edit(fresh)
		want, _ := data.NewSnapshotWith(fresh, "t", nil, opt)
		if got.Version != want.Version || got.Proj.Origin() != want.Proj.Origin() {
			t.Errorf("%s: version %x origin %v, a full build %x %v", c.name, got.Version, got.Proj.Origin(), want.Version, want.Proj.Origin())
		}
		g, _ := json.Marshal(got.Report)
		w, _ := json.Marshal(want.Report)
		if string(g) != string(w) {
			t.Errorf("%s: report\n%s\nwant\n%s", c.name, g, w)
		}
		for _, name := range data.LayerNames() {
			a, _ := prev.Layer(name)
			b, _ := got.Layer(name)
			if kept := a == b; kept == slices.Contains(c.rebuilt, name) {
				t.Errorf("%s: layer %s kept %v", c.name, name, kept)
			}
		}
		// The report kept is a copy: annotating the new one leaves the old.
		got.Report.Layer(data.LayerVillages).Weakens = []string{"x"}
		if prev.Report.Layer(data.LayerVillages).Weakens != nil {
			t.Errorf("%s: the new report shares the old one's layers", c.name)
		}
	}
}

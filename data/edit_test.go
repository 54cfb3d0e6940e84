package data_test

import (
	"slices"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
)

func TestDeriveSharesWhatItDoesNotChange(t *testing.T) {
	base := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "sample", nil)
	same := slices.Clone(base.Stations.Items)
	added := append(slices.Clone(base.Stations.Items), data.Station{ID: "new-1", Geom: base.Stations.Items[0].Geom, Class: "volunteer", Status: "active"})
	far := append(slices.Clone(base.Stations.Items), data.Station{ID: "new-2", Geom: orb.Point{0, 0}, Class: "volunteer", Status: "active"})
	dup := append(slices.Clone(base.Stations.Items), base.Stations.Items[0])
	for _, tc := range []struct {
		name     string
		edit     data.Edit
		changed  bool
		stations int
		skipped  string
	}{
		{"same stations", data.Edit{Stations: &same}, false, base.Stations.Len(), ""},
		{"one station added", data.Edit{Stations: &added}, true, base.Stations.Len() + 1, ""},
		{"a stray station", data.Edit{Stations: &far}, false, base.Stations.Len(), data.ReasonBadCoordinate},
		{"a duplicate id", data.Edit{Stations: &dup}, false, base.Stations.Len(), data.ReasonDuplicateID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, rep := base.Derive("scenario", tc.edit)
			if (d.Version != base.Version) != tc.changed {
				t.Errorf("version %s, base %s, changed %v", d.VersionHex(), base.VersionHex(), tc.changed)
			}
			if d.Stations.Len() != tc.stations {
				t.Errorf("%d stations, want %d", d.Stations.Len(), tc.stations)
			}
			for _, l := range []string{data.LayerRoads, data.LayerBuildings, data.LayerHydrants} {
				if d.Key(l) != base.Key(l) {
					t.Errorf("key of %s changed", l)
				}
			}
			if (d.Key(data.LayerStations) != base.Key(data.LayerStations)) != tc.changed {
				t.Errorf("stations key changed = %v", !tc.changed)
			}
			if d.Roads != base.Roads || d.Proj != base.Proj || d.Base != base {
				t.Error("roads or projection not shared")
			}
			if got := rep.Layer(data.LayerStations).Skipped[tc.skipped]; tc.skipped != "" && got != 1 {
				t.Errorf("skipped %s = %d, want 1", tc.skipped, got)
			}
			if base.Stations.Len() != len(same) {
				t.Error("base changed")
			}
		})
	}
}

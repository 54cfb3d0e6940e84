package data_test

import (
	"reflect"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"
)

// A snapshot's items are packed copies of what was loaded: equal in every
// field, mixed and Multi geometries included.
func TestPackedItemsEqualTheLoadedOnes(t *testing.T) {
	for _, o := range []sample.Options{{Seed: sample.DefaultSeed}, {Seed: sample.DefaultSeed, Mixed: true}} {
		loaded, want := sample.Generate(o), sample.Generate(o)
		s := data.NewSnapshot(loaded, "sample", nil)
		check := func(name string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("mixed=%v: %s differ after packing", o.Mixed, name)
			}
		}
		check("hydrants", s.Hydrants.Items, want.Hydrants)
		check("stations", s.Stations.Items, want.Stations)
		check("roads", s.Roads.Items, want.Roads)
		check("buildings", s.Buildings.Items, want.Buildings)
		check("villages", s.Villages.Items, want.Villages)
		check("districts", s.Districts.Items, want.Districts)
		check("fire lanes", s.FireLanes.Items, want.FireLanes)
		check("townships", s.Townships.Items, want.Townships)
	}
}

package sample

import (
	"reflect"
	"testing"

	"fireplan/data"
)

func TestSampleIsDeterministicAndBigEnough(t *testing.T) {
	a := Generate(Options{Seed: DefaultSeed})
	b := Generate(Options{Seed: DefaultSeed})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different counties")
	}
	c := Generate(Options{Seed: DefaultSeed + 1})
	if reflect.DeepEqual(a.Roads, c.Roads) {
		t.Fatal("another seed gave the same roads")
	}
	snap := data.NewSnapshot(a, "sample", nil)
	for _, lr := range snap.Report.Layers {
		if lr.SkippedTotal() > 0 {
			t.Errorf("%s: the sample has bad rows: %v", lr.Layer, lr.Problems)
		}
	}
	for _, tc := range []struct {
		name    string
		got, lo int
	}{
		{"buildings", len(a.Buildings), 40000},
		{"roads", len(a.Roads), 10000},
		{"hydrants", len(a.Hydrants), 1700},
		{"townships", len(a.Townships), 8},
		{"villages", len(a.Villages), 8 * 15},
		{"districts", len(a.Districts), 3},
	} {
		if tc.got < tc.lo {
			t.Errorf("%s: %d, want at least %d", tc.name, tc.got, tc.lo)
		}
	}
	broken := 0
	for _, h := range a.Hydrants {
		if h.Status == "broken" {
			broken++
		}
	}
	if r := float64(broken) / float64(len(a.Hydrants)); r < 0.01 || r > 0.06 {
		t.Errorf("broken hydrants %.1f%%, want about 3%%", r*100)
	}
	narrow := 0
	for _, r := range a.Roads {
		if r.WidthM != nil && *r.WidthM < 4 || r.Class == "track" {
			narrow++
		}
	}
	if narrow == 0 {
		t.Error("no road is too narrow for a fire truck")
	}
}

func TestScaleMultipliesTheCounty(t *testing.T) {
	one := Generate(Options{Seed: 7})
	four := Generate(Options{Seed: 7, Scale: 4})
	if n := len(four.Buildings); n < 3*len(one.Buildings) {
		t.Fatalf("scale 4: %d buildings, one county %d", n, len(one.Buildings))
	}
	snap := data.NewSnapshot(four, "scale 4", nil)
	if n := snap.Report.Layer(data.LayerRoads).SkippedTotal(); n != 0 {
		t.Fatalf("scale 4: %d roads skipped (duplicate ids?)", n)
	}
}

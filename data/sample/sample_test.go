package sample

import (
	"fmt"
	"reflect"
	"runtime"
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

// TestCountiesAreGeneratedApart: at scale N each county comes from its own
// seed alone, so the set is the same on any number of cores, and every
// layer holds every county's features, in county order.
func TestCountiesAreGeneratedApart(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	one := Generate(Options{Seed: 7, Scale: 3})
	runtime.GOMAXPROCS(max(2, prev))
	many := Generate(Options{Seed: 7, Scale: 3})
	runtime.GOMAXPROCS(prev)
	if !reflect.DeepEqual(one, many) {
		t.Fatal("scale 3 on one core and on several gave different sets")
	}
	v := reflect.ValueOf(*many)
	for f := range v.NumField() {
		layer := v.Field(f)
		last := -1
		for i := range layer.Len() {
			id := layer.Index(i).FieldByName("ID").String()
			var c int
			if _, err := fmt.Sscanf(id, "c%02d-", &c); err != nil {
				continue // the trunk roads between counties
			}
			if c < last {
				t.Fatalf("%s: %s after a feature of county %d", v.Type().Field(f).Name, id, last)
			}
			last = c
		}
		if last != 2 {
			t.Errorf("%s: the last county with features is %d, want 2", v.Type().Field(f).Name, last)
		}
	}
}

package coverage

import (
	"sync"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"
)

func TestEngineCachesPerParametersAndSnapshot(t *testing.T) {
	s := sampleSnapshot(t)
	e := NewEngine()
	p := DefaultParams()
	var wg sync.WaitGroup
	got := make([]*Response, 4)
	for i := range got { // concurrent first requests compute once
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			got[i], _ = e.Response(s, p)
		}(i)
	}
	wg.Wait()
	for _, r := range got[1:] {
		if r != got[0] {
			t.Fatal("same snapshot and parameters computed twice")
		}
	}
	q := DefaultParams()
	q.AccessMaxM = 80
	r2, _ := e.Response(s, q)
	if r2 == got[0] || r2.Graph != got[0].Graph {
		t.Fatal("another access limit must give another response over the same graph")
	}
	reloaded := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "reload", nil)
	r3, _ := e.Response(reloaded, p)
	if r3 == got[0] || r3.Snap != reloaded {
		t.Fatal("a reload must recompute")
	}
	bad := DefaultParams()
	bad.SpeedKmh = map[string]float64{"residential": 0}
	if _, err := e.Response(reloaded, bad); err == nil {
		t.Fatal("zero speed accepted")
	}
}

package data_test

import (
	"math/rand"
	"slices"
	"testing"

	"fireplan/data"
	"fireplan/data/sample"

	"github.com/paulmach/orb"
)

// TestSearchFindsExactlyTheBoxes: a layer's lon/lat search (answered by
// its metric index) finds exactly the items whose lon/lat boxes meet the
// box, for boxes small and large, inside, across and beyond the data,
// against a scan of every item.
func TestSearchFindsExactlyTheBoxes(t *testing.T) {
	s := data.NewSnapshot(sample.Generate(sample.Options{Seed: sample.DefaultSeed}), "test", nil)
	rng := rand.New(rand.NewSource(7))
	for _, v := range []data.View{s.Buildings, s.Roads, s.Hydrants, s.Townships} {
		lb := v.Bound()
		boxes := []orb.Bound{
			{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}},    // the world
			{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}},            // far away
			{Min: lb.Min, Max: lb.Min},                              // a corner point
			lb.Pad(-(lb.Max[0] - lb.Min[0]) / 3),                    // the middle third
			{Min: orb.Point{lb.Min[0] - 5, lb.Min[1]}, Max: lb.Max}, // across the west edge
		}
		for range 200 {
			x, y := lb.Min[0]+rng.Float64()*(lb.Max[0]-lb.Min[0]), lb.Min[1]+rng.Float64()*(lb.Max[1]-lb.Min[1])
			w := rng.ExpFloat64() * 0.005
			boxes = append(boxes, orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + w, y + w*rng.Float64()}})
		}
		found := 0
		for _, b := range boxes {
			var got, want []int32
			v.Search(b, func(i int32) bool { got = append(got, i); return true })
			for i := range v.Len() {
				if v.Feature(i).Geometry().Bound().Intersects(b) {
					want = append(want, int32(i))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: box %v: search found %d items, a scan %d", v.Schema().Name, b, len(got), len(want))
			}
			found += len(want)
		}
		if found == 0 {
			t.Fatalf("%s: no box met an item", v.Schema().Name)
		}
	}
}

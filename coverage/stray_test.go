package coverage

import (
	"context"
	"fmt"
	"maps"
	"os"
	"reflect"
	"strings"
	"testing"

	"fireplan/coverage/response"
	"fireplan/data"
	"fireplan/data/sample"
	"fireplan/geo"

	"github.com/paulmach/orb"
)

// TestStrayPointChangesNoAnalysis adds one point at 0,0 to the sample
// county: the projection origin stays within 1 m, the report lists the
// point as bad_coordinate with its distance, and every analysis at its
// default parameters returns the same rows, ids and geometry.
func TestStrayPointChangesNoAnalysis(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" { // CI runs it always
		t.Skip("computes every analysis three times")
	}
	snap := func(add func(*data.Set)) *data.Snapshot {
		set := sample.Generate(sample.Options{Seed: sample.DefaultSeed})
		add(set)
		return data.NewSnapshot(set, "sample", nil)
	}
	tables := func(s *data.Snapshot) map[string]*Table {
		c, err := New(response.DefaultParams(), 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]*Table{}
		for _, e := range c.Entries {
			if !e.Analysis() {
				continue
			}
			tb, err := c.Table(context.Background(), e, s, e.Defaults())
			if err != nil {
				t.Fatalf("%s: %v", e.Name, err)
			}
			out[e.Name] = tb
		}
		return out
	}
	base := snap(func(*data.Set) {})
	want := tables(base)
	for _, tc := range []struct {
		name  string
		layer string
		add   func(*data.Set)
	}{
		{"hydrant", data.LayerHydrants, func(s *data.Set) {
			s.Hydrants = append(s.Hydrants, data.Hydrant{ID: "stray", Geom: orb.Point{0, 0}, Kind: "municipal", Status: "working"})
		}},
		{"building", data.LayerBuildings, func(s *data.Set) {
			s.Buildings = append(s.Buildings, data.Building{ID: "stray", Geom: orb.Point{0, 0}, Households: 40})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := snap(tc.add)
			if d := geo.GreatCircle(s.Proj.Origin(), base.Proj.Origin()); d > 1 {
				t.Errorf("origin moved %.3f m", d)
			}
			lr := s.Report.Layer(tc.layer)
			if lr.Skipped[data.ReasonBadCoordinate] != 1 || len(lr.Problems) != 1 || lr.Problems[0].ID != "stray" ||
				!strings.Contains(lr.Problems[0].Detail, "km from the data's centre") {
				t.Fatalf("report of %s: %v %v, want the stray point as bad_coordinate with its distance", tc.layer, lr.Skipped, lr.Problems)
			}
			got := tables(s)
			for name, w := range want {
				g := got[name]
				if g.Len() != w.Len() || g.HasGeoms() != w.HasGeoms() {
					t.Errorf("%s: %d rows (geometries %v), want %d (%v)", name, g.Len(), g.HasGeoms(), w.Len(), w.HasGeoms())
					continue
				}
				for i := range w.Len() {
					if g.ID(i) != w.ID(i) || !reflect.DeepEqual(g.Row(i), w.Row(i)) {
						t.Errorf("%s row %d: %s %v, want %s %v", name, i, g.ID(i), g.Row(i), w.ID(i), w.Row(i))
						break
					}
				}
				for i := range w.Len() {
					if !reflect.DeepEqual(g.Geom(i), w.Geom(i)) {
						t.Errorf("%s geometry %d differs", name, i)
						break
					}
				}
				// Whether the siting's swaps ran out of time says how
				// busy the machine was, not what the data is.
				gm, wm := maps.Clone(g.Meta), maps.Clone(w.Meta)
				delete(gm, "budget_exhausted")
				delete(wm, "budget_exhausted")
				if !reflect.DeepEqual(gm, wm) {
					t.Errorf("%s meta %v, want %v", name, fmt.Sprint(g.Meta), fmt.Sprint(w.Meta))
				}
			}
		})
	}
}

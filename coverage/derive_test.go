package coverage

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/response"
	"fireplan/data"
)

// TestScenarioResponseIsDerived asks for response-time tables of scenario
// snapshots (stations changed; stations and hydrants changed; a road
// closed) and compares them with the same snapshots computed afresh in
// another catalogue: equal rows and meta. A stations scenario derives its
// response from the base's: a mark left in the cached base response for a
// building no road reaches shows in the scenario's.
func TestScenarioResponseIsDerived(t *testing.T) {
	ctx := context.Background()
	base := fixture.Sample(t)
	stations := slices.Clone(base.Stations.Items)
	stations[0].Status = "planned"
	stations = append(stations, data.Station{ID: "new-1", Geom: base.Buildings.Items[base.Buildings.Len()/2].Geometry().Bound().Center(),
		Class: "township_fulltime", Status: "active"})
	hydrants := base.Hydrants.Items[1:]
	roads := base.Roads.Items[1:]
	scen := func(e data.Edit) *data.Snapshot {
		s, _ := base.Derive("scenario", e)
		return s
	}
	for _, tc := range []struct {
		name    string
		edit    data.Edit
		derived bool
	}{
		{"stations", data.Edit{Stations: &stations}, true},
		{"stations and hydrants", data.Edit{Stations: &stations, Hydrants: &hydrants}, true},
		{"a road closed", data.Edit{Roads: &roads}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if derived := marked(t, base, scen(tc.edit)); derived != tc.derived {
				t.Errorf("derived %v, want %v", derived, tc.derived)
			}
			c := testCatalog(t)
			scen := scen(tc.edit)
			fresh := *scen
			fresh.Base = nil
			for _, name := range []string{"coverage_summary", "coverage_buildings"} {
				e, _ := c.Entry(name)
				if _, err := c.Table(ctx, e, base, e.Defaults()); err != nil {
					t.Fatal(err)
				}
				got, err := c.Table(ctx, e, scen, e.Defaults())
				if err != nil {
					t.Fatal(err)
				}
				want, err := testCatalog(t).Table(ctx, e, &fresh, e.Defaults())
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(rowsOf(got), rowsOf(want)) || !reflect.DeepEqual(got.Meta, want.Meta) {
					t.Errorf("%s: the scenario's table differs from a fresh computation", name)
				}
			}
		})
	}
}

// marked reports whether the catalogue derives scen's response from
// base's: it marks a building no road reaches in base's cached response
// (no scenario of stations changes it, so a derived response copies it).
func marked(t *testing.T, base, scen *data.Snapshot) bool {
	t.Helper()
	ctx := context.Background()
	c := testCatalog(t)
	e, _ := c.Entry("coverage_summary")
	br, err := c.response(ctx, base, e.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(br.Buildings, func(a response.Arrival) bool { return a.Reach == response.NoRoad })
	if k < 0 {
		t.Fatal("no building without a road")
	}
	br.Buildings[k].AccessM = -1
	r, err := c.response(ctx, scen, e.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	return r.Buildings[k].AccessM == -1
}

// rowsOf returns every row of t with its id and geometry.
func rowsOf(t *Table) [][]any {
	out := make([][]any, t.Len())
	for i := range out {
		out[i] = append([]any{t.ID(i), t.Geom(i)}, t.Row(i)...)
	}
	return out
}

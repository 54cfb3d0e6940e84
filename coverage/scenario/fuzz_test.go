package scenario_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand"
	"strings"
	"testing"

	"fireplan/coverage"
	"fireplan/coverage/response"
	"fireplan/coverage/scenario"
	"fireplan/data"
)

// FuzzScenario reads fuzzed scenario bodies against a 4 x 4 street grid
// (roads r0..., hydrants h..., stations s0 and s1 near lon 111.5, lat
// 27.2). Parse either refuses a body with a *ChangeError pointing at a
// change that exists, or returns a scenario whose id is its changes' (the
// changes written back parse to the same id) and which applies to the
// county and validates against it without a panic, a problem or refusal
// naming one of its changes.
func FuzzScenario(f *testing.F) {
	base := randomCounty(rand.New(rand.NewSource(1)), 4, 200)
	cat, err := coverage.New(response.DefaultParams(), 64<<20)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		`{"name": "new station", "changes": [{"layer": "stations", "op": "add", "id": "n1", "lon": 111.5005, "lat": 27.2005, "class": "micro"}]}`,
		`{"changes": [{"layer": "stations", "op": "add", "id": "far", "lon": 0, "lat": 0, "class": "micro"}]}`,
		`{"changes": [{"layer": "stations", "op": "set", "id": "s0", "lon": 111.501, "lat": 27.201, "turnout_s": 60, "status": "planned"}]}`,
		`{"changes": [{"layer": "stations", "op": "remove", "id": "s1"}, {"layer": "stations", "op": "set", "id": "s1", "name": "x"}]}`,
		`{"changes": [{"layer": "hydrants", "op": "add", "id": "hx", "lon": 111.5, "lat": 27.2, "kind": "fire_pool", "flow_lps": 15}]}`,
		`{"changes": [{"layer": "hydrants", "op": "remove", "id": "h0"}, {"layer": "hydrants", "op": "add", "id": "h0", "lon": 111.5, "lat": 27.2}]}`,
		`{"changes": [{"layer": "hydrants", "op": "set", "id": "nope", "status": "broken"}]}`,
		`{"changes": [{"layer": "roads", "op": "set", "id": "r0", "passable": false}, {"layer": "roads", "op": "set", "id": "r0", "passable": true}]}`,
		`{"changes": [{"layer": "roads", "op": "remove", "id": "r1"}, {"layer": "roads", "op": "set", "id": "r1", "passable": null}]}`,
		`{"changes": [{"layer": "stations", "op": "add", "id": "n", "lon": null, "lat": null, "class": "micro"}]}`,
		`{"changes": [{"layer": "stations", "op": "add", "id": "n", "lon": 1e400, "lat": 27, "class": "micro"}]}`,
		`{"changes": [{"layer": "stations", "op": "add", "id": "n", "lon": 180, "lat": 90, "class": "micro"}]}`,
		`{"changes": [{"layer": "stations", "op": "add", "id": "n", "lon": -180, "lat": -90, "class": "micro"}]}`,
		`{"changes": [{"layer": "hydrants", "op": "set", "id": "h0", "lon": 111.5, "lat": 27.2, "lon": 3}]}`,
		`{"changes": [null]}`, `{"changes": null}`, `{"changes": []}`, `null`, `[]`, `{}`, `{"name": 1}`, `{"changes": [{}]}`,
		`{"changes": [{"layer": "stations", "op": "set", "id": "s0"}]}`, `{"changes": [{"layer": "x"}]} trailing`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 64<<10 {
			return // the size limit has its own test; big bodies only slow the search
		}
		sc, err := scenario.Parse(strings.NewReader(body))
		if err != nil {
			var ce *scenario.ChangeError
			if !errors.As(err, &ce) || ce.Index < -1 || ce.Index > scenario.MaxChanges {
				t.Fatalf("%s: %v, want a *ChangeError naming a change", body, err)
			}
			return
		}
		if _, err := hex.DecodeString(sc.ID); err != nil || len(sc.ID) != 12 {
			t.Fatalf("%s: id %q is not 12 hex digits", body, sc.ID)
		}
		again, err := json.Marshal(map[string]any{"name": sc.Name, "changes": sc.Changes})
		if err != nil {
			t.Fatalf("%s: writing the changes back: %v", body, err)
		}
		sc2, err := scenario.Parse(strings.NewReader(string(again)))
		if err != nil || sc2.ID != sc.ID {
			t.Fatalf("%s: written back as %s it reads as %+v, %v; want id %s", body, again, sc2, err, sc.ID)
		}
		snap, problems, err := sc.Apply(base)
		if err != nil || snap == nil {
			t.Fatalf("%s: Apply: %v", body, err)
		}
		for _, p := range problems {
			if p.Layer == "" || p.ID == "" || p.Reason == "" {
				t.Fatalf("%s: problem %+v names no change", body, p)
			}
		}
		checkLayer(t, body, data.PointGeom, snap.Stations.Items)
		checkLayer(t, body, data.PointGeom, snap.Hydrants.Items)
		vsnap, err := sc.Validate(context.Background(), cat, base)
		if err != nil {
			var ce *scenario.ChangeError
			if !errors.As(err, &ce) || ce.Index < 0 || ce.Index >= len(sc.Changes) {
				t.Fatalf("%s: Validate: %v, want a *ChangeError naming a change", body, err)
			}
			return
		}
		if len(problems) > 0 {
			t.Fatalf("%s: Validate accepts a scenario Apply reports problems with: %v", body, problems)
		}
		if vsnap.Version != snap.Version {
			t.Fatalf("%s: Validate and Apply give versions %x and %x", body, vsnap.Version, snap.Version)
		}
	})
}

// checkLayer fails unless every item of a scenario's layer would load.
func checkLayer[T data.Feature](t *testing.T, body string, k data.GeomKind, items []T) {
	t.Helper()
	for _, it := range items {
		if err := data.CheckGeometry(k, it.Geometry()); err != nil {
			t.Fatalf("%s: %s stays in the scenario's layer: %v", body, it.FeatureID(), err)
		}
	}
}

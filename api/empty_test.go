package api

import (
	"fmt"
	"net/http"
	"testing"

	"fireplan/coverage/export"
	"fireplan/data"
	"fireplan/data/sample"
)

// Counties come with layers missing: no old districts, no stations, even
// nothing at all. Every endpoint and tile must still answer, never 500.
func TestCountiesWithEmptyLayers(t *testing.T) {
	full := sample.Generate(sample.Options{Seed: 3})
	for _, tc := range []struct {
		name string
		set  *data.Set
	}{
		{"nothing", &data.Set{}},
		{"roads only", &data.Set{Roads: full.Roads}},
		{"no stations, hydrants or built-up areas", &data.Set{Roads: full.Roads, Buildings: full.Buildings, Villages: full.Villages, Townships: full.Townships}},
		{"no townships or districts", &data.Set{Roads: full.Roads, Buildings: full.Buildings, Stations: full.Stations, Hydrants: full.Hydrants, Builtup: full.Builtup}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := serve(t, data.NewSnapshot(tc.set, tc.name, nil))
			paths := []string{"/api/layers", "/api/report", "/api/catalog", "/tiles", "/api/coverage/gaps?minutes=5",
				"/api/coverage/isochrones?station=each", "/api/coverage/buildings?bbox=111,27,112,28", "/api/hydrants/proposals?count=20"}
			// Every route the catalogue generates, in every format it
			// writes, and every tile layer with its TileJSON.
			tiled := 0
			for _, e := range s.Catalog().Entries {
				if e.Analysis() {
					for _, f := range export.FormatsOf(e) {
						paths = append(paths, e.Path+"?format="+f)
					}
				} else {
					paths = append(paths, e.Path)
				}
				if e.Tiled {
					tiled++
					paths = append(paths, fmt.Sprintf("/tiles/%s/14/13264/6903.mvt", e.Name), fmt.Sprintf("/tiles/%s.json", e.Name))
				}
			}
			if tiled < len(data.LayerNames()) {
				t.Fatalf("%d tile layers, want the %d base layers and the analyses", tiled, len(data.LayerNames()))
			}
			for _, p := range paths {
				resp, err := http.Get(srv.URL + p)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
					t.Errorf("%s: status %d", p, resp.StatusCode)
				}
			}
		})
	}
}

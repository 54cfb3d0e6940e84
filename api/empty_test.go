package api

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

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
			var st data.Store
			st.Swap(data.NewSnapshot(tc.set, tc.name, nil))
			srv := httptest.NewServer(New(&st, Options{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
			defer srv.Close()
			paths := []string{"/api/layers", "/api/layers/roads/items", "/api/coverage", "/api/coverage/gaps?minutes=5",
				"/api/coverage/isochrones", "/api/coverage/buildings?bbox=111,27,112,28", "/api/hydrants/gaps",
				"/api/hydrants/proposals?count=20", "/api/hydrants/stats", "/api/clusters", "/api/clusters/ledger", "/tiles"}
			for _, l := range tileLayerNames() {
				paths = append(paths, fmt.Sprintf("/tiles/%s/14/13264/6903.mvt", l), fmt.Sprintf("/tiles/%s.json", l))
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

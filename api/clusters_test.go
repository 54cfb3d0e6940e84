package api

import (
	"testing"

	"github.com/paulmach/orb/geojson"
)

func TestClusterEndpoints(t *testing.T) {
	srv := testServer(t)
	var fc geojson.FeatureCollection
	if code := get(t, srv, "/api/clusters?min_households=50", &fc); code != 200 || len(fc.Features) == 0 {
		t.Fatalf("clusters: status %d, %d features", code, len(fc.Features))
	}
	for _, f := range fc.Features {
		if hh := f.Properties["households"].(float64); hh < 50 {
			t.Fatalf("cluster %v of %v households under min_households=50", f.ID, hh)
		}
		if f.Geometry.GeoJSONType() != "Polygon" {
			t.Fatalf("cluster %v outline is %s", f.ID, f.Geometry.GeoJSONType())
		}
	}
	var ledger struct {
		Clusters  int `json:"clusters"`
		Townships []struct {
			ID       string         `json:"id"`
			Clusters map[string]int `json:"clusters"`
		} `json:"townships"`
	}
	if code := get(t, srv, "/api/clusters/ledger", &ledger); code != 200 {
		t.Fatalf("ledger status %d", code)
	}
	county := ledger.Townships[len(ledger.Townships)-1]
	sum := 0
	for _, n := range county.Clusters {
		sum += n
	}
	if county.ID != "county" || sum != ledger.Clusters {
		t.Fatalf("county row %+v sums to %d of %d clusters", county, sum, ledger.Clusters)
	}
	var wide struct {
		Clusters int `json:"clusters"`
	}
	get(t, srv, "/api/clusters/ledger?separation_m=12", &wide)
	if wide.Clusters >= ledger.Clusters {
		t.Fatalf("12 m separation gives %d clusters, 6 m gives %d: wider must join more", wide.Clusters, ledger.Clusters)
	}
	for _, bad := range []string{"/api/clusters?separation_m=0", "/api/clusters?separation_m=x", "/api/clusters?min_households=-1",
		"/api/clusters/ledger?by_structure=1", "/api/clusters?sep=5"} {
		var e map[string]any
		if code := get(t, srv, bad, &e); code != 400 || e["error"] == nil {
			t.Errorf("%s: status %d", bad, code)
		}
	}
}

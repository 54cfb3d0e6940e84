package api

import (
	"strings"
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
	// The ledger's county row counts every cluster, of every tier: as
	// many as /api/clusters lists with no household minimum.
	tiers := []string{"clusters_100plus", "clusters_50-99", "clusters_30-49", "clusters_under30"}
	countyClusters := func(path string) (int, int) {
		var ledger table
		if code := get(t, srv, path, &ledger); code != 200 || len(ledger.Rows) == 0 {
			t.Fatalf("%s: status %d, %d rows", path, code, len(ledger.Rows))
		}
		county := ledger.Rows[len(ledger.Rows)-1]
		if county["id"] != "county" {
			t.Fatalf("%s: last row %v, want the county", path, county)
		}
		sum := 0
		for _, c := range tiers {
			if ledger.column(c) < 0 {
				t.Fatalf("%s: no column %s in %v", path, c, ledger.Columns)
			}
			sum += int(num(county, c))
		}
		var all struct {
			NumberMatched int `json:"numberMatched"`
		}
		q := "?min_households=0&limit=1"
		if i := strings.IndexByte(path, '?'); i >= 0 {
			q += "&" + path[i+1:]
		}
		if code := get(t, srv, "/api/clusters"+q, &all); code != 200 {
			t.Fatalf("clusters%s: status %d", q, code)
		}
		return sum, all.NumberMatched
	}
	sum, clusters := countyClusters("/api/clusters/ledger")
	if sum != clusters || sum == 0 {
		t.Fatalf("county row sums to %d of %d clusters", sum, clusters)
	}
	wide, wideClusters := countyClusters("/api/clusters/ledger?separation_m=12")
	if wide != wideClusters || wide >= sum {
		t.Fatalf("12 m separation gives %d clusters (%d listed), 6 m gives %d: wider must join more", wide, wideClusters, sum)
	}
	// Booleans are read as strconv.ParseBool does and held canonically:
	// 1 and true are one parameter set.
	var one struct {
		Parameters map[string]string `json:"parameters"`
	}
	if code := get(t, srv, "/api/clusters/ledger?by_structure=1", &one); code != 200 || one.Parameters["by_structure"] != "true" {
		t.Fatalf("by_structure=1: status %d, parameters %v, want by_structure=true", code, one.Parameters)
	}
	for _, bad := range []string{"/api/clusters?separation_m=0", "/api/clusters?separation_m=x", "/api/clusters?min_households=-1",
		"/api/clusters/ledger?by_structure=maybe", "/api/clusters?sep=5"} {
		var e map[string]any
		if code := get(t, srv, bad, &e); code != 400 || e["error"] == nil {
			t.Errorf("%s: status %d", bad, code)
		}
	}
}

package api

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

func TestCoverageEndpoints(t *testing.T) {
	srv := testServer(t)
	var sum struct {
		Minutes   []float64 `json:"minutes"`
		Townships []struct {
			ID         string         `json:"id"`
			Households int            `json:"households"`
			Covered    map[string]int `json:"covered"`
		} `json:"townships"`
	}
	if code := get(t, srv, "/api/coverage?minutes=15,5,8", &sum); code != 200 {
		t.Fatalf("status %d", code)
	}
	county := sum.Townships[len(sum.Townships)-1]
	if county.ID != "county" || county.Households == 0 {
		t.Fatalf("last row %+v, want the county", county)
	}
	if !(county.Covered["5"] <= county.Covered["8"] && county.Covered["8"] <= county.Covered["15"] && county.Covered["15"] <= county.Households) {
		t.Fatalf("coverage not monotone in the target: %v of %d", county.Covered, county.Households)
	}

	var byVillage struct {
		Villages []struct {
			Households int            `json:"households"`
			Covered    map[string]int `json:"covered"`
		} `json:"villages"`
	}
	if code := get(t, srv, "/api/coverage?minutes=8&by=village", &byVillage); code != 200 || len(byVillage.Villages) != sampleSnap.Villages.Len() {
		t.Fatalf("by=village: status %d, %d rows", code, len(byVillage.Villages))
	}
	vh := 0
	for _, v := range byVillage.Villages {
		vh += v.Households
		if v.Covered["8"] > v.Households {
			t.Fatalf("village row %+v covers more than it holds", v)
		}
	}
	if vh == 0 || vh >= county.Households {
		t.Fatalf("villages hold %d of the county's %d households", vh, county.Households)
	}

	var gaps geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/gaps?minutes=5", &gaps); code != 200 || len(gaps.Features) == 0 {
		t.Fatalf("gaps: status %d, %d features", code, len(gaps.Features))
	}
	for _, f := range gaps.Features {
		if f.Properties["uncovered_households"].(float64) <= 0 && f.Properties["arrival_s"] == nil {
			t.Fatalf("gap %v has nothing uncovered", f.ID)
		}
	}
	resp, err := http.Get(srv.URL + "/api/coverage/gaps?minutes=5&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if !strings.HasPrefix(lines[0], "kind,id,name") || len(lines) != len(gaps.Features)+1 {
		t.Fatalf("csv: %d lines for %d gaps; header %q", len(lines), len(gaps.Features), lines[0])
	}

	var iso geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/isochrones?minutes=5&station=all", &iso); code != 200 || len(iso.Features) != 1 {
		t.Fatalf("isochrones: status %d, %d features, want the 5-minute union", code, len(iso.Features))
	}
	var bs geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/buildings?bbox=111.44,27.20,111.46,27.22&limit=50", &bs); code != 200 || len(bs.Features) != 50 {
		t.Fatalf("buildings: status %d, %d features", code, len(bs.Features))
	}
	for _, f := range bs.Features {
		if f.Properties["reach"] == "reached" && f.Properties["arrival_s"] == nil {
			t.Fatalf("reached building %v without an arrival time", f.ID)
		}
	}
	var lanes struct {
		Districts []struct {
			Lanes   int     `json:"lanes"`
			NarrowM float64 `json:"too_narrow_m"`
		} `json:"districts"`
	}
	if code := get(t, srv, "/api/firelanes", &lanes); code != 200 || len(lanes.Districts) != sampleSnap.Districts.Len() {
		t.Fatalf("firelanes: status %d, %d districts", code, len(lanes.Districts))
	}
	laneCount, narrow := 0, 0.0
	for _, d := range lanes.Districts {
		laneCount += d.Lanes
		narrow += d.NarrowM
	}
	if laneCount != sampleSnap.FireLanes.Len() || narrow == 0 {
		t.Fatalf("firelanes: %d of %d lanes placed, %g m too narrow", laneCount, sampleSnap.FireLanes.Len(), narrow)
	}
	var siting geojson.FeatureCollection
	if code := get(t, srv, "/api/stations/siting?k=2&minutes=8", &siting); code != 200 || len(siting.Features) != 2 {
		t.Fatalf("siting: status %d, %d sites", code, len(siting.Features))
	}
	if a, b := siting.Features[0].Properties["new_households"].(float64), siting.Features[1].Properties["new_households"].(float64); a < b || b <= 0 {
		t.Fatalf("siting gains %v then %v: want the larger first, both positive", a, b)
	}
	for _, tc := range []string{
		"/api/stations/siting?k=50", "/api/stations/siting?class=castle", "/api/stations/siting?minutes=5,8",
		"/api/firelanes?min_width_m=0", "/api/coverage/buildings", "/api/coverage?minutes=0", "/api/coverage?minutes=5,abc", "/api/coverage?minutes=500",
		"/api/coverage/gaps?minutes=5,8", "/api/coverage/gaps?format=pdf", "/api/coverage?truck_width_m=-1",
		"/api/coverage?speed=1", "/api/coverage?by=street",
	} {
		var e map[string]any
		if code := get(t, srv, tc, &e); code != 400 || e["error"] == nil {
			t.Errorf("%s: status %d, body %v; want 400 with an error", tc, code, e)
		}
	}
}

package api

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
)

// table is a plain table as the API writes it in JSON.
type table struct {
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
	Rows           []map[string]any `json:"rows"`
	NumberMatched  int              `json:"numberMatched"`
	NumberReturned int              `json:"numberReturned"`
}

func (t *table) column(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// num reads a numeric cell; absent and null are -1.
func num(row map[string]any, col string) float64 {
	if f, ok := row[col].(float64); ok {
		return f
	}
	return -1
}

// fetch returns a response's status, headers and body.
func fetch(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func TestCoverageEndpoints(t *testing.T) {
	srv := testServer(t)
	var sum table
	if code := get(t, srv, "/api/coverage?minutes=15,5,8", &sum); code != 200 {
		t.Fatalf("status %d", code)
	}
	// The per-target columns follow the target, in increasing order.
	if a, b, c := sum.column("covered_5min"), sum.column("covered_8min"), sum.column("covered_15min"); a < 0 || !(a < b && b < c) || sum.column("share_5min") < 0 {
		t.Fatalf("columns %v: want covered_5min, covered_8min, covered_15min in order, and share_5min", sum.Columns)
	}
	county := sum.Rows[len(sum.Rows)-1]
	hh := num(county, "households")
	if county["id"] != "county" || hh <= 0 {
		t.Fatalf("last row %v, want the county", county)
	}
	if c5, c8, c15 := num(county, "covered_5min"), num(county, "covered_8min"), num(county, "covered_15min"); !(0 <= c5 && c5 <= c8 && c8 <= c15 && c15 <= hh) {
		t.Fatalf("coverage not monotone in the target: %v, %v, %v of %v", c5, c8, c15, hh)
	}
	if sum.NumberMatched != len(sum.Rows) || sum.NumberReturned != len(sum.Rows) {
		t.Fatalf("numberMatched %d, numberReturned %d for %d rows", sum.NumberMatched, sum.NumberReturned, len(sum.Rows))
	}

	var byVillage table
	if code := get(t, srv, "/api/coverage?minutes=8&by=village", &byVillage); code != 200 || len(byVillage.Rows) != sampleSnap.Villages.Len() {
		t.Fatalf("by=village: status %d, %d rows", code, len(byVillage.Rows))
	}
	vh := 0.0
	for _, v := range byVillage.Rows {
		vh += num(v, "households")
		if num(v, "covered_8min") > num(v, "households") || num(v, "covered_8min") < 0 {
			t.Fatalf("village row %v covers more than it holds", v)
		}
	}
	if vh == 0 || vh >= hh {
		t.Fatalf("villages hold %v of the county's %v households", vh, hh)
	}

	var gaps geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/gaps?minutes=5", &gaps); code != 200 || len(gaps.Features) == 0 {
		t.Fatalf("gaps: status %d, %d features", code, len(gaps.Features))
	}
	for _, f := range gaps.Features {
		if f.Properties["uncovered_households"].(float64) <= 0 && f.Properties["arrival_min"] == nil {
			t.Fatalf("gap %v has nothing uncovered", f.ID)
		}
	}
	code, hdr, body := fetch(t, srv.URL+"/api/coverage/gaps?minutes=5&format=csv")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.HasPrefix(string(body), "\ufeff") {
		t.Fatalf("csv: status %d, %q, starts %q: want a UTF-8 BOM first", code, hdr.Get("Content-Type"), body[:min(8, len(body))])
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(body), "\ufeff")), "\n")
	if !strings.HasPrefix(lines[0], "类别,编号,名称") || len(lines) != len(gaps.Features)+1 {
		t.Fatalf("csv: %d lines for %d gaps; header %q", len(lines), len(gaps.Features), lines[0])
	}

	var iso geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/isochrones?minutes=5&station=all", &iso); code != 200 || len(iso.Features) != 1 {
		t.Fatalf("isochrones: status %d, %d features, want the 5-minute union", code, len(iso.Features))
	}
	var isoDefault, isoEach geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/isochrones?minutes=5", &isoDefault); code != 200 || len(isoDefault.Features) != 1 ||
		isoDefault.Features[0].Properties["station_id"] != "all" {
		t.Fatalf("isochrones by default: status %d, %d features, want only the union", code, len(isoDefault.Features))
	}
	if code := get(t, srv, "/api/coverage/isochrones?minutes=5&station=each", &isoEach); code != 200 || len(isoEach.Features) < 2 {
		t.Fatalf("isochrones station=each: status %d, %d features, want every station's and the union", code, len(isoEach.Features))
	}
	if code := get(t, srv, "/api/coverage/isochrones?minutes=5&station=st99999", nil); code != 400 {
		t.Errorf("isochrones of a station the data does not have: status %d, want 400", code)
	}
	var bs geojson.FeatureCollection
	if code := get(t, srv, "/api/coverage/buildings?bbox=111.44,27.20,111.46,27.22&limit=50", &bs); code != 200 || len(bs.Features) != 50 {
		t.Fatalf("buildings: status %d, %d features", code, len(bs.Features))
	}
	for _, f := range bs.Features {
		if f.Properties["reach"] == "reached" && f.Properties["arrival_min"] == nil {
			t.Fatalf("reached building %v without an arrival time", f.ID)
		}
	}
	var all struct {
		NumberMatched  int `json:"numberMatched"`
		NumberReturned int `json:"numberReturned"`
	}
	if code := get(t, srv, "/api/coverage/buildings?limit=1", &all); code != 200 || all.NumberMatched != sampleSnap.Buildings.Len() || all.NumberReturned != 1 {
		t.Fatalf("buildings without a bbox: status %d, %+v, want every building matched", code, all)
	}
	var lanes geojson.FeatureCollection
	if code := get(t, srv, "/api/firelanes", &lanes); code != 200 || len(lanes.Features) != sampleSnap.Districts.Len() {
		t.Fatalf("firelanes: status %d, %d districts", code, len(lanes.Features))
	}
	laneCount, narrow := 0, 0.0
	for _, d := range lanes.Features {
		laneCount += int(d.Properties["lanes"].(float64))
		narrow += d.Properties["too_narrow_m"].(float64)
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
	for _, tc := range []struct{ path, names string }{
		{"/api/stations/siting?k=50", "k"}, {"/api/stations/siting?class=castle", "class"}, {"/api/stations/siting?minutes=5,8", "minutes"},
		{"/api/firelanes?min_width_m=0", "min_width_m"}, {"/api/coverage?minutes=0", "minutes"}, {"/api/coverage?minutes=5,abc", "minutes"},
		{"/api/coverage?minutes=500", "minutes"}, {"/api/coverage/gaps?minutes=5,8", "minutes"}, {"/api/coverage/gaps?format=pdf", "format"},
		{"/api/coverage?truck_width_m=-1", "truck_width_m"}, {"/api/coverage?speed=1", "speed"}, {"/api/coverage?by=street", "by"},
		{"/api/coverage?format=geojson", "format"}, {"/api/coverage/buildings?bbox=1,2,3", "bbox"},
	} {
		var e map[string]any
		code := get(t, srv, tc.path, &e)
		if msg, _ := e["error"].(string); code != 400 || !strings.Contains(msg, tc.names) {
			t.Errorf("%s: status %d, body %v; want 400 with an error naming %s", tc.path, code, e, tc.names)
		}
	}
}

// fetchNoFatal is fetch for goroutines other than the test's: errors come
// back as status 0 with the error as the body.
func fetchNoFatal(url string) (int, http.Header, []byte) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, nil, []byte(err.Error())
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, []byte(err.Error())
	}
	return resp.StatusCode, resp.Header, b
}

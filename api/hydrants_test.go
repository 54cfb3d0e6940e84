package api

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
)

func TestHydrantEndpoints(t *testing.T) {
	srv := testServer(t)
	var gaps geojson.FeatureCollection
	if code := get(t, srv, "/api/hydrants/gaps", &gaps); code != 200 {
		t.Fatalf("gaps status %d", code)
	}
	kinds := map[string]int{}
	for _, f := range gaps.Features {
		kinds[f.Properties["kind"].(string)]++
	}
	for _, k := range []string{"street_gap", "spacing", "building"} {
		if kinds[k] == 0 {
			t.Errorf("no %s gaps in %v", k, kinds)
		}
	}
	var year, all geojson.FeatureCollection
	if code := get(t, srv, "/api/hydrants/proposals?count=20", &year); code != 200 || len(year.Features) != 20 {
		t.Fatalf("proposals?count=20: status %d, %d sites", code, len(year.Features))
	}
	if code := get(t, srv, "/api/hydrants/proposals", &all); code != 200 || len(all.Features) <= 20 {
		t.Fatalf("all proposals: status %d, %d sites", code, len(all.Features))
	}
	// One plan: the year's 20 are the first 20 of the full plan, site for
	// site, and no site in it protects nothing.
	for i, f := range year.Features {
		if int(f.Properties["rank"].(float64)) != i+1 {
			t.Fatalf("site %d has rank %v", i, f.Properties["rank"])
		}
		if g := all.Features[i]; g.Point() != f.Point() || !reflect.DeepEqual(g.Properties, f.Properties) {
			t.Fatalf("site %d: count=20 gives %v %v, the full plan %v %v", i+1, f.Point(), f.Properties, g.Point(), g.Properties)
		}
		if num(f.Properties, "new_households") <= 0 {
			t.Errorf("this year's site %d protects no household: %v", i+1, f.Properties)
		}
	}
	for _, f := range all.Features {
		if num(f.Properties, "new_buildings")+num(f.Properties, "new_street_m")+num(f.Properties, "new_spacing_m") <= 0 {
			t.Fatalf("site %v protects nothing: %v", f.Properties["rank"], f.Properties)
		}
	}
	var stats table
	if code := get(t, srv, "/api/hydrants/stats?mode=straight", &stats); code != 200 {
		t.Fatalf("stats status %d", code)
	}
	county := stats.Rows[len(stats.Rows)-1]
	working, broken := num(county, "working"), num(county, "broken")
	if county["id"] != "county" || county["intact_rate"] == nil || num(county, "intact_rate") != float64(int(working/(working+broken)*10000+0.5))/10000 {
		t.Fatalf("county row %v", county)
	}
	if len(stats.Rows) != sampleSnap.Townships.Len()+1 {
		t.Fatalf("stats: %d rows, want the %d townships and the county", len(stats.Rows), sampleSnap.Townships.Len())
	}
	var districts geojson.FeatureCollection
	if code := get(t, srv, "/api/hydrants/districts?mode=straight", &districts); code != 200 || len(districts.Features) != sampleSnap.Districts.Len() {
		t.Fatalf("districts: status %d, %d rows", code, len(districts.Features))
	}
	debt := 0
	for _, d := range districts.Features {
		debt += int(d.Properties["hydrant_debt"].(float64))
	}
	if debt == 0 {
		t.Fatal("old districts owe no hydrants in the sample")
	}
	for _, bad := range []string{"/api/hydrants/gaps?mode=diagonal", "/api/hydrants/gaps?radius_m=0", "/api/hydrants/proposals?count=-3",
		"/api/hydrants/stats?include_planned=maybe", "/api/hydrants/gaps?format=pdf",
		"/api/hydrants/districts?radius_m=x", "/api/hydrants/stats?format=geojson"} {
		var e map[string]any
		if code := get(t, srv, bad, &e); code != 400 || e["error"] == nil {
			t.Errorf("%s: status %d", bad, code)
		}
	}
}

func TestExcelExport(t *testing.T) {
	srv := testServer(t)
	for _, tc := range []struct{ path, sheet string }{
		{"/api/hydrants/proposals?count=20&format=xlsx", "新增消火栓选址"}, {"/api/coverage/gaps?minutes=5&format=xlsx", "覆盖缺口"},
		{"/api/clusters?format=xlsx", "农村连片村寨"}, {"/api/hydrants/gaps?format=xlsx&lang=en", "hydrant gaps"},
		{"/api/hydrants/stats?format=xlsx", "消火栓完好率"},
	} {
		path := tc.path
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("%s: status %d, %q", path, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		sheets := f.GetSheetList()
		if len(sheets) != 1 || sheets[0] != tc.sheet {
			f.Close()
			t.Fatalf("%s: sheets %v, want one named %s", path, sheets, tc.sheet)
		}
		rows, err := f.GetRows(tc.sheet)
		f.Close()
		if err != nil || len(rows) < 3 {
			t.Fatalf("%s: %d rows, %v", path, len(rows), err)
		}
		// A title row, the header, then the rows.
		if !strings.HasPrefix(rows[0][0], "示例县 | ") {
			t.Fatalf("%s: title %q, want the county first", path, rows[0][0])
		}
		if tc.sheet == "新增消火栓选址" && (len(rows) != 22 || rows[1][0] != "排序" || rows[2][0] != "1" ||
			rows[1][len(rows[1])-2] != "经度" || rows[1][len(rows[1])-1] != "纬度") {
			t.Fatalf("proposals sheet starts %v, %v (%d rows)", rows[1], rows[2], len(rows))
		}
	}
}

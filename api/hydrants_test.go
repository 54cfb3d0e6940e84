package api

import (
	"bytes"
	"io"
	"net/http"
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
	for i, f := range year.Features {
		if int(f.Properties["rank"].(float64)) != i+1 {
			t.Fatalf("site %d has rank %v", i, f.Properties["rank"])
		}
	}
	var stats struct {
		Townships []struct {
			ID         string   `json:"id"`
			Working    int      `json:"working"`
			Broken     int      `json:"broken"`
			IntactRate *float64 `json:"intact_rate"`
		} `json:"townships"`
		Districts []struct {
			Debt int `json:"hydrant_debt"`
		} `json:"districts"`
	}
	if code := get(t, srv, "/api/hydrants/stats?mode=straight", &stats); code != 200 {
		t.Fatalf("stats status %d", code)
	}
	county := stats.Townships[len(stats.Townships)-1]
	if county.ID != "county" || county.IntactRate == nil || *county.IntactRate != float64(int(float64(county.Working)/float64(county.Working+county.Broken)*10000+0.5))/10000 {
		t.Fatalf("county row %+v", county)
	}
	debt := 0
	for _, d := range stats.Districts {
		debt += d.Debt
	}
	if debt == 0 {
		t.Fatal("old districts owe no hydrants in the sample")
	}
	for _, bad := range []string{"/api/hydrants/gaps?mode=diagonal", "/api/hydrants/gaps?radius_m=0", "/api/hydrants/proposals?count=-3",
		"/api/hydrants/stats?include_planned=maybe", "/api/hydrants/gaps?format=pdf"} {
		var e map[string]any
		if code := get(t, srv, bad, &e); code != 400 || e["error"] == nil {
			t.Errorf("%s: status %d", bad, code)
		}
	}
}

func TestExcelExport(t *testing.T) {
	srv := testServer(t)
	for _, path := range []string{"/api/hydrants/proposals?count=20&format=xlsx", "/api/coverage/gaps?minutes=5&format=xlsx",
		"/api/clusters?format=xlsx", "/api/hydrants/gaps?format=xlsx"} {
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
		rows, err := f.GetRows("Sheet1")
		f.Close()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %d rows, %v", path, len(rows), err)
		}
		if path == "/api/hydrants/proposals?count=20&format=xlsx" && (len(rows) != 21 || rows[0][0] != "rank" || rows[1][0] != "1") {
			t.Fatalf("proposals sheet starts %v, %v (%d rows)", rows[0], rows[1], len(rows))
		}
	}
}

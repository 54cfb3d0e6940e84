package api

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"fireplan/coverage"

	"github.com/paulmach/orb/geojson"
	"github.com/xuri/excelize/v2"
)

// districtJSON is one district as /api/districts/{id} answers it.
type districtJSON struct {
	coverage.District
	Version    string            `json:"version"`
	Parameters map[string]string `json:"parameters"`
}

func TestDistrictPlans(t *testing.T) {
	srv := testServer(t)
	var list geojson.FeatureCollection
	if code := get(t, srv, "/api/districts", &list); code != 200 || len(list.Features) != sampleSnap.Districts.Len() {
		t.Fatalf("districts: status %d, %d features, want %d", code, len(list.Features), sampleSnap.Districts.Len())
	}
	for i, f := range list.Features {
		if i > 0 && f.Properties["households_affected"].(float64) > list.Features[i-1].Properties["households_affected"].(float64) {
			t.Errorf("row %d: %v households affected after %v", i, f.Properties["households_affected"], list.Features[i-1].Properties["households_affected"])
		}
	}
	for _, tc := range []struct {
		name  string
		query string
	}{
		{"defaults", ""},
		{"6 m lanes, 30 m reach", "?min_width_m=6&lane_reach_m=30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rows geojson.FeatureCollection
			if code := get(t, srv, "/api/districts"+tc.query, &rows); code != 200 {
				t.Fatalf("status %d", code)
			}
			for _, f := range rows.Features {
				id := f.Properties["id"].(string)
				var d districtJSON
				if code := get(t, srv, "/api/districts/"+id+tc.query, &d); code != 200 || d.ID != id {
					t.Fatalf("%s: status %d, id %q", id, code, d.ID)
				}
				for _, k := range []string{"households", "households_affected", "households_beyond_reach", "hydrant_debt", "usable_m", "protected_share"} {
					if f.Properties[k] != mustRecord(t, d)[k] {
						t.Errorf("%s: %s %v in the list, %v alone", id, k, f.Properties[k], mustRecord(t, d)[k])
					}
				}
				if len(d.Actions) == 0 && d.HouseholdsAffected > 0 {
					t.Errorf("%s: %d households affected and no action", id, d.HouseholdsAffected)
				}
				for k, a := range d.Actions {
					if a.Rank != k+1 || k > 0 && a.Households > d.Actions[k-1].Households || a.Lon == 0 || a.Lat == 0 {
						t.Errorf("%s: action %+v", id, a)
					}
				}
				if len(d.HydrantSites) != d.HydrantDebt || d.Parameters["min_width_m"] == "" {
					t.Errorf("%s: %d hydrant sites, debt %d; parameters %v", id, len(d.HydrantSites), d.HydrantDebt, d.Parameters)
				}
			}
		})
	}
	for _, tc := range []struct {
		path   string
		status int
		names  string
	}{
		{"/api/districts/nowhere", 404, "nowhere"},
		{"/api/districts/" + list.Features[0].Properties["id"].(string) + "?min_width_m=0", 400, "min_width_m"},
		{"/api/districts/" + list.Features[0].Properties["id"].(string) + "?format=csv", 400, "format"},
		{"/api/districts/" + list.Features[0].Properties["id"].(string) + "?colour=red", 400, "colour"},
	} {
		var e map[string]any
		code := get(t, srv, tc.path, &e)
		if msg, _ := e["error"].(string); code != tc.status || !strings.Contains(msg, tc.names) {
			t.Errorf("%s: status %d, body %v; want %d naming %s", tc.path, code, e, tc.status, tc.names)
		}
	}
}

// mustRecord reads a district back as the list's properties.
func mustRecord(t *testing.T, d districtJSON) map[string]any {
	t.Helper()
	return map[string]any{"households": float64(d.Households), "households_affected": float64(d.HouseholdsAffected),
		"households_beyond_reach": float64(d.HouseholdsBeyondReach), "hydrant_debt": float64(d.HydrantDebt), "usable_m": d.UsableM,
		"protected_share": d.ProtectedShare}
}

func TestDistrictWorkbook(t *testing.T) {
	srv := testServer(t)
	var list geojson.FeatureCollection
	get(t, srv, "/api/districts", &list)
	id := list.Features[0].Properties["id"].(string)
	var d districtJSON
	get(t, srv, "/api/districts/"+id, &d)
	for _, tc := range []struct {
		lang   string
		sheets []string
		header string // first header of the actions sheet
	}{
		{"", []string{"概况", "措施", "消防车道", "新增消火栓"}, "排序"},
		{"en", []string{"summary", "actions", "lanes", "hydrant sites"}, "rank"},
	} {
		t.Run("lang="+tc.lang, func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/api/districts/" + id + "?format=xlsx&lang=" + tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("status %d, %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(tc.sheets, "|") {
				t.Fatalf("sheets %v, want %v", got, tc.sheets)
			}
			for _, sh := range tc.sheets {
				title, _ := f.GetCellValue(sh, "A1")
				panes, err := f.GetPanes(sh)
				if err != nil || !strings.Contains(title, d.Name) || !panes.Freeze || panes.YSplit != 2 {
					t.Errorf("%s: title %q, panes %+v (%v)", sh, title, panes, err)
				}
			}
			actions, _ := f.GetRows(tc.sheets[1])
			if len(actions) != 2+len(d.Actions) || actions[1][0] != tc.header {
				t.Fatalf("actions sheet: %d rows for %d actions, header %v", len(actions), len(d.Actions), actions[1])
			}
			lanes, _ := f.GetRows(tc.sheets[2])
			if len(lanes) != 2+len(d.Lanes) {
				t.Fatalf("lanes sheet: %d rows for %d lanes", len(lanes), len(d.Lanes))
			}
			for r, l := range d.Lanes {
				cell, _ := excelize.CoordinatesToCellName(1, r+3)
				v, _ := f.GetCellValue(tc.sheets[2], cell)
				typ, _ := f.GetCellType(tc.sheets[2], cell)
				if v != l.ID || typ != excelize.CellTypeSharedString {
					t.Errorf("lane %s read back as %q (type %v)", l.ID, v, typ)
				}
			}
			summary, _ := f.GetRows(tc.sheets[0])
			found := false
			for _, row := range summary {
				found = found || len(row) == 2 && row[1] == d.ID
			}
			if !found {
				t.Errorf("summary lacks the id %s: %v", d.ID, summary)
			}
		})
	}
}

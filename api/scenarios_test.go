package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// scenarioResp is what POST /api/scenarios answers.
type scenarioResp struct {
	ID          string `json:"id"`
	Version     string `json:"version"`
	BaseVersion string `json:"base_version"`
	Changes     []struct {
		Lon, Lat float64
	} `json:"changes"`
	Problems     []any `json:"problems"`
	ReportedGain struct {
		Households int     `json:"households"`
		Buildings  int     `json:"buildings"`
		Minutes    float64 `json:"minutes"`
	} `json:"reported_gain"`
}

type diffResp struct {
	Coverage struct {
		Townships []struct {
			TownshipID string  `json:"township_id"`
			TargetMin  float64 `json:"target_min"`
			Before     int     `json:"households_before"`
			After      int     `json:"households_after"`
			Gained     int     `json:"gained"`
		} `json:"townships"`
		HouseholdsGained map[string]int `json:"households_gained"`
		GapsClosed       int            `json:"gaps_closed"`
		GapsOpened       int            `json:"gaps_opened"`
	} `json:"coverage"`
	Hydrants struct {
		GapsClosedM             float64 `json:"gaps_closed_m"`
		BuildingsNewlyProtected int     `json:"buildings_newly_protected"`
	} `json:"hydrants"`
}

func post(t *testing.T, url, body string, into any) (int, http.Header) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s: %v in %s", url, err, b)
		}
	}
	return resp.StatusCode, resp.Header
}

// covered reads households covered within m minutes per coverage_summary row.
func covered(t *testing.T, srv string, m string, query string) map[string]int {
	t.Helper()
	var sum table
	code, _, b := fetch(t, srv+"/api/coverage?minutes="+m+query)
	if code != 200 || json.Unmarshal(b, &sum) != nil {
		t.Fatalf("coverage%s: status %d %s", query, code, b)
	}
	out := map[string]int{}
	for _, r := range sum.Rows {
		out[r["id"].(string)] = int(num(r, "covered_"+m+"min"))
	}
	return out
}

func TestStationProposalsAsScenario(t *testing.T) {
	srv := testServer(t)
	var sc scenarioResp
	code, hdr := post(t, srv.URL+"/api/scenarios/from-proposals?analysis=stations&k=3&minutes=8", "", &sc)
	if code != http.StatusCreated || hdr.Get("Location") != "/api/scenarios/"+sc.ID || len(sc.Changes) != 3 || sc.Version == sc.BaseVersion {
		t.Fatalf("status %d, location %q, %+v", code, hdr.Get("Location"), sc)
	}
	if sc.ReportedGain.Households <= 0 || sc.ReportedGain.Minutes != 8 || len(sc.Problems) != 0 {
		t.Fatalf("reported gain %+v, problems %v", sc.ReportedGain, sc.Problems)
	}
	before, after := covered(t, srv.URL, "8", ""), covered(t, srv.URL, "8", "&scenario="+sc.ID)
	if got := after["county"] - before["county"]; got != sc.ReportedGain.Households {
		t.Errorf("the scenario adds %d households within 8 min; siting reported %d", got, sc.ReportedGain.Households)
	}
	var d diffResp
	if code := get(t, srv, "/api/scenarios/"+sc.ID+"/diff?minutes=8", &d); code != 200 {
		t.Fatalf("diff: status %d", code)
	}
	if d.Coverage.HouseholdsGained["8"] != sc.ReportedGain.Households || d.Coverage.GapsClosed == 0 {
		t.Errorf("diff gains %v, %d gaps closed; siting reported %d", d.Coverage.HouseholdsGained, d.Coverage.GapsClosed, sc.ReportedGain.Households)
	}
	if len(d.Coverage.Townships) != len(before)-1 {
		t.Errorf("%d township rows in the diff, %d in the summary (county row aside)", len(d.Coverage.Townships), len(before))
	}
	for _, tw := range d.Coverage.Townships {
		if tw.Before != before[tw.TownshipID] || tw.After != after[tw.TownshipID] || tw.Gained != tw.After-tw.Before {
			t.Errorf("township %s: diff %d -> %d (+%d), summaries %d -> %d", tw.TownshipID, tw.Before, tw.After, tw.Gained,
				before[tw.TownshipID], after[tw.TownshipID])
		}
	}
	// A tile over the first proposed station changes with the scenario, and so does its ETag.
	tile := maptile.At(orb.Point{sc.Changes[0].Lon, sc.Changes[0].Lat}, 12)
	path := fmt.Sprintf("%s/tiles/coverage_isochrones/12/%d/%d.mvt?minutes=8", srv.URL, tile.X, tile.Y)
	c0, h0, b0 := fetch(t, path)
	c1, h1, b1 := fetch(t, path+"&scenario="+sc.ID)
	if c0 != 200 || c1 != 200 || bytes.Equal(b0, b1) || h0.Get("ETag") == h1.Get("ETag") {
		t.Errorf("tile: status %d/%d, equal bodies %v, etags %q %q", c0, c1, bytes.Equal(b0, b1), h0.Get("ETag"), h1.Get("ETag"))
	}
	// The scenario's stations are items of the stations layer under it.
	var fc struct{ NumberMatched int }
	get(t, srv, "/api/layers/stations/items", &fc)
	n := fc.NumberMatched
	if get(t, srv, "/api/layers/stations/items?scenario="+sc.ID, &fc); fc.NumberMatched != n+3 {
		t.Errorf("%d stations under the scenario, %d without", fc.NumberMatched, n)
	}
}

func TestHydrantProposalsAsScenario(t *testing.T) {
	srv := testServer(t)
	var sc scenarioResp
	if code, _ := post(t, srv.URL+"/api/scenarios/from-proposals?analysis=hydrants&count=20", "", &sc); code != http.StatusCreated || len(sc.Changes) != 20 {
		t.Fatalf("status %d, %d changes", code, len(sc.Changes))
	}
	var d diffResp
	if code := get(t, srv, "/api/scenarios/"+sc.ID+"/diff", &d); code != 200 {
		t.Fatalf("diff: status %d", code)
	}
	if d.Hydrants.BuildingsNewlyProtected != sc.ReportedGain.Buildings || d.Hydrants.GapsClosedM <= 0 {
		t.Errorf("diff: %d buildings newly protected, %.1f m of gaps closed; the plan reported %d buildings",
			d.Hydrants.BuildingsNewlyProtected, d.Hydrants.GapsClosedM, sc.ReportedGain.Buildings)
	}
}

func TestScenarioLifecycleAndBadInput(t *testing.T) {
	srv := testServer(t)
	st := sampleSnap.Stations.Items[0]
	body := fmt.Sprintf(`{"name":"close station","changes":[{"layer":"stations","op":"remove","id":%q}]}`, st.ID)
	var sc scenarioResp
	if code, _ := post(t, srv.URL+"/api/scenarios", body, &sc); code != http.StatusCreated {
		t.Fatalf("status %d", code)
	}
	var again scenarioResp
	if post(t, srv.URL+"/api/scenarios", body, &again); again.ID != sc.ID {
		t.Errorf("the same changes got ids %s and %s", sc.ID, again.ID)
	}
	var list struct{ Scenarios []scenarioResp }
	if get(t, srv, "/api/scenarios", &list); len(list.Scenarios) == 0 {
		t.Error("list is empty")
	}
	var one scenarioResp
	if code := get(t, srv, "/api/scenarios/"+sc.ID, &one); code != 200 || one.Version != sc.Version {
		t.Errorf("get: status %d, %+v", code, one)
	}
	before, after := covered(t, srv.URL, "5", ""), covered(t, srv.URL, "5", "&scenario="+sc.ID)
	if after["county"] >= before["county"] {
		t.Errorf("closing station %s: %d households within 5 min, %d before", st.ID, after["county"], before["county"])
	}

	for _, tc := range []struct {
		name, body string
		code       int
		change     any
		field      string
	}{
		{"unknown id", `{"changes":[{"layer":"hydrants","op":"remove","id":"no-such"}]}`, 400, 0.0, "id"},
		{"bad enum", `{"changes":[{"layer":"hydrants","op":"remove","id":"x"},{"layer":"stations","op":"add","id":"n","class":"big","lon":1,"lat":1}]}`, 400, 1.0, "class"},
		{"malformed", `{"changes":`, 400, nil, ""},
		{"over 1 MiB", `{"name":"` + strings.Repeat("x", 1<<20) + `"}`, http.StatusRequestEntityTooLarge, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e map[string]any
			if code, _ := post(t, srv.URL+"/api/scenarios", tc.body, &e); code != tc.code || code == 400 && (e["change"] != tc.change || e["field"] != tc.field) {
				t.Errorf("status %d, %v; want %d naming change %v field %q", code, e, tc.code, tc.change, tc.field)
			}
		})
	}
	tile := maptile.At(st.Geom, 12)
	for _, path := range []string{"/api/coverage", "/api/hydrants/gaps", "/api/layers/stations/items",
		fmt.Sprintf("/tiles/coverage_gaps/12/%d/%d.mvt", tile.X, tile.Y), "/tiles/coverage_gaps.json"} {
		var e map[string]any
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		if code := get(t, srv, path+sep+"scenario=nope", &e); code != 404 || e["error"] == nil {
			t.Errorf("%s with an unknown scenario: status %d %v", path, code, e)
		}
	}
	if code := get(t, srv, "/api/scenarios/nope/diff", nil); code != 404 {
		t.Errorf("the diff of an unknown scenario: status %d", code)
	}
	req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/api/scenarios/"+sc.ID, nil)
	for _, want := range []int{http.StatusNoContent, http.StatusNotFound} {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("delete: status %d, want %d", resp.StatusCode, want)
		}
	}
}

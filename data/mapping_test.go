package data_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"fireplan/data"
	"fireplan/data/pgtest"
)

// exampleConfig reads one of the docs' worked examples, pointed at schema.
func exampleConfig(t *testing.T, path, schema string) *data.Config {
	t.Helper()
	cfg, err := data.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Schema = schema
	return cfg
}

func TestLoadMunicipalTablesWithAConfigAndNoViews(t *testing.T) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	pgtest.Municipal(t, pool, schema)
	set, rep, err := data.Load(context.Background(), pool, exampleConfig(t, "../docs/municipal.example.json", schema))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		layer   string
		loaded  int
		absent  bool
		skipped map[string]int
	}{
		{data.LayerRoads, 6, false, map[string]int{data.ReasonBadAttribute: 1}},
		{data.LayerHydrants, 3, false, map[string]int{}},
		{data.LayerStations, 2, false, map[string]int{}},
		{data.LayerBuildings, 4, false, map[string]int{}},
		{data.LayerTownships, 1, false, map[string]int{}},
		{data.LayerVillages, 0, true, map[string]int{}},
		{data.LayerDistricts, 0, true, map[string]int{}},
		{data.LayerFireLanes, 0, true, map[string]int{}},
		{data.LayerBuiltup, 0, true, map[string]int{}}, // not configured, no table
	} {
		lr := rep.Layer(tc.layer)
		if lr.Loaded != tc.loaded || lr.Absent != tc.absent || !reflect.DeepEqual(lr.Skipped, tc.skipped) {
			t.Errorf("%s: loaded %d absent %v skipped %v, want %d %v %v", tc.layer, lr.Loaded, lr.Absent, lr.Skipped, tc.loaded, tc.absent, tc.skipped)
		}
	}
	if n := rep.Layer(data.LayerBuiltup).Notes; len(n) != 1 || !strings.Contains(n[0], `"builtup": null`) {
		t.Errorf("builtup notes %q, want how to silence the missing table", n)
	}
	roads := rep.Layer(data.LayerRoads)
	if want := map[string]int{"bad_attribute width_m": 1, "bad_attribute oneway": 1}; !reflect.DeepEqual(roads.Warnings, want) {
		t.Errorf("road warnings %v, want %v", roads.Warnings, want)
	}
	if want := map[string]*data.ValueCounts{"class": {Counts: map[string]int{"Alley": 1}}, "oneway": {Counts: map[string]int{"9": 1, "7": 1}}}; !reflect.DeepEqual(roads.Unmapped, want) { // "7" is on a skipped row
		t.Errorf("unmapped %v, want %v", roads.Unmapped, want)
	}
	if roads.Defaulted["class"] != 1 || !reflect.DeepEqual(roads.Examples[data.ReasonBadAttribute], []string{"106"}) {
		t.Errorf("defaulted %v, examples %v", roads.Defaulted, roads.Examples)
	}
	byID := map[string]data.Road{}
	for _, r := range set.Roads {
		byID[r.ID] = r
	}
	if _, ok := byID["107"]; ok {
		t.Error("the retired road passed the where filter")
	}
	for _, tc := range []struct {
		id     string
		class  string
		oneway int8
		width  float64 // -1: null
	}{
		{"101", "primary", data.TwoWay, 7.5},
		{"102", "secondary", data.Forward, -1}, // "3 m" nulled
		{"103", "residential", data.Backward, -1},
		{"104", "residential", data.TwoWay, 6}, // null class takes the default
		{"105", "residential", data.TwoWay, 5}, // one-way 9 nulled
		{"108", "secondary", data.Forward, -1},
	} {
		r, ok := byID[tc.id]
		width := -1.0
		if r.WidthM != nil {
			width = *r.WidthM
		}
		if !ok || r.Class != tc.class || r.Oneway != tc.oneway || width != tc.width {
			t.Errorf("road %s = %+v, want class %s oneway %d width %g", tc.id, r, tc.class, tc.oneway, tc.width)
		}
	}
	if r := byID["108"]; r.Geom.GeoJSONType() != "MultiLineString" || r.Name != "Cedar Ave" {
		t.Errorf("road 108 = %+v", r)
	}
	for _, h := range set.Hydrants {
		if h.Kind != "municipal" || h.Status != "working" {
			t.Errorf("hydrant %+v: want the mapped kind and the constant status", h)
		}
	}
	if h := set.Hydrants[0]; h.FlowLPS == nil || *h.FlowLPS < 63 || *h.FlowLPS > 63.1 {
		t.Errorf("hydrant %s flow %v l/s, want 1000 gpm as 63.09 l/s", h.ID, h.FlowLPS)
	}
	if s := set.Stations[0]; s.Class != "urban2" || s.Status != "active" || s.Name != "Station 1" {
		t.Errorf("station %+v", s)
	}
	var households []int
	for _, b := range set.Buildings {
		households = append(households, b.Households)
	}
	if want := []int{2, 2, 1, 12}; !reflect.DeepEqual(households, want) {
		t.Errorf("households %v, want %v (null takes households_per_building)", households, want)
	}
	if p := set.Stations[0].Geom; p[0] > -80.99 || p[0] < -81.01 || p[1] < 39.9 || p[1] > 40.1 {
		t.Errorf("station 1 at %v, want UTM 17N taken to lon/lat near -81, 40", p)
	}
}

func TestLoadOSMTablesAsOgr2ogrWritesThem(t *testing.T) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	pgtest.OSM(t, pool, schema)
	set, rep, err := data.Load(context.Background(), pool, exampleConfig(t, "../docs/osm.example.json", schema))
	if err != nil {
		t.Fatal(err)
	}
	roads := map[string]data.Road{}
	for _, r := range set.Roads {
		roads[r.ID] = r
	}
	if len(roads) != 5 {
		t.Errorf("roads %v, want the five highways (no footway, no river)", ids(set.Roads))
	}
	for _, tc := range []struct {
		id             string
		class          string
		oneway         int8
		width          float64 // -1: null
		tunnel, bridge bool
	}{
		{"2001", "primary", data.TwoWay, 12, false, false},
		{"2002", "secondary", data.Forward, -1, false, false},
		{"2003", "residential", data.Backward, -1, false, false},
		{"2004", "service", data.TwoWay, -1, true, false},
		{"2007", "tertiary", data.TwoWay, -1, false, true},
	} {
		r := roads[tc.id]
		width := -1.0
		if r.WidthM != nil {
			width = *r.WidthM
		}
		if r.Class != tc.class || r.Oneway != tc.oneway || width != tc.width || r.Tunnel != tc.tunnel || r.Bridge != tc.bridge {
			t.Errorf("road %s = %+v, want %+v", tc.id, r, tc)
		}
	}
	if w := rep.Layer(data.LayerRoads).Warnings; !reflect.DeepEqual(w, map[string]int{"bad_attribute width_m": 1}) {
		t.Errorf("road warnings %v, want the one width of \"3 m\"", w)
	}
	kinds := map[string]string{}
	for _, h := range set.Hydrants {
		kinds[h.ID] = h.Kind + "/" + h.Status
	}
	if want := map[string]string{"1001": "municipal/working", "1002": "municipal/broken", "1003": "fire_pool/working"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("hydrants %v, want %v", kinds, want)
	}
	if len(set.Stations) != 1 || set.Stations[0].Name != "Keskuspelastusasema" || set.Stations[0].Class != "urban1" {
		t.Errorf("stations %+v", set.Stations)
	}
	hh := map[int]bool{}
	for _, b := range set.Buildings {
		hh[b.Households] = true
	}
	if len(set.Buildings) != 3 || !hh[24] || !hh[1] {
		t.Errorf("buildings %+v, want 3 with 24 flats and default 1", set.Buildings)
	}
	if w := rep.Layer(data.LayerBuildings).Warnings; w["bad_attribute floors"] != 1 {
		t.Errorf("building warnings %v, want levels \"two\" nulled", w)
	}
	if len(set.Townships) != 1 || set.Townships[0].Name != "Kamppi" {
		t.Errorf("townships %+v", set.Townships)
	}
	kindOf := map[string]int{}
	for _, b := range set.Builtup {
		kindOf[b.Kind]++
	}
	if !reflect.DeepEqual(kindOf, map[string]int{"": 1, "industrial": 1}) {
		t.Errorf("builtup kinds %v", kindOf)
	}
}

func TestLoadReportsEveryMissingTableAndColumnAtOnce(t *testing.T) {
	pool := pgtest.Pool(t)
	schema := pgtest.Schema(t, pool)
	pgtest.Municipal(t, pool, schema)
	cfg := exampleConfig(t, "../docs/municipal.example.json", schema)
	cfg.Layers[data.LayerHydrants].Table = "hydrants_2024"
	cfg.Layers[data.LayerStations].Table = "stations_2024"
	cfg.Layers[data.LayerRoads].Columns["name"] = ptr("STREET_NAME")
	cfg.Layers[data.LayerRoads].Columns["speed_kmh"] = ptr("speed_limit * 1.609")
	cfg.Layers[data.LayerRoads].Where = "stauts <> 'RETIRED'"
	cfg.Layers[data.LayerBuildings].ID = "GID"
	cfg.Layers[data.LayerVillages] = &data.TableConfig{Table: "xzc"}
	_, rep, err := data.Load(context.Background(), pool, cfg)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"layer hydrants: table " + schema + ".hydrants_2024 does not exist",
		"layer stations: table " + schema + ".stations_2024 does not exist",
		`layer roads: table ` + schema + `.road_centerline: no column "STREET_NAME" (mapped to name`,
		`layer roads: table ` + schema + `.road_centerline: attribute speed_kmh: expression speed_limit * 1.609: ERROR: column "speed_limit" does not exist`,
		`layer roads: table ` + schema + `.road_centerline: where "stauts <> 'RETIRED'"`,
		`layer buildings: table ` + schema + `.building_footprint: no id column "GID"`,
		"layer villages: table " + schema + ".xzc does not exist",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error\n%v\nwant it to say %q", err, want)
		}
	}
	if !rep.Layer(data.LayerRoads).Failed || rep.Layer(data.LayerTownships).Loaded != 1 {
		t.Errorf("roads failed %v, townships loaded %d: the layers that could be read are", rep.Layer(data.LayerRoads).Failed, rep.Layer(data.LayerTownships).Loaded)
	}
}

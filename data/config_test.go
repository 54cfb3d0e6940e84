package data

import (
	"errors"
	"strings"
	"testing"
)

func TestExampleConfigsLoad(t *testing.T) {
	for _, path := range []string{"../docs/county.example.json", "../docs/municipal.example.json", "../docs/osm.example.json"} {
		t.Run(path, func(t *testing.T) {
			if _, err := LoadConfig(path); err != nil {
				t.Fatal(err)
			}
		})
	}
	c, err := LoadConfig("../docs/county.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if tc, _ := c.table(LayerRoads); tc.Schema != "gis" || tc.Table != "road_centerlines" || tc.ID != "gid" {
		t.Fatalf("roads mapping %+v", tc)
	} else if src, _ := tc.source("class"); src != "road_class" {
		t.Fatalf("roads class read from %q", src)
	}
	if tc, _ := c.table(LayerStations); tc.Schema != "fire" || tc.ID != "id" || tc.SRID != 4326 {
		t.Fatalf("stations mapping %+v", tc)
	}
	if tc, configured := c.table(LayerDistricts); configured || tc.Schema != "gis" || tc.Table != "districts" {
		t.Fatalf("an unmapped layer: %+v", tc)
	}
}

func TestConfigCheckNamesEveryProblem(t *testing.T) {
	for _, tc := range []struct {
		name string
		json string
		want []string // each must appear in the one error
	}{
		{"unknown layer", `{"layers": {"roadz": {}}}`, []string{`unknown layer "roadz"`}},
		{"unknown keys, all at once", `{"layerz": {}, "paramz": {}, "layers": {"hydrants": {"colums": {}, "tabel": "h"}}}`,
			[]string{"unknown key layerz", "unknown key paramz", "unknown key layers.hydrants.colums", "unknown key layers.hydrants.tabel (known here: schema, table"}},
		{"a key given twice", `{"layers": {"roads": {"values": {"class": {"Minor": "residential"}}, "values": {"class": {"Alley": "service"}}}}}`,
			[]string{"layers.roads.values is given twice"}},
		{"unknown attributes everywhere", `{"layers": {"roads": {
			"columns": {"colour": "c"}, "const": {"lanes": 2}, "defaults": {"surface": "x"}, "values": {"kind": {"a": "b"}}}}}`,
			[]string{"layers.roads.columns.colour", "layers.roads.const.lanes", "layers.roads.defaults.surface", `layers.roads.values.kind: layer roads has no attribute "kind"`}},
		{"bad const, default and value targets", `{"layers": {
			"hydrants": {"const": {"kind": "hose", "status": null}},
			"roads": {"defaults": {"class": "lane", "width_m": "wide"},
			          "values": {"class": {"Arterial": "primary", "Major": "major"}, "oneway": {"0": false, "1": true, "2": "-1", "3": "sideways"}}},
			"buildings": {"const": {"floors": [1]}}}}`,
			[]string{
				`layers.hydrants.const.kind: kind = "hose" is not one of municipal`,
				`layers.hydrants.const.status: status is required`,
				`layers.roads.defaults.class: class = "lane"`,
				`layers.roads.defaults.width_m: width_m = "wide" is not a finite number`,
				`layers.roads.values.class: "Major" -> class = "major"`,
				`layers.roads.values.oneway: "3" -> oneway = "sideways"`,
				`layers.buildings.const.floors: want a string, number, boolean or null`,
			}},
		{"const beside a column", `{"layers": {"hydrants": {"const": {"kind": "municipal"}, "columns": {"kind": "type"}}}}`,
			[]string{"layers.hydrants.columns.kind: kind has a constant"}},
		{"households per building", `{"params": {"households_per_building": -2}}`, []string{"params.households_per_building: want an integer >= 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			keys, err := decodeConfig(strings.NewReader(tc.json), c)
			if err == nil {
				err = errors.Join(keys, c.Check())
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to say %q", err, w)
				}
			}
		})
	}
}

func TestConfigGoodMappingsPass(t *testing.T) {
	const good = `{"layers": {
		"hydrants": {"const": {"status": "working"}, "values": {"kind": {"Dry Barrel": "municipal", "*": "natural"}}},
		"roads": {"columns": {"width_m": "other_tags->'width'", "speed_kmh": null}, "defaults": {"class": "residential"},
		          "values": {"oneway": {"0": false, "1": true, "2": "-1", "-": null}, "tunnel": {"yes": true, "*": false}}},
		"villages": null},
		"params": {"households_per_building": 3, "speed_kmh": {"primary": 50}}}`
	c := &Config{}
	if keys, err := decodeConfig(strings.NewReader(good), c); err != nil || keys != nil {
		t.Fatal(err, keys)
	}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	if tc, configured := c.table(LayerVillages); tc != nil || !configured {
		t.Errorf("villages: null is %+v, want absent", tc)
	}
	roads, _ := c.table(LayerRoads)
	if src, read := roads.source("speed_kmh"); read {
		t.Errorf("speed_kmh: null is read from %q", src)
	}
	s, _ := SchemaOf(LayerBuildings)
	b, _ := c.table(LayerBuildings)
	attrs, errs := b.compile(s, c.Params)
	if len(errs) > 0 || attrs[0].Name != "households" || attrs[0].def == nil || *attrs[0].def != "3" {
		t.Errorf("households_per_building is not the households default: %+v %v", attrs[0], errs)
	}
}

func TestConfigSnapshotOptions(t *testing.T) {
	for _, tc := range []struct {
		params string
		want   Options
		err    string
	}{
		{`{}`, DefaultOptions(), ""},
		{`{"max_distance_km": 80, "builtup_gap_m": 0}`, Options{MaxDistanceM: 80_000, BuiltupGapM: 0, BuiltupMinAreaM2: 200_000}, ""},
		{`{"builtup_min_area_m2": 50000, "builtup_gap_m": 30}`, Options{MaxDistanceM: 200_000, BuiltupGapM: 30, BuiltupMinAreaM2: 50_000}, ""},
		{`{"max_distance_km": "far"}`, Options{}, "params.max_distance_km: want a number"},
		{`{"max_distance_km": 5000}`, Options{}, "max_distance_km 5000 outside"},
	} {
		c := &Config{}
		if _, err := decodeConfig(strings.NewReader(`{"params": `+tc.params+`}`), c); err != nil {
			t.Fatal(err)
		}
		got, err := c.Options()
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.params, err, tc.err)
			}
			if cerr := c.Check(); cerr == nil || !strings.Contains(cerr.Error(), tc.err) {
				t.Errorf("%s: Check %v, want %q", tc.params, cerr, tc.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.params, err)
		case got != tc.want:
			t.Errorf("%s: %+v, want %+v", tc.params, got, tc.want)
		}
	}
}
